using LibGit2Sharp;

namespace Forge.Git;

/// <summary>A commit with what git-level clients expect besides <see cref="CommitInfo"/>: committer, tree and parents.</summary>
public sealed record CommitObject(CommitInfo Info, string CommitterName, string CommitterEmail, DateTimeOffset CommitterDate,
    string TreeSha, IReadOnlyList<string> Parents);

/// <summary>One entry of a tree listing by object id: <see cref="Mode"/> in git's octal notation (<c>100644</c>).</summary>
public sealed record TreeObjectEntry(string Path, string Mode, string Type, long Size, string Sha);

/// <summary>A page of a (possibly recursive) tree; <see cref="Total"/> counts every entry, <see cref="Truncated"/> when the walk hit its budget.</summary>
public sealed record TreePage(string Sha, IReadOnlyList<TreeObjectEntry> Entries, int Total, bool Truncated);

public sealed partial class GitReader
{
    /// <summary>Commits by full id, with committer, tree and parents (unknown ids are skipped). Opens the repository once.</summary>
    public IReadOnlyList<CommitObject> CommitObjects(string repoPath, IEnumerable<string> shas)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var result = new List<CommitObject>();
        foreach (var sha in shas)
            if (Lookup(repo, sha) is { } c)
                result.Add(new CommitObject(ToInfo(c), c.Committer.Name, c.Committer.Email, c.Committer.When, c.Tree.Sha, c.Parents.Select(p => p.Sha).ToList()));
        return result;
    }

    /// <summary>
    /// Which of <paramref name="ids"/> (full 40-hex ids) the repository's object store holds, its alternates included. A look-up
    /// in the pack indexes per id: nothing is read or inflated.
    /// </summary>
    public IReadOnlyList<string> ContainedObjects(string repoPath, IEnumerable<string> ids)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var odb = lease.Repository.ObjectDatabase;
        return ids.Where(id => IsFullId(id) && odb.Contains(new ObjectId(id))).ToList();
    }

    /// <summary>
    /// The blob with id <paramref name="blobSha"/> (a full 40-hex id), read within <paramref name="maxBytes"/>; null when
    /// the id is malformed or names no blob of this repository.
    /// </summary>
    public BlobContent? ReadBlobById(string repoPath, string blobSha, long maxBytes)
    {
        if (!IsFullId(blobSha)) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Lookup<Blob>(new ObjectId(blobSha)) is { } blob ? Read(blob, "", maxBytes) : null;
    }

    /// <summary>
    /// Entries of the tree <paramref name="sha"/> names (a tree id, or a commit id whose tree is listed), paged, walking
    /// sub-trees breadth-first when <paramref name="recursive"/>, at most <paramref name="maxEntries"/> entries in all.
    /// Null when the id is malformed or names neither a tree nor a commit.
    /// </summary>
    public TreePage? TreeById(string repoPath, string sha, bool recursive, int skip, int take, int maxEntries = 100_000)
    {
        if (!IsFullId(sha)) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var tree = repo.Lookup(new ObjectId(sha)) switch
        {
            Tree t => t,
            Commit c => c.Tree,
            _ => null,
        };
        if (tree is null) return null;
        var page = new List<TreeObjectEntry>();
        var total = 0;
        var truncated = false;
        var pending = new Queue<(string Prefix, Tree Tree)>();
        pending.Enqueue(("", tree));
        while (pending.Count > 0 && !truncated)
        {
            var (prefix, current) = pending.Dequeue();
            foreach (var e in current)
            {
                if (total >= maxEntries) { truncated = true; break; }
                var path = prefix + e.Name;
                if (total >= skip && page.Count < take)
                {
                    var type = e.TargetType switch { TreeEntryTargetType.Tree => "tree", TreeEntryTargetType.GitLink => "commit", _ => "blob" };
                    page.Add(new TreeObjectEntry(path, Convert.ToString((int)e.Mode, 8).PadLeft(6, '0'), type, e.Target is Blob b ? b.Size : 0, e.Target.Sha));
                }
                total++;
                if (recursive && e.Target is Tree sub) pending.Enqueue((path + "/", sub));
            }
        }
        return new TreePage(tree.Sha, page, total, truncated);
    }

    private static bool IsFullId(string sha) => sha.Length == 40 && sha.All(Uri.IsHexDigit);
}
