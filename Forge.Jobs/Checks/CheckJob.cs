using Forge.Git;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Forge.Jobs.Checks;

/// <summary>
/// A queued run: which commit of which repository, and the test folder; <paramref name="FixedTests"/>, when set, is where the
/// tests come from instead of the commit itself (a pupil's copy is checked with its template's tests).
/// </summary>
public sealed record CheckRunSpec(long RunId, long RepositoryId, string CommitSha, string Folder, FixedTests? FixedTests = null);

/// <summary>The commit of a repository whose test files replace those of the checked commit.</summary>
public sealed record FixedTests(long RepositoryId, string CommitSha);

/// <summary>Port the application implements: where runs and their commit statuses are kept.</summary>
public interface ICheckStore
{
    /// <summary>
    /// After a push: for a repository with checks enabled, records a queued run (and a pending status) for each commit not
    /// run yet, and returns the runs to start; nothing otherwise.
    /// </summary>
    Task<IReadOnlyList<long>> QueueRunsAsync(long repositoryId, IReadOnlyList<string> commitShas, CancellationToken ct);

    /// <summary>Marks the run running and returns it; null when it is gone or already finished.</summary>
    Task<CheckRunSpec?> StartAsync(long runId, CancellationToken ct);

    /// <summary>Stores the report and the final commit status.</summary>
    Task FinishAsync(long runId, CheckReport report, CancellationToken ct);
}

/// <summary>Runs the automatic checks after pushes, one run per (repository, commit), on the <c>checks</c> queue.</summary>
public sealed class CheckJob(ICheckStore store, PythonChecks checks, RepositoryStore repositories, IBackgroundJobClient client)
{
    public const string Queue = "checks";

    [AutomaticRetry(Attempts = 2)]
    public async Task AfterPushAsync(long repositoryId, string[] commitShas, CancellationToken ct)
    {
        foreach (var run in await store.QueueRunsAsync(repositoryId, commitShas, ct))
            client.Enqueue<CheckJob>(j => j.RunAsync(run, CancellationToken.None));
    }

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long runId, CancellationToken ct)
    {
        if (await store.StartAsync(runId, ct) is not { } spec) return;
        CheckReport report;
        try
        {
            report = !repositories.Exists(spec.RepositoryId) ? CheckReport.Error("Dépôt introuvable")
                : spec.FixedTests is { } fixedTests && !repositories.Exists(fixedTests.RepositoryId) ? CheckReport.Error("Dépôt des tests introuvable")
                : await checks.RunAsync(repositories.PathOf(spec.RepositoryId), spec.CommitSha, spec.Folder, ct,
                    spec.FixedTests is { } f ? (repositories.PathOf(f.RepositoryId), f.CommitSha) : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report = CheckReport.Error("Erreur de Forge pendant les vérifications : " + e.Message);
        }
        await store.FinishAsync(runId, report, ct);
    }
}

public static class ChecksSetup
{
    /// <summary>The sandbox, the runner and the job; with workers, a Hangfire server of its own for the <c>checks</c> queue.</summary>
    public static IServiceCollection AddForgeChecks(this IServiceCollection services, CheckOptions options, bool runJobs)
    {
        services.AddSingleton(options);
        services.AddSingleton<Sandbox>();
        services.AddSingleton<PythonChecks>();
        services.AddTransient<CheckJob>();
        if (runJobs)
            services.AddHangfireServer((sp, server) =>
            {
                server.Activator = new ScopedJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                server.Queues = [CheckJob.Queue];
                server.WorkerCount = Math.Max(1, options.Concurrency);
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                server.ServerName = $"forge-checks-{Guid.NewGuid():N}"[..40];
            });
        return services;
    }

    /// <summary>After a push: the new tips of branches (deleted branches and tags are not checked).</summary>
    public static void Enqueue(IBackgroundJobClient client, long repositoryId, IReadOnlyList<RefUpdate> updates)
    {
        var shas = updates.Where(u => !u.IsDelete && u.RefName.StartsWith("refs/heads/", StringComparison.Ordinal))
            .Select(u => u.NewSha).Distinct().ToArray();
        if (shas.Length > 0) client.Enqueue<CheckJob>(j => j.AfterPushAsync(repositoryId, shas, CancellationToken.None));
    }
}
