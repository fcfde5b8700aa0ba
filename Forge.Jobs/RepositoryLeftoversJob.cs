using Hangfire;
using Microsoft.Extensions.Hosting;

namespace Forge.Jobs;

/// <summary>
/// Port the application implements: what Forge wrote for a repository outside its database rows (which the database deletes
/// with it) and its bare repository (which <see cref="Forge.Git.RepositoryStore.Delete"/> removes) — course sites, module
/// exports, thumbnails of its images, in-memory caches. Many authors are minors: a deleted repository leaves nothing behind.
/// </summary>
public interface IRepositoryLeftovers
{
    /// <summary>Removes everything kept for the repository, which no longer exists (or is being deleted). Idempotent.</summary>
    void Remove(long repositoryId);

    /// <summary>Removes what is left on disk of repositories that no longer exist (deleted by an older version, or a crash); returns how many.</summary>
    Task<int> SweepAsync(CancellationToken ct);
}

/// <summary>
/// Removes a deleted repository's leftovers once more after builds that were running at the time of the deletion have ended
/// (a site build may run up to 10 minutes), and sweeps orphans when the server starts.
/// </summary>
public sealed class RepositoryLeftoversJob(IRepositoryLeftovers leftovers)
{
    /// <summary>Longer than a build may run (<see cref="SiteBuildJob"/>'s concurrency timeout).</summary>
    public static readonly TimeSpan AfterBuilds = TimeSpan.FromMinutes(11);

    [AutomaticRetry(Attempts = 2)]
    public Task RemoveAsync(long repositoryId)
    {
        leftovers.Remove(repositoryId);
        return Task.CompletedTask;
    }

    [AutomaticRetry(Attempts = 1)]
    public Task SweepAsync(CancellationToken ct) => leftovers.SweepAsync(ct);

    /// <summary>A repository was deleted: its leftovers go now (in the caller's request) and again once running builds are over.</summary>
    internal static void Deleted(IBackgroundJobClient client, IRepositoryLeftovers leftovers, long repositoryId)
    {
        leftovers.Remove(repositoryId);
        client.Schedule<RepositoryLeftoversJob>(j => j.RemoveAsync(repositoryId), AfterBuilds);
    }
}

/// <summary>Queues a sweep of orphan leftovers when a server that runs jobs starts.</summary>
public sealed class RepositoryLeftoversSweepTrigger(IBackgroundJobClient jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.Enqueue<RepositoryLeftoversJob>(j => j.SweepAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
