using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Reads repositories in-process with LibGit2Sharp. A <see cref="Repository"/> is opened per call and never
/// cached across requests; only Forge records leave this class. User-supplied refs are matched against the real
/// ref list (never handed to rev-parse), and paths are checked segment by segment.
/// </summary>
public sealed partial class GitReader
{
    /// <summary>Bytes git looks at to decide whether content is binary.</summary>
    private const int BinaryProbe = 8000;

    public GitReader() => LibGit2Setup.Apply();

    /// <summary>True when the repository has no commit at all.</summary>
    public bool IsEmpty(string repoPath)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Head.Tip is null && !repo.Refs.Any();
    }

    /// <summary>The branch HEAD points at (may not exist yet in an empty repository).</summary>
    public string? HeadBranch(string repoPath)
    {
        // HEAD is a one-line file ("ref: refs/heads/main"): read it rather than open the whole repository.
        try
        {
            var line = File.ReadAllText(Path.Combine(repoPath, "HEAD")).Trim();
            const string prefix = "ref: refs/heads/";
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = line[prefix.Length..];
                return Reference.IsValidName("refs/heads/" + name) ? name : null;
            }
        }
        catch (IOException)
        {
        }
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var target = repo.Refs.Head?.TargetIdentifier;
        return target is not null && target.StartsWith("refs/heads/", StringComparison.Ordinal) ? target["refs/heads/".Length..] : null;
    }

    /// <summary>Commit id HEAD's branch points at, or null for an empty repository.</summary>
    public string? HeadTip(string repoPath)
    {
        var head = HeadBranch(repoPath);
        return head is null ? null : Resolve(repoPath, head.Split('/'))?.CommitSha;
    }

    /// <summary>Commit id of a branch tip, or null.</summary>
    public string? BranchTip(string repoPath, string branch)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Branches[branch]?.Tip?.Sha;
    }

    public IReadOnlyList<string> Branches(string repoPath)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Branches.Where(b => !b.IsRemote).Select(b => b.FriendlyName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The object a tag ref points at (the annotation for annotated tags), or null.</summary>
    public string? TagTarget(string repoPath, string name)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Refs["refs/tags/" + name]?.TargetIdentifier;
    }

    public IReadOnlyList<string> Tags(string repoPath)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Tags.Select(t => t.FriendlyName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Splits URL segments into a ref and a path: the longest prefix naming a branch, then a tag, else a full or
    /// abbreviated (7+ hex digits) commit id. Returns null when nothing matches or a segment is unsafe.
    /// </summary>
    public ResolvedPath? Resolve(string repoPath, IReadOnlyList<string> segments)
    {
        if (segments.Count == 0 || segments.Any(s => !IsSafeSegment(s))) return null;
        // Opening a repository costs far more than serving a cached page: remember answers for as long as the
        // files git stores those refs in are unchanged (libgit2 stays the authority; this only skips repeats).
        var key = repoPath + "\n" + string.Join('/', segments);
        var stamp = RefStamp(repoPath, segments);
        if (_resolved.TryGetValue(key, out var hit) && hit.Stamp == stamp) return hit.Result;
        var result = ResolveUncached(repoPath, segments);
        if (result is not null)
        {
            if (_resolved.Count > MaxRememberedRefs) _resolved.Clear();
            _resolved[key] = (stamp, result);
        }
        return result;
    }

    private const int MaxRememberedRefs = 20_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Stamp, ResolvedPath Result)> _resolved = new();

    /// <summary>Size and time of every file that could hold one of the candidate refs, plus HEAD and packed-refs.</summary>
    private static string RefStamp(string repoPath, IReadOnlyList<string> segments)
    {
        var sb = new System.Text.StringBuilder(128);
        AppendStamp(sb, Path.Combine(repoPath, "HEAD"));
        AppendStamp(sb, Path.Combine(repoPath, "packed-refs"));
        var name = "";
        for (var i = 0; i < segments.Count; i++)
        {
            name = i == 0 ? segments[0] : name + "/" + segments[i];
            if (name.StartsWith('-') || !Reference.IsValidName("refs/heads/" + name)) continue;
            AppendStamp(sb, Path.Combine(repoPath, "refs", "heads", name));
            AppendStamp(sb, Path.Combine(repoPath, "refs", "tags", name));
        }
        return sb.ToString();
    }

    private static void AppendStamp(System.Text.StringBuilder sb, string path)
    {
        var info = new FileInfo(path);
        if (info.Exists) sb.Append(info.LastWriteTimeUtc.Ticks).Append(':').Append(info.Length);
        sb.Append(';');
    }

    private static ResolvedPath? ResolveUncached(string repoPath, IReadOnlyList<string> segments)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        for (var i = segments.Count; i >= 1; i--)
        {
            var name = string.Join('/', segments.Take(i));
            var rest = string.Join('/', segments.Skip(i));
            // Only names git itself would accept are looked up: no revision syntax, no option-like names.
            if (name.StartsWith('-') || !Reference.IsValidName("refs/heads/" + name)) continue;
            if (repo.Branches[name] is { IsRemote: false, Tip: { } tip })
                return new ResolvedPath(name, tip.Sha, rest, true);
            if (repo.Tags[name]?.PeeledTarget is Commit tagged)
                return new ResolvedPath(name, tagged.Sha, rest, false);
        }
        var first = segments[0];
        if (first.Length is >= 7 and <= 40 && first.All(Uri.IsHexDigit))
        {
            var commit = first.Length == 40
                ? repo.Lookup<Commit>(new ObjectId(first))
                : repo.Lookup(first.ToLowerInvariant(), ObjectType.Commit) as Commit;
            if (commit is not null) return new ResolvedPath(commit.Sha, commit.Sha, string.Join('/', segments.Skip(1)), false);
        }
        return null;
    }

    /// <summary>True for a path segment that may be looked up in a tree.</summary>
    public static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment is not "." and not ".." && !segment.Contains('\0') && !segment.Contains('\\');

    /// <summary>True for a repository-relative path made only of safe segments (or empty for the root).</summary>
    public static bool IsSafePath(string path) => path.Length == 0 || path.Split('/').All(IsSafeSegment);

    public CommitInfo? GetCommit(string repoPath, string sha)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        return repo.Lookup<Commit>(sha) is { } c ? ToInfo(c) : null;
    }

    /// <summary>The commit a full or abbreviated id names, or null: unknown, ambiguous, not a commit, or an empty repository.</summary>
    public CommitInfo? FindCommit(string repoPath, string id)
    {
        try
        {
            return GetCommit(repoPath, id);
        }
        catch (Exception e) when (e is LibGit2SharpException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Entries of folder <paramref name="dirPath"/> at a commit, folders first; null if it is not a folder.</summary>
    public IReadOnlyList<TreeEntryInfo>? ListTree(string repoPath, string commitSha, string dirPath)
    {
        if (!IsSafePath(dirPath)) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return null;
        Tree? tree = dirPath.Length == 0 ? commit.Tree : commit[dirPath]?.Target as Tree;
        if (tree is null) return null;
        // Sizes come from object headers: reading every blob of the folder only to learn its size would inflate them all.
        var odb = repo.ObjectDatabase;
        return tree
            .Select(e => new TreeEntryInfo(e.Name, e.Path.Replace('\\', '/'), KindOf(e),
                e.TargetType == TreeEntryTargetType.Blob ? odb.RetrieveObjectMetadata(e.Target.Id).Size : 0, e.Target.Sha))
            .OrderBy(e => e.Kind == TreeEntryKind.Directory ? 0 : 1).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>What sits at <paramref name="path"/>: a folder, a file, or null when nothing does.</summary>
    public TreeEntryKind? KindAt(string repoPath, string commitSha, string path)
    {
        if (path.Length == 0) return TreeEntryKind.Directory;
        if (!IsSafePath(path)) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var entry = repo.Lookup<Commit>(commitSha)?[path];
        return entry is null ? null : KindOf(entry);
    }

    /// <summary>Object id of the file at <paramref name="path"/>; null when no file is there.</summary>
    public string? BlobIdAt(string repoPath, string commitSha, string path)
    {
        if (!IsSafePath(path) || path.Length == 0) return null;
        using var repo = new Repository(repoPath);
        return repo.Lookup<Commit>(commitSha)?[path]?.Target is Blob blob ? blob.Sha : null;
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> of the file at <paramref name="path"/>; null when it is not a file.</summary>
    public BlobContent? ReadBlob(string repoPath, string commitSha, string path, long maxBytes)
    {
        if (!IsSafePath(path) || path.Length == 0) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var entry = repo.Lookup<Commit>(commitSha)?[path];
        if (entry?.Target is not Blob blob) return null;
        return Read(blob, path, maxBytes);
    }

    /// <summary>Blob id and size of the file at <paramref name="path"/> (from the object's header), without reading it; null when it is not a file.</summary>
    public (string ObjectId, long Size)? BlobHeader(string repoPath, string commitSha, string path)
    {
        if (!IsSafePath(path) || path.Length == 0) return null;
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var entry = repo.Lookup<Commit>(commitSha)?[path];
        if (entry is null || entry.TargetType != TreeEntryTargetType.Blob) return null;
        return (entry.Target.Sha, repo.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size);
    }

    /// <summary>Opens the file at <paramref name="path"/> for streaming; null when it is not a file. Dispose the result.</summary>
    public BlobStream? OpenBlob(string repoPath, string commitSha, string path)
    {
        if (!IsSafePath(path) || path.Length == 0) return null;
        var lease = RepositoryPool.Rent(repoPath);
        try
        {
            if (lease.Repository.Lookup<Commit>(commitSha)?[path]?.Target is Blob blob)
                return new BlobStream(lease, blob.GetContentStream(), blob.Size, blob.Sha);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        lease.Dispose();
        return null;
    }

    /// <summary>
    /// Text files of a commit whose path passes <paramref name="include"/>, each read within <paramref name="maxBytesPerFile"/>,
    /// stopping after <paramref name="maxFiles"/>. Binary files are skipped. Walks the tree iteratively.
    /// </summary>
    public IReadOnlyList<BlobContent> ReadFiles(string repoPath, string commitSha, Func<string, bool> include, long maxBytesPerFile, int maxFiles)
    {
        var result = new List<BlobContent>();
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return result;
        foreach (var entry in Files(commit).Where(e => include(e.Path)))
        {
            var content = Read((Blob)entry.Target, entry.Path.Replace('\\', '/'), maxBytesPerFile);
            if (!content.IsBinary) result.Add(content);
            if (result.Count >= maxFiles) break;
        }
        return result;
    }

    /// <summary>
    /// Files (not symlinks) of a commit whose size is within [<paramref name="minBytes"/>, <paramref name="maxBytes"/>],
    /// with their blob ids; sizes are read from object headers.
    /// </summary>
    public IReadOnlyList<TreeEntryInfo> FileEntries(string repoPath, string commitSha, long minBytes, long maxBytes)
    {
        using var lease = RepositoryPool.Rent(repoPath);
        var repo = lease.Repository;
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return [];
        return Files(commit)
            .Select(e => (Entry: e, Size: repo.ObjectDatabase.RetrieveObjectMetadata(e.Target.Id).Size))
            .Where(f => f.Size >= minBytes && f.Size <= maxBytes)
            .Select(f => new TreeEntryInfo(f.Entry.Name, f.Entry.Path.Replace('\\', '/'), TreeEntryKind.File, f.Size, f.Entry.Target.Sha))
            .ToList();
    }

    /// <summary>The files (blobs that are not symlinks) of a commit, walking its tree iteratively.</summary>
    private static IEnumerable<TreeEntry> Files(Commit commit)
    {
        var pending = new Stack<Tree>();
        pending.Push(commit.Tree);
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop())
            {
                if (entry.TargetType == TreeEntryTargetType.Tree) pending.Push((Tree)entry.Target);
                else if (entry.TargetType == TreeEntryTargetType.Blob && entry.Mode != Mode.SymbolicLink) yield return entry;
            }
        }
    }

    /// <summary>The README of a folder (README.md first, then any README.*), or null.</summary>
    public TreeEntryInfo? FindReadme(IReadOnlyList<TreeEntryInfo> entries) =>
        entries.Where(e => e.Kind == TreeEntryKind.File && e.Name.StartsWith("readme", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Name.Equals("README.md", StringComparison.OrdinalIgnoreCase) ? 0 : e.Name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? 1 : 2)
            .FirstOrDefault();

    private static BlobContent Read(Blob blob, string path, long maxBytes)
    {
        var size = blob.Size;
        var toRead = (int)Math.Min(size, Math.Max(maxBytes, 0));
        var bytes = new byte[toRead];
        using (var stream = blob.GetContentStream())
        {
            var read = 0;
            while (read < toRead)
            {
                var n = stream.Read(bytes, read, toRead - read);
                if (n == 0) break;
                read += n;
            }
            if (read < toRead) Array.Resize(ref bytes, read);
        }
        return Content(path, size, bytes, blob.Sha);
    }

    /// <summary>A file's bytes as read (all of them, or the first ones of a larger file), binary if a NUL byte comes early.</summary>
    private static BlobContent Content(string path, long size, byte[] bytes, string sha)
    {
        var probe = Math.Min(bytes.Length, BinaryProbe);
        var binary = Array.IndexOf(bytes, (byte)0, 0, probe) >= 0;
        return new BlobContent(path, size, binary, bytes.Length < size, bytes, sha);
    }

    private static TreeEntryKind KindOf(TreeEntry e) => e.Mode switch
    {
        Mode.Directory => TreeEntryKind.Directory,
        Mode.SymbolicLink => TreeEntryKind.Symlink,
        Mode.GitLink => TreeEntryKind.Submodule,
        _ => TreeEntryKind.File,
    };

    private static CommitInfo ToInfo(Commit c) =>
        new(c.Sha, c.Message, c.Author.Name, c.Author.Email, c.Author.When);
}
