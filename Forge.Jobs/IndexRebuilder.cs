using System.Diagnostics;
using Forge.Git;
using Forge.Search;

namespace Forge.Jobs;

/// <summary>Where a full rebuild stands: repositories done out of the total, documents written so far.</summary>
public sealed record RebuildProgress(int Done, int Total, int Resources, int Files, TimeSpan Elapsed);

public sealed record RebuildReport(string Generation, int Repositories, int Resources, int Files, TimeSpan Elapsed)
{
    /// <summary>Time the workers spent reading git and building documents, and handing them to Lucene (summed over workers).</summary>
    public TimeSpan Reading { get; init; }
    public TimeSpan Writing { get; init; }
    /// <summary>The final commit (flush and merge of the last segments).</summary>
    public TimeSpan Committing { get; init; }
}

/// <summary>Another rebuild holds the lock of the index folder.</summary>
public sealed class RebuildAlreadyRunningException() : Exception("Une réindexation est déjà en cours sur ce dossier de données.");

/// <summary>
/// Rebuilds the whole index from git and the database into a new generation, then publishes it (see
/// <see cref="IndexGenerations"/>). Works whether or not a server runs on the same data: the server keeps serving
/// and indexing into its generation meanwhile, switches within seconds of the publication, and its reconciliation
/// then re-indexes (incrementally) the repositories pushed to during the rebuild. Repositories are read and analysed by
/// one worker per core.
/// </summary>
public sealed class IndexRebuilder(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, RepositoryIndexer indexer)
{
    public async Task<RebuildReport> RebuildAsync(string indexRoot, Action<RebuildProgress>? progress, CancellationToken ct)
    {
        using var rebuildLock = IndexGenerations.TryLockRebuild(indexRoot) ?? throw new RebuildAlreadyRunningException();
        var clock = Stopwatch.StartNew();
        var total = (await directory.AllIdsAsync(ct)).Count;
        using var builder = new LuceneIndexBuilder(indexRoot);
        // Reading git, parsing and analysing text is CPU work: one worker per core, each planning a repository and
        // adding its documents (Lucene's writer takes documents from several threads at once).
        var done = 0;
        long planning = 0, writing = 0;
        var gate = new object();
        await Parallel.ForEachAsync(directory.AllAsync(ct), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            (repo, _) =>
            {
                var started = Stopwatch.GetTimestamp();
                var tip = RepositoryIndexer.IndexedTip(store, reader, repo);
                var update = tip is null ? null : indexer.Plan(repo, tip, null).Update;
                var planned = Stopwatch.GetTimestamp();
                if (update is not null) builder.Add(update);
                var added = Stopwatch.GetTimestamp();
                lock (gate)
                {
                    planning += planned - started;
                    writing += added - planned;
                    done++;
                    progress?.Invoke(new RebuildProgress(done, Math.Max(total, done), builder.Resources, builder.Files, clock.Elapsed));
                }
                return ValueTask.CompletedTask;
            });
        var publishing = Stopwatch.GetTimestamp();
        builder.Publish();
        return new RebuildReport(builder.Name, done, builder.Resources, builder.Files, clock.Elapsed)
        {
            Reading = Stopwatch.GetElapsedTime(0, planning),
            Writing = Stopwatch.GetElapsedTime(0, writing),
            Committing = Stopwatch.GetElapsedTime(publishing),
        };
    }
}
