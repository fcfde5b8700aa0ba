using Microsoft.Extensions.Caching.Memory;
using Forge.Core.Naming;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>
/// Who is asking: a signed-in user (with their admin flag and their effective role in each group they reach, see
/// <see cref="Forge.Web.Groups.GroupRoles"/>) or nobody. Build it with <c>HttpContext.ViewerAsync()</c> or
/// <see cref="RepositoryService.ViewerOfAsync"/>: a viewer made by hand has no group role (the rules fail closed).
/// </summary>
public sealed record Viewer(long? UserId, bool IsAdmin)
{
    public static readonly Viewer Anonymous = new(null, false);
    public bool IsSignedIn => UserId is not null;
    /// <summary>Group id → the viewer's effective role there (inherited from enclosing groups, raised by own memberships).</summary>
    public IReadOnlyDictionary<long, GroupRole> GroupRoles { get; init; } = Forge.Web.Groups.GroupRoles.None;
    /// <summary>The account's instance role is teacher (or admin): a group reader who sees teacher-only files (see <see cref="TeacherOnlyFilter"/>).</summary>
    public bool IsTeacherAccount { get; init; }

    /// <summary>The viewer's effective role in a group, or null.</summary>
    public GroupRole? RoleIn(long groupId) => GroupRoles.TryGetValue(groupId, out var role) ? role : null;
}

/// <summary>Why a repository could not be created, for the field it concerns.</summary>
public sealed record RepositoryError(string Field, string Message, bool IsConflict = false);

