using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>
/// Keeps a repository fast to serve after pushes: when packs or loose objects pile up, or the repository has no
/// bitmap index yet, <c>git gc</c> repacks it into one pack with a reachability bitmap (what clone needs); and the
/// commit-graph, with changed-path Bloom filters, is brought up to date (what history needs). Safe to run twice; does
/// nothing when the repository is already in shape.
/// </summary>
public sealed class MaintainRepositoryJob(RepositoryStore store, GitCli git, ILogger<MaintainRepositoryJob> log)
{
    private const int MaxPacks = 8;
    private const int MaxLooseObjects = 1000;
    private const long BitmapWorthwhileKiB = 512;

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(long repositoryId, CancellationToken ct)
    {
        if (!store.Exists(repositoryId)) return;
        var path = store.PathOf(repositoryId);
        var counts = await git.Command("count-objects").Option("-v").In(path).RunAsync(ct);
        if (!counts.Success) return;
        var values = counts.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => long.TryParse(p[1].Trim(), out var v) ? v : 0);
        var packs = values.GetValueOrDefault("packs");
        var loose = values.GetValueOrDefault("count");
        var packKiB = values.GetValueOrDefault("size-pack");
        var packDir = Path.Combine(path, "objects", "pack");
        var hasBitmap = Directory.Exists(packDir) && Directory.EnumerateFiles(packDir, "*.bitmap").Any();
        if (packs >= MaxPacks || loose >= MaxLooseObjects || (!hasBitmap && packKiB >= BitmapWorthwhileKiB))
        {
            var gc = await git.Command("gc").Option("--quiet").In(path).RunAsync(ct);
            if (!gc.Success) log.LogWarning("git gc failed on repository {Id}: {Error}", repositoryId, gc.StandardError);
            else log.LogInformation("Repacked repository {Id} ({Packs} packs, {Loose} loose objects before)", repositoryId, packs, loose);
        }
        if (CommitGraphIsCurrent(path)) return;
        // Changed-path Bloom filters let `git log -- path` (history of a file, last commit of a folder's entries) skip
        // the commits that did not touch it without reading their trees. Once written, git keeps them on later writes.
        var graph = await git.Command("commit-graph").Value("write").Option("--reachable").Option("--changed-paths").In(path).RunAsync(ct);
        if (!graph.Success) log.LogWarning("git commit-graph write failed on repository {Id}: {Error}", repositoryId, graph.StandardError);
    }

    /// <summary>
    /// True when the commit-graph has changed-path Bloom filters and is newer than every ref (so it covers every commit a
    /// ref reaches). A graph written by <c>git gc</c> for the first time has no filters.
    /// </summary>
    private static bool CommitGraphIsCurrent(string path)
    {
        var file = new FileInfo(Path.Combine(path, "objects", "info", "commit-graph"));
        if (!file.Exists || !HasBloomFilters(file.FullName)) return false;
        var graph = file.LastWriteTimeUtc;
        var refs = new DirectoryInfo(Path.Combine(path, "refs"));
        var newest = refs.Exists ? refs.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.LastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max() : DateTime.MinValue;
        var packed = new FileInfo(Path.Combine(path, "packed-refs"));
        if (packed.Exists && packed.LastWriteTimeUtc > newest) newest = packed.LastWriteTimeUtc;
        return graph > newest;
    }

    /// <summary>Whether a commit-graph file holds the chunk of changed-path Bloom filters (<c>BDAT</c>), read from its chunk table.</summary>
    private static bool HasBloomFilters(string graphFile)
    {
        try
        {
            using var stream = File.OpenRead(graphFile);
            Span<byte> header = stackalloc byte[8];
            if (stream.Read(header) != 8 || !header[..4].SequenceEqual("CGPH"u8)) return false;
            // The table of contents follows the 8-byte header: one 12-byte entry (4-byte id, 8-byte offset) per chunk.
            Span<byte> entry = stackalloc byte[12];
            for (var i = 0; i < header[6]; i++)
            {
                if (stream.Read(entry) != 12) return false;
                if (entry[..4].SequenceEqual("BDAT"u8)) return true;
            }
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
