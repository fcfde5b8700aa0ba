using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Forge.Web.Sites;

/// <summary>A page of a built site.</summary>
public sealed record SitePageEntry(string Url, string Source, string Title, string File, IReadOnlyList<Forge.Web.Rendering.TocEntry> Toc,
    bool Math, bool Diagram, bool Exercise, bool Notebook);

/// <summary>An entry of a built site's navigation: a page (its URL within the site, "" for the home), a link, or a section.</summary>
public sealed record SiteNavNode(string Title, string? Url, string? External, IReadOnlyList<SiteNavNode> Children);

/// <summary>What a build produced (<c>site.json</c> of the build folder).</summary>
public sealed record SiteManifest(string Name, string? Accent, string Branch, string Commit, DateTimeOffset BuiltAt,
    IReadOnlyList<SitePageEntry> Pages, IReadOnlyList<SiteNavNode> Nav, IReadOnlyList<string> Order);

/// <summary>One build, as the builds page lists it.</summary>
public sealed record SiteBuildRecord(string Id, string Branch, string Commit, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string Status, IReadOnlyList<string> Errors, IReadOnlyList<string> Notices, int Pages = 0, long Bytes = 0)
{
    public const string Running = "en-cours", Succeeded = "reussi", Failed = "echoue";
}

/// <summary>A built site ready to serve: its folder and manifest.</summary>
public sealed record SiteBuild(string Folder, SiteManifest Manifest)
{
    private readonly Dictionary<string, SitePageEntry> _byUrl = Manifest.Pages.ToDictionary(p => p.Url, StringComparer.Ordinal);
    public SitePageEntry? Page(string url) => _byUrl.GetValueOrDefault(url);
}

/// <summary>
/// Course sites on disk: <c>data/sites/{repositoryId}/{branch key}/</c> holds build folders (<c>b-…</c>), <c>CURRENT</c> (the
/// name of the build served, written last, by an atomic rename) and <c>builds.json</c> (the last builds and their logs).
/// A branch's key is a hash of its name, so no branch name ever becomes a path.
/// </summary>
public sealed class SiteStore(ForgeSettings settings)
{
    public const int KeptRecords = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SiteBuild> _loaded = new(StringComparer.Ordinal);

    public string Root => Path.Combine(settings.DataPath, "sites");

    public string RepositoryFolder(long repositoryId) => Path.Combine(Root, repositoryId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string BranchFolder(long repositoryId, string branch) =>
        Path.Combine(RepositoryFolder(repositoryId), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(branch)))[..20]);

    /// <summary>The build served for the branch, or null when none succeeded yet.</summary>
    public SiteBuild? Current(long repositoryId, string branch)
    {
        var folder = BranchFolder(repositoryId, branch);
        string name;
        try
        {
            name = File.ReadAllText(Path.Combine(folder, "CURRENT")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        if (!name.StartsWith("b-", StringComparison.Ordinal) || name.Contains('/') || name.Contains('\\')) return null;
        var build = Path.Combine(folder, name);
        if (_loaded.TryGetValue(build, out var loaded)) return loaded;
        try
        {
            var manifest = JsonSerializer.Deserialize<SiteManifest>(File.ReadAllBytes(Path.Combine(build, "site.json")), Json);
            if (manifest is null) return null;
            var site = new SiteBuild(build, manifest);
            if (_loaded.Count > 200) _loaded.Clear();
            _loaded[build] = site;
            return site;
        }
        catch (IOException)
        {
            return null; // switched and removed meanwhile: the next request reads the new pointer
        }
    }

    public IReadOnlyList<SiteBuildRecord> Records(long repositoryId, string branch)
    {
        try
        {
            return JsonSerializer.Deserialize<List<SiteBuildRecord>>(File.ReadAllBytes(Path.Combine(BranchFolder(repositoryId, branch), "builds.json")), Json) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    private static readonly Lock RecordsGate = new();

    /// <summary>Adds or replaces (same id) a build record, keeping the last <see cref="KeptRecords"/>; written by rename.</summary>
    public void Record(long repositoryId, SiteBuildRecord record)
    {
        lock (RecordsGate)
        {
            var folder = BranchFolder(repositoryId, record.Branch);
            Directory.CreateDirectory(folder);
            var records = Records(repositoryId, record.Branch).Where(r => r.Id != record.Id).Prepend(record)
                .OrderByDescending(r => r.StartedAt).Take(KeptRecords).ToList();
            WriteAtomically(Path.Combine(folder, "builds.json"), JsonSerializer.SerializeToUtf8Bytes(records, Json));
        }
    }

    public static void WriteManifest(string buildFolder, SiteManifest manifest) =>
        File.WriteAllBytes(Path.Combine(buildFolder, "site.json"), JsonSerializer.SerializeToUtf8Bytes(manifest, Json));

    /// <summary>Serves <paramref name="buildName"/> from now on: the pointer is replaced by a rename, never half-written.</summary>
    public void Switch(long repositoryId, string branch, string buildName) =>
        WriteAtomically(Path.Combine(BranchFolder(repositoryId, branch), "CURRENT"), Encoding.UTF8.GetBytes(buildName));

    /// <summary>Removes build folders other than the current one and the one before it (a request may still be reading it).</summary>
    public void Prune(long repositoryId, string branch, string current)
    {
        var folder = BranchFolder(repositoryId, branch);
        var builds = Directory.Exists(folder) ? Directory.GetDirectories(folder, "b-*").OrderByDescending(d => d, StringComparer.Ordinal).ToList() : [];
        foreach (var old in builds.Where(b => Path.GetFileName(b) != current).Skip(1))
        {
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (IOException)
            {
                // still open somewhere: the next build removes it
            }
            _loaded.TryRemove(old, out _);
        }
    }

    public void DeleteBranch(long repositoryId, string branch)
    {
        var folder = BranchFolder(repositoryId, branch);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Removes every build, preview and log of a repository (deleted), and forgets the manifests read from them.</summary>
    /// <returns>False when a build still writing there kept the folder (the leftovers job comes back after builds).</returns>
    public bool DeleteRepository(long repositoryId)
    {
        var folder = RepositoryFolder(repositoryId);
        foreach (var key in _loaded.Keys.Where(k => k.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            _loaded.TryRemove(key, out _);
        return Forge.Git.FolderRemoval.TryDelete(folder);
    }

    /// <summary>The repositories that have a folder of sites on disk.</summary>
    public IReadOnlyList<long> RepositoryIds() => Repos.LeftoverFolders.Ids(Root);

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
