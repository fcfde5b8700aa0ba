using System.Text.RegularExpressions;

namespace Forge.Web.Sites;

/// <summary>
/// Course sites on their own host names, GitLab Pages style: with <c>Forge:Sites:Domain</c> = <c>sites.forge.example</c>, the
/// site of <c>alice/cours</c> is also at <c>http://alice.sites.forge.example/cours/</c>. A site host is another origin than
/// Forge's: it serves only published sites (and Forge's static assets they use), always as an anonymous visitor — cookies and
/// credentials sent to it are dropped before authentication and no cookie is ever set — so private sites are not served
/// there (they stay on the main host, behind sign-in), nor previews, build logs or any other page of Forge.
/// </summary>
public static partial class SiteHosts
{
    private const string BaseKey = "forge:site-host-base";

    /// <summary>The domain under which each owner has a host name (<c>Forge:Sites:Domain</c>), lower case, or null.</summary>
    public static string? Domain(IConfiguration configuration) =>
        configuration["Forge:Sites:Domain"]?.Trim().Trim('.').ToLowerInvariant() is { Length: > 0 } d ? d : null;

    /// <summary>The base URL of the published site on this request's site host (<c>/cours/</c>), or null on Forge's own host.</summary>
    public static string? SiteBase(HttpContext context) => context.Items[BaseKey] as string;

    public static bool IsSiteHost(HttpContext context) => SiteBase(context) is not null;

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}$")]
    private static partial Regex Label();

    /// <summary>One line in <see cref="ForgeApp"/>, before static files, localisation and authentication.</summary>
    public static void UseSiteHosts(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var domain = Domain(configuration);
        // Forge's own host name, when known (Forge:PublicUrl): never a site's.
        var main = Uri.TryCreate(configuration["Forge:PublicUrl"], UriKind.Absolute, out var publicUrl) ? publicUrl.Host.TrimEnd('.').ToLowerInvariant() : null;
        var cache = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>();
        app.Use((context, next) => RouteAsync(context, next, domain, main, cache));
    }

    private static async Task RouteAsync(HttpContext context, Func<Task> next, string? domain, string? main,
        Microsoft.Extensions.Caching.Memory.IMemoryCache cache)
    {
        var requested = context.Request.Host.Host;
        // Forge's own host, as configured: nothing to look up, nothing allocated.
        if (main is not null && requested.Length == main.Length && requested.Equals(main, StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }
        var host = requested.TrimEnd('.').ToLowerInvariant();
        var underDomain = domain is not null && (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal));
        // A repository's own host name (SiteHostService), looked up once per 30 s and host: the memory first (Forge's own host
        // name is remembered as no site's), the database — a scoped context — only on a miss.
        (string Owner, string Name)? custom = null;
        if (!underDomain && SiteHostService.CanBeSiteHost(host) && !SiteHostService.TryRemembered(cache, host, out custom))
            custom = await context.RequestServices.GetRequiredService<SiteHostService>().ResolveAsync(host, context.RequestAborted);
        if (!underDomain && custom is null)
        {
            await next();
            return;
        }
        var request = context.Request;
        // Another origin: whatever credentials a browser or a script sends here are not Forge's to honour.
        request.Headers.Remove("Cookie");
        request.Headers.Remove("Authorization");
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Remove("Set-Cookie");
            return Task.CompletedTask;
        });
        // The error page re-executed for a 404 of this same request.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null || request.Path.StartsWithSegments(Rendering.Assets.RequestPath))
        {
            await next();
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        string owner, repo, rest, siteBase;
        var path = (request.Path.Value ?? "/").TrimStart('/');
        if (custom is { } site)
        {
            // cours.lycee-x.fr/… is the site itself.
            (owner, repo, rest, siteBase) = (site.Owner, site.Name, path, "/");
        }
        else
        {
            owner = host.Length > domain!.Length ? host[..^(domain.Length + 1)] : "";
            var segments = path.Split('/', 2);
            repo = segments[0];
            if (!Label().IsMatch(owner) || owner.Contains('.') || repo.Length == 0 || repo.StartsWith('-'))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (segments.Length == 1)
            {
                // /cours → /cours/ (relative links of the site resolve from its folder).
                context.Response.Redirect("/" + Uri.EscapeDataString(repo) + "/" + request.QueryString);
                return;
            }
            (rest, siteBase) = (segments[1], "/" + Uri.EscapeDataString(repo) + "/");
        }
        // Only the published site and its search: no preview, no build log.
        if (rest.StartsWith("-/", StringComparison.Ordinal) && rest != "-/search")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Items[BaseKey] = siteBase;
        request.Path = new PathString($"/{owner}/{repo}/site/{rest}");
        await next();
    }
}
