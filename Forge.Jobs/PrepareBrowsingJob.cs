using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>
/// Derived data that makes browsing cheap, computed after pushes rather than on page views: the last commit of every
/// path of each branch tip (<see cref="LastCommitIndex"/>), and what <see cref="IViewPreparer"/> prepares (highlighted
/// big files, READMEs). Keyed by object ids, so it never goes stale; the last commits of commits that are no longer a branch tip
/// are removed. Safe to run twice.
/// </summary>
public sealed class PrepareBrowsingJob(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, LastCommitIndex lastCommits,
    IViewPreparer views, AfterPush afterPush, ILogger<PrepareBrowsingJob> log)
{
    /// <summary>Branches prepared per run (the default branch first, then the most recent).</summary>
    private const int MaxBranches = 20;
    /// <summary>Time a run may spend preparing file views, over all branches (what is left is done by later runs).</summary>
    private static readonly TimeSpan ViewBudget = TimeSpan.FromMinutes(1);

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAfterPushAsync(long repositoryId, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || afterPush.Postpone<PrepareBrowsingJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None))) return;
        await RunAsync(repositoryId, ct);
    }

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(long repositoryId, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || !store.Exists(repositoryId)) return;
        var path = store.PathOf(repositoryId);
        var branches = reader.BranchList(path);
        var prepared = branches.Take(MaxBranches).ToList();
        var tips = prepared.Select(b => b.Tip.Sha).Distinct().ToList();
        foreach (var tip in tips)
        {
            if (lastCommits.HasTip(path, tip)) continue;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var built = await lastCommits.BuildAsync(path, tip, ct);
            log.LogInformation("Last commits of repository {Id} at {Commit}: {Outcome} in {Ms} ms", repositoryId, tip,
                built ? "stored" : "too many paths, not stored", clock.ElapsedMilliseconds);
        }
        lastCommits.Prune(path, branches.Select(b => b.Tip.Sha).ToHashSet(StringComparer.Ordinal));
        var viewClock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var branch in prepared)
            await views.PrepareAsync(repo, path, branch.Name, branch.Tip.Sha, ViewBudget - viewClock.Elapsed, ct);
    }
}
