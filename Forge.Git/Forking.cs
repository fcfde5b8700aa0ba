using LibGit2Sharp;

namespace Forge.Git;

/// <summary>Where a fork's branch stands against the same branch of its source.</summary>
public enum SyncStatus
{
    /// <summary>The fork's branch was moved forward to the source's tip.</summary>
    FastForwarded,
    /// <summary>The fork can be moved forward (status only: nothing written yet).</summary>
    CanFastForward,
    /// <summary>Same commit on both sides.</summary>
    UpToDate,
    /// <summary>The fork has commits of its own and nothing to take from the source.</summary>
    Ahead,
    /// <summary>Both sides have commits the other lacks: a fast-forward is impossible.</summary>
    Diverged,
    /// <summary>The source has no branch of that name.</summary>
    SourceBranchMissing,
    /// <summary>The fork has no branch of that name.</summary>
    BranchMissing,
    /// <summary>The source's commits cannot be reached from the fork (it no longer borrows the source's objects).</summary>
    Unavailable,
    /// <summary>The fork's branch moved while it was being synchronised; nothing was written.</summary>
    Moved,
}

/// <summary>The outcome of comparing (or synchronising) a fork's branch with its source; <see cref="Update"/> is set after a fast-forward.</summary>
public sealed record SyncOutcome(SyncStatus Status, int Ahead = 0, int Behind = 0, RefUpdate? Update = null);

/// <summary>
/// Forks on disk. A fork is a bare repository of its own whose <c>objects/info/alternates</c> names the source's object
/// folder (a path relative to the fork's, so the data folder can move): it starts with the source's branches and tags and
/// no object of its own, and only what is pushed to it afterwards takes room. Three rules keep this correct:
/// <list type="bullet">
/// <item>a repository that has been forked never prunes (<c>gc.pruneExpire=never</c>), so an object a fork still needs
/// is never removed by the source's maintenance, even when the source deletes the branch that held it;</item>
/// <item>before a source is deleted, each repository borrowing from it is <see cref="DetachAsync">detached</see>: it
/// copies what it needs (<c>git repack -a -d</c>), stops borrowing, and is checked with <c>git fsck --connectivity-only</c>;</item>
/// <item>a fork never advertises its source's branch tips to pushers (<c>core.alternateRefsPrefixes</c> names no ref),
/// so a source that is or becomes private leaks not even a commit id through its forks.</item>
/// </list>
/// </summary>
public sealed class RepositoryForking(RepositoryStore store, GitCli git)
{
    /// <summary>
    /// Git follows at most five levels of nested alternates; a fork of a fork of … borrowing more than this many levels
    /// deep is given its own copy of the objects at once (it is still a fork, it just does not share disk).
    /// </summary>
    public const int MaxBorrowDepth = 3;

    private const string NoAlternateRefs = "refs/forge-none/";

