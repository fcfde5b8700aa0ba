using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// The newest commit that changed each entry of a folder (the "last commit" column of tree pages, like GitHub's).
/// <para>
/// Found with <c>git log --raw</c>: for every path the walk looks for the newest commit that gave it its current object
/// id while differing from all its parents (merges included, through git's combined diff), which is git's own notion
/// of the commit that last touched a path. With a folder as pathspec, git's changed-path Bloom filters (commit-graph)
/// skip the commits that did not touch it.
/// </para>
/// <para>
/// For branch tips the answers are computed once by a job after pushes, for every folder at once, and kept as derived
/// data inside the repository (<c>forge/last-commits-v1/&lt;commit&gt;/</c>, one small file per folder), like git's own
/// commit-graph: keyed by commit id, so never stale; rebuilt from history at will. A new tip is derived from the
/// previous one by reading only the commits in between. Pages read the file of their folder; without it (a tag, an
/// old commit, a push not processed yet) they run the walk for that folder, within a budget.
/// </para>
/// </summary>
public sealed class LastCommitIndex(GitCli git)
{
    private const string Folder = "last-commits-v1";
    private static readonly byte[] Magic = "FLC1"u8.ToArray();
    /// <summary>Stored tips beyond this many are never considered as the base of a new one.</summary>
    private const int MaxBaseCandidates = 16;
    /// <summary>Repositories with more paths than this get no stored answers (pages walk per folder).</summary>
    private const int MaxPaths = 200_000;

    /// <summary>
    /// Budget of the walk a page runs when nothing is stored: the recent commits (touching the folder) read for all its
    /// entries at once, then, for the entries not met there (at most <see cref="MaxPathspecs"/>), one more walk with each
    /// of them as a pathspec; all within <see cref="PageBudget"/>.
    /// </summary>
    public int PageRecentCommits { get; init; } = 1_000;
    public TimeSpan PageBudget { get; init; } = TimeSpan.FromSeconds(2);
    private const int MaxPathspecs = 100;
    /// <summary>Time budget of the walk a job runs for a whole tip; paths not found by then stay without an answer.</summary>
    public TimeSpan JobBudget { get; init; } = TimeSpan.FromMinutes(2);

    private static string Root(string repoPath) => Path.Combine(repoPath, "forge", Folder);

    private static string TipFolder(string repoPath, string commitSha) => Path.Combine(Root(repoPath), commitSha);

