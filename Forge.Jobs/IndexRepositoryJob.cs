using Forge.Git;
using Forge.Search;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>
/// Brings the search index in line with a repository's default branch. Takes an id, re-reads current state and
/// does nothing when the index already reflects it, so running it twice (or after a crash) is harmless. The update
/// is applied only if the index cursor did not move since it was read (another run for the same repository may
/// have been faster): then it is planned again from the new cursor.
/// </summary>
public sealed class IndexRepositoryJob(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, IResourceIndex index,
    RepositoryIndexer indexer, AfterPush afterPush, ILogger<IndexRepositoryJob> log)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Runs <see cref="AfterPush.QuietPeriod"/> after a burst of pushes: postponed while pushes keep coming, then the same
    /// as <see cref="RunAsync"/>.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAfterPushAsync(long repositoryId, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is not null && afterPush.Postpone<IndexRepositoryJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None))) return;
        await RunAsync(repositoryId, ct);
    }

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long repositoryId, CancellationToken ct) => await IndexAsync(repositoryId, ct);

    public async Task<IndexOutcome> IndexAsync(long repositoryId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var repo = await directory.FindAsync(repositoryId, ct);
            var tip = repo is null ? null : RepositoryIndexer.IndexedTip(store, reader, repo);
            if (repo is null || tip is null)
            {
                if (index.IndexedState(repositoryId) is null) return new IndexOutcome(IndexKind.Unchanged, 0, 0, 0);
                index.Remove(repositoryId);
                log.LogInformation("Removed repository {RepositoryId} from the index", repositoryId);
                return new IndexOutcome(IndexKind.Removed, 0, 0, 0);
            }
            var current = index.IndexedState(repositoryId);
            log.LogInformation("Indexing repository {RepositoryId} at {Commit} (index at {Indexed})", repositoryId, tip, current?.CommitSha ?? "nothing");
            var (update, outcome) = indexer.Plan(repo, tip, current);
            if (update is null) return outcome;
            if (index.TryApply(update, current))
            {
                log.LogInformation("Indexed repository {RepositoryId} at {Commit}: {Kind}, {FilesRead} files read, {FilesRemoved} removed, {Resources} resources",
                    repositoryId, tip, outcome.Kind, outcome.FilesRead, outcome.FilesRemoved, outcome.ResourcesBuilt);
                return outcome;
            }
        }
        throw new InvalidOperationException($"The index cursor of repository {repositoryId} kept moving; retrying later.");
    }
}
