using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Activity;

/// <summary>Whose activity: what a person did (<see cref="ActorId"/>), what happened in a group's repositories (<see cref="OwnerId"/>), or in one repository.</summary>
public sealed record ActivityScope(long? ActorId = null, long? OwnerId = null, long? RepositoryId = null, DateOnly? Day = null);

/// <summary>One event as pages and feeds tell it: « alice » + phrase + target (a link), then a title or the commits pushed.</summary>
public sealed record ActivityLine(string Phrase, string Target, string TargetUrl, string? Title, IReadOnlyList<(string Sha, string Subject)> Commits);

/// <summary>
/// The activity feeds: events are written where things happen (pushes over git and the web editor, repositories created and
/// forked, issues and merge requests opened, commented, closed, reopened and merged) and read back filtered for the viewer:
/// only events of repositories the viewer may read (<see cref="RepositoryService.ReadableBy"/>, groups included), and a
/// student's events only for those who may see the student's profile (<see cref="Accounts.StudentRules"/>: themself, admins,
/// members of a shared group that is not a class, and the teachers of a class they are in — classmates do not see each other). Deleting a repository deletes its events (foreign key).
/// </summary>
public sealed class ActivityService(ForgeDbContext db, GitReader reader, RepositoryStore store, ILogger<ActivityService> log)
{
    public const int PageSize = 20;
    private const int MaxCommitsShown = 5;