/// <summary>
/// Repositories as the rest of the application sees them: lookup, permission rules, creation and deletion.
/// Pages, the REST API and git transport all call this, so the rules live in one place.
/// </summary>
public sealed class RepositoryService(ForgeDbContext db, RepositoryStore store, IForgeJobs jobs, ILogger<RepositoryService> log,
    Microsoft.Extensions.Caching.Memory.IMemoryCache stamps, RepositoryForking forking)
{
    /// <summary>
    /// The repository <paramref name="owner"/>/<paramref name="name"/>, case-insensitively, or null. Its owner and
    /// collaborators are loaded, so the permission rules below can be applied to it.
    /// </summary>
    public Task<RepositoryEntity?> FindAsync(string owner, string name, CancellationToken ct = default) =>
        ByName.GetOrAdd(db.GetType(), _ => CompileByName())(db, owner.ToUpperInvariant(), name.ToLowerInvariant(), ct);

    /// <summary>
    /// The lookup of every repository page and git request, compiled once rather than translated per call — once per
    /// context type: a compiled query is bound to the model (SQLite or PostgreSQL) it first ran against, and one
    /// process may hold both (tests, a migration tool).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<ForgeDbContext, string, string, CancellationToken, Task<RepositoryEntity?>>> ByName = new();

    private static Func<ForgeDbContext, string, string, CancellationToken, Task<RepositoryEntity?>> CompileByName() =>
        EF.CompileAsyncQuery((ForgeDbContext db, string normalizedOwner, string lowerName, CancellationToken ct) =>
            db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators)
                .FirstOrDefault(r => r.Owner.NormalizedUserName == normalizedOwner && r.LowerName == lowerName));

    /// <summary>
    /// What the public page cache needs to know, read without tracking or joins beyond the owner. <c>IsPrivate</c> is
    /// "not public to everyone": also true for a repository of an internal or private group.
    /// </summary>
    /// <remarks><see cref="Lineage"/> covers what the header shows about forks (public fork count, the source's name and visibility).</remarks>
    public sealed record CacheStamp(long Id, bool IsPrivate, DateTime UpdatedAt, string DefaultBranch, int StarCount = 0, int ReviewCount = 0, int RatingTenths = 0,
        string Lineage = "");

    /// <summary>
    /// The cache stamp of a repository, itself kept in memory for at most two seconds and dropped at once when this
    /// process changes any repository (so a switch to private is seen immediately here, and within two seconds on
    /// other nodes sharing the database).
    /// </summary>
    public async Task<CacheStamp?> FindStampAsync(string owner, string name, CancellationToken ct = default)
    {
        var normalizedOwner = owner.ToUpperInvariant();
        var lowerName = name.ToLowerInvariant();
        var key = $"stamp:{ForgeDbContext.RepositoryVersion}:{normalizedOwner}/{lowerName}";
        if (stamps.TryGetValue(key, out CacheStamp? hit)) return hit;
        var stamp = await db.Repositories.AsNoTracking()
            .Where(r => r.Owner.NormalizedUserName == normalizedOwner && r.LowerName == lowerName)
            .Select(r => new
            {
                r.Id, IsPrivate = r.IsPrivate || r.Owner.Visibility != AccountVisibility.Public, r.UpdatedAt, r.DefaultBranch, r.StarCount, r.ReviewCount, r.RatingTenths,
                PublicForks = db.Repositories.Count(f => f.ForkOfId == r.Id && !f.IsPrivate),
                r.ForkOfId, SourcePrivate = (bool?)r.ForkOf!.IsPrivate, SourceUpdatedAt = (DateTime?)r.ForkOf!.UpdatedAt,
            })
            .Select(r => new CacheStamp(r.Id, r.IsPrivate, r.UpdatedAt, r.DefaultBranch, r.StarCount, r.ReviewCount, r.RatingTenths,
                $"{r.PublicForks}:{r.ForkOfId}:{r.SourcePrivate}:{(r.SourceUpdatedAt ?? DateTime.MinValue).Ticks}"))
            .FirstOrDefaultAsync(ct);
        stamps.Set(key, stamp, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2), Size = 1 });
        return stamp;
    }

    /// <summary>
    /// The repository an old owner/name now redirects to (after a rename or a transfer), or null. The caller still
    /// checks read access on the result, so a redirect never reveals a private repository.
    /// </summary>
    public async Task<RepositoryEntity?> FindRedirectAsync(string owner, string name, CancellationToken ct = default)
    {
        var normalizedOwner = owner.ToUpperInvariant();
        var lowerName = name.ToLowerInvariant();
        var id = await db.RepositoryRedirects.Where(r => r.Owner.NormalizedUserName == normalizedOwner && r.LowerName == lowerName)
            .Select(r => (long?)r.RepositoryId).FirstOrDefaultAsync(ct);
        if (id is null && await RenamedOwnerIdAsync(owner, ct) is { } ownerId)
        {
            // The owner (a group) was renamed: the same repository under its new name, or a redirect it left there.
            id = await db.Repositories.Where(r => r.OwnerId == ownerId && r.LowerName == lowerName).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct)
                ?? await db.RepositoryRedirects.Where(r => r.OwnerId == ownerId && r.LowerName == lowerName).Select(r => (long?)r.RepositoryId).FirstOrDefaultAsync(ct);
        }
        return id is null ? null
            : await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).FirstOrDefaultAsync(r => r.Id == id, ct);
    }

    /// <summary>The account an old name of a renamed group leads to, unless an account took that name since.</summary>
    public async Task<long?> RenamedOwnerIdAsync(string oldName, CancellationToken ct = default)
    {
        var normalized = oldName.ToUpperInvariant();
        var id = await db.OwnerRedirects.Where(r => r.NormalizedName == normalized).Select(r => (long?)r.AccountId).FirstOrDefaultAsync(ct);
        if (id is null || await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, ct)) return null;
        return id;
    }

    /// <summary>A viewer for another user than the one asking (e.g. "what may this collaborator do?"), group roles included.</summary>
    public async Task<Viewer> ViewerOfAsync(ForgeUser user, CancellationToken ct = default) =>
        new(user.Id, user.IsAdmin) { IsTeacherAccount = !user.IsStudent, GroupRoles = await Forge.Web.Groups.GroupRoles.LoadAsync(db, user.Id, stamps, ct) };

    /// <summary>
    /// The URL of the current request with its first two segments (old owner/name) replaced by the repository's
    /// current owner/name (plus <paramref name="suffix"/>, e.g. <c>.git</c>), escaped, query string kept.
    /// </summary>
    public static string MovedUrl(HttpRequest request, RepositoryEntity moved, string suffix = "")
    {
        var parts = request.Path.ToUriComponent().Split('/', 4);
        var rest = parts.Length > 3 ? "/" + parts[3] : "";
        return $"/{Uri.EscapeDataString(moved.Owner.UserName!)}/{Uri.EscapeDataString(moved.Name)}{suffix}{rest}{request.QueryString.ToUriComponent()}";
    }

    /// <summary>
    /// The viewer's effective role: <see cref="CollaboratorRole.Maintainer"/> for the owner and instance admins, else
    /// the higher of the collaborator role and the role given by the viewer's membership of the owning group (or of a
    /// group enclosing it), or null. Needs <see cref="RepositoryEntity.Collaborators"/> loaded; when it is not,
    /// collaborators simply get no extra right (the rule fails closed).
    /// </summary>
    public static CollaboratorRole? RoleOf(RepositoryEntity repo, Viewer viewer)
    {
        if (viewer.UserId is not { } id) return null;
        if (viewer.IsAdmin || id == repo.OwnerId) return CollaboratorRole.Maintainer;
        var collaborator = repo.Collaborators.FirstOrDefault(c => c.UserId == id)?.Role;
        // A student's assignment copy: only the class's teachers (maintainers and up) get a role from the class.
        var member = viewer.RoleIn(repo.OwnerId) is { } groupRole && (!repo.IsAssignmentCopy || groupRole >= GroupRole.Maintainer)
            ? Forge.Web.Groups.GroupRoles.ForRepositories(groupRole) : (CollaboratorRole?)null;
        return collaborator > member || member is null ? collaborator : member;
    }

    /// <summary>
    /// Sees pages, raw files, the API and clones: anyone for a public repository of a person or a public group; any
    /// signed-in user for a non-private repository of an internal group; else the owner, admins, collaborators and
    /// members of the owning group (or of a group enclosing it). Needs <see cref="RepositoryEntity.Owner"/> loaded
    /// for non-members (without it, only roles open the repository).
    /// </summary>
    public static bool CanRead(RepositoryEntity repo, Viewer viewer) =>
        (!repo.IsPrivate && (repo.Owner?.Visibility switch
        {
            AccountVisibility.Public => true,
            AccountVisibility.Internal => viewer.IsSignedIn,
            _ => false,
        })) || RoleOf(repo, viewer) is not null;

    /// <summary>
    /// Readable by everyone, anonymous visitors included: what may be cached publicly and is marked public in the search
    /// index. False when the owner is not loaded (fails closed).
    /// </summary>
    public static bool IsPublicToAll(RepositoryEntity repo) => !repo.IsPrivate && repo.Owner?.Visibility == AccountVisibility.Public;

    /// <summary>The repositories <paramref name="viewer"/> may read, as a database predicate (same rule as <see cref="CanRead"/>).</summary>
    public static System.Linq.Expressions.Expression<Func<RepositoryEntity, bool>> ReadableBy(Viewer viewer)
    {
        if (viewer.IsAdmin) return r => true;
        if (viewer.UserId is not { } id) return r => !r.IsPrivate && r.Owner.Visibility == AccountVisibility.Public;
        var groups = viewer.GroupRoles.Keys.ToList();
        var managed = viewer.GroupRoles.Where(g => g.Value >= GroupRole.Maintainer).Select(g => g.Key).ToList();
        return r => (!r.IsPrivate && r.Owner.Visibility != AccountVisibility.Private) || r.OwnerId == id
            || r.Collaborators.Any(c => c.UserId == id) || (groups.Contains(r.OwnerId) && (!r.IsAssignmentCopy || managed.Contains(r.OwnerId)));
    }

    /// <summary>Pushes (subject to protected branches): the owner, admins, writers and maintainers.</summary>
    public static bool CanWrite(RepositoryEntity repo, Viewer viewer) =>
        RoleOf(repo, viewer) >= CollaboratorRole.Writer;

    /// <summary>Manages settings (name, visibility, default branch, collaborators, protected branches): the owner, admins and maintainers.</summary>
    public static bool CanAdmin(RepositoryEntity repo, Viewer viewer) =>
        RoleOf(repo, viewer) >= CollaboratorRole.Maintainer;

    /// <summary>Transfers or deletes the repository: only its owner and instance admins.</summary>
    public static bool IsOwnerOrAdmin(RepositoryEntity repo, Viewer viewer) =>
        viewer.IsAdmin || (viewer.UserId is { } id && id == repo.OwnerId) || viewer.RoleIn(repo.OwnerId) == GroupRole.Owner;

    /// <summary>
    /// Ids of the repositories the viewer may read that are not public to everyone (private ones, and those of internal
    /// or private groups): with the public ones, all the viewer may read. Search and lists filter on it.
    /// </summary>
    public async Task<IReadOnlyList<long>> ReadablePrivateIdsAsync(Viewer viewer, CancellationToken ct = default)
    {
        if (!viewer.IsSignedIn) return [];
        return await db.Repositories.Where(r => r.IsPrivate || r.Owner.Visibility != AccountVisibility.Public).Where(ReadableBy(viewer))
            .Select(r => r.Id).ToListAsync(ct);
    }

    /// <summary>Repositories of one owner (a person or a group) the viewer may see, most recently updated first.</summary>
    public Task<List<RepositoryEntity>> ListVisibleAsync(long ownerId, Viewer viewer, CancellationToken ct = default)
    {
        var query = db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).Where(r => r.OwnerId == ownerId);
        if (viewer.UserId != ownerId) query = query.Where(ReadableBy(viewer));
        return query.OrderByDescending(r => r.UpdatedAt).ToListAsync(ct);
    }

    /// <summary>The newest public repositories, for the home page.</summary>
    public Task<List<RepositoryEntity>> LatestPublicAsync(int count, CancellationToken ct = default) =>
        db.Repositories.Include(r => r.Owner).Where(r => !r.IsPrivate && r.Owner.Visibility == AccountVisibility.Public)
            .OrderByDescending(r => r.UpdatedAt).Take(count).ToListAsync(ct);

    /// <summary>Creates a repository for <paramref name="owner"/>: a database row and an empty bare repository.</summary>
    public async Task<(RepositoryEntity? Repository, RepositoryError? Error)> CreateAsync(ForgeUser owner, string? name, string? description,
        bool isPrivate, CancellationToken ct = default, string? defaultBranch = null)
    {
        name = name?.Trim();
        if (NameRules.ValidateRepositoryName(name) is { } invalid) return (null, new RepositoryError("Name", invalid));
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (description is { Length: > 2000 }) return (null, new RepositoryError("Description", "La description ne peut pas dépasser 2 000 caractères."));
        if (Accounts.StudentRules.PublishRefusal(owner, isPrivate) is { } studentOnly) return (null, new RepositoryError("Visibility", studentOnly));
        var lower = name!.ToLowerInvariant();
        if (await db.Repositories.AnyAsync(r => r.OwnerId == owner.Id && r.LowerName == lower, ct))
            return (null, new RepositoryError("Name", Taken(owner, name), IsConflict: true));

        var repo = new RepositoryEntity { OwnerId = owner.Id, Owner = owner, Name = name, LowerName = lower, Description = description, IsPrivate = isPrivate };
        if (defaultBranch is not null) repo.DefaultBranch = defaultBranch;
        db.Repositories.Add(repo);
        // A real repository takes its name back from a redirect left by a rename.
        db.RepositoryRedirects.RemoveRange(db.RepositoryRedirects.Where(r => r.OwnerId == owner.Id && r.LowerName == lower));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two requests raced for the same name: the unique index decided.
            db.Entry(repo).State = EntityState.Detached;
            return (null, new RepositoryError("Name", Taken(owner, name), IsConflict: true));
        }
        try
        {
            await store.CreateAsync(repo.Id, repo.DefaultBranch, ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not create repository {Id} on disk", repo.Id);
            db.Repositories.Remove(repo);
            await db.SaveChangesAsync(CancellationToken.None);
            store.Delete(repo.Id);
            throw;
        }
        return (repo, null);
    }

    private static string Taken(ForgeUser owner, string name) => owner.IsGroup
        ? $"Le groupe {owner.UserName} a déjà un dépôt nommé « {name} »."
        : $"Vous avez déjà un dépôt nommé « {name} ».";

    /// <summary>
    /// Deletes a repository everywhere: row, folder, its course sites, exports and thumbnails (<see cref="RepositoryLeftovers"/>),
    /// and (through a job) its search documents. Forks that borrow its
    /// objects get their own copy first (their link to it is cleared by the database).
    /// </summary>
    public async Task DeleteAsync(RepositoryEntity repo, CancellationToken ct = default)
    {
        await Forks.ForkDetacher.DetachBorrowersAsync(db, forking, repo.Id, ct);
        var forks = await Forks.ForkRules.ForkIdsAsync(db, repo.Id, ct);
        db.Repositories.Remove(repo);
        await db.SaveChangesAsync(ct);
        // Before the folder goes: the thumbnails of its images are found through its objects.
        jobs.RepositoryDeleted(repo.Id);
        store.Delete(repo.Id);
        // Former forks are originals now: indexed in full.
        foreach (var fork in forks) jobs.RepositoryChanged(fork);
        // A source whose last fork this was may prune again.
        if (repo.ForkOfId is { } source && (await Forks.ForkRules.ForkIdsAsync(db, source, ct)).Count == 0) await forking.ReleaseAsync(source, ct);
    }

    /// <summary>Records an accepted push: HEAD fixed up if needed, dates updated, jobs queued.</summary>
    public async Task OnPushedAsync(RepositoryEntity repo, IReadOnlyList<RefUpdate> updates, CancellationToken ct = default)
    {
        await SettlePushAsync(repo, ct);
        QueueAfterPush(repo, updates);
    }

    /// <summary>
    /// First half of <see cref="OnPushedAsync"/>, what the next request must see, in one write: after a first push HEAD
    /// may name a branch that does not exist, pointed (with the default branch) at one that does; and the push's date,
    /// which the public pages' ETag covers (a page read just after the push must not change again a moment later).
    /// </summary>
    public async Task SettlePushAsync(RepositoryEntity repo, CancellationToken ct = default)
    {
        var head = await store.EnsureHeadAsync(repo.Id, ct);
        if (head is not null && head != repo.DefaultBranch) repo.DefaultBranch = head;
        repo.PushedAt = repo.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Second half of <see cref="OnPushedAsync"/>: the jobs that follow a push (index, browsing data, licences...).</summary>
    public void QueueAfterPush(RepositoryEntity repo, IReadOnlyList<RefUpdate> updates) => jobs.RepositoryPushed(repo.Id, updates);
}
