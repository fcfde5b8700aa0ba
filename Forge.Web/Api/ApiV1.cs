using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Forge.Git;
using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// REST API v1. Paths and JSON shapes follow Gitea's API v1 so existing Gitea clients and scripts work.
/// Authentication is by header only (<c>Authorization: token …</c>, <c>Bearer …</c> or Basic): cookies are never
/// accepted here, so no cross-site request can act through the API.
/// </summary>
public static partial class ApiV1
{
    public static void MapApiV1(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/api/v1");
        root.MapGet("/version", () => Results.Json(new ApiVersion(typeof(ApiV1).Assembly.GetName().Version?.ToString(3) ?? "0.1.0"), ApiModels.Json))
            .WithName("getVersion").WithSummary("The server's version.").WithTags("misc").Produces<ApiVersion>();
        var api = root.MapGroup("").WithCommonErrors();
        MapRepositories(Area(api, "repos"));
        MapRepositorySettings(Area(api, "repos"));
        MapWatching(Area(api, "repos"));
        MapFiles(Area(api, "files"));
        MapGit(Area(api, "git"));
        MapSearch(Area(api, "search"));
        MapResources(Area(api, "resources"));
        MapReviews(Area(api, "resources"));
        MapCompliance(Area(api, "compliance"));
        MapStatuses(Area(api, "statuses"));
        MapPulls(Area(api, "pulls"));
        MapIssues(Area(api, "issues"));
        MapActivity(Area(api, "activity"));
        MapForks(Area(api, "repos"));
        MapOrgs(Area(api, "orgs"));
        MapInvitations(Area(api, "orgs"));
        MapAccount(Area(api, "user"));
        MapNotificationSettings(Area(api, "user"));
        MapSites(Area(api, "sites"));
        MapSiteHost(Area(api, "sites"));
        MapModules(Area(api, "modules"));
        MapModuleExports(Area(api, "modules"));
        MapClasses(Area(api, "classroom"));
        api.MapFallback((HttpContext context) => Error(StatusCodes.Status404NotFound, "Point d’accès inconnu.", context.Request)).ExcludeFromDescription();
    }

    /// <summary>The endpoints of one area of the API, under one tag of the OpenAPI description.</summary>
    private static RouteGroupBuilder Area(RouteGroupBuilder api, string tag) => api.MapGroup("").WithTags(tag);

    private static void MapRepositories(RouteGroupBuilder api)
    {
        api.MapGet("/user", (Delegate)GetCurrentUser).WithName("userGetCurrent").WithSummary("The caller (401 when anonymous).").WithTags("user")
            .Produces<ApiUser>();
        api.MapPost("/user/repos", CreateRepository).WithName("createCurrentUserRepo")
            .WithSummary("Creates a repository for the caller → 201; 409 if it exists; 422 for an invalid name or branch.")
            .Produces<ApiRepository>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet("/users/{username}", GetUser).WithName("userGet").WithSummary("A user or group the caller may see.").WithTags("user")
            .Produces<ApiUser>();
        api.MapGet("/users/{username}/repos", ListUserRepositories).WithName("userListRepos")
            .WithSummary("The repositories of a user or group that the caller may read.").Produces<List<ApiRepository>>();
        api.MapGet("/repos/{owner}/{repo}", GetRepository).WithName("repoGet").WithSummary("A repository (404 if missing or not readable).")
            .Produces<ApiRepository>();
        api.MapDelete("/repos/{owner}/{repo}", DeleteRepository).WithName("repoDelete").WithSummary("Deletes a repository (owner or admin) → 204.")
            .Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>Body of <c>POST /api/v1/user/repos</c>, as in Gitea's <c>CreateRepoOption</c>.</summary>
    public sealed record CreateRepoOption(string? Name, string? Description, bool? Private,
        [property: System.Text.Json.Serialization.JsonPropertyName("auto_init")] bool? AutoInit,
        [property: System.Text.Json.Serialization.JsonPropertyName("default_branch")] string? DefaultBranch);

    private static async Task<IResult> GetCurrentUser(HttpContext context)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        if (user is null) return Unauthorized(context);
        return Results.Json(ApiModels.User(user, context, includeEmail: true), ApiModels.Json);
    }

