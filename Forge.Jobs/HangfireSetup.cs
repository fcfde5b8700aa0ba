using Forge.Search;
using Forge.Git;
using Forge.Jobs.Compliance;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>Where Hangfire keeps its jobs, and how many workers this process runs.</summary>
public sealed record ForgeJobsOptions
{
    /// <summary>SQLite file for the embedded default (jobs survive restarts).</summary>
    public string? SqlitePath { get; init; }
    /// <summary>PostgreSQL connection string; takes precedence over <see cref="SqlitePath"/>.</summary>
    public string? PostgresConnectionString { get; init; }
    /// <summary>Worker count; 0 runs no server in this process (jobs stay queued).</summary>
    public int Workers { get; init; } = 2;
    public IndexingOptions Indexing { get; init; } = new();
    /// <summary>Limits of the automatic checks' sandbox (<c>Forge:Checks:*</c>).</summary>
    public Checks.CheckOptions Checks { get; init; } = new();
}

public static class HangfireSetup
{
    /// <summary>
    /// The job database's connections, as Hangfire.Storage.SQLite opens them by default (same flags, ticks for dates,
    /// 10 s busy timeout), plus <c>PRAGMA synchronous=NORMAL</c>, SQLite's recommended setting in WAL mode (the storage
    /// puts the file in WAL mode): a commit no longer waits for the disk. Without it every queue poll of every worker
    /// (a lock row written then deleted, each second) and every job's state change cost fsyncs — disk writes even when
    /// Forge is idle, and milliseconds stolen from the git pushes they run beside. A crash of Forge loses nothing; a
    /// power cut may lose the last queued jobs, which the next push, the nightly jobs or the start-up index check redo.
    /// </summary>
    public static SQLiteDbConnectionFactory SqliteJobConnections(string path) => new(() =>
    {
        var connection = new SQLite.SQLiteConnection(path,
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex,
            storeDateTimeAsTicks: true) { BusyTimeout = TimeSpan.FromSeconds(10) };
        connection.ExecuteScalar<string>("PRAGMA synchronous=NORMAL");
        return connection;
    });

    public static IServiceCollection AddForgeJobs(this IServiceCollection services, ForgeJobsOptions options)
    {
        // The storage is registered per service provider rather than through Hangfire's static JobStorage.Current,
        // so several Forge instances (tests, or two nodes in one process) never share a queue by accident.
        GlobalConfiguration.Configuration.UseLogProvider(ForwardingLogProvider.Instance);
        services.AddSingleton<JobStorage>(sp =>
        {
            ForwardingLogProvider.Use(sp.GetRequiredService<ILoggerFactory>());
            var pgOptions = new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1), PrepareSchemaIfNecessary = true };
            return options.PostgresConnectionString is { } pg
                ? new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(pg, pgOptions), pgOptions)
                : new SQLiteStorage(SqliteJobConnections(options.SqlitePath ?? throw new ArgumentException("a job storage is required")),
                    new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
        });
        services.AddHangfire((sp, cfg) =>
        {
            ForwardingLogProvider.Use(sp.GetRequiredService<ILoggerFactory>());
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(ForwardingLogProvider.Instance);
        });
        if (options.Workers > 0)
        {
            services.AddHangfireServer((sp, server) =>
            {
                // Hangfire's AddHangfire sets a process-wide JobActivator.Current to the last host built: jobs must be
                // created from this host's services, or two Forge hosts in one process would run each other's jobs.
                server.Activator = new ScopedJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                server.WorkerCount = options.Workers;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                server.ServerName = $"forge-{Environment.MachineName}-{Guid.NewGuid():N}"[..40];
            });
        }
        services.AddSingleton<AfterPush>();
        services.AddSingleton<IForgeJobs, HangfireForgeJobs>();
        services.AddSingleton(options.Indexing);
        services.AddSingleton<RepositoryIndexer>();
        services.AddTransient<IndexRebuilder>();
        services.AddTransient<IndexRepositoryJob>();
        services.AddTransient<ReconcileIndexJob>();
        // Only a process that runs jobs checks the index against git on start (the admin commands do not).
        if (options.Workers > 0) services.AddHostedService<IndexReconciliationTrigger>();
        services.AddTransient<MaintainRepositoryJob>();
        services.AddSingleton<Images.IThumbnailQueue, Images.HangfireThumbnailQueue>();
        services.AddTransient<Images.ThumbnailJob>();
        services.AddTransient<PrepareBrowsingJob>();
        services.AddTransient<MergeRequestJob>();
        services.AddTransient<SiteBuildJob>();
        services.AddSingleton<SiteBuildRequests>();
        services.AddTransient<ModuleExportJob>();
        services.AddSingleton<ModuleExportRequests>();
        services.AddTransient<RepositoryLeftoversJob>();
        if (options.Workers > 0) services.AddHostedService<RepositoryLeftoversSweepTrigger>();
        services.AddForgeCompliance();
        Checks.ChecksSetup.AddForgeChecks(services, options.Checks, options.Workers > 0);
        return services;
    }
}

