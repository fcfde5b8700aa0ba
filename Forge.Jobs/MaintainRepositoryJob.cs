using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>
/// Keeps a repository fast to serve after pushes: when packs or loose objects pile up, or the repository has no
/// bitmap index yet, <c>git gc</c> repacks it into one pack with a reachability bitmap and a commit-graph (what
/// clone and history need). Safe to run twice; does nothing when the repository is already in shape.
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
        if (packs < MaxPacks && loose < MaxLooseObjects && (hasBitmap || packKiB < BitmapWorthwhileKiB)) return;
        var gc = await git.Command("gc").Option("--quiet").In(path).RunAsync(ct);
        if (!gc.Success) log.LogWarning("git gc failed on repository {Id}: {Error}", repositoryId, gc.StandardError);
        else log.LogInformation("Repacked repository {Id} ({Packs} packs, {Loose} loose objects before)", repositoryId, packs, loose);
    }
}
