using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Bare repositories on disk, laid out by numeric id (<c>root/ab/12345.git</c>) so renames and transfers only
/// touch the database. Writes go through the git CLI; reads go through <see cref="GitReader"/>.
/// </summary>
public sealed class RepositoryStore
{
    private readonly GitCli _git;

    public RepositoryStore(string root, GitCli git)
    {
        LibGit2Setup.Apply();
        Root = Path.GetFullPath(root);
        _git = git;
        Directory.CreateDirectory(Root);
        EmptyTrash();
    }

    public string Root { get; }

    /// <summary>The folder of repository <paramref name="id"/>; the id is a number, so no traversal is possible.</summary>
    public string PathOf(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        return Path.Combine(Root, (id % 100).ToString("00"), $"{id}.git");
    }

    public bool Exists(long id) => Directory.Exists(PathOf(id));

    /// <summary>Creates an empty bare repository whose HEAD points at <paramref name="defaultBranch"/>.</summary>
    public async Task CreateAsync(long id, string defaultBranch, CancellationToken ct = default)
    {
        var path = PathOf(id);
        if (Directory.Exists(path)) throw new InvalidOperationException($"repository {id} already exists on disk");
        if (!Reference.IsValidName("refs/heads/" + defaultBranch)) throw new ArgumentException("invalid branch name", nameof(defaultBranch));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        (await _git.Command("init").Option("--bare").Option("--quiet").Option("--initial-branch", defaultBranch).Value(path).RunAsync(ct))
            .EnsureSuccess();
        // Server-side settings: no reflog noise, and objects received are checked for corruption.
        foreach (var (key, value) in new[] { ("receive.fsckObjects", "true"), ("core.logAllRefUpdates", "false"), ("uploadpack.allowFilter", "true") })
            (await _git.Command("config").Value(key).Value(value).In(path).RunAsync(ct)).EnsureSuccess();
    }

    /// <summary>Deletes the repository folder. Safe to call twice.</summary>
    /// <remarks>
    /// A job may be writing derived data into the folder at that moment (<c>forge/</c>, see <see cref="CreateInside"/>):
    /// a recursive delete would then fail on a folder that is no longer empty. So the folder is first renamed into
    /// <c>.trash/</c> (atomic: the repository is gone at once, whatever is open in it), then deleted; what cannot be
    /// deleted yet stays in the trash and goes with the next deletion or the next start.
    /// </remarks>
    public void Delete(long id)
    {
        var path = PathOf(id);
        RepositoryPool.Evict(path);
        if (Directory.Exists(path))
        {
            var trash = Path.Combine(Root, TrashFolder);
            Directory.CreateDirectory(trash);
            Directory.Move(path, Path.Combine(trash, $"{id}.{Guid.NewGuid():N}"));
        }
        EmptyTrash();
    }

    /// <summary>Where deleted repositories wait to be removed (not a two-digit folder, so never a repository's).</summary>
    private const string TrashFolder = ".trash";

    /// <summary>Removes what deletions left in the trash; a folder still being written to stays for next time.</summary>
    public void EmptyTrash()
    {
        var trash = Path.Combine(Root, TrashFolder);
        if (!Directory.Exists(trash)) return;
        foreach (var folder in Directory.EnumerateDirectories(trash)) FolderRemoval.TryDelete(folder);
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (inside <paramref name="repoPath"/>) for derived data, unless the repository is gone:
    /// a job that finishes after a deletion must not bring the repository's folder back. False when it is gone.
    /// </summary>
    /// <remarks>
    /// <see cref="Directory.CreateDirectory(string)"/> creates every missing parent, the repository's folder included, so
    /// on Linux each level below the repository is made on its own (<c>mkdir</c>, which fails when its parent is gone):
    /// no window between a check and the creation.
    /// </remarks>
    public static bool CreateInside(string repoPath, string folder)
    {
        var relative = Path.GetRelativePath(repoPath, folder);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new ArgumentException("not inside the repository", nameof(folder));
        if (!OperatingSystem.IsLinux())
        {
            if (!File.Exists(Path.Combine(repoPath, "HEAD"))) return false;
            Directory.CreateDirectory(folder);
            return true;
        }
        var current = repoPath;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            current = Path.Combine(current, part);
            if (Native.mkdir(current, 0x1FF) == 0) continue; // 0777, less the umask, as Directory.CreateDirectory
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Native.EEXIST && Directory.Exists(current)) continue;
            if (errno == Native.ENOENT) return false;
            throw new IOException($"mkdir {current}: errno {errno}");
        }
        return true;
    }

    private static class Native
    {
        public const int ENOENT = 2;
        public const int EEXIST = 17;

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false)]
        public static extern int mkdir([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, uint mode);
    }

    /// <summary>
    /// After a first push, HEAD may still name a branch that does not exist (the client pushed <c>master</c>
    /// to a repository created with <c>main</c>): point HEAD at an existing branch, as Gitea and GitLab do.
    /// Returns the branch HEAD now points at, or null if the repository has no branch.
    /// </summary>
    public async Task<string?> EnsureHeadAsync(long id, CancellationToken ct = default)
    {
        var path = PathOf(id);
        string? target;
        using (var lease = RepositoryPool.Rent(path))
        {
            var repo = lease.Repository;
            var head = repo.Refs.Head?.TargetIdentifier;
            if (head is not null && repo.Refs[head] is not null) return head["refs/heads/".Length..];
            var branches = repo.Branches.Where(b => !b.IsRemote).Select(b => b.FriendlyName).ToList();
            if (branches.Count == 0) return null;
            target = branches.FirstOrDefault(b => b == "main") ?? branches.FirstOrDefault(b => b == "master") ?? branches[0];
        }
        (await _git.Command("symbolic-ref").Value("HEAD").Value("refs/heads/" + target).In(path).RunAsync(ct)).EnsureSuccess();
        return target;
    }

    /// <summary>Points HEAD at an existing branch.</summary>
    public async Task SetDefaultBranchAsync(long id, string branch, CancellationToken ct = default)
    {
        if (!Reference.IsValidName("refs/heads/" + branch)) throw new ArgumentException("invalid branch name", nameof(branch));
        (await _git.Command("symbolic-ref").Value("HEAD").Value("refs/heads/" + branch).In(PathOf(id)).RunAsync(ct)).EnsureSuccess();
    }
}
