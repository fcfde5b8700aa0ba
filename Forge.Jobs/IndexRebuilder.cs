using System.Diagnostics;
using System.Threading.Channels;
using Forge.Git;
using Forge.Search;

namespace Forge.Jobs;

/// <summary>Where a full rebuild stands: repositories done out of the total, documents written so far.</summary>
public sealed record RebuildProgress(int Done, int Total, int Resources, int Files, TimeSpan Elapsed);

public sealed record RebuildReport(string Generation, int Repositories, int Resources, int Files, TimeSpan Elapsed);

/// <summary>Another rebuild holds the lock of the index folder.</summary>
public sealed class RebuildAlreadyRunningException() : Exception("Une réindexation est déjà en cours sur ce dossier de données.");

/// <summary>
/// Rebuilds the whole index from git and the database into a new generation, then publishes it (see
/// <see cref="IndexGenerations"/>). Works whether or not a server runs on the same data: the server keeps serving
/// and indexing into its generation meanwhile, switches within seconds of the publication, and its reconciliation
/// then re-indexes (incrementally) the repositories pushed to during the rebuild. Repositories are read from git by
/// two threads while one writes.
/// </summary>
public sealed class IndexRebuilder(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, RepositoryIndexer indexer)
{
    public async Task<RebuildReport> RebuildAsync(string indexRoot, Action<RebuildProgress>? progress, CancellationToken ct)
    {
        using var rebuildLock = IndexGenerations.TryLockRebuild(indexRoot) ?? throw new RebuildAlreadyRunningException();
        var clock = Stopwatch.StartNew();
        var total = (await directory.AllIdsAsync(ct)).Count;
        using var builder = new LuceneIndexBuilder(indexRoot);
        var planned = Channel.CreateBounded<RepositoryUpdate?>(64);
        var repositories = Channel.CreateBounded<RepositorySnapshot>(64);

        var producer = Task.Run(async () =>
        {
            await foreach (var repo in directory.AllAsync(ct)) await repositories.Writer.WriteAsync(repo, ct);
            repositories.Writer.Complete();
        }, ct);
        var planners = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await foreach (var repo in repositories.Reader.ReadAllAsync(ct))
            {
                var tip = store.Exists(repo.Id) ? reader.BranchTip(store.PathOf(repo.Id), repo.DefaultBranch) : null;
                await planned.Writer.WriteAsync(tip is null ? null : indexer.Plan(repo, tip, null).Update, ct);
            }
        }, ct)).ToList();
        var closer = Task.WhenAll(planners).ContinueWith(t => planned.Writer.Complete(t.Exception), TaskScheduler.Default);

        var done = 0;
        await foreach (var update in planned.Reader.ReadAllAsync(ct))
        {
            if (update is not null) builder.Add(update);
            done++;
            progress?.Invoke(new RebuildProgress(done, Math.Max(total, done), builder.Resources, builder.Files, clock.Elapsed));
        }
        await producer;
        await closer;
        builder.Publish();
        return new RebuildReport(builder.Name, done, builder.Resources, builder.Files, clock.Elapsed);
    }
}