    private static async Task<IResult> GetUser(HttpContext context, string username, UserManager<ForgeUser> users)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var user = await users.FindByNameAsync(username);
        var viewer = await context.ViewerAsync(Principal(caller));
        if (user is null || (user.IsGroup && !Forge.Web.Groups.GroupService.CanSee(user, viewer))
            || !await Accounts.StudentRules.CanSeeProfileAsync(context.RequestServices.GetRequiredService<ForgeDbContext>(), user, viewer))
            return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        return Results.Json(ApiModels.User(user, context, includeEmail: caller?.Id == user.Id), ApiModels.Json);
    }

    private static async Task<IResult> CreateRepository(HttpContext context, CreateRepoOption? option, RepositoryService repositories, ContentService content)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        if (user is null) return Unauthorized(context);
        return await CreateRepositoryAsync(context, option, owner: user, author: user, repositories, content);
    }

    /// <summary>Creates a repository for <paramref name="owner"/> (the caller, or a group the caller may create repositories in).</summary>
    private static async Task<IResult> CreateRepositoryAsync(HttpContext context, CreateRepoOption? option, ForgeUser owner, ForgeUser author,
        RepositoryService repositories, ContentService content)
    {
        if (option is null) return Error(StatusCodes.Status422UnprocessableEntity, "Corps JSON attendu : {\"name\": \"…\"}.", context.Request);
        if (option.DefaultBranch is { Length: > 0 } branch && !GitWriter.IsValidBranchName(branch))
            return Error(StatusCodes.Status422UnprocessableEntity, $"« {branch} » n’est pas un nom de branche valide.", context.Request);
        var (repo, error) = await repositories.CreateAsync(owner, option.Name, option.Description, option.Private ?? false, context.RequestAborted,
            string.IsNullOrEmpty(option.DefaultBranch) ? null : option.DefaultBranch);
        if (error is not null)
            return Error(error.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity, error.Message, context.Request);
        await context.RequestServices.GetRequiredService<Activity.ActivityService>()
            .RecordAsync(author.Id, repo!.Id, ActivityKind.CreateRepository, ct: context.RequestAborted);
        var empty = true;
        if (option.AutoInit == true) empty = !(await content.InitializeAsync(repo!, author, context.RequestAborted)).Ok;
        return Results.Json(ApiModels.Repository(repo!, context, empty), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetRepository(HttpContext context, string owner, string repo, RepositoryService repositories, GitReader reader,
        RepositoryStore store, Forks.ForkService forks)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var facts = await ForkFactsAsync(context, entity!, viewer, forks, reader, store);
        return Results.Json(ApiModels.Repository(entity!, context, reader.IsEmpty(store.PathOf(entity!.Id)), viewer, facts,
            await RepositorySettingsAsync(context, entity!)), ApiModels.Json);
    }

    private static async Task<IResult> DeleteRepository(HttpContext context, string owner, string repo, RepositoryService repositories)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!viewer.IsSignedIn) return Unauthorized(context);
        if (!RepositoryService.IsOwnerOrAdmin(entity!, viewer))
            return Error(StatusCodes.Status403Forbidden, "Seul le propriétaire peut supprimer ce dépôt.", context.Request);
        await repositories.DeleteAsync(entity!, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ListUserRepositories(HttpContext context, string username, UserManager<ForgeUser> users,
        RepositoryService repositories, RepositoryStore store, GitReader reader)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var owner = await users.FindByNameAsync(username);
        var viewer = await context.ViewerAsync(Principal(caller));
        if (owner is null || (owner.IsGroup && !Forge.Web.Groups.GroupService.CanSee(owner, viewer)))
            return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        var list = await repositories.ListVisibleAsync(owner.Id, viewer, context.RequestAborted);
        return Results.Json(list.Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer)), ApiModels.Json);
    }

    private static async Task<(RepositoryEntity? Repo, Viewer Viewer, IResult? Failure)> ReadableAsync(HttpContext context, string owner, string repo,
        RepositoryService repositories)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return (null, Viewer.Anonymous, failure);
        var viewer = await context.ViewerAsync(Principal(user));
        var entity = await repositories.FindAsync(owner, repo, context.RequestAborted);
        if (entity is null || !RepositoryService.CanRead(entity, viewer))
            return (null, viewer, Error(StatusCodes.Status404NotFound, "Dépôt introuvable.", context.Request));
        return (entity, viewer, null);
    }

    private static ClaimsPrincipal Principal(ForgeUser? user) =>
        user is null ? new ClaimsPrincipal()
            : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())], TokenAuthenticationHandler.SchemeName));

    /// <summary>The caller from the Authorization header; a present but wrong header is an error, never anonymous.</summary>
    private static async Task<(ForgeUser? User, IResult? Failure)> AuthenticateAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (result.Failure is not null)
            return (null, Error(StatusCodes.Status401Unauthorized, TokenAuthenticationHandler.IsExplained(result.Failure.Message)
                ? result.Failure.Message : "Jeton ou identifiants invalides.", context.Request));
        if (Forge.Web.OpenId.ForgeScopes.ApiProblem(result.Principal, context.Request.Method) is { } scopeProblem)
            return (null, Error(StatusCodes.Status403Forbidden, scopeProblem, context.Request));
        var id = result.Principal?.UserId();
        if (id is null) return (null, null);
        var user = await context.RequestServices.GetRequiredService<ForgeDbContext>().Users.FirstOrDefaultAsync(u => u.Id == id);
        return (user, null);
    }

    private static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Forge\"";
        return Error(StatusCodes.Status401Unauthorized, "Authentification requise : en-tête « Authorization: token <jeton> ».", context.Request);
    }

    /// <summary>Gitea's error shape: <c>{"message": …, "url": …}</c>.</summary>
    public static IResult Error(int status, string message, HttpRequest request) =>
        Results.Json(new ApiError(message, $"{request.Scheme}://{request.Host}/api/swagger"), ApiModels.Json, statusCode: status);
}
