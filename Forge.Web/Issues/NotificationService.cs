using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Issues;

/// <summary>
/// How notifications reach people beyond the in-app list (the rows are the list): <see cref="EmailNotificationDelivery"/>
/// mails them when SMTP is configured.
/// </summary>
public interface INotificationDelivery
{
    Task DeliverAsync(IReadOnlyList<Notification> notifications, CancellationToken ct);
}

/// <summary>What happened, to whom it may be told, about which issue or merge request.</summary>
public sealed record NotificationEvent(RepositoryEntity Repository, int Number, bool IsMergeRequest, string Title, long ActorId);

/// <summary>
/// Creates notifications — only ever for a user who may read the repository (checked with their own roles, groups
/// included), never for the one who acted — and lists them for their owner. Watching a repository lives here too.
/// </summary>
public sealed class NotificationService(ForgeDbContext db, RepositoryService repositories, INotificationDelivery delivery)
{
    public const int PageSize = 50;

    /// <summary>
    /// Tells each user of <paramref name="recipients"/> (user id → why; the first reason given for a user wins) about
    /// <paramref name="e"/>, skipping the actor and whoever cannot read the repository.
    /// </summary>
    public async Task NotifyAsync(NotificationEvent e, IEnumerable<(long UserId, NotificationKind Kind)> recipients, CancellationToken ct)
    {
        var wanted = new Dictionary<long, NotificationKind>();
        foreach (var (userId, kind) in recipients)
            if (userId != e.ActorId) wanted.TryAdd(userId, kind);
        if (wanted.Count == 0) return;
        var ids = wanted.Keys.ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id) && u.Kind == AccountKind.Person).OrderBy(u => u.Id).ToListAsync(ct);
        var made = new List<Notification>();
        foreach (var user in users)
        {
            if (!RepositoryService.CanRead(e.Repository, await repositories.ViewerOfAsync(user, ct))) continue;
            made.Add(new Notification
            {
                UserId = user.Id, User = user, Kind = wanted[user.Id], RepositoryId = e.Repository.Id, Number = e.Number, IsMergeRequest = e.IsMergeRequest,
                Title = e.Title, ActorId = e.ActorId,
            });
        }
        if (made.Count == 0) return;
        db.AddRange(made);
        await db.SaveChangesAsync(ct);
        await delivery.DeliverAsync(made, ct);
    }

    /// <summary>Ids of the people named by <paramref name="names"/> (lower-cased user names).</summary>
    public async Task<List<long>> PeopleAsync(IReadOnlySet<string> names, CancellationToken ct)
    {
        if (names.Count == 0) return [];
        var normalized = names.Take(50).Select(n => n.ToUpperInvariant()).ToList();
        return await db.Users.Where(u => normalized.Contains(u.NormalizedUserName!) && u.Kind == AccountKind.Person).Select(u => u.Id).ToListAsync(ct);
    }

    public Task<List<long>> WatchersAsync(long repositoryId, CancellationToken ct) =>
        db.Set<Watch>().Where(w => w.RepositoryId == repositoryId).Select(w => w.UserId).ToListAsync(ct);

    public Task<int> WatcherCountAsync(long repositoryId, CancellationToken ct = default) =>
        db.Set<Watch>().CountAsync(w => w.RepositoryId == repositoryId, ct);

    /// <summary>The people watching the repository, by name.</summary>
    public Task<List<ForgeUser>> WatcherAccountsAsync(long repositoryId, CancellationToken ct = default) =>
        db.Set<Watch>().AsNoTracking().Where(w => w.RepositoryId == repositoryId).Select(w => w.User).OrderBy(u => u.UserName).ToListAsync(ct);

    public Task<bool> IsWatchingAsync(long userId, long repositoryId, CancellationToken ct = default) =>
        db.Set<Watch>().AnyAsync(w => w.UserId == userId && w.RepositoryId == repositoryId, ct);

    public async Task SetWatchingAsync(long userId, long repositoryId, bool watch, CancellationToken ct)
    {
        var existing = await db.Set<Watch>().FirstOrDefaultAsync(w => w.UserId == userId && w.RepositoryId == repositoryId, ct);
        if (watch && existing is null) db.Add(new Watch { UserId = userId, RepositoryId = repositoryId });
        else if (!watch && existing is not null) db.Remove(existing);
        else return;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same button pressed twice at once: the first one did it.
        }
    }

    /// <summary>
    /// The user's notifications, newest first, of repositories they may still read (one made private since is left out,
    /// its title with it).
    /// </summary>
    public async Task<List<Notification>> ListAsync(Viewer viewer, bool unreadOnly, int page, CancellationToken ct)
    {
        if (viewer.UserId is not { } me) return [];
        var query = db.Set<Notification>().AsNoTracking().Include(n => n.Actor).Include(n => n.Repository).ThenInclude(r => r.Owner)
            .Where(n => n.UserId == me).Where(n => db.Repositories.Where(RepositoryService.ReadableBy(viewer)).Any(r => r.Id == n.RepositoryId));
        if (unreadOnly) query = query.Where(n => !n.IsRead);
        return await query.OrderByDescending(n => n.Id).Skip((Math.Max(page, 1) - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
    }

    public Task<int> UnreadCountAsync(Viewer viewer, CancellationToken ct = default) =>
        viewer.UserId is not { } me ? Task.FromResult(0)
            : db.Set<Notification>().Where(n => n.UserId == me && !n.IsRead)
                .Where(n => db.Repositories.Where(RepositoryService.ReadableBy(viewer)).Any(r => r.Id == n.RepositoryId)).CountAsync(ct);

    /// <summary>Marks one notification (or, with null, all of the user's) read. False when the user has no such notification.</summary>
    public async Task<bool> MarkReadAsync(long userId, long? id, CancellationToken ct)
    {
        var query = db.Set<Notification>().Where(n => n.UserId == userId && !n.IsRead);
        if (id is { } one)
        {
            if (!await db.Set<Notification>().AnyAsync(n => n.UserId == userId && n.Id == one, ct)) return false;
            query = query.Where(n => n.Id == one);
        }
        await query.ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRead, true), ct);
        return true;
    }

    /// <summary>One of the viewer's notifications, of a repository they may still read; null otherwise.</summary>
    public Task<Notification?> FindAsync(Viewer viewer, long id, CancellationToken ct) =>
        viewer.UserId is not { } me ? Task.FromResult<Notification?>(null)
            : db.Set<Notification>().Include(n => n.Actor).Include(n => n.Repository).ThenInclude(r => r.Owner)
                .Where(n => n.UserId == me && n.Id == id)
                .Where(n => db.Repositories.Where(RepositoryService.ReadableBy(viewer)).Any(r => r.Id == n.RepositoryId)).FirstOrDefaultAsync(ct);

    /// <summary>Marks one notification read or unread again (Gitea's <c>to-status</c>).</summary>
    public async Task SetReadAsync(Notification n, bool read, CancellationToken ct)
    {
        n.IsRead = read;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Marks read the user's unread notifications made before <paramref name="before"/> (all when null); returns their ids.</summary>
    public async Task<List<long>> MarkAllReadAsync(long userId, DateTime? before, CancellationToken ct)
    {
        var query = db.Set<Notification>().Where(n => n.UserId == userId && !n.IsRead);
        if (before is { } limit) query = query.Where(n => n.CreatedAt <= limit);
        var ids = await query.Select(n => n.Id).ToListAsync(ct);
        if (ids.Count > 0) await db.Set<Notification>().Where(n => ids.Contains(n.Id)).ExecuteUpdateAsync(u => u.SetProperty(n => n.IsRead, true), ct);
        return ids;
    }

    /// <summary>Which notifications the user also wants by e-mail (all when never chosen).</summary>
    public async Task<EmailNotificationLevel> EmailLevelAsync(long userId, CancellationToken ct) =>
        await db.Set<NotificationSettings>().Where(s => s.UserId == userId).Select(s => (EmailNotificationLevel?)s.Email).FirstOrDefaultAsync(ct)
            ?? EmailNotificationLevel.All;

    public async Task SetEmailLevelAsync(long userId, EmailNotificationLevel level, CancellationToken ct)
    {
        var row = await db.Set<NotificationSettings>().FirstOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null) db.Add(new NotificationSettings { UserId = userId, Email = level });
        else row.Email = level;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Whether a notification of <paramref name="kind"/> is mailed to someone who chose <paramref name="level"/>.</summary>
    public static bool Mailed(EmailNotificationLevel level, NotificationKind kind) => level switch
    {
        EmailNotificationLevel.None => false,
        EmailNotificationLevel.MentionsAndAssignments => kind is NotificationKind.Mention or NotificationKind.Assigned,
        _ => true,
    };

    /// <summary>Where a notification leads.</summary>
    public static string UrlOf(Notification n) =>
        $"/{n.Repository.Owner.UserName}/{n.Repository.Name}/{(n.IsMergeRequest ? "merge_requests" : "issues")}/{n.Number}";
}

public static class IssueServices
{
    public static IServiceCollection AddIssues(this IServiceCollection services)
    {
        services.AddScoped<ReferenceLinker>();
        services.AddScoped<IssueService>();
        services.AddScoped<NotificationService>();
        // In the app always; by e-mail too when SMTP is configured (EmailNotificationDelivery does nothing otherwise).
        services.AddHttpContextAccessor();
        services.AddScoped<INotificationDelivery, EmailNotificationDelivery>();
        return services;
    }
}