    /// <summary>
    /// Fills the empty repository <paramref name="forkId"/> (just created by <see cref="RepositoryStore.CreateAsync"/>)
    /// as a fork of <paramref name="sourceId"/>: borrows its objects and copies its branches and tags. Returns the refs
    /// created, as a push would report them.
    /// </summary>
    public async Task<IReadOnlyList<RefUpdate>> PopulateAsync(long sourceId, long forkId, CancellationToken ct = default)
    {
        var source = store.PathOf(sourceId);
        var fork = store.PathOf(forkId);
        // First, so that no gc of the source can remove an object between the copy of its refs and the fork's first use.
        (await git.Command("config").Value("gc.pruneExpire").Value("never").In(source).RunAsync(ct)).EnsureSuccess();
        (await git.Command("config").Value("core.alternateRefsPrefixes").Value(NoAlternateRefs).In(fork).RunAsync(ct)).EnsureSuccess();
        await File.WriteAllTextAsync(AlternatesOf(fork), Path.GetRelativePath(Path.Combine(fork, "objects"), Path.Combine(source, "objects")) + "\n", ct);

        var updates = new List<RefUpdate>();
        using (var lease = RepositoryPool.Rent(source))
        {
            foreach (var reference in lease.Repository.Refs)
            {
                if (reference is not DirectReference direct || !IsCopied(reference.CanonicalName)) continue;
                updates.Add(new RefUpdate(RefUpdate.ZeroSha, direct.TargetIdentifier, reference.CanonicalName));
            }
        }
        if (updates.Count > 0)
        {
            // One transaction: every ref or none.
            var commands = string.Concat(updates.Select(u => $"create {u.RefName} {u.NewSha}\n"));
            using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(commands));
            (await git.Command("update-ref").Option("--stdin").In(fork).StreamAsync(input, Stream.Null, ct)).EnsureSuccess();
        }
        if (BorrowDepth(fork) > MaxBorrowDepth) await DetachAsync(forkId, ct);
        return updates;
    }

    /// <summary>Branches and tags travel to a fork; other refs (merge requests' heads, notes) stay with the source.</summary>
    private static bool IsCopied(string refName) =>
        refName.StartsWith("refs/heads/", StringComparison.Ordinal) || refName.StartsWith("refs/tags/", StringComparison.Ordinal);

    /// <summary>True when repository <paramref name="id"/> reads objects from another repository's folder.</summary>
    public bool IsBorrowing(long id) => File.Exists(AlternatesOf(store.PathOf(id)));

    /// <summary>How many repositories deep the chain of borrowed object folders goes from <paramref name="repoPath"/>.</summary>
    public static int BorrowDepth(string repoPath)
    {
        var depth = 0;
        var objects = Path.Combine(repoPath, "objects");
        while (depth < 10)
        {
            var file = Path.Combine(objects, "info", "alternates");
            if (!File.Exists(file)) break;
            var first = File.ReadLines(file).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
            if (first is null) break;
            objects = Path.GetFullPath(Path.Combine(objects, first.Trim()));
            depth++;
        }
        return depth;
    }

    /// <summary>
    /// True when repository <paramref name="id"/> reads, directly or through another fork, from the object folder of
    /// repository <paramref name="sourceId"/>.
    /// </summary>
    public bool BorrowsFrom(long id, long sourceId)
    {
        var target = Path.GetFullPath(Path.Combine(store.PathOf(sourceId), "objects"));
        var objects = Path.Combine(store.PathOf(id), "objects");
        for (var depth = 0; depth < 10; depth++)
        {
            var file = Path.Combine(objects, "info", "alternates");
            if (!File.Exists(file)) return false;
            var lines = File.ReadLines(file).Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => Path.GetFullPath(Path.Combine(objects, l.Trim()))).ToList();
            if (lines.Contains(target, StringComparer.Ordinal)) return true;
            if (lines.Count == 0) return false;
            objects = lines[0];
        }
        return false;
    }

    /// <summary>
    /// Gives repository <paramref name="id"/> its own copy of every object its refs reach, then stops borrowing; checked
    /// with <c>git fsck --connectivity-only</c>, and undone (still borrowing, nothing lost) if the check fails. Does
    /// nothing for a repository that borrows nothing. Safe to call twice.
    /// </summary>
    public async Task DetachAsync(long id, CancellationToken ct = default)
    {
        var path = store.PathOf(id);
        var alternates = AlternatesOf(path);
        if (!File.Exists(alternates)) return;
        // Without -l, repack copies the objects found through the alternates too.
        (await git.Command("repack").Option("-a").Option("-d").Option("-q").In(path).RunAsync(ct)).EnsureSuccess();
        var aside = alternates + ".detaching";
        File.Move(alternates, aside, overwrite: true);
        RepositoryPool.Evict(path);
        var check = await git.Command("fsck").Option("--connectivity-only").In(path).RunAsync(CancellationToken.None);
        if (!check.Success)
        {
            File.Move(aside, alternates, overwrite: true);
            RepositoryPool.Evict(path);
            throw new GitCommandException(check.ExitCode, "the detached repository is incomplete: " + check.StandardError);
        }
        File.Delete(aside);
    }

    /// <summary>Where <paramref name="branch"/> of the fork stands against <paramref name="sourceBranch"/> of the source; writes nothing.</summary>
    public SyncOutcome Compare(long sourceId, string sourceBranch, long forkId, string branch)
    {
        var sourceTip = Tip(store.PathOf(sourceId), sourceBranch);
        if (sourceTip is null) return new SyncOutcome(SyncStatus.SourceBranchMissing);
        using var lease = RepositoryPool.Rent(store.PathOf(forkId));
        var repo = lease.Repository;
        var mine = repo.Branches[branch]?.Tip;
        if (mine is null) return new SyncOutcome(SyncStatus.BranchMissing);
        if (mine.Sha == sourceTip) return new SyncOutcome(SyncStatus.UpToDate);
        if (repo.Lookup<Commit>(sourceTip) is not { } theirs) return new SyncOutcome(SyncStatus.Unavailable);
        var divergence = repo.ObjectDatabase.CalculateHistoryDivergence(mine, theirs);
        var ahead = divergence.AheadBy ?? 0;
        var behind = divergence.BehindBy ?? 0;
        var status = behind == 0 ? SyncStatus.Ahead : ahead > 0 ? SyncStatus.Diverged : SyncStatus.CanFastForward;
        return new SyncOutcome(status, ahead, behind, status == SyncStatus.CanFastForward ? new RefUpdate(mine.Sha, theirs.Sha, "refs/heads/" + branch) : null);
    }

    /// <summary>
    /// Moves <paramref name="branch"/> of the fork forward to the tip of <paramref name="sourceBranch"/> of the source when
    /// that is a fast-forward, with a compare-and-swap <c>git update-ref NEW OLD</c>: refused (<see cref="SyncStatus.Moved"/>)
    /// if the branch moved meanwhile. Any other status is returned unchanged, nothing written.
    /// </summary>
    public async Task<SyncOutcome> FastForwardAsync(long sourceId, string sourceBranch, long forkId, string branch, CancellationToken ct = default)
    {
        var outcome = Compare(sourceId, sourceBranch, forkId, branch);
        if (outcome is not { Status: SyncStatus.CanFastForward, Update: { } update }) return outcome;
        var result = await git.Command("update-ref").Value(update.RefName).Value(update.NewSha).Value(update.OldSha).In(store.PathOf(forkId)).RunAsync(ct);
        return result.Success ? outcome with { Status = SyncStatus.FastForwarded } : new SyncOutcome(SyncStatus.Moved);
    }

    /// <summary>
    /// True when commit <paramref name="commit"/> is <paramref name="tip"/> or one of its ancestors, looked up in the repository at
    /// <paramref name="repoPath"/> (a fork sees its source's commits through its alternates). False when either is unknown.
    /// </summary>
    public static bool IsContainedIn(string repoPath, string commit, string tip)
    {
        if (commit == tip) return true;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        if (repo.Lookup<Commit>(commit) is not { } c || repo.Lookup<Commit>(tip) is not { } t) return false;
        return repo.ObjectDatabase.FindMergeBase(c, t)?.Sha == c.Sha;
    }

    private static string? Tip(string repoPath, string branch)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        return lease.Repository.Branches[branch]?.Tip?.Sha;
    }

    private static string AlternatesOf(string repoPath) => Path.Combine(repoPath, "objects", "info", "alternates");
}
