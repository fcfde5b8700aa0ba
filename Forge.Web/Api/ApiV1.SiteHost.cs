using Forge.Web.Repos;
using Forge.Web.Sites;

namespace Forge.Web.Api;

/// <summary>A course site's own host name through the API (Forge's own), as on the « Site du cours » settings page.</summary>
public static partial class ApiV1
{
    /// <summary>Body of <c>PUT /repos/{owner}/{repo}/site/host</c>.</summary>
    public sealed record SiteHostOption(string? Host);

    private static void MapSiteHost(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/site/host", GetSiteHost).WithName("forgeGetSiteHost")
            .WithSummary("Forge's own: the course site's host name (`host`, null when none) and its address on the instance's site domain (`domain_url`); maintainers.")
            .Produces<ApiSiteHost>();
        api.MapPut("/repos/{owner}/{repo}/site/host", PutSiteHost).Accepts<SiteHostOption>("application/json").WithName("forgeSetSiteHost")
            .WithSummary("Forge's own, maintainers: gives the site a host name of its own (`host`, e.g. `cours.lycee-x.fr`; point a DNS CNAME at Forge) → 200; 422 with the reason (invalid, taken, Forge's own name).")
            .Produces<ApiSiteHost>().Errors(422);
        api.MapDelete("/repos/{owner}/{repo}/site/host", DeleteSiteHost).WithName("forgeDeleteSiteHost")
            .WithSummary("Forge's own, maintainers: removes the site's host name → 204.")
            .Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<(RepoContext? Repo, IResult? Failure)> SiteAdminAsync(HttpContext context, string owner, string repo, RepositoryService repositories)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, failure);
        if (!r!.Viewer.IsSignedIn) return (null, Unauthorized(context));
        if (!r.CanAdmin) return (null, Error(StatusCodes.Status403Forbidden, "Seuls les mainteneurs du dépôt choisissent le nom d’hôte de son site.", context.Request));
        return (r, null);
    }

    /// <summary>The site's own host name (null when none) and its address on the instance's site domain (null when there is none, or the site is not public).</summary>
    public sealed record ApiSiteHost(string? Host, string? DomainUrl);

    private static async Task<ApiSiteHost> SiteHostJson(HttpContext context, RepoContext r, SiteHostService hosts) => new(
        await hosts.HostOfAsync(r.Repository.Id, context.RequestAborted),
        SiteHosts.Domain(context.RequestServices.GetRequiredService<IConfiguration>()) is { } d && RepositoryService.IsPublicToAll(r.Repository)
            ? $"http://{r.Owner.ToLowerInvariant()}.{d}/{Uri.EscapeDataString(r.Name)}/" : null);

    private static async Task<IResult> GetSiteHost(HttpContext context, string owner, string repo, RepositoryService repositories, SiteHostService hosts)
    {
        var (r, failure) = await SiteAdminAsync(context, owner, repo, repositories);
        return failure ?? Results.Json(await SiteHostJson(context, r!, hosts), ApiModels.Json);
    }

    private static async Task<IResult> PutSiteHost(HttpContext context, string owner, string repo, SiteHostOption body, RepositoryService repositories, SiteHostService hosts)
    {
        var (r, failure) = await SiteAdminAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (string.IsNullOrWhiteSpace(body.Host)) return Error(StatusCodes.Status422UnprocessableEntity, "Indiquez « host » (ou utilisez DELETE pour le retirer).", context.Request);
        if (await hosts.SetAsync(r!.Repository, body.Host, context.Request.Host.Host, context.RequestAborted) is { } error)
            return Error(StatusCodes.Status422UnprocessableEntity, error, context.Request);
        return Results.Json(await SiteHostJson(context, r, hosts), ApiModels.Json);
    }

    private static async Task<IResult> DeleteSiteHost(HttpContext context, string owner, string repo, RepositoryService repositories, SiteHostService hosts)
    {
        var (r, failure) = await SiteAdminAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        await hosts.SetAsync(r!.Repository, null, context.Request.Host.Host, context.RequestAborted);
        return Results.NoContent();
    }
}