/// <summary>The real facade: each intent becomes Hangfire jobs whose arguments are ids only.</summary>
internal sealed class HangfireForgeJobs(IBackgroundJobClient client, AfterPush afterPush, IServiceScopeFactory scopes, IServiceProvider services) : IForgeJobs
{
    private static readonly TimeSpan MaintenanceDelay = TimeSpan.FromMinutes(2);

    public void RepositoryPushed(long repositoryId, IReadOnlyList<RefUpdate> updates)
    {
        // Once per burst of pushes, when the repository is quiet (see AfterPush): the search index, and what makes
        // browsing cheap.
        afterPush.Pushed(repositoryId);
        afterPush.Schedule<IndexRepositoryJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None), AfterPush.QuietPeriod);
        afterPush.Schedule<PrepareBrowsingJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None), AfterPush.QuietPeriod);
        // Repacking competes with the pushes of a busy moment: do it a little later (the job is a no-op when
        // an earlier run already left the repository in shape).
        afterPush.Schedule<MaintainRepositoryJob>(repositoryId, _ => j => j.RunAsync(repositoryId, CancellationToken.None), MaintenanceDelay);
        ComplianceSetup.AfterPush(afterPush, repositoryId);
        Checks.ChecksSetup.Enqueue(client, repositoryId, updates);
        // Merge requests follow their branches at once (no quiet period: the head ref should be fetchable right after a push).
        var refs = updates.Select(u => u.RefName).Distinct().ToArray();
        client.Enqueue<MergeRequestJob>(j => j.AfterPushAsync(repositoryId, refs, CancellationToken.None));
        SiteBuildJob.AfterPush(client, afterPush, repositoryId, updates);
        ModuleExportJob.AfterPush(client, repositoryId, updates);
    }

    public void MergeRequestChanged(long mergeRequestId) =>
        client.Enqueue<MergeRequestJob>(j => j.CheckAsync(mergeRequestId, CancellationToken.None));

    public void RepositoryDeleted(long repositoryId)
    {
        RepositoryChanged(repositoryId);
        afterPush.Forget(repositoryId);
        using var scope = scopes.CreateScope();
        RepositoryLeftoversJob.Deleted(client, scope.ServiceProvider.GetRequiredService<IRepositoryLeftovers>(), repositoryId);
    }

    public void RepositoryChanged(long repositoryId)
    {
        HideAtOnceIfNoLongerPublic(repositoryId);
        client.Enqueue<IndexRepositoryJob>(j => j.RunAsync(repositoryId, CancellationToken.None));
    }

    /// <summary>
    /// A repository made private (or deleted) must leave public results, totals and facet counts now, not when the
    /// job runs: its documents are flipped to private in place before the job is even queued.
    /// </summary>
    private void HideAtOnceIfNoLongerPublic(long repositoryId)
    {
        // The index is opened on first use only: a process that never changes a repository (an admin command while
        // the server runs and holds the index) must not try to open it.
        IResourceIndex index;
        try
        {
            index = services.GetRequiredService<IResourceIndex>();
        }
        catch (IOException)
        {
            return; // another process (the server) owns the index; its reconciliation and the queued job will follow
        }
        if (index.IndexedState(repositoryId) is not { IsPublic: true }) return;
        using var scope = scopes.CreateScope();
        var repo = scope.ServiceProvider.GetRequiredService<IRepositoryDirectory>().FindAsync(repositoryId, CancellationToken.None).GetAwaiter().GetResult();
        if (repo is null) index.Remove(repositoryId);
        else if (repo.IsPrivate) index.Conceal(repositoryId);
    }
}

/// <summary>Creates each job and its dependencies in a DI scope of the host that runs the server.</summary>
internal sealed class ScopedJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateScope());

    public override object ActivateJob(Type jobType)
    {
        // Only used by code paths without a scope; keep them working but prefer BeginScope.
        using var scope = scopes.CreateScope();
        return ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, jobType);
    }

    private sealed class Scope(IServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);
        public override void DisposeScope() => scope.Dispose();
    }
}