    public async Task RecordAsync(long actorId, long repositoryId, ActivityKind kind, int? number = null, string? content = null, CancellationToken ct = default)
    {
        Stage(actorId, repositoryId, kind, number, content);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds an event to the context without saving: it is written with the caller's next save, with what it tells.</summary>
    public void Stage(long actorId, long repositoryId, ActivityKind kind, int? number = null, string? content = null) =>
        db.Add(new ActivityEvent { ActorId = actorId, RepositoryId = repositoryId, Kind = kind, Number = number, Content = Cut(content) });

    /// <summary>
    /// Records the ref updates of a push (git or web) that really happened — a partly refused push records only the refs
    /// that moved to what was sent. Never fails the push: a problem is logged.
    /// </summary>
    public async Task PushedAsync(RepositoryEntity repo, long? actorId, IReadOnlyList<RefUpdate> updates, CancellationToken ct = default)
    {
        if (actorId is not { } actor || updates.Count == 0) return;
        try
        {
            var path = store.PathOf(repo.Id);
            foreach (var u in updates.Take(20))
            {
                var now = reader.RefTarget(path, u.RefName);
                var deleted = u.NewSha == RefUpdate.ZeroSha;
                if (deleted ? now is not null : now != u.NewSha) continue;
                var e = new ActivityEvent { ActorId = actor, RepositoryId = repo.Id, RefName = u.RefName, Sha = deleted ? u.OldSha : u.NewSha };
                if (u.RefName.StartsWith("refs/tags/", StringComparison.Ordinal))
                {
                    if (deleted) continue;
                    e.Kind = ActivityKind.PushTag;
                }
                else if (!u.RefName.StartsWith("refs/heads/", StringComparison.Ordinal)) continue;
                else if (deleted) e.Kind = ActivityKind.DeleteBranch;
                else
                {
                    var commits = reader.CommitsPushed(path, u.OldSha, u.NewSha, u.RefName, MaxCommitsShown);
                    if (commits is null) continue;
                    (e.Kind, e.CommitCount) = (ActivityKind.Push, commits.Count);
                    e.Content = Cut(string.Join('\n', commits.Newest.Select(c => $"{c.Sha} {c.Subject}")));
                }
                db.Add(e);
            }
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Activity of a push to repository {Id} not recorded", repo.Id);
        }
    }

    /// <summary>Events of <paramref name="scope"/> the viewer may see, newest first; one more than a page tells that another page exists.</summary>
    public Task<List<ActivityEvent>> ListAsync(ActivityScope scope, Viewer viewer, int page, CancellationToken ct, int pageSize = PageSize)
    {
        var query = db.Set<ActivityEvent>().AsNoTracking().Include(e => e.Actor).Include(e => e.Repository).ThenInclude(r => r.Owner).AsQueryable();
        if (scope.ActorId is { } actor) query = query.Where(e => e.ActorId == actor);
        if (scope.OwnerId is { } owner) query = query.Where(e => e.Repository.OwnerId == owner);
        if (scope.RepositoryId is { } repository) query = query.Where(e => e.RepositoryId == repository);
        if (scope.Day is { } day)
        {
            var (from, to) = (day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            query = query.Where(e => e.CreatedAt >= from && e.CreatedAt < to);
        }
        var readable = db.Repositories.Where(RepositoryService.ReadableBy(viewer));
        query = query.Where(e => readable.Any(r => r.Id == e.RepositoryId));
        if (!viewer.IsAdmin)
        {
            var me = viewer.UserId ?? -1;
            // As for profiles (StudentRules.CanSeeProfileAsync): a class shows its pupils to its teachers only, not to classmates.
            var taught = viewer.GroupRoles.Where(r => r.Value >= GroupRole.Maintainer).Select(r => r.Key).ToList();
            query = query.Where(e => e.Actor.Role != InstanceRole.Student || e.Actor.IsAdmin || e.ActorId == me
                || db.GroupMembers.Any(m => m.UserId == e.ActorId && (m.Group.IsClass
                    ? taught.Contains(m.GroupId)
                    : db.GroupMembers.Any(o => o.GroupId == m.GroupId && o.UserId == me))));
        }
        return query.OrderByDescending(e => e.Id).Skip((Math.Clamp(page, 1, 10_000) - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct);
    }

    /// <summary>The event in the current UI language (French by default): the phrase after the actor's name, the target and details.</summary>
    public static ActivityLine Describe(ActivityEvent e)
    {
        var repo = $"{e.Repository.Owner.UserName}/{e.Repository.Name}";
        var repoUrl = "/" + repo;
        var branch = e.RefName?.StartsWith("refs/heads/", StringComparison.Ordinal) == true ? e.RefName["refs/heads/".Length..]
            : e.RefName?.StartsWith("refs/tags/", StringComparison.Ordinal) == true ? e.RefName["refs/tags/".Length..] : e.RefName ?? "";
        string T(string french) => SharedResource.T(french);
        string F(string french, params object[] args) => string.Format(System.Globalization.CultureInfo.CurrentCulture, T(french), args);
        ActivityLine Line(string phrase, string target, string url, string? title = null) => new(phrase, target, url, title, []);
        var issue = $"{repo}#{e.Number}";
        var request = $"{repo}!{e.Number}";
        string IssueUrl() => $"{repoUrl}/issues/{e.Number}";
        string RequestUrl() => $"{repoUrl}/merge_requests/{e.Number}";
        return e.Kind switch
        {
            ActivityKind.CreateRepository => Line(T("a créé le dépôt"), repo, repoUrl),
            ActivityKind.ForkRepository => Line(T("a forké un dépôt en"), repo, repoUrl),
            ActivityKind.Push => new ActivityLine(
                F("a poussé {0} sur la branche « {1} » de", Rendering.Formatting.Plural(e.CommitCount, T("commit"), T("commits")), branch),
                repo, $"{repoUrl}/commits/{Uri.EscapeDataString(branch).Replace("%2F", "/")}", null, Commits(e.Content)),
            ActivityKind.DeleteBranch => Line(F("a supprimé la branche « {0} » de", branch), repo, repoUrl),
            ActivityKind.PushTag => Line(F("a publié l’étiquette « {0} » dans", branch), repo, $"{repoUrl}/tags"),
            ActivityKind.CreateIssue => Line(T("a ouvert le ticket"), issue, IssueUrl(), e.Content),
            ActivityKind.CloseIssue => Line(T("a fermé le ticket"), issue, IssueUrl(), e.Content),
            ActivityKind.ReopenIssue => Line(T("a rouvert le ticket"), issue, IssueUrl(), e.Content),
            ActivityKind.CommentIssue => Line(T("a commenté le ticket"), issue, IssueUrl(), e.Content),
            ActivityKind.CreateMergeRequest => Line(T("a ouvert la demande de fusion"), request, RequestUrl(), e.Content),
            ActivityKind.MergeMergeRequest => Line(T("a fusionné la demande de fusion"), request, RequestUrl(), e.Content),
            ActivityKind.CloseMergeRequest => Line(T("a fermé la demande de fusion"), request, RequestUrl(), e.Content),
            ActivityKind.ReopenMergeRequest => Line(T("a rouvert la demande de fusion"), request, RequestUrl(), e.Content),
            _ => Line(T("a commenté la demande de fusion"), request, RequestUrl(), e.Content),
        };
    }

    private static IReadOnlyList<(string Sha, string Subject)> Commits(string? content) =>
        (content ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)).Where(p => p[0].Length == 40).Select(p => (p[0], p.Length > 1 ? p[1] : "")).ToList();

    private static string? Cut(string? text) =>
        text is null ? null : text.Length <= ActivityEvent.MaxContent ? text : text[..(ActivityEvent.MaxContent - 1)] + "…";
}

public static class ActivityRegistration
{
    public static IServiceCollection AddActivity(this IServiceCollection services) => services.AddScoped<ActivityService>();
}
