using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs.Compliance;

/// <summary>Registers the compliance jobs and schedules the nightly run over every repository.</summary>
public static class ComplianceSetup
{
    public static IServiceCollection AddForgeCompliance(this IServiceCollection services)
    {
        services.TryAddSingleton(new ComplianceOptions());
        services.AddTransient<LicenceCheckJob>();
        services.AddTransient<PrivacyScanJob>();
        services.AddTransient<ComplianceNightlyJob>();
        services.AddHostedService<ComplianceSchedule>();
        return services;
    }

    /// <summary>
    /// After a push: both checks, once the repository has been quiet for <see cref="AfterPush.QuietPeriod"/> (a burst of
    /// pushes is checked once, at its last state).
    /// </summary>
    public static void AfterPush(global::Forge.Jobs.AfterPush afterPush, long repositoryId)
    {
        afterPush.Schedule<LicenceCheckJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None), global::Forge.Jobs.AfterPush.QuietPeriod);
        afterPush.Schedule<PrivacyScanJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None), global::Forge.Jobs.AfterPush.QuietPeriod);
    }

    /// <summary>Queues both checks of one repository now (the nightly pass).</summary>
    public static void Enqueue(IBackgroundJobClient client, long repositoryId)
    {
        client.Enqueue<LicenceCheckJob>(j => j.RunAsync(repositoryId, CancellationToken.None));
        client.Enqueue<PrivacyScanJob>(j => j.RunAsync(repositoryId, CancellationToken.None));
    }
}

/// <summary>Every night, queues the licence check and the personal-data scan of every repository (each does nothing when nothing changed).</summary>
public sealed class ComplianceNightlyJob(IRepositoryDirectory directory, IBackgroundJobClient client)
{
    public const string RecurringId = "compliance-nightly";
    /// <summary>02:30, Paris time.</summary>
    public const string Schedule = "30 2 * * *";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var id in await directory.AllIdsAsync(ct))
        {
            ct.ThrowIfCancellationRequested();
            ComplianceSetup.Enqueue(client, id);
        }
    }
}

/// <summary>
/// Adds (or updates) the nightly recurring job when the application starts. Hangfire keeps recurring jobs in its
/// storage, so the schedule survives restarts and appears in the dashboard under « Tâches récurrentes ».
/// </summary>
internal sealed class ComplianceSchedule(IRecurringJobManager recurring, ILogger<ComplianceSchedule> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
        }
        recurring.AddOrUpdate<ComplianceNightlyJob>(ComplianceNightlyJob.RecurringId, j => j.RunAsync(CancellationToken.None),
            ComplianceNightlyJob.Schedule, new RecurringJobOptions { TimeZone = zone });
        log.LogDebug("Recurring job {Id} scheduled ({Cron}, {Zone})", ComplianceNightlyJob.RecurringId, ComplianceNightlyJob.Schedule, zone.Id);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
