using LibGit2Sharp;

namespace Forge.Git;

/// <summary>What a push brought, for activity feeds.</summary>
public sealed record PushedCommits(int Count, IReadOnlyList<CommitInfo> Newest);

public sealed partial class GitReader
{
    /// <summary>The object a ref names now (its direct target: an annotated tag's own id), or null when it does not exist.</summary>
    public string? RefTarget(string repoPath, string refName)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        return lease.Repository.Refs[refName] is DirectReference direct ? direct.TargetIdentifier : null;
    }

    /// <summary>
    /// Commits reachable from <paramref name="newSha"/> and not from <paramref name="oldSha"/> — for a new branch
    /// (<paramref name="oldSha"/> all zeros), not from any other branch either: the commits the push made known. Counted up to
    /// <paramref name="maxCount"/>; the <paramref name="newest"/> newest are returned. Time order, so a first push of a long history
    /// stops after <paramref name="maxCount"/> commits instead of sorting all of them.
    /// </summary>
    public PushedCommits? CommitsPushed(string repoPath, string oldSha, string newSha, string refName, int newest = 5, int maxCount = 1000)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        if (repo.Lookup(newSha) is not Commit head) return null;
        var exclude = new List<object>();
        if (oldSha != RefUpdate.ZeroSha && repo.Lookup(oldSha) is Commit old) exclude.Add(old);
        else
            exclude.AddRange(repo.Refs.Where(r => r.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) && r.CanonicalName != refName)
                .Select(r => r.ResolveToDirectReference()?.Target).OfType<Commit>());
        var walk = repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = head, ExcludeReachableFrom = exclude, SortBy = CommitSortStrategies.Time })
            .Take(maxCount).ToList();
        return new PushedCommits(walk.Count, walk.Take(newest).Select(ToInfo).ToList());
    }
}
