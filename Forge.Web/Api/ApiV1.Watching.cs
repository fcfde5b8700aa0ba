using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>
/// Watching a repository (« Suivre ») with Gitea's paths and shapes: <c>/repos/{owner}/{repo}/subscription</c> for the
/// caller, <c>/repos/{owner}/{repo}/subscribers</c> for everyone who reads the repository. The same service as the button.
/// </summary>
public static partial class ApiV1
{
    /// <summary>
    /// Gitea's <c>WatchInfo</c>. Forge keeps no date of subscription: <c>created_at</c> is the repository's creation, as
    /// Gitea itself answers; <c>reason</c> is always null and <c>ignored</c> false (Forge has no « ignore »).
    /// </summary>
    public sealed record ApiWatchInfo(bool Subscribed, bool Ignored, object? Reason, DateTime CreatedAt, string Url, string RepositoryUrl);

    private static void MapWatching(RouteGroupBuilder api)
    {
        const string subscription = "/repos/{owner}/{repo}/subscription";
        api.MapGet(subscription, GetSubscription).WithName("userCurrentCheckSubscription")
            .WithSummary("Whether the caller watches the repository: 200 with `subscribed: true`, 404 if not.").Produces<ApiWatchInfo>();
        api.MapPut(subscription, (HttpContext c, string owner, string repo, RepositoryService r, NotificationService n) => SetSubscription(c, owner, repo, r, n, true))
            .WithName("userCurrentPutSubscription").WithSummary("Watches the repository (anyone signed in who reads it): told of new issues, comments and merge requests → 200.")
            .Produces<ApiWatchInfo>();
        api.MapDelete(subscription, (HttpContext c, string owner, string repo, RepositoryService r, NotificationService n) => SetSubscription(c, owner, repo, r, n, false))
            .WithName("userCurrentDeleteSubscription").WithSummary("Stops watching the repository → 204.").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/repos/{owner}/{repo}/subscribers", ListSubscribers).WithName("repoListSubscribers")
            .WithSummary("The people watching the repository (a student's account only for those who may see it), by name.").Produces<List<ApiUser>>();
    }

    private static ApiWatchInfo WatchInfo(HttpContext context, RepositoryEntity repo)
    {
        var api = $"{context.Request.Scheme}://{context.Request.Host}/api/v1/repos/{ApiModels.EscapePath($"{repo.Owner.UserName}/{repo.Name}")}";
        return new ApiWatchInfo(true, false, null, DateTime.SpecifyKind(repo.CreatedAt, DateTimeKind.Utc), api + "/subscription", api);
    }

    private static async Task<IResult> GetSubscription(HttpContext context, string owner, string repo, RepositoryService repositories, NotificationService notifications)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (viewer.UserId is not { } me) return Unauthorized(context);
        return await notifications.IsWatchingAsync(me, entity!.Id, context.RequestAborted)
            ? Results.Json(WatchInfo(context, entity), ApiModels.Json)
            : Error(StatusCodes.Status404NotFound, "Vous ne suivez pas ce dépôt.", context.Request);
    }

    private static async Task<IResult> SetSubscription(HttpContext context, string owner, string repo, RepositoryService repositories,
        NotificationService notifications, bool watch)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (viewer.UserId is not { } me) return Unauthorized(context);
        await notifications.SetWatchingAsync(me, entity!.Id, watch, context.RequestAborted);
        return watch ? Results.Json(WatchInfo(context, entity), ApiModels.Json) : Results.NoContent();
    }

    private static async Task<IResult> ListSubscribers(HttpContext context, string owner, string repo, RepositoryService repositories,
        NotificationService notifications, ForgeDbContext db)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var visible = new List<ApiUser>();
        foreach (var user in await notifications.WatcherAccountsAsync(entity!.Id, context.RequestAborted))
            if (await Accounts.StudentRules.CanSeeProfileAsync(db, user, viewer, context.RequestAborted))
                visible.Add(ApiModels.User(user, context, includeEmail: false));
        return Results.Json(visible, ApiModels.Json);
    }
}
