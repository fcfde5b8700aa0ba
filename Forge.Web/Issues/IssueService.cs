using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Issues;

/// <summary>Why an action on an issue or a label was refused: the form field concerned (or empty) and a French explanation.</summary>
public sealed record IssueError(string Field, string Message, int Status = StatusCodes.Status422UnprocessableEntity);

/// <summary>What the issue list shows: state (null: all), filters, text, sort and page.</summary>
public sealed record IssueQuery(IssueState? State = IssueState.Open, IReadOnlyList<string>? Labels = null, string? Assignee = null, string? Author = null,
    string? Text = null, string Sort = "newest", int Page = 1, int PageSize = IssueService.PageSize);

/// <summary>
/// Issues, their comments, labels and assignees, as pages and the API see them. Every rule of who may do what lives
/// here; read access to the repository is checked by the caller (<see cref="RepoContextFilter"/>, the API's lookups), as
/// for any repository page: whoever reads the repository reads its issues; signed-in readers open and comment; the author
/// or a writer closes, reopens and edits; writers set labels and assignees; maintainers manage labels and turn issues off.
/// </summary>
public sealed class IssueService(ForgeDbContext db, ReferenceLinker references, NotificationService notifications, RepositoryService repositories,
    Activity.ActivityService activity)
{
    public const int PageSize = 25;
    public const int MaxComment = Issue.MaxBody;

    private IQueryable<Issue> Issues => db.Set<Issue>();

    public async Task<bool> EnabledAsync(long repositoryId, CancellationToken ct = default) =>
        !await db.Set<IssueSettings>().AnyAsync(s => s.RepositoryId == repositoryId && s.Disabled, ct);

    /// <summary>Turns issues on or off (maintainers). Existing issues are kept, hidden while off.</summary>
    public async Task<IssueError?> SetEnabledAsync(RepoContext repo, bool enabled, CancellationToken ct)
    {
        if (!repo.CanAdmin) return new IssueError("", "Seuls les mainteneurs du dépôt peuvent activer ou désactiver les tickets.", StatusCodes.Status403Forbidden);
        var settings = await db.Set<IssueSettings>().FirstOrDefaultAsync(s => s.RepositoryId == repo.Repository.Id, ct);
        if (settings is null) db.Add(new IssueSettings { RepositoryId = repo.Repository.Id, Disabled = !enabled });
        else settings.Disabled = !enabled;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public Task<int> OpenCountAsync(long repositoryId, CancellationToken ct = default) =>
        Issues.CountAsync(i => i.RepositoryId == repositoryId && i.State == IssueState.Open, ct);

    public Task<Issue?> FindAsync(RepositoryEntity repo, int number, CancellationToken ct) =>
        Issues.Include(i => i.Author).Include(i => i.ClosedBy)
            .Include(i => i.Comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)).ThenInclude(c => c.Author)
            .Include(i => i.Labels).ThenInclude(l => l.Label)
            .Include(i => i.Assignees).ThenInclude(a => a.User)
            .AsSplitQuery()
            .FirstOrDefaultAsync(i => i.RepositoryId == repo.Id && i.Number == number, ct);

    /// <summary>One page of issues matching <paramref name="q"/> (one more than the page size when there is a next page), and the open and closed counts under the same filters.</summary>
    public async Task<(List<Issue> Page, int Open, int Closed)> ListAsync(RepositoryEntity repo, IssueQuery q, CancellationToken ct)
    {
        var query = Issues.Where(i => i.RepositoryId == repo.Id);
        foreach (var label in (q.Labels ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct().Take(10))
            query = query.Where(i => i.Labels.Any(l => l.Label.Name == label));
        if (!string.IsNullOrWhiteSpace(q.Assignee))
        {
            var assignee = q.Assignee.Trim().ToUpperInvariant();
            query = query.Where(i => i.Assignees.Any(a => a.User.NormalizedUserName == assignee));
        }
        if (!string.IsNullOrWhiteSpace(q.Author))
        {
            var author = q.Author.Trim().ToUpperInvariant();
            query = query.Where(i => i.Author.NormalizedUserName == author);
        }
        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            var text = q.Text.Trim();
            if (text.Length > 200) text = text[..200];
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            // ILike would be PostgreSQL only: compare lower-cased text, which SQLite and PostgreSQL both translate.
            var lower = pattern.ToLower();
            query = query.Where(i => EF.Functions.Like(i.Title.ToLower(), lower, "\\") || (i.Body != null && EF.Functions.Like(i.Body.ToLower(), lower, "\\")));
        }
        var counts = await query.GroupBy(i => i.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        if (q.State is { } state) query = query.Where(i => i.State == state);
        query = q.Sort switch
        {
            "oldest" => query.OrderBy(i => i.Number),
            "updated" => query.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number),
            _ => query.OrderByDescending(i => i.Number),
        };
        var page = Math.Clamp(q.Page, 1, 10_000);
        var list = await query.Include(i => i.Author).Include(i => i.Labels).ThenInclude(l => l.Label).Include(i => i.Assignees).ThenInclude(a => a.User)
            .AsSplitQuery().Skip((page - 1) * q.PageSize).Take(q.PageSize + 1).ToListAsync(ct);
        return (list, counts.GetValueOrDefault(IssueState.Open), counts.GetValueOrDefault(IssueState.Closed));
    }

    private static IssueError? CheckText(string? title, string? body, bool titleRequired)
    {
        if (titleRequired && string.IsNullOrWhiteSpace(title)) return new IssueError("Title", "Donnez un titre au ticket.");
        if (title is not null && title.Trim().Length > Issue.MaxTitle) return new IssueError("Title", $"Le titre ne peut pas dépasser {Issue.MaxTitle} caractères.");
        if (body is { Length: > Issue.MaxBody }) return new IssueError("Body", "La description est trop longue (64 Kio au plus).");
        return null;
    }

    /// <summary>Opens an issue: anyone signed in who reads the repository, while issues are on.</summary>
    public async Task<(Issue? Issue, IssueError? Error)> CreateAsync(RepoContext repo, string? title, string? body, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } authorId) return (null, new IssueError("", "Connectez-vous pour ouvrir un ticket.", StatusCodes.Status401Unauthorized));
        if (!await EnabledAsync(repo.Repository.Id, ct)) return (null, new IssueError("", "Les tickets sont désactivés pour ce dépôt.", StatusCodes.Status403Forbidden));
        if (CheckText(title, body, true) is { } error) return (null, error);
        var issue = await Numbering.AddWithNextNumberAsync(db, Issues.Where(i => i.RepositoryId == repo.Repository.Id).Select(i => i.Number), number => new Issue
        {
            RepositoryId = repo.Repository.Id, Number = number, Title = title!.Trim(), AuthorId = authorId,
            Body = string.IsNullOrWhiteSpace(body) ? null : body.Trim(),
        }, ct);
        if (issue is null) return (null, new IssueError("", "Le ticket n’a pas pu être enregistré. Réessayez."));
        await NotifyNewAsync(repo.Repository, issue.Number, false, issue.Title, authorId, issue.Body, ct);
        return (issue, null);
    }

    /// <summary>Tells of a new issue or merge request: people its text mentions, and the repository's watchers.</summary>
    public async Task NotifyNewAsync(RepositoryEntity repository, int number, bool isMergeRequest, string title, long actorId, string? body, CancellationToken ct)
    {
        await activity.RecordAsync(actorId, repository.Id, isMergeRequest ? ActivityKind.CreateMergeRequest : ActivityKind.CreateIssue, number, title, ct);
        var mentioned = await notifications.PeopleAsync(references.Mentions(body), ct);
        var watchers = await notifications.WatchersAsync(repository.Id, ct);
        await notifications.NotifyAsync(new NotificationEvent(repository, number, isMergeRequest, title, actorId),
            mentioned.Select(u => (u, NotificationKind.Mention))
                .Concat(watchers.Select(u => (u, isMergeRequest ? NotificationKind.NewMergeRequest : NotificationKind.NewIssue))), ct);
    }

    /// <summary>Comments an issue: anyone signed in who reads the repository, while issues are on.</summary>
    public async Task<(IssueComment? Comment, IssueError? Error)> CommentAsync(Issue issue, RepoContext repo, string? body, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } userId) return (null, new IssueError("", "Connectez-vous pour commenter.", StatusCodes.Status401Unauthorized));
        if (!await EnabledAsync(repo.Repository.Id, ct)) return (null, new IssueError("", "Les tickets sont désactivés pour ce dépôt.", StatusCodes.Status403Forbidden));
        body = body?.Trim();
        if (string.IsNullOrEmpty(body)) return (null, new IssueError("Body", "Le commentaire est vide : écrivez quelque chose avant de l’envoyer."));
        if (body.Length > MaxComment) return (null, new IssueError("Body", "Le commentaire est trop long (64 Kio au plus)."));
        var comment = new IssueComment { IssueId = issue.Id, AuthorId = userId, Body = body };
        db.Add(comment);
        issue.UpdatedAt = DateTime.UtcNow;
        issue.CommentCount++;
        await db.SaveChangesAsync(ct);
        await NotifyCommentAsync(repo.Repository, issue.Number, false, issue.Title, userId, body, issue.AuthorId,
            issue.Assignees.Select(a => a.UserId), ct);
        return (comment, null);
    }

    /// <summary>
    /// Tells of a new comment (on an issue or a merge request): people it mentions, the author of the thing, its assignees,
    /// and the repository's watchers.
    /// </summary>
    public async Task NotifyCommentAsync(RepositoryEntity repository, int number, bool isMergeRequest, string title, long actorId, string body, long authorId,
        IEnumerable<long> assignees, CancellationToken ct)
    {
        await activity.RecordAsync(actorId, repository.Id, isMergeRequest ? ActivityKind.CommentMergeRequest : ActivityKind.CommentIssue, number, title, ct);
        var mentioned = await notifications.PeopleAsync(references.Mentions(body), ct);
        var watchers = await notifications.WatchersAsync(repository.Id, ct);
        await notifications.NotifyAsync(new NotificationEvent(repository, number, isMergeRequest, title, actorId),
            mentioned.Select(u => (u, NotificationKind.Mention))
                .Append((authorId, NotificationKind.Comment))
                .Concat(assignees.Select(u => (u, NotificationKind.Comment)))
                .Concat(watchers.Select(u => (u, NotificationKind.Comment))), ct);
    }

    /// <summary>Closes or reopens an issue: its author or a writer.</summary>
    public async Task<IssueError?> SetOpenAsync(Issue issue, RepoContext repo, bool open, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } me) return new IssueError("", "Connectez-vous.", StatusCodes.Status401Unauthorized);
        if (!(repo.CanWrite || me == issue.AuthorId))
            return new IssueError("", "Seuls l’auteur du ticket et les rédacteurs du dépôt peuvent le fermer ou le rouvrir.", StatusCodes.Status403Forbidden);
        var was = issue.State;
        SetState(issue, open, me);
        await db.SaveChangesAsync(ct);
        if (issue.State != was)
            await activity.RecordAsync(me, issue.RepositoryId, open ? ActivityKind.ReopenIssue : ActivityKind.CloseIssue, issue.Number, issue.Title, ct);
        return null;
    }

    private static void SetState(Issue issue, bool open, long? by)
    {
        if (open && issue.State == IssueState.Closed) (issue.State, issue.ClosedAt, issue.ClosedById) = (IssueState.Open, null, null);
        else if (!open && issue.State == IssueState.Open) (issue.State, issue.ClosedAt, issue.ClosedById) = (IssueState.Closed, DateTime.UtcNow, by);
        else return;
        issue.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>Changes the title or the body (null: unchanged): the author or a writer.</summary>
    public async Task<IssueError?> EditAsync(Issue issue, RepoContext repo, string? title, string? body, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } me) return new IssueError("", "Connectez-vous.", StatusCodes.Status401Unauthorized);
        if (!(repo.CanWrite || me == issue.AuthorId))
            return new IssueError("", "Seuls l’auteur du ticket et les rédacteurs du dépôt peuvent le modifier.", StatusCodes.Status403Forbidden);
        if (title is not null && title.Trim().Length == 0) return new IssueError("Title", "Donnez un titre au ticket.");
        if (CheckText(title, body, false) is { } error) return error;
        if (title is not null) issue.Title = title.Trim();
        if (body is not null) issue.Body = string.IsNullOrWhiteSpace(body) ? null : body.Trim();
        issue.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public Task<List<Label>> LabelsAsync(long repositoryId, CancellationToken ct = default) =>
        db.Set<Label>().AsNoTracking().Where(l => l.RepositoryId == repositoryId).OrderBy(l => l.Name).ToListAsync(ct);

    /// <summary>Sets an issue's labels to exactly <paramref name="labelIds"/> (labels of this repository): writers only.</summary>
    public async Task<IssueError?> SetLabelsAsync(Issue issue, RepoContext repo, IReadOnlyCollection<long> labelIds, CancellationToken ct)
    {
        if (!repo.CanWrite) return new IssueError("", "Seuls les rédacteurs du dépôt peuvent poser des labels sur un ticket.", StatusCodes.Status403Forbidden);
        var labels = await db.Set<Label>().Where(l => l.RepositoryId == repo.Repository.Id && labelIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct);
        if (labels.Count != labelIds.Distinct().Count()) return new IssueError("Labels", "Un des labels choisis n’existe pas dans ce dépôt.");
        issue.Labels.RemoveAll(l => !labels.Contains(l.LabelId));
        foreach (var id in labels.Where(id => issue.Labels.All(l => l.LabelId != id))) issue.Labels.Add(new IssueLabel { IssueId = issue.Id, LabelId = id });
        issue.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Who may be assigned: the people who may write to the repository, by name.</summary>
    public async Task<List<ForgeUser>> AssignableAsync(RepositoryEntity repo, CancellationToken ct)
    {
        var ids = new HashSet<long>(repo.Collaborators.Where(c => c.Role >= CollaboratorRole.Writer).Select(c => c.UserId));
        if (!repo.Owner.IsGroup) ids.Add(repo.OwnerId);
        else
        {
            // Members of the owning group and of the groups enclosing it (their role is checked below, per person).
            var groups = new List<long>();
            for (var g = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == repo.OwnerId, ct); g is not null && groups.Count < 6;
                 g = g.ParentGroupId is { } p ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == p, ct) : null)
                groups.Add(g.Id);
            ids.UnionWith(await db.GroupMembers.Where(m => groups.Contains(m.GroupId) && m.Role >= GroupRole.Writer).Select(m => m.UserId).ToListAsync(ct));
        }
        var people = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.Kind == AccountKind.Person).OrderBy(u => u.UserName).ToListAsync(ct);
        var allowed = new List<ForgeUser>();
        foreach (var person in people)
            if (RepositoryService.CanWrite(repo, await repositories.ViewerOfAsync(person, ct))) allowed.Add(person);
        return allowed;
    }

    /// <summary>Sets an issue's assignees to exactly <paramref name="userNames"/> (people who may write to the repository): writers only. Newly assigned people are told.</summary>
    public async Task<IssueError?> SetAssigneesAsync(Issue issue, RepoContext repo, IReadOnlyCollection<string> userNames, CancellationToken ct)
    {
        if (!repo.CanWrite) return new IssueError("", "Seuls les rédacteurs du dépôt peuvent attribuer un ticket.", StatusCodes.Status403Forbidden);
        if (userNames.Count > 10) return new IssueError("Assignees", "Un ticket peut être attribué à dix personnes au plus.");
        var assignable = await AssignableAsync(repo.Repository, ct);
        var chosen = new List<ForgeUser>();
        foreach (var name in userNames.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var person = assignable.FirstOrDefault(u => string.Equals(u.UserName, name, StringComparison.OrdinalIgnoreCase));
            if (person is null) return new IssueError("Assignees", $"« {name} » ne peut pas être assigné : seules les personnes qui peuvent écrire dans le dépôt peuvent l’être.");
            chosen.Add(person);
        }
        var ids = chosen.Select(u => u.Id).ToList();
        var added = ids.Where(id => issue.Assignees.All(a => a.UserId != id)).ToList();
        issue.Assignees.RemoveAll(a => !ids.Contains(a.UserId));
        foreach (var id in added) issue.Assignees.Add(new IssueAssignee { IssueId = issue.Id, UserId = id });
        issue.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await notifications.NotifyAsync(new NotificationEvent(repo.Repository, issue.Number, false, issue.Title, repo.Viewer.UserId!.Value),
            added.Select(u => (u, NotificationKind.Assigned)), ct);
        return null;
    }

    /// <summary>Creates (<paramref name="id"/> null) or changes a label: maintainers only.</summary>
    public async Task<(Label? Label, IssueError? Error)> SaveLabelAsync(RepoContext repo, long? id, string? name, string? color, string? description, CancellationToken ct)
    {
        if (!repo.CanAdmin) return (null, new IssueError("", "Seuls les mainteneurs du dépôt peuvent gérer les labels.", StatusCodes.Status403Forbidden));
        name = name?.Trim() ?? "";
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        color = string.IsNullOrWhiteSpace(color) ? LabelPalette.Default : color.Trim().ToLowerInvariant();
        if (name.Length == 0) return (null, new IssueError("Name", "Donnez un nom au label."));
        if (name.Length > Label.MaxName) return (null, new IssueError("Name", $"Le nom d’un label ne peut pas dépasser {Label.MaxName} caractères."));
        if (name.Contains(',')) return (null, new IssueError("Name", "Le nom d’un label ne peut pas contenir de virgule."));
        if (!LabelPalette.Colours.ContainsKey(color)) return (null, new IssueError("Color", "Choisissez une couleur de la palette."));
        if (description is { Length: > Label.MaxDescription }) return (null, new IssueError("Description", $"La description ne peut pas dépasser {Label.MaxDescription} caractères."));
        var labels = db.Set<Label>();
        if (await labels.AnyAsync(l => l.RepositoryId == repo.Repository.Id && l.Name == name && l.Id != id, ct))
            return (null, new IssueError("Name", $"Un label « {name} » existe déjà.", StatusCodes.Status409Conflict));
        Label? label;
        if (id is { } existing)
        {
            label = await labels.FirstOrDefaultAsync(l => l.RepositoryId == repo.Repository.Id && l.Id == existing, ct);
            if (label is null) return (null, new IssueError("", "Ce label n’existe pas.", StatusCodes.Status404NotFound));
        }
        else
        {
            label = new Label { RepositoryId = repo.Repository.Id, Name = name, Color = color };
            labels.Add(label);
        }
        (label.Name, label.Color, label.Description) = (name, color, description);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(label).State = EntityState.Detached;
            return (null, new IssueError("Name", $"Un label « {name} » existe déjà.", StatusCodes.Status409Conflict));
        }
        return (label, null);
    }

    public async Task<IssueError?> DeleteLabelAsync(RepoContext repo, long id, CancellationToken ct)
    {
        if (!repo.CanAdmin) return new IssueError("", "Seuls les mainteneurs du dépôt peuvent gérer les labels.", StatusCodes.Status403Forbidden);
        var deleted = await db.Set<Label>().Where(l => l.RepositoryId == repo.Repository.Id && l.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? new IssueError("", "Ce label n’existe pas.", StatusCodes.Status404NotFound) : null;
    }

    /// <summary>
    /// A merge request was merged: closes the open issues of its repository that its title or description says it closes
    /// (« Ferme #12 », « Closes #12 », « Fixes #12 »), in the name of whoever merged it (null: unknown, for a request
    /// pushed into its target by hand by someone Forge cannot name).
    /// </summary>
    public async Task CloseReferencedAsync(MergeRequest mr, long? mergedBy, CancellationToken ct)
    {
        var numbers = references.ClosedIssues(mr.Title).Union(references.ClosedIssues(mr.Description)).ToList();
        if (numbers.Count == 0) return;
        var issues = await Issues.Where(i => i.RepositoryId == mr.TargetRepositoryId && numbers.Contains(i.Number) && i.State == IssueState.Open).ToListAsync(ct);
        foreach (var issue in issues) SetState(issue, false, mergedBy);
        if (issues.Count > 0) await db.SaveChangesAsync(ct);
        if (mergedBy is { } by)
            foreach (var issue in issues) await activity.RecordAsync(by, issue.RepositoryId, ActivityKind.CloseIssue, issue.Number, issue.Title, ct);
    }
}
