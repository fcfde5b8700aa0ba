using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Forks;

/// <summary>
/// The source of a fork as a viewer may know it: <see cref="Readable"/> is null when the viewer cannot read the source
/// (then only « forké depuis un dépôt privé » is shown, never its name).
/// </summary>
public sealed record ForkParent(RepositoryEntity? Readable)
{
    public string? FullName => Readable is { } r ? $"{r.Owner.UserName}/{r.Name}" : null;
}

/// <summary>The answer to « Synchroniser avec la source »: what happened, in French, and the ref update when the branch moved.</summary>
public sealed record SyncResult(SyncStatus Status, string Message, string Branch, RefUpdate? Update = null)
{
    public bool Ok => Status is SyncStatus.FastForwarded or SyncStatus.UpToDate or SyncStatus.Ahead;
    /// <summary>Refused because the viewer may not write to the fork, or the branch is protected.</summary>
    public bool Forbidden { get; init; }
}

/// <summary>
/// Forks: creating one, the link between a fork and its source as a viewer may see it, and synchronising a fork with its
/// source. Every list and count goes through <see cref="RepositoryService"/>'s read rules, so a fork the viewer cannot
/// read is never listed, counted or named. Pages, the API and merge requests (which list the forks of a repository a
/// viewer can read, and the source of a fork) call this.
/// </summary>
public sealed class ForkService(ForgeDbContext db, RepositoryService repositories, RepositoryForking forking, PushPolicyService policies,
    ILogger<ForkService> log, Activity.ActivityService activity)
{
    /// <summary>
    /// Forks <paramref name="source"/> into the account <paramref name="targetOwnerId"/> under <paramref name="name"/> (the
    /// source's name when empty). The target is an owner id: the
    /// viewer's own account. A fork of a private repository is private; a fork of a public one is private if asked.
    /// </summary>
    public async Task<(RepositoryEntity? Fork, RepositoryError? Error)> ForkAsync(RepositoryEntity source, Viewer viewer, long targetOwnerId,
        string? name, bool makePrivate, CancellationToken ct = default)
    {
        if (!RepositoryService.CanRead(source, viewer)) return (null, new RepositoryError("Source", "Dépôt introuvable."));
        if (viewer.UserId is not { } me) return (null, new RepositoryError("Owner", "Connectez-vous pour forker un dépôt."));
        var owner = await db.Users.FirstOrDefaultAsync(u => u.Id == targetOwnerId, ct);
        // Into one's own account, or a group where one may create repositories (rédacteur and up).
        if (targetOwnerId != me && !(owner is { IsGroup: true } && Groups.GroupService.CanCreateRepository(owner, viewer)))
            return (null, new RepositoryError("Owner", "Vous pouvez forker un dépôt dans votre compte, ou dans un groupe où vous êtes au moins rédacteur."));
        if (owner is null) return (null, new RepositoryError("Owner", "Compte introuvable."));
        name = string.IsNullOrWhiteSpace(name) ? source.Name : name.Trim();
        var (fork, error) = await repositories.CreateAsync(owner, name, source.Description, source.IsPrivate || makePrivate, ct, source.DefaultBranch);
        if (error is not null) return (null, error);
        IReadOnlyList<RefUpdate> refs;
        try
        {
            refs = await forking.PopulateAsync(source.Id, fork!.Id, ct);
            fork.ForkOfId = source.Id;
            await db.SaveChangesAsync(ct);
            // Again, now that the link is recorded: the deletion of the source's previous last fork may have released it meanwhile.
            await forking.ProtectAsync(source.Id, ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not fork repository {Source} into {Fork}", source.Id, fork!.Id);
            await repositories.DeleteAsync(fork, CancellationToken.None);
            throw;
        }
        // The fork's branches arrived as a push would bring them: indexing, browsing data, licences… follow.
        if (refs.Count > 0) await repositories.OnPushedAsync(fork, refs, ct);
        await activity.RecordAsync(me, fork.Id, ActivityKind.ForkRepository, ct: ct);
        return (fork, null);
    }

    /// <summary>The source of <paramref name="fork"/>, or null when it is not a fork (or its source was deleted).</summary>
    public async Task<ForkParent?> SourceOfAsync(RepositoryEntity fork, Viewer viewer, CancellationToken ct = default)
    {
        if (fork.ForkOfId is not { } id) return null;
        var source = await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (source is null) return null;
        return new ForkParent(RepositoryService.CanRead(source, viewer) ? source : null);
    }

    /// <summary>The forks of <paramref name="source"/> the viewer may read, most recently created first.</summary>
    public async Task<List<RepositoryEntity>> ListReadableForksAsync(RepositoryEntity source, Viewer viewer, CancellationToken ct = default)
    {
        var readable = await ReadablePrivateForkIdsAsync(source.Id, viewer, ct);
        var forks = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators)
            .Where(r => r.ForkOfId == source.Id && (!r.IsPrivate || readable.Contains(r.Id)))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        return forks.Where(f => RepositoryService.CanRead(f, viewer)).ToList();
    }

    /// <summary>How many forks of repository <paramref name="sourceId"/> the viewer may read.</summary>
    public async Task<int> CountReadableForksAsync(long sourceId, Viewer viewer, CancellationToken ct = default)
    {
        var forks = await db.Repositories.AsNoTracking().Where(r => r.ForkOfId == sourceId).Select(r => new { r.Id, r.IsPrivate }).ToListAsync(ct);
        if (forks.All(f => !f.IsPrivate)) return forks.Count;
        var readable = await ReadablePrivateForkIdsAsync(sourceId, viewer, ct);
        return forks.Count(f => !f.IsPrivate || readable.Contains(f.Id));
    }

    /// <summary>Ids of the private forks of a repository the viewer may read, by the same rule as every private repository.</summary>
    private async Task<List<long>> ReadablePrivateForkIdsAsync(long sourceId, Viewer viewer, CancellationToken ct)
    {
        if (!viewer.IsSignedIn) return [];
        var privateForks = await db.Repositories.AsNoTracking().Where(r => r.ForkOfId == sourceId && r.IsPrivate).Select(r => r.Id).ToListAsync(ct);
        if (privateForks.Count == 0) return [];
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, ct);
        return privateForks.Intersect(readable).ToList();
    }

    /// <summary>
    /// Where <paramref name="branch"/> of the fork (its default branch when null) stands against the source: the same
    /// branch of the source, or the source's default branch when none is named. Null when the viewer cannot read the source.
    /// </summary>
    public async Task<(SyncOutcome Outcome, string Branch, string SourceBranch, ForkParent Parent)?> CompareAsync(RepositoryEntity fork, Viewer viewer,
        string? branch, CancellationToken ct = default)
    {
        if (await SourceOfAsync(fork, viewer, ct) is not { Readable: { } source } parent) return null;
        var mine = string.IsNullOrWhiteSpace(branch) ? fork.DefaultBranch : branch.Trim();
        var theirs = string.IsNullOrWhiteSpace(branch) ? source.DefaultBranch : mine;
        if (!GitWriter.IsValidBranchName(mine)) return (new SyncOutcome(SyncStatus.BranchMissing), mine, theirs, parent);
        return (forking.Compare(source.Id, theirs, fork.Id, mine), mine, theirs, parent);
    }

    /// <summary>
    /// « Synchroniser avec la source »: fast-forwards the fork's branch to the source's when possible (compare-and-swap:
    /// refused if it moved meanwhile), under the fork's branch protection, then runs the fork's after-push jobs.
    /// </summary>
    public async Task<SyncResult> SyncAsync(RepositoryEntity fork, Viewer viewer, string? branch, CancellationToken ct = default)
    {
        var name = string.IsNullOrWhiteSpace(branch) ? fork.DefaultBranch : branch.Trim();
        if (!RepositoryService.CanWrite(fork, viewer))
            return new SyncResult(SyncStatus.Moved, "Vous n’avez pas le droit de modifier ce dépôt.", name) { Forbidden = true };
        if (fork.ForkOfId is null)
            return new SyncResult(SyncStatus.SourceBranchMissing, "Ce dépôt n’est pas un fork (ou sa source a été supprimée) : il n’y a rien à synchroniser.", name);
        if (await CompareAsync(fork, viewer, branch, ct) is not { } compared)
            return new SyncResult(SyncStatus.SourceBranchMissing, "La source de ce fork ne vous est pas accessible : la synchronisation est impossible.", name);
        var (outcome, mine, theirs, parent) = compared;
        var source = parent.Readable!;
        if (outcome is { Status: SyncStatus.CanFastForward, Update: { } probe })
        {
            var refusal = (await policies.ForPushAsync(fork, viewer, [probe], ct)).Rejections.FirstOrDefault();
            if (refusal is not null) return new SyncResult(SyncStatus.Moved, refusal, mine) { Forbidden = true };
            outcome = await forking.FastForwardAsync(source.Id, theirs, fork.Id, mine, ct);
            if (outcome is { Status: SyncStatus.FastForwarded, Update: { } update })
                await repositories.OnPushedAsync(fork, [update], ct);
        }
        return new SyncResult(outcome.Status, Message(outcome, mine, theirs, parent.FullName!), mine, outcome.Update);
    }

    /// <summary>The header's fork facts for the page being shown (the comparison only for those who may synchronise).</summary>
    public async Task<ForkHeader> HeaderAsync(RepoContext repo, CancellationToken ct = default)
    {
        var parent = await SourceOfAsync(repo.Repository, repo.Viewer, ct);
        var count = await CountReadableForksAsync(repo.Repository.Id, repo.Viewer, ct);
        SyncOutcome? sync = null;
        if (parent?.Readable is not null && repo.CanWrite) sync = (await CompareAsync(repo.Repository, repo.Viewer, null, ct))?.Outcome;
        return new ForkHeader(parent, count, sync);
    }

    private static string Message(SyncOutcome outcome, string branch, string sourceBranch, string source) => outcome.Status switch
    {
        SyncStatus.FastForwarded => $"La branche « {branch} » est synchronisée avec {source} : {Commits(outcome.Behind)} récupéré{(outcome.Behind > 1 ? "s" : "")}.",
        SyncStatus.UpToDate => $"La branche « {branch} » est déjà à jour avec la source ({source}, branche « {sourceBranch} »).",
        SyncStatus.Ahead => $"La branche « {branch} » contient déjà tout ce que la source a, plus {Commits(outcome.Ahead)} à elle : il n’y a rien à récupérer.",
        SyncStatus.Diverged => $"Votre branche « {branch} » a des commits que la source n’a pas ({Commits(outcome.Ahead)}), et la source en a {Commits(outcome.Behind)} "
            + "que votre branche n’a pas : la synchronisation automatique est impossible. Récupérez la branche de la source avec git "
            + $"(git pull {source} {sourceBranch}), fusionnez-la dans la vôtre, puis envoyez le résultat.",
        SyncStatus.SourceBranchMissing => $"La source ({source}) n’a pas de branche « {sourceBranch} ».",
        SyncStatus.BranchMissing => $"Ce dépôt n’a pas de branche « {branch} ».",
        SyncStatus.Unavailable => "Les commits de la source ne sont pas disponibles dans ce dépôt : récupérez-les avec git (git pull depuis la source), puis envoyez-les.",
        _ => $"La branche « {branch} » a été modifiée au même moment : rien n’a été changé, réessayez.",
    };

    private static string Commits(int n) => n == 1 ? "1 commit" : $"{n} commits";
}

/// <summary>What the repository header shows about forks: the source (if any), the readable fork count, and, for writers of a fork, where it stands.</summary>
public sealed record ForkHeader(ForkParent? Parent, int Count, SyncOutcome? Sync);