    /// <summary>File name of a folder's answers: a hash of its path, so any path (accents, spaces, non-UTF-8) is safe.</summary>
    private static string Key(string dirPath) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dirPath)))[..32];

    private static bool IsFullSha(string sha) => sha.Length == 40 && sha.All(Uri.IsHexDigit);

    /// <summary>True when the answers of every folder of <paramref name="commitSha"/> are stored.</summary>
    public bool HasTip(string repoPath, string commitSha) => IsFullSha(commitSha) && Directory.Exists(TipFolder(repoPath, commitSha));

    /// <summary>Stored answers for the entries of <paramref name="dirPath"/> at <paramref name="commitSha"/>, or null when none are stored.</summary>
    public IReadOnlyDictionary<string, CommitInfo>? TryRead(string repoPath, string commitSha, string dirPath)
    {
        return IsFullSha(commitSha) && GitReader.IsSafePath(dirPath) ? ReadStored(repoPath, commitSha, dirPath) : null;
    }

    /// <summary>
    /// For each entry of folder <paramref name="dirPath"/> at <paramref name="commitSha"/>, the newest commit that changed it,
    /// from the stored answers when there are some, else by a walk within the page budget (entries not found within it
    /// are absent, and <c>Complete</c> is false). A complete answer depends only on immutable ids: callers may cache it forever.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, CommitInfo> Commits, bool Complete)> GetAsync(string repoPath, string commitSha, string dirPath,
        CancellationToken ct)
    {
        if (TryRead(repoPath, commitSha, dirPath) is { } stored) return (stored, true);
        var result = new Dictionary<string, CommitInfo>(StringComparer.Ordinal);
        if (!IsFullSha(commitSha) || !GitReader.IsSafePath(dirPath)) return (result, true);
        var prefix = dirPath.Length == 0 ? "" : dirPath + "/";
        Dictionary<string, string> pending;
        using (var lease = RepositoryPool.Rent(repoPath))
        {
            var commit = lease.Repository.Lookup<Commit>(commitSha);
            var tree = commit is null ? null : dirPath.Length == 0 ? commit.Tree : commit[dirPath]?.Target as Tree;
            if (tree is null) return (result, true);
            pending = tree.ToDictionary(e => prefix + e.Name, e => e.Target.Sha, StringComparer.Ordinal);
        }
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var complete = await WalkAsync(repoPath, commitSha, null, dirPath.Length == 0 ? null : [dirPath], pending, found,
            PageRecentCommits, PageBudget, ct);
        if (!complete && pending.Count is > 0 and <= MaxPathspecs)
        {
            // The entries not met in recent history were changed long ago: they are looked for alone, each a pathspec, so
            // that git's changed-path Bloom filters skip every commit that touched none of them.
            complete = await WalkAsync(repoPath, commitSha, null, pending.Keys.ToList(), pending, found, null, PageBudget - clock.Elapsed, ct);
        }
        var infos = Infos(repoPath, found.Values);
        foreach (var (path, sha) in found)
            if (infos.TryGetValue(sha, out var info)) result[path[prefix.Length..]] = info;
        return (result, complete);
    }

    /// <summary>
    /// Computes and stores the answers of every folder of <paramref name="tipSha"/> (nothing if already stored), from a
    /// stored ancestor when there is one. Returns false when the repository was too big to be indexed.
    /// </summary>
    public async Task<bool> BuildAsync(string repoPath, string tipSha, CancellationToken ct)
    {
        if (!IsFullSha(tipSha)) throw new ArgumentException("a full commit id is required", nameof(tipSha));
        if (HasTip(repoPath, tipSha)) return true;
        var targets = ListAll(repoPath, tipSha);
        if (targets is null) return false;
        var pending = targets.ToDictionary(t => t.Key, t => t.Value.Id, StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = new Dictionary<string, CommitInfo>(StringComparer.Ordinal);

        var clock = Stopwatch.StartNew();
        if (await NearestStoredAncestorAsync(repoPath, tipSha, ct) is { } baseSha)
        {
            // Only the commits between the stored ancestor and the tip are read; a path they did not give its current
            // content keeps the ancestor's answer when it has the same content there.
            await WalkAsync(repoPath, tipSha, baseSha, null, pending, found, null, JobBudget, ct);
            var before = ListAll(repoPath, baseSha) ?? [];
            foreach (var path in pending.Keys.ToList())
            {
                if (!before.TryGetValue(path, out var old) || old.Id != pending[path]) continue;
                var slash = path.LastIndexOf('/');
                var answers = ReadStored(repoPath, baseSha, slash < 0 ? "" : path[..slash]);
                if (answers is null || !answers.TryGetValue(path[(slash + 1)..], out var info)) continue;
                found[path] = info.Sha;
                known[info.Sha] = info;
                pending.Remove(path);
            }
        }
        // Whatever is left (no stored ancestor, or content that came back from older history) is looked up in the
        // whole history, within the job's budget.
        if (pending.Count > 0) await WalkAsync(repoPath, tipSha, null, null, pending, found, null, JobBudget - clock.Elapsed, ct);

        foreach (var (sha, info) in Infos(repoPath, found.Values.Where(s => !known.ContainsKey(s)))) known[sha] = info;
        Write(repoPath, tipSha, targets, found, known);
        return true;
    }

    /// <summary>Deletes stored answers of every commit but <paramref name="keep"/> (the current branch tips).</summary>
    public void Prune(string repoPath, IReadOnlySet<string> keep)
    {
        var root = new DirectoryInfo(Root(repoPath));
        if (!root.Exists) return;
        foreach (var dir in root.EnumerateDirectories())
        {
            var isTemp = dir.Name.Contains('.');
            if (isTemp ? dir.LastWriteTimeUtc > DateTime.UtcNow.AddHours(-1) : keep.Contains(dir.Name)) continue;
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Commit ids whose answers are stored.</summary>
    public IReadOnlyList<string> StoredTips(string repoPath)
    {
        var root = new DirectoryInfo(Root(repoPath));
        return root.Exists ? root.EnumerateDirectories().Select(d => d.Name).Where(IsFullSha).ToList() : [];
    }

    private async Task<string?> NearestStoredAncestorAsync(string repoPath, string tipSha, CancellationToken ct)
    {
        var stored = StoredTips(repoPath);
        if (stored.Count == 0) return null;
        // Newest first: the nearest ancestor leaves the fewest commits to read.
        List<string> candidates;
        using (var repo = new Repository(repoPath))
        {
            candidates = stored.Select(s => repo.Lookup<Commit>(s)).Where(c => c is not null)
                .OrderByDescending(c => c!.Committer.When).Take(MaxBaseCandidates).Select(c => c!.Sha).ToList();
        }
        foreach (var candidate in candidates)
        {
            var result = await git.Command("merge-base").Option("--is-ancestor").Value(candidate).Value(tipSha).In(repoPath).RunAsync(ct);
            if (result.Success) return candidate;
        }
        return null;
    }

    /// <summary>Every path of the commit's tree (folders included) with its object id; null when there are too many.</summary>
    private static Dictionary<string, (string Id, bool IsTree)>? ListAll(string repoPath, string commitSha)
    {
        var all = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        using var repo = new Repository(repoPath);
        var commit = repo.Lookup<Commit>(commitSha);
        if (commit is null) return all;
        var pending = new Stack<(Tree Tree, string Prefix)>();
        pending.Push((commit.Tree, ""));
        while (pending.Count > 0)
        {
            var (tree, prefix) = pending.Pop();
            foreach (var entry in tree)
            {
                var path = prefix + entry.Name;
                var isTree = entry.TargetType == TreeEntryTargetType.Tree;
                all[path] = (entry.Target.Sha, isTree);
                if (all.Count > MaxPaths) return null;
                if (isTree) pending.Push(((Tree)entry.Target, path + "/"));
            }
        }
        return all;
    }

    /// <summary>
    /// Reads <c>git log --raw</c> from <paramref name="tipSha"/> (not below <paramref name="excludeSha"/>, only commits touching
    /// one of <paramref name="pathspecs"/>, taken literally) and, for each path of <paramref name="pending"/> (path → its object id at the tip),
    /// records in <paramref name="found"/> the newest commit that gave it that id while differing from all its parents.
    /// Found paths leave <paramref name="pending"/>; git is stopped as soon as none is left, or at the budgets. Returns
    /// true when the answer is final: nothing left to find, or the whole history was read.
    /// </summary>
    internal async Task<bool> WalkAsync(string repoPath, string tipSha, string? excludeSha, IReadOnlyCollection<string>? pathspecs,
        Dictionary<string, string> pending, Dictionary<string, string> found, int? maxCommits, TimeSpan budget, CancellationToken ct)
    {
        if (pending.Count == 0) return true;
        if (budget <= TimeSpan.Zero) return false;
        var command = git.Command("log").Option("--format", "%x01%H").Option("--raw").Option("-r").Option("-t").Option("-c")
            .Option("--root").Option("--no-abbrev").Option("--no-renames").Option("-z");
        if (maxCommits is { } max) command.Option("--max-count", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Value(tipSha);
        if (excludeSha is not null) command.Value("^" + excludeSha);
        // Paths are pathspecs taken literally: a folder named "*" or ":x" means that folder.
        if (pathspecs is not null) command.Env("GIT_LITERAL_PATHSPECS", "1").Paths(pathspecs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(budget);
        try
        {
            var commits = new System.Runtime.CompilerServices.StrongBox<int>();
            var toTheEnd = await command.In(repoPath).ReadAsync((output, token) => ParseAsync(output, pending, found, commits, token), timeout.Token);
            // Final when nothing is left to find, or when git ran out of history (not out of the commit budget).
            return pending.Count == 0 || (toTheEnd && (maxCommits is null || commits.Value < maxCommits));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // out of time: the paths not found yet stay without an answer
        }
    }

    /// <summary>
    /// Parses NUL-separated <c>git log -z --raw</c> output: <c>\x01&lt;commit&gt;</c> headers, then per changed path a
    /// <c>:modes ids status</c> field (one colon per parent: <c>::</c> for a merge's combined diff) followed by the path.
    /// Returns true when the output was read to its end, false when it stopped early because nothing was left to find.
    /// </summary>
    internal static async Task<bool> ParseAsync(Stream output, Dictionary<string, string> pending, Dictionary<string, string> found,
        System.Runtime.CompilerServices.StrongBox<int> commits, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var token = new List<byte>(256);
        string? commit = null;
        string? expectPathWithId = null;
        var expectPath = false;
        int n;
        while ((n = await output.ReadAsync(buffer, ct)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != 0)
                {
                    token.Add(buffer[i]);
                    continue;
                }
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(token);
                if (expectPath)
                {
                    expectPath = false;
                    if (expectPathWithId is not null && commit is not null)
                    {
                        var path = Encoding.UTF8.GetString(span);
                        if (pending.TryGetValue(path, out var target) && target == expectPathWithId)
                        {
                            found[path] = commit;
                            pending.Remove(path);
                            if (pending.Count == 0) return false;
                        }
                    }
                }
                else
                {
                    while (span.Length > 0 && span[0] == (byte)'\n') span = span[1..];
                    if (span.Length > 0 && span[0] == 1)
                    {
                        commit = span.Length >= 41 ? Encoding.ASCII.GetString(span.Slice(1, 40)) : null;
                        commits.Value++;
                    }
                    else if (span.Length > 0 && span[0] == (byte)':')
                    {
                        expectPath = true;
                        expectPathWithId = ResultId(span);
                    }
                }
                token.Clear();
            }
        }
        return true;
    }

    /// <summary>The object id a raw diff field gives the path in the commit itself (the last of its ids).</summary>
    private static string? ResultId(ReadOnlySpan<byte> field)
    {
        var parents = 0;
        while (parents < field.Length && field[parents] == (byte)':') parents++;
        var fields = Encoding.ASCII.GetString(field[parents..]).Split(' ');
        // Modes of each parent and of the result, ids of each parent and of the result, then the status.
        var index = (parents + 1) + parents;
        return fields.Length > index && fields[index].Length == 40 ? fields[index] : null;
    }

    private static Dictionary<string, CommitInfo> Infos(string repoPath, IEnumerable<string> shas)
    {
        var infos = new Dictionary<string, CommitInfo>(StringComparer.Ordinal);
        var wanted = shas.Distinct().ToList();
        if (wanted.Count == 0) return infos;
        using var lease = RepositoryPool.Rent(repoPath);
        foreach (var sha in wanted)
            if (lease.Repository.Lookup<Commit>(sha) is { } c)
                infos[sha] = new CommitInfo(c.Sha, c.Message, c.Author.Name, c.Author.Email, c.Author.When);
        return infos;
    }

    private static IReadOnlyDictionary<string, CommitInfo>? ReadStored(string repoPath, string commitSha, string dirPath)
    {
        var file = Path.Combine(TipFolder(repoPath, commitSha), Key(dirPath));
        if (!File.Exists(file)) return null;
        try
        {
            return Decode(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or EndOfStreamException)
        {
            return null; // being pruned, or damaged: the caller walks
        }
    }

    private static void Write(string repoPath, string tipSha, Dictionary<string, (string Id, bool IsTree)> targets,
        Dictionary<string, string> found, Dictionary<string, CommitInfo> infos)
    {
        var byFolder = new Dictionary<string, List<(string Name, CommitInfo? Info)>>(StringComparer.Ordinal) { [""] = [] };
        foreach (var (path, target) in targets)
            if (target.IsTree) byFolder[path] = [];
        foreach (var path in targets.Keys)
        {
            var slash = path.LastIndexOf('/');
            var folder = slash < 0 ? "" : path[..slash];
            var info = found.TryGetValue(path, out var sha) ? infos.GetValueOrDefault(sha) : null;
            byFolder[folder].Add((path[(slash + 1)..], info));
        }
        var root = Root(repoPath);
        if (!RepositoryStore.CreateInside(repoPath, root)) return;
        var temp = Path.Combine(root, $"{tipSha}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var (folder, entries) in byFolder)
                File.WriteAllBytes(Path.Combine(temp, Key(folder)), Encode(entries));
            // Published whole or not at all: readers see a tip's folder only once every file is in it.
            Directory.Move(temp, TipFolder(repoPath, tipSha));
        }
        catch (IOException) when (Directory.Exists(TipFolder(repoPath, tipSha)))
        {
            // Another run published the same tip meanwhile: same content.
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static byte[] Encode(List<(string Name, CommitInfo? Info)> entries)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(Magic);
            var commits = entries.Where(e => e.Info is not null).Select(e => e.Info!).DistinctBy(i => i.Sha).ToList();
            var index = commits.Select((c, i) => (c.Sha, i)).ToDictionary(x => x.Sha, x => x.i);
            w.Write(commits.Count);
            foreach (var c in commits)
            {
                w.Write(c.Sha);
                w.Write(c.Message);
                w.Write(c.AuthorName);
                w.Write(c.AuthorEmail);
                w.Write(c.AuthorDate.UtcTicks);
                w.Write((short)c.AuthorDate.Offset.TotalMinutes);
            }
            var known = entries.Where(e => e.Info is not null).ToList();
            w.Write(known.Count);
            foreach (var (name, info) in known)
            {
                w.Write(name);
                w.Write(index[info!.Sha]);
            }
        }
        return stream.ToArray();
    }

    private static Dictionary<string, CommitInfo> Decode(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a last-commit file");
        var count = r.ReadInt32();
        if (count < 0 || count > MaxPaths) throw new InvalidDataException("bad last-commit file");
        var commits = new CommitInfo[count];
        for (var i = 0; i < count; i++)
        {
            var sha = r.ReadString();
            var message = r.ReadString();
            var name = r.ReadString();
            var email = r.ReadString();
            var ticks = r.ReadInt64();
            var offset = TimeSpan.FromMinutes(r.ReadInt16());
            commits[i] = new CommitInfo(sha, message, name, email, new DateTimeOffset(ticks + offset.Ticks, offset));
        }
        var entries = r.ReadInt32();
        if (entries < 0 || entries > MaxPaths) throw new InvalidDataException("bad last-commit file");
        var result = new Dictionary<string, CommitInfo>(entries, StringComparer.Ordinal);
        for (var i = 0; i < entries; i++)
        {
            var name = r.ReadString();
            var at = r.ReadInt32();
            if ((uint)at >= (uint)commits.Length) throw new InvalidDataException("bad last-commit file");
            result[name] = commits[at];
        }
        return result;
    }
}
