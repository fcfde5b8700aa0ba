using Forge.Git;
using Forge.Web.Repos;
using Forge.Web.Sites;

namespace Forge.Web.Api;

/// <summary>Course sites through the API (Forge's own: Gitea has no such operation): the site online and the build log.</summary>
public static partial class ApiV1
{
    /// <summary>The build online: the site's name, its commit, when it was built and how many pages it has.</summary>
    public sealed record ApiSiteOnline(string Name, string Commit, DateTimeOffset BuiltAt, int Pages);

    /// <summary>A build; <c>status</c>: <c>success</c>, <c>failure</c> or <c>running</c>; errors and notices in French.</summary>
    public sealed record ApiSiteBuild(string Id, string Commit, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Pages, long Bytes,
        IReadOnlyList<string> Errors, IReadOnlyList<string> Notices);

    /// <summary>The course site of a branch: its address, the build online (null before the first success) and the last builds.</summary>
    public sealed record ApiSiteBuilds(string Branch, string SiteUrl, ApiSiteOnline? Current, List<ApiSiteBuild> Builds);

    private static void MapSites(RouteGroupBuilder api) =>
        api.MapGet("/repos/{owner}/{repo}/site/builds", GetSiteBuilds)
            .WithName("forgeGetSiteBuilds")
            .WithSummary("Forge's own: the course site of `branch` (default: the default branch) — the build online (commit, pages, URL) and the last 20 builds with their errors (file, line, in French) and notices; 404 for an unknown branch.")
            .Produces<ApiSiteBuilds>();

    private static async Task<IResult> GetSiteBuilds(HttpContext context, string owner, string repo, string? branch, RepositoryService repositories,
        SiteStore sites, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var b = string.IsNullOrEmpty(branch) ? r!.Repository.DefaultBranch : branch;
        if (b != r!.Repository.DefaultBranch && !reader.Branches(r.GitPath).Contains(b))
            return Error(StatusCodes.Status404NotFound, $"La branche « {b} » n’existe pas.", context.Request);
        var url = b == r.Repository.DefaultBranch ? $"{r.BaseUrl}/site/" : $"{r.BaseUrl}/site/-/preview/{Rendering.MarkdownRenderer.EncodePath(b)}/";
        var current = sites.Current(r.Repository.Id, b);
        return Results.Json(new ApiSiteBuilds(b, url,
            current is null ? null : new ApiSiteOnline(current.Manifest.Name, current.Manifest.Commit, current.Manifest.BuiltAt, current.Manifest.Pages.Count),
            sites.Records(r.Repository.Id, b).Select(x => new ApiSiteBuild(x.Id, x.Commit,
                x.Status switch { SiteBuildRecord.Succeeded => "success", SiteBuildRecord.Failed => "failure", _ => "running" },
                x.StartedAt, x.FinishedAt, x.Pages, x.Bytes, x.Errors, x.Notices)).ToList()), ApiModels.Json);
    }
}
