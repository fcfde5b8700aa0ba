using LibGit2Sharp;

namespace Forge.Git;

public sealed partial class GitReader
{
    /// <summary>
    /// How far <paramref name="tipSha"/> went from <paramref name="starterSha"/>: commits reachable from the tip and not from the
    /// starter (at most <paramref name="maxCommits"/>), and files that differ between the two trees. Null when either is missing.
    /// </summary>
    public (int Commits, int ChangedFiles)? Progress(string repoPath, string starterSha, string tipSha, int maxCommits = 10_000)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        if (repo.Lookup<Commit>(starterSha) is not { } starter || repo.Lookup<Commit>(tipSha) is not { } tip) return null;
        if (starter.Sha == tip.Sha) return (0, 0);
        var commits = repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, ExcludeReachableFrom = starter }).Take(maxCommits).Count();
        using var changes = repo.Diff.Compare<TreeChanges>(starter.Tree, tip.Tree);
        return (commits, changes.Count);
    }
}
