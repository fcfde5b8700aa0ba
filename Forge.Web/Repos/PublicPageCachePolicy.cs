using Forge.Git;
using Microsoft.AspNetCore.OutputCaching;

namespace Forge.Web.Repos;

/// <summary>
/// Whole-page cache for anonymous visitors of public repositories. A page is keyed by the commit it shows (the
/// branch is resolved to its current commit on every request), so a push never serves stale content, and by the
/// repository's settings stamp, so a rename, a new description or a change of visibility is seen at once.
/// Private repositories, signed-in visitors and anything but GET are never cached. Each language has its own copy.
/// </summary>
public sealed class PublicPageCachePolicy : IOutputCachePolicy
{
    private static readonly HashSet<string> RefKinds = ["tree", "blob", "raw", "commits", "blame"];

    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        context.EnableOutputCaching = false;
        if (await KeyAsync(context.HttpContext, ct) is not { } key) return;
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["at"] = key.Commit;
        context.CacheVaryByRules.VaryByValues["repo"] = key.Stamp;
        // The same page exists in each language of the interface (chosen by cookie or Accept-Language).
        context.CacheVaryByRules.VaryByValues["lang"] = SharedResource.Language;
    }

    /// <summary>What an anonymous public page depends on: the commit it shows and the repository's settings stamp.</summary>
    public sealed record PageKey(string Commit, string Stamp);

    /// <summary>
    /// The key of an anonymous GET of a public repository page, or null when the page must not be shared (private
    /// repository, signed-in visitor, not a repository page, unknown ref).
    /// </summary>
    public static async ValueTask<PageKey?> KeyAsync(HttpContext http, CancellationToken ct)
    {
        var request = http.Request;
        if (!HttpMethods.IsGet(request.Method) || http.User.Identity?.IsAuthenticated == true || request.Headers.Authorization.Count > 0
            || request.Headers.Cookie.Any(c => c is not null && c.Contains("forge_session", StringComparison.Ordinal)))
            return null;
        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length < 2 || segments.Length > 200 || Forge.Core.Naming.NameRules.Reserved.Contains(segments[0])) return null;
        var kind = segments.Length == 2 ? "home" : segments[2];
        if (kind != "home" && kind != "commit" && !RefKinds.Contains(kind)) return null;

        var services = http.RequestServices;
        var repo = await services.GetRequiredService<RepositoryService>().FindStampAsync(segments[0], segments[1], ct);
        if (repo is null || repo.IsPrivate) return null;
        var reader = services.GetRequiredService<GitReader>();
        var path = services.GetRequiredService<RepositoryStore>().PathOf(repo.Id);
        string? sha;
        if (kind == "home")
            sha = reader.HeadTip(path) ?? "empty";
        else if (kind == "commit")
            sha = segments.Length == 4 && segments[3].Length == 40 && segments[3].All(Uri.IsHexDigit) ? segments[3] : null;
        else
            sha = segments.Length > 3 ? reader.Resolve(path, segments[3..].Select(Uri.UnescapeDataString).ToArray())?.CommitSha : null;
        return sha is null ? null : new PageKey(sha, $"{repo.Id}:{repo.UpdatedAt.Ticks}:{repo.DefaultBranch}:{repo.StarCount}:{repo.ReviewCount}:{repo.RatingTenths}:{repo.Lineage}");
    }

    /// <summary>
    /// Conditional GET for the same pages, whether or not the page cache is on: an anonymous visitor's browser
    /// revalidates (<c>no-cache</c>) and gets <c>304 Not Modified</c>, without a byte of page, until the repository
    /// changes. The ETag covers the build, theme and language, so a new version of Forge never answers 304 with an old
    /// layout, nor a switch of language with the page in the other one.
    /// </summary>
    public static async Task ConditionalGetAsync(HttpContext http, Func<Task> next)
    {
        if (await KeyAsync(http, http.RequestAborted) is not { } key)
        {
            await next();
            return;
        }
        var settings = http.RequestServices.GetRequiredService<ForgeSettings>();
        var etag = $"W/\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{key.Commit}|{key.Stamp}|{BuildId}|{settings.Theme}|{SharedResource.Language}|{http.Request.Path}{http.Request.QueryString}")))[..20]}\"";
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, no-cache";
            http.Response.Headers.Append("Vary", VaryLanguage);
            return;
        }
        http.Response.OnStarting(() =>
        {
            var response = http.Response;
            if (response.StatusCode == StatusCodes.Status200OK && response.Headers.SetCookie.Count == 0 && !response.Headers.ContainsKey("Cache-Control"))
            {
                response.Headers.ETag = etag;
                response.Headers.CacheControl = "public, no-cache";
                response.Headers.Append("Vary", VaryLanguage);
            }
            return Task.CompletedTask;
        });
        await next();
    }

    /// <summary>Shared caches must keep one copy per language choice.</summary>
    private const string VaryLanguage = "Cookie, Accept-Language";

    private static readonly string BuildId = typeof(PublicPageCachePolicy).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        // Only complete, successful, cookie-free answers are kept.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || response.Headers.CacheControl.Any(v => v is not null && v.Contains("no-store", StringComparison.Ordinal)))
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
