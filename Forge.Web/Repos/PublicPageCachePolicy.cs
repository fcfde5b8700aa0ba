using Forge.Git;
using Microsoft.AspNetCore.OutputCaching;

namespace Forge.Web.Repos;

/// <summary>
/// Whole-page cache for anonymous visitors of public repositories. A page is keyed by the commit it shows (the
/// branch is resolved to its current commit on every request), so a push never serves stale content, and by the
/// repository's settings stamp, so a rename, a new description or a change of visibility is seen at once.
/// Private repositories, signed-in visitors and anything but GET are never cached.
/// </summary>
public sealed class PublicPageCachePolicy : IOutputCachePolicy
{
    private static readonly HashSet<string> RefKinds = ["tree", "blob", "raw", "commits", "blame"];

    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var request = http.Request;
        context.EnableOutputCaching = false;
        if (!HttpMethods.IsGet(request.Method) || http.User.Identity?.IsAuthenticated == true || request.Headers.Authorization.Count > 0
            || request.Headers.Cookie.Any(c => c is not null && c.Contains("forge_session", StringComparison.Ordinal)))
            return;
        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length < 2 || segments.Length > 200 || Forge.Core.Naming.NameRules.Reserved.Contains(segments[0])) return;
        var kind = segments.Length == 2 ? "home" : segments[2];
        if (kind != "home" && kind != "commit" && !RefKinds.Contains(kind)) return;

        var services = http.RequestServices;
        var repo = await services.GetRequiredService<RepositoryService>().FindStampAsync(segments[0], segments[1], ct);
        if (repo is null || repo.IsPrivate) return;
        var reader = services.GetRequiredService<GitReader>();
        var path = services.GetRequiredService<RepositoryStore>().PathOf(repo.Id);
        string? sha;
        if (kind == "home")
            sha = reader.HeadTip(path) ?? "empty";
        else if (kind == "commit")
            sha = segments.Length == 4 && segments[3].Length == 40 && segments[3].All(Uri.IsHexDigit) ? segments[3] : null;
        else
            sha = segments.Length > 3 ? reader.Resolve(path, segments[3..].Select(Uri.UnescapeDataString).ToArray())?.CommitSha : null;
        if (sha is null) return;

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["at"] = sha;
        context.CacheVaryByRules.VaryByValues["repo"] = $"{repo.Id}:{repo.UpdatedAt.Ticks}:{repo.DefaultBranch}:{repo.StarCount}";
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        // Only complete, successful, cookie-free answers are kept.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
