using LibGit2Sharp;

namespace Forge.Git;

public sealed partial class GitReader
{
    /// <summary>
    /// One page of history from <paramref name="commitSha"/>, optionally limited to commits that changed <paramref name="path"/>.
    /// The walk is lazy (no topological sort), so a first page costs the same on 80,000 commits as on 50.
    /// </summary>
    public HistoryPage Log(string repoPath, string commitSha, string path, int skip, int take, int maxWalk = 50_000)
    {
        if (!IsSafePath(path)) return new HistoryPage([], false);
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var start = repo.Lookup<Commit>(commitSha);
        if (start is null) return new HistoryPage([], false);
        var walk = repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = start, SortBy = CommitSortStrategies.None });
        IEnumerable<Commit> commits = path.Length == 0 ? walk : walk.Take(maxWalk).Where(c => Touches(c, path));
        var page = commits.Skip(skip).Take(take + 1).Select(ToInfo).ToList();
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        return new HistoryPage(page, more);
    }

    /// <summary>True when <paramref name="c"/> changed <paramref name="path"/>: it differs from every parent (git's history simplification).</summary>
    private static bool Touches(Commit c, string path)
    {
        var id = c[path]?.Target.Id;
        var parents = c.Parents.ToList();
        if (parents.Count == 0) return id is not null;
        foreach (var p in parents)
            if (p[path]?.Target.Id == id) return false;
        return true;
    }

    public IReadOnlyList<BranchInfo> BranchList(string repoPath)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var head = repo.Refs.Head?.TargetIdentifier;
        return repo.Branches.Where(b => !b.IsRemote && b.Tip is not null)
            .Select(b => new BranchInfo(b.FriendlyName, ToInfo(b.Tip), b.CanonicalName == head))
            .OrderByDescending(b => b.IsDefault).ThenByDescending(b => b.Tip.AuthorDate).ToList();
    }

    public IReadOnlyList<TagInfo> TagList(string repoPath)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Tags.Where(t => t.PeeledTarget is Commit)
            .Select(t => new TagInfo(t.FriendlyName, ToInfo((Commit)t.PeeledTarget), t.Annotation?.Message?.Trim(), t.IsAnnotated))
            .OrderByDescending(t => t.Target.AuthorDate).ToList();
    }

    /// <summary>A commit with its diff against its first parent (or the empty tree for a root commit).</summary>
    public CommitDetail? GetCommitDetail(string repoPath, string sha, DiffBudget budget)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = Lookup(repo, sha);
        if (commit is null) return null;
        var parent = commit.Parents.FirstOrDefault();
        var diff = Diff(repo, parent?.Tree, commit.Tree, budget);
        return new CommitDetail(ToInfo(commit), commit.Parents.Select(p => p.Sha).ToList(), diff);
    }

    /// <summary>What <paramref name="headSha"/> adds to <paramref name="baseSha"/> (three-dot comparison, as on GitHub).</summary>
    public Comparison? Compare(string repoPath, string baseSha, string headSha, DiffBudget budget, int maxCommits = 250)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var baseCommit = Lookup(repo, baseSha);
        var headCommit = Lookup(repo, headSha);
        if (baseCommit is null || headCommit is null) return null;
        var mergeBase = repo.ObjectDatabase.FindMergeBase(baseCommit, headCommit);
        var commits = repo.Commits.QueryBy(new CommitFilter
        {
            IncludeReachableFrom = headCommit, ExcludeReachableFrom = baseCommit, SortBy = CommitSortStrategies.Time | CommitSortStrategies.Reverse,
        }).Take(maxCommits + 1).Select(ToInfo).ToList();
        var truncated = commits.Count > maxCommits;
        if (truncated) commits.RemoveAt(commits.Count - 1);
        var diff = Diff(repo, (mergeBase ?? baseCommit).Tree, headCommit.Tree, budget);
        return new Comparison(baseCommit.Sha, headCommit.Sha, mergeBase?.Sha, commits, truncated, diff);
    }

    private static Commit? Lookup(Repository repo, string sha) =>
        sha.Length is >= 7 and <= 40 && sha.All(Uri.IsHexDigit)
            ? (sha.Length == 40 ? repo.Lookup<Commit>(new ObjectId(sha)) : repo.Lookup(sha.ToLowerInvariant(), ObjectType.Commit) as Commit)
            : null;

    private static DiffResult Diff(Repository repo, Tree? oldTree, Tree newTree, DiffBudget budget)
    {
        var compare = new CompareOptions { Similarity = SimilarityOptions.Renames, ContextLines = 3, IncludeUnmodified = false };
        var changes = repo.Diff.Compare<TreeChanges>(oldTree, newTree, compare);
        var all = changes.ToList();
        var shownPaths = all.Take(budget.MaxFiles).Select(c => c.Path).Concat(all.Take(budget.MaxFiles).Select(c => c.OldPath)).Distinct().ToList();
        var patch = shownPaths.Count == 0 ? null : repo.Diff.Compare<Patch>(oldTree, newTree, shownPaths, compare);
        var files = new List<FileDiff>();
        var linesLeft = budget.MaxTotalLines;
        int additions = 0, deletions = 0;
        if (patch is not null)
        {
            foreach (var entry in patch)
            {
                additions += entry.LinesAdded;
                deletions += entry.LinesDeleted;
                var kind = entry.Status switch
                {
                    ChangeKind.Added => FileChangeKind.Added,
                    ChangeKind.Deleted => FileChangeKind.Deleted,
                    ChangeKind.Renamed => FileChangeKind.Renamed,
                    ChangeKind.Copied => FileChangeKind.Copied,
                    ChangeKind.TypeChanged => FileChangeKind.TypeChanged,
                    _ => FileChangeKind.Modified,
                };
                var (hunks, cut) = entry.IsBinaryComparison || linesLeft <= 0
                    ? ([], !entry.IsBinaryComparison)
                    : UnifiedDiff.Parse(entry.Patch, Math.Min(budget.MaxLinesPerFile, linesLeft), budget.MaxLineLength);
                linesLeft -= hunks.Sum(h => h.Lines.Count);
                files.Add(new FileDiff(entry.Path, entry.OldPath != entry.Path ? entry.OldPath : null, kind,
                    entry.LinesAdded, entry.LinesDeleted, entry.IsBinaryComparison, hunks, cut));
            }
        }
        return new DiffResult(files, all.Count, additions, deletions, all.Count > files.Count || files.Any(f => f.Truncated));
    }
}
