using LibGit2Sharp;

namespace Forge.Git;

/// <summary>A file of a commit's tree, without its content.</summary>
public sealed record TreeFile(string Path, long Size, string BlobId);

/// <summary>How a path differs between two commits (a rename is a deletion plus an addition).</summary>
public enum PathChange { Added, Modified, Deleted }

/// <summary>One changed file between two commits.</summary>
public sealed record ChangedPath(string Path, PathChange Change);

/// <summary>
/// Reads for the search indexer: whole-tree listings, tree diffs and batched blob reads, each with one repository handle
/// from the pool (the one the indexer's <see cref="BranchTip"/> just used: a rebuild opens each repository once, not twice).
/// </summary>
public sealed partial class GitReader
{
    /// <summary>Whether the indexer's reads go straight to libgit2's object database (see <c>NativeObjectReader</c>).</summary>
    public static bool FastObjectReads => NativeObjectReader.Available;

    /// <summary>Every regular file of a commit (symlinks and submodules left out), at most <paramref name="maxFiles"/>, in path order.</summary>
    public IReadOnlyList<TreeFile>? ListFiles(string repoPath, string commitSha, int maxFiles) =>
        ListAndRead(repoPath, commitSha, maxFiles, _ => 0, 0)?.Files;

    /// <summary>
    /// Every regular file of a commit (as <see cref="ListFiles"/>) and, in the same repository open, the content of those
    /// for which <paramref name="readBytes"/> gives a byte budget above zero (binary files left out).
    /// </summary>
    public (IReadOnlyList<TreeFile> Files, IReadOnlyList<BlobContent> Contents)? ListAndRead(string repoPath, string commitSha, int maxFiles,
        Func<TreeFile, long> readBytes, int maxRead)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return null;
        var files = new List<TreeFile>();
        var contents = new List<BlobContent>();
        var pending = new Stack<Tree>();
        pending.Push(commit.Tree);
        while (pending.Count > 0 && files.Count < maxFiles)
        {
            foreach (var entry in pending.Pop())
            {
                if (entry.Mode == Mode.Directory) pending.Push((Tree)entry.Target);
                else if (entry.Mode is Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile)
                {
                    var blob = (Blob)entry.Target;
                    var path = entry.Path.Replace('\\', '/');
                    if (!NativeObjectReader.Available)
                    {
                        var file = new TreeFile(path, blob.Size, blob.Sha);
                        files.Add(file);
                        if (contents.Count < maxRead && readBytes(file) is var budget and > 0 && Read(blob, file.Path, budget) is { IsBinary: false } content)
                            contents.Add(content);
                    }
                    else
                    {
                        // The size from the object's header; a file to read is read once, its size with it.
                        var size = NativeObjectReader.Size(repo, blob.Id) ?? blob.Size;
                        var file = new TreeFile(path, size, blob.Sha);
                        files.Add(file);
                        if (contents.Count < maxRead && readBytes(file) is var budget and > 0
                            && NativeObjectReader.Content(repo, blob.Id, budget) is var (_, bytes) && Content(path, size, bytes, blob.Sha) is { IsBinary: false } content)
                            contents.Add(content);
                    }
                    if (files.Count >= maxFiles) break;
                }
            }
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return (files, contents);
    }

    /// <summary>
    /// Files that differ between two commits' trees (no ancestry needed: works across a force-push). Null when either
    /// commit is unknown to the repository, for example when the old one was garbage-collected.
    /// </summary>
    public IReadOnlyList<ChangedPath>? ChangedPaths(string repoPath, string oldCommitSha, string newCommitSha)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        if (!ObjectId.TryParse(oldCommitSha, out var oldId) || !ObjectId.TryParse(newCommitSha, out var newId)) return null;
        var oldCommit = repo.Lookup<Commit>(oldId);
        var newCommit = repo.Lookup<Commit>(newId);
        if (oldCommit is null || newCommit is null) return null;
        var changes = repo.Diff.Compare<TreeChanges>(oldCommit.Tree, newCommit.Tree, new CompareOptions { Similarity = SimilarityOptions.None });
        var result = new List<ChangedPath>();
        foreach (var c in changes)
        {
            switch (c.Status)
            {
                case ChangeKind.Added:
                    result.Add(new(c.Path, PathChange.Added));
                    break;
                case ChangeKind.Deleted:
                    result.Add(new(c.OldPath, PathChange.Deleted));
                    break;
                case ChangeKind.Renamed:
                case ChangeKind.Copied:
                    if (c.Status == ChangeKind.Renamed) result.Add(new(c.OldPath, PathChange.Deleted));
                    result.Add(new(c.Path, PathChange.Added));
                    break;
                case ChangeKind.Unmodified:
                    break;
                default: // Modified, TypeChanged
                    result.Add(new(c.Path, PathChange.Modified));
                    break;
            }
        }
        return result;
    }

    /// <summary>Reads several files of one commit in one repository open; missing paths and binaries are left out.</summary>
    public IReadOnlyList<BlobContent> ReadBlobs(string repoPath, string commitSha, IEnumerable<string> paths, long maxBytesPerFile)
    {
        var result = new List<BlobContent>();
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return result;
        foreach (var path in paths)
        {
            if (!IsSafePath(path) || path.Length == 0) continue;
            if (commit[path] is not { Target: Blob blob } entry || entry.Mode == Mode.SymbolicLink) continue;
            var content = Read(blob, path, maxBytesPerFile);
            if (!content.IsBinary) result.Add(content);
        }
        return result;
    }
}
