using Forge.Git;
using Forge.Search;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>What a reconciliation found: how many repositories were checked, and which ones are being re-indexed.</summary>
public sealed record ReconcileReport(int Checked, IReadOnlyList<long> Reindexed);

/// <summary>
/// After a start (a crash may have interrupted indexing) or a switch to a rebuilt index: compares each repository's
/// tip and inputs with the cursor stored in the index and queues indexing for those that differ only — repositories
/// whose cursor is current are not touched, and the queued runs are incremental from the cursor the index holds.
/// Repositories the index holds but the database no longer has are queued too (the run removes them).
/// </summary>
public sealed class ReconcileIndexJob(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, IResourceIndex index,
    IBackgroundJobClient jobs, ILogger<ReconcileIndexJob> log)
{
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken ct) => await ReconcileAsync(ct);

    public async Task<ReconcileReport> ReconcileAsync(CancellationToken ct)
    {
        var indexed = index.IndexedStates();
        var seen = new HashSet<long>();
        var reindex = new List<long>();
        await foreach (var repo in directory.AllAsync(ct))
        {
            seen.Add(repo.Id);
            var tip = RepositoryIndexer.IndexedTip(store, reader, repo);
            if (!RepositoryIndexer.InLine(indexed.GetValueOrDefault(repo.Id), RepositoryIndexer.Expected(repo, tip))) reindex.Add(repo.Id);
        }
        reindex.AddRange(indexed.Keys.Where(id => !seen.Contains(id)));
        foreach (var id in reindex) jobs.Enqueue<IndexRepositoryJob>(j => j.RunAsync(id, CancellationToken.None));
        log.LogInformation("Index reconciliation: {Reindexed} of {Checked} repositories to re-index ({Ids})",
            reindex.Count, seen.Count, string.Join(",", reindex.Take(50)));
        return new ReconcileReport(seen.Count, reindex);
    }
}

/// <summary>Queues a reconciliation when the server starts and whenever the index switched to a rebuilt generation.</summary>
public sealed class IndexReconciliationTrigger(IBackgroundJobClient jobs, LuceneResourceIndex index) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        index.GenerationChanged += Enqueue;
        Enqueue();
        return Task.CompletedTask;
    }

    private void Enqueue() => jobs.Enqueue<ReconcileIndexJob>(j => j.RunAsync(CancellationToken.None));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        index.GenerationChanged -= Enqueue;
        return Task.CompletedTask;
    }
}
