using Forge.Git;
using Forge.Web.Repos;
using Forge.Web.Sites;

namespace Forge.Web.Api;

/// <summary>Course sites through the API (Forge's own: Gitea has no such operation): the site online and the build log.</summary>
public static partial class ApiV1
{
    private static void MapSites(RouteGroupBuilder api) =>
        api.MapGet("/repos/{owner}/{repo}/site/builds", GetSiteBuilds)
            .WithName("forgeGetSiteBuilds")
            .WithSummary("Forge's own: the course site of `branch` (default: the default branch) — the build online (commit, pages, URL) and the last 20 builds with their errors (file, line, in French) and notices.");

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
        return Results.Json(new
        {
            branch = b,
            site_url = url,
            current = current is null ? null : new
            {
                name = current.Manifest.Name, commit = current.Manifest.Commit, built_at = current.Manifest.BuiltAt, pages = current.Manifest.Pages.Count,
            },
            builds = sites.Records(r.Repository.Id, b).Select(x => new
            {
                id = x.Id, commit = x.Commit, status = x.Status switch { SiteBuildRecord.Succeeded => "success", SiteBuildRecord.Failed => "failure", _ => "running" },
                started_at = x.StartedAt, finished_at = x.FinishedAt, pages = x.Pages, bytes = x.Bytes, errors = x.Errors, notices = x.Notices,
            }),
        }, ApiModels.Json);
    }
}
