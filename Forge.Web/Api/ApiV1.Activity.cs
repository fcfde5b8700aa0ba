using Forge.Git;
using Forge.Web.Activity;
using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Pages.Owner;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Api;

/// <summary>
/// Activity feeds (Gitea's <c>/users/{username}/activities/feeds</c>, <c>/orgs/{org}/activities/feeds</c>,
/// <c>/repos/{owner}/{repo}/activities/feeds</c>, with Gitea's <c>Activity</c>) and the caller's notifications (Gitea's
/// <c>/notifications</c> with <c>NotificationThread</c>). The same rules as the pages: only events of repositories the caller
/// may read; a student's activity only for those who may see the student.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>op_type</c> for each kind of event (a fork is a <c>create_repo</c>, as in Gitea).</summary>
    public static string OpType(ActivityKind kind) => kind switch
    {
        ActivityKind.CreateRepository or ActivityKind.ForkRepository => "create_repo",
        ActivityKind.Push => "commit_repo",
        ActivityKind.DeleteBranch => "delete_branch",
        ActivityKind.PushTag => "push_tag",
        ActivityKind.CreateIssue => "create_issue",
        ActivityKind.CloseIssue => "close_issue",
        ActivityKind.ReopenIssue => "reopen_issue",
        ActivityKind.CommentIssue => "comment_issue",
        ActivityKind.CreateMergeRequest => "create_pull_request",
        ActivityKind.MergeMergeRequest => "merge_pull_request",
        ActivityKind.CloseMergeRequest => "close_pull_request",
        ActivityKind.ReopenMergeRequest => "reopen_pull_request",
        _ => "comment_pull",
    };

    /// <summary>Gitea's <c>Activity</c>: <c>content</c> is <c>number|title</c> for issues and requests, a push's commits as JSON text.</summary>
    public sealed record ApiActivity
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string OpType { get; init; } = "";
        public long ActUserId { get; init; }
        public required ApiUser ActUser { get; init; }
        public long RepoId { get; init; }
        public required ApiRepository Repo { get; init; }
        public long CommentId { get; init; }
        public object? Comment { get; init; }
        public string RefName { get; init; } = "";
        public bool IsPrivate { get; init; }
        public string Content { get; init; } = "";
        public DateTime Created { get; init; }
    }

    /// <summary>The repository of a notification, as in Gitea's <c>NotificationThread</c>.</summary>
    public sealed record ApiNotificationRepository(long Id, string Name, string FullName, bool Private, ApiUser Owner, string HtmlUrl);

    /// <summary>Gitea's <c>NotificationSubject</c>: <c>type</c> is <c>Issue</c> or <c>Pull</c>.</summary>
    public sealed record ApiNotificationSubject
    {
        public string Title { get; init; } = "";
        public string Url { get; init; } = "";
        public string HtmlUrl { get; init; } = "";
        public string LatestCommentUrl { get; init; } = "";
        public string LatestCommentHtmlUrl { get; init; } = "";
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
    }

    /// <summary>Gitea's <c>NotificationThread</c>.</summary>
    public sealed record ApiNotificationThread
    {
        public long Id { get; init; }
        public required ApiNotificationRepository Repository { get; init; }
        public required ApiNotificationSubject Subject { get; init; }
        public bool Unread { get; init; }
        public bool Pinned { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string Url { get; init; } = "";
    }

    /// <summary>Gitea's <c>NotificationCount</c>.</summary>
    public sealed record ApiNotificationCount(int New);

    private static void MapActivity(RouteGroupBuilder api)
    {
        const string feedParameters = " `date` (YYYY-MM-DD, UTC) keeps one day; `page`, `limit` (≤ 50). Only events of repositories the caller may read.";
        api.MapGet("/users/{username}/activities/feeds", UserFeeds).WithName("userListActivityFeeds")
            .WithSummary("What a user did (a group: what happened in its repositories)." + feedParameters + " A student's activity is 404 to strangers, as the profile.")
            .Produces<List<ApiActivity>>().Errors(422);
        api.MapGet("/orgs/{org}/activities/feeds", OrgFeeds).WithName("orgListActivityFeeds")
            .WithSummary("What happened in a group's repositories." + feedParameters)
            .Produces<List<ApiActivity>>().Errors(422);
        api.MapGet("/repos/{owner}/{repo}/activities/feeds", RepositoryFeeds).WithName("repoListActivityFeeds")
            .WithSummary("What happened in a repository." + feedParameters)
            .Produces<List<ApiActivity>>().Errors(422);
        api.MapGet("/notifications", ListNotifications).WithName("notifyGetList")
            .WithSummary("The caller's notifications (`NotificationThread`), newest first: unread only unless `all=true` (or `status-types=read`); only of repositories the caller may still read; `page` (50 a page).")
            .Produces<List<ApiNotificationThread>>();
        api.MapPut("/notifications", MarkAllNotificationsRead).WithName("notifyReadList")
            .WithSummary("Marks the caller's unread notifications read (those made up to `last_read_at`, when given) → 205.")
            .Produces(StatusCodes.Status205ResetContent);
        api.MapGet("/notifications/new", CountNewNotifications).WithName("notifyNewAvailable").WithSummary("`{\"new\": n}`: the caller's unread notifications.")
            .Produces<ApiNotificationCount>();
        api.MapGet("/notifications/threads/{id:long}", GetNotification).WithName("notifyGetThread").WithSummary("One of the caller's notifications; 404 for anyone else's.")
            .Produces<ApiNotificationThread>();
        api.MapPatch("/notifications/threads/{id:long}", MarkNotification).WithName("notifyReadThread")
            .WithSummary("Marks one notification read (`to-status=read`, the default) or unread (`to-status=unread`) → 205 (no body).")
            .Produces(StatusCodes.Status205ResetContent).Errors(422);
    }

    private static async Task<(Viewer Viewer, ForgeUser? Caller, IResult? Failure)> CallerAsync(HttpContext context)
    {
        var (user, failure) = await AuthenticateAsync(context);
        return failure is not null ? (Viewer.Anonymous, null, failure) : (await context.ViewerAsync(Principal(user)), user, null);
    }

    private static async Task<IResult> UserFeeds(HttpContext context, string username, string? date, int? page, int? limit,
        UserManager<ForgeUser> users, ForgeDbContext db, ActivityService activity, GitReader reader, RepositoryStore store)
    {
        var (viewer, _, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        var owner = await ActivityModel.VisibleOwnerAsync(users, db, username, viewer, context.RequestAborted);
        if (owner is null) return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        return await FeedsAsync(context, owner.Id, ActivityModel.ScopeOf(owner), date, page, limit, viewer, activity, reader, store);
    }

    private static async Task<IResult> OrgFeeds(HttpContext context, string org, string? date, int? page, int? limit,
        Groups.GroupService groups, ActivityService activity, GitReader reader, RepositoryStore store)
    {
        var (viewer, _, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        var group = await groups.FindVisibleAsync(org, viewer, context.RequestAborted);
        if (group is null) return Error(StatusCodes.Status404NotFound, "Groupe introuvable.", context.Request);
        return await FeedsAsync(context, group.Id, new ActivityScope(OwnerId: group.Id), date, page, limit, viewer, activity, reader, store);
    }

    private static async Task<IResult> RepositoryFeeds(HttpContext context, string owner, string repo, string? date, int? page, int? limit,
        RepositoryService repositories, ActivityService activity, GitReader reader, RepositoryStore store)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        return await FeedsAsync(context, entity!.OwnerId, new ActivityScope(RepositoryId: entity.Id), date, page, limit, viewer, activity, reader, store);
    }

    private static async Task<IResult> FeedsAsync(HttpContext context, long receiverId, ActivityScope scope, string? date, int? page, int? limit, Viewer viewer,
        ActivityService activity, GitReader reader, RepositoryStore store)
    {
        if (date is { Length: > 0 })
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day))
                return Error(StatusCodes.Status422UnprocessableEntity, $"« {date} » n’est pas une date au format AAAA-MM-JJ.", context.Request);
            scope = scope with { Day = day };
        }
        var (p, l) = Paging(page, limit, fallback: 30, max: 50);
        var list = await activity.ListAsync(scope, viewer, p, context.RequestAborted, l);
        PageHeaders(context, p, l, list.Count > l);
        var empty = new Dictionary<long, bool>();
        return Results.Json(list.Take(l).Select(e =>
        {
            if (!empty.TryGetValue(e.RepositoryId, out var isEmpty)) empty[e.RepositoryId] = isEmpty = reader.IsEmpty(store.PathOf(e.RepositoryId));
            return new ApiActivity
            {
                Id = e.Id,
                UserId = receiverId,
                OpType = OpType(e.Kind),
                ActUserId = e.ActorId,
                ActUser = ApiModels.User(e.Actor, context, includeEmail: false),
                RepoId = e.RepositoryId,
                Repo = ApiModels.Repository(e.Repository, context, isEmpty),
                CommentId = 0,
                Comment = null,
                RefName = e.RefName ?? "",
                IsPrivate = e.Repository.IsPrivate || e.Repository.Owner.Visibility != AccountVisibility.Public,
                Content = GiteaContent(e),
                Created = AsUtc(e.CreatedAt),
            };
        }).ToList(), ApiModels.Json);
    }

    /// <summary>Gitea's <c>content</c>: <c>number|title</c> for issues and requests; for a push, the commits as Gitea's <c>PushCommits</c> JSON.</summary>
    private static string GiteaContent(ActivityEvent e)
    {
        if (e.Number is { } n) return $"{n}|{e.Content}";
        if (e.Kind != ActivityKind.Push) return "";
        var commits = ActivityService.Describe(e).Commits;
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            Commits = commits.Select(c => new { Sha1 = c.Sha, Message = c.Subject }),
            HeadCommit = commits.Count > 0 ? new { Sha1 = commits[0].Sha, Message = commits[0].Subject } : null,
            Len = e.CommitCount,
        });
    }

    private static ApiNotificationThread NotificationJson(HttpContext context, Notification n)
    {
        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
        var full = $"{n.Repository.Owner.UserName}/{n.Repository.Name}";
        return new ApiNotificationThread
        {
            Id = n.Id,
            Repository = new ApiNotificationRepository(n.Repository.Id, n.Repository.Name, full, n.Repository.IsPrivate,
                ApiModels.User(n.Repository.Owner, context, includeEmail: false), $"{baseUrl}/{full}"),
            Subject = new ApiNotificationSubject
            {
                Title = n.Title,
                Url = $"{baseUrl}/api/v1/repos/{ApiModels.EscapePath(full)}/{(n.IsMergeRequest ? "pulls" : "issues")}/{n.Number}",
                HtmlUrl = baseUrl + NotificationService.UrlOf(n),
                LatestCommentUrl = "",
                LatestCommentHtmlUrl = "",
                Type = n.IsMergeRequest ? "Pull" : "Issue",
                State = "",
            },
            Unread = !n.IsRead,
            Pinned = false,
            UpdatedAt = AsUtc(n.CreatedAt),
            Url = $"{baseUrl}/api/v1/notifications/threads/{n.Id}",
        };
    }

    private static async Task<IResult> ListNotifications(HttpContext context, bool? all, int? page, [FromQuery(Name = "status-types")] string[]? statusTypes,
        NotificationService notifications)
    {
        var (viewer, caller, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        var everything = all == true || statusTypes?.Any(s => s.Equals("read", StringComparison.OrdinalIgnoreCase)) == true;
        var p = Math.Max(page ?? 1, 1);
        var list = await notifications.ListAsync(viewer, !everything, p, context.RequestAborted);
        PageHeaders(context, p, NotificationService.PageSize, list.Count > NotificationService.PageSize);
        return Results.Json(list.Take(NotificationService.PageSize).Select(n => NotificationJson(context, n)), ApiModels.Json);
    }

    private static async Task<IResult> MarkAllNotificationsRead(HttpContext context, [FromQuery(Name = "last_read_at")] DateTimeOffset? lastReadAt,
        NotificationService notifications)
    {
        var (_, caller, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        await notifications.MarkAllReadAsync(caller.Id, lastReadAt?.UtcDateTime, context.RequestAborted);
        return Results.StatusCode(StatusCodes.Status205ResetContent);
    }

    private static async Task<IResult> CountNewNotifications(HttpContext context, NotificationService notifications)
    {
        var (viewer, caller, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        return Results.Json(new ApiNotificationCount(await notifications.UnreadCountAsync(viewer, context.RequestAborted)), ApiModels.Json);
    }

    private static async Task<IResult> GetNotification(HttpContext context, long id, NotificationService notifications)
    {
        var (viewer, caller, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        var n = await notifications.FindAsync(viewer, id, context.RequestAborted);
        return n is null ? Error(StatusCodes.Status404NotFound, "Notification introuvable.", context.Request) : Results.Json(NotificationJson(context, n), ApiModels.Json);
    }

    private static async Task<IResult> MarkNotification(HttpContext context, long id, [FromQuery(Name = "to-status")] string? toStatus, NotificationService notifications)
    {
        var (viewer, caller, failure) = await CallerAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        if (toStatus is not (null or "" or "read" or "unread"))
            return Error(StatusCodes.Status422UnprocessableEntity, "`to-status` vaut « read » ou « unread » (les notifications épinglées n’existent pas dans Forge).", context.Request);
        var n = await notifications.FindAsync(viewer, id, context.RequestAborted);
        if (n is null) return Error(StatusCodes.Status404NotFound, "Notification introuvable.", context.Request);
        await notifications.SetReadAsync(n, toStatus != "unread", context.RequestAborted);
        // Gitea sends the thread with its 205; HTTP (and Kestrel) allow no body with 205 Reset Content.
        return Results.StatusCode(StatusCodes.Status205ResetContent);
    }
}
