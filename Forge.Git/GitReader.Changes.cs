using LibGit2Sharp;

namespace Forge.Git;

/// <summary>A file of a commit's tree, by path and blob id (symbolic links and submodules left out).</summary>
public sealed record FileEntry(string Path, string BlobId);

/// <summary>What changed between two commits: files added or modified (with their new blob) and paths deleted.</summary>
public sealed record FileChanges(IReadOnlyList<FileEntry> Changed, IReadOnlyList<string> Deleted);

public sealed partial class GitReader
{
    /// <summary>
    /// Every file of a commit by path and blob id (at most <paramref name="maxFiles"/>); null for an unknown commit. Unlike
    /// <see cref="ListFiles"/> no blob is loaded (sizes are not needed), so a tree of large media files costs no more than its listing.
    /// </summary>
    public IReadOnlyList<FileEntry>? FileIds(string repoPath, string commitSha, int maxFiles = 200_000)
    {
        if (!IsFullId(commitSha)) return null;
        using var repo = new Repository(repoPath);
        if (repo.Lookup<Commit>(new ObjectId(commitSha)) is not { } commit) return null;
        var result = new List<FileEntry>();
        var pending = new Stack<(string Prefix, Tree Tree)>();
        pending.Push(("", commit.Tree));
        while (pending.Count > 0 && result.Count < maxFiles)
        {
            var (prefix, tree) = pending.Pop();
            foreach (var e in tree)
            {
                if (e.TargetType == TreeEntryTargetType.Tree) pending.Push((prefix + e.Name + "/", (Tree)e.Target));
                else if (e.TargetType == TreeEntryTargetType.Blob && e.Mode != Mode.SymbolicLink)
                {
                    result.Add(new FileEntry(prefix + e.Name, e.Target.Sha));
                    if (result.Count >= maxFiles) break;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Files added, modified or deleted from <paramref name="oldCommit"/> to <paramref name="newCommit"/> with the new blob ids
    /// (see <see cref="ChangedPaths"/> for paths only; a rename is a deletion and an addition). Identical sub-trees are skipped
    /// without being read. Null when either commit is unknown.
    /// </summary>
    public FileChanges? ChangedFiles(string repoPath, string oldCommit, string newCommit)
    {
        if (!IsFullId(oldCommit) || !IsFullId(newCommit)) return null;
        using var repo = new Repository(repoPath);
        var before = repo.Lookup<Commit>(new ObjectId(oldCommit));
        var after = repo.Lookup<Commit>(new ObjectId(newCommit));
        if (before is null || after is null) return null;
        var changes = repo.Diff.Compare<TreeChanges>(before.Tree, after.Tree, new CompareOptions { Similarity = SimilarityOptions.None });
        var changed = new List<FileEntry>();
        var deleted = new List<string>();
        foreach (var c in changes)
        {
            var path = c.Path.Replace('\\', '/');
            if (c.Status is ChangeKind.Deleted || c.Mode is Mode.SymbolicLink or Mode.GitLink)
            {
                deleted.Add(path);
                continue;
            }
            if (c.Status is ChangeKind.Added or ChangeKind.Modified or ChangeKind.TypeChanged or ChangeKind.Renamed or ChangeKind.Copied)
                changed.Add(new FileEntry(path, c.Oid.Sha));
            if (c.Status == ChangeKind.Renamed && c.OldPath is { } old && old != c.Path) deleted.Add(old.Replace('\\', '/'));
        }
        return new FileChanges(changed, deleted);
    }

    /// <summary>
    /// Reads many blobs by id with one open repository, each within <paramref name="maxBytes"/>, binaries included (unlike
    /// <see cref="ReadBlobs"/>: licence sidecars and spreadsheets need them).
    /// Blobs larger than <paramref name="skipAbove"/> are not loaded at all: they come back empty, truncated and binary.
    /// </summary>
    public void ReadBlobsById(string repoPath, IEnumerable<FileEntry> files, Func<FileEntry, int> maxBytes, long skipAbove, Action<FileEntry, BlobContent> each,
        CancellationToken ct = default)
    {
        using var repo = new Repository(repoPath);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            if (!IsFullId(file.BlobId)) continue;
            var id = new ObjectId(file.BlobId);
            var header = repo.ObjectDatabase.RetrieveObjectMetadata(id);
            if (header is null) continue;
            if (header.Size > skipAbove)
            {
                each(file, new BlobContent(file.Path, header.Size, true, true, [], file.BlobId));
                continue;
            }
            if (repo.Lookup<Blob>(id) is not { } blob) continue;
            each(file, Read(blob, file.Path, maxBytes(file)));
        }
    }
}
