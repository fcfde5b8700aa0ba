using Hangfire;

namespace Forge.Jobs;

/// <summary>
/// Port the application implements: builds the course site of one branch of a repository (the default branch is the
/// published site, any other branch a preview) into a new build folder, switched atomically when complete.
/// </summary>
public interface ISiteBuilder
{
    /// <summary>Builds the site of <paramref name="branch"/> at its current tip, unless that tip is already built; a repository without a site does nothing.</summary>
    Task BuildAsync(long repositoryId, string branch, CancellationToken ct);

    /// <summary>The branch was deleted: its preview goes too.</summary>
    void BranchDeleted(long repositoryId, string branch);
}

/// <summary>Builds course sites after pushes (see <see cref="ISiteBuilder"/>), one branch per job.</summary>
public sealed class SiteBuildJob(ISiteBuilder builder, AfterPush afterPush)
{
    /// <summary>Branches of one push that get a site build (previews beyond that are built when first visited).</summary>
    public const int MaxBranchesPerPush = 10;

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task BuildAsync(long repositoryId, string branch, CancellationToken ct) => builder.BuildAsync(repositoryId, branch, ct);

    /// <summary>
    /// A build queued by a push: once the repository has been quiet for <see cref="AfterPush.QuietPeriod"/> (a burst of
    /// pushes to a branch builds its site once, at the last tip), like the search index.
    /// </summary>
    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task BuildAfterPushAsync(long repositoryId, string branch, DateTimeOffset queuedAt, CancellationToken ct) =>
        afterPush.Postpone<SiteBuildJob>(repositoryId, at => j => j.BuildAfterPushAsync(repositoryId, branch, at, CancellationToken.None), branch)
            ? Task.CompletedTask
            : builder.BuildAsync(repositoryId, branch, ct);

    /// <summary>Queues the builds a push calls for: one per pushed branch, the removal of deleted branches' previews.</summary>
    public static void AfterPush(IBackgroundJobClient client, global::Forge.Jobs.AfterPush afterPush, long repositoryId, IReadOnlyList<Forge.Git.RefUpdate> updates)
    {
        foreach (var update in updates.Where(u => u.RefName.StartsWith("refs/heads/", StringComparison.Ordinal)).Take(MaxBranchesPerPush))
        {
            var branch = update.RefName["refs/heads/".Length..];
            if (update.IsDelete) client.Enqueue<SiteBuildJob>(j => j.DeleteAsync(repositoryId, branch));
            else afterPush.Schedule<SiteBuildJob>(repositoryId, at => j => j.BuildAfterPushAsync(repositoryId, branch, at, CancellationToken.None),
                global::Forge.Jobs.AfterPush.QuietPeriod, branch);
        }
    }

    /// <summary>Queues one build now (a preview visited before any push built it).</summary>
    public static void Request(IBackgroundJobClient client, long repositoryId, string branch) =>
        client.Enqueue<SiteBuildJob>(j => j.BuildAsync(repositoryId, branch, CancellationToken.None));

    public Task DeleteAsync(long repositoryId, string branch)
    {
        builder.BranchDeleted(repositoryId, branch);
        return Task.CompletedTask;
    }
}

/// <summary>For the web: asks for a site build now (a preview visited before any build of its branch).</summary>
public sealed class SiteBuildRequests(IBackgroundJobClient client)
{
    public void Request(long repositoryId, string branch) => SiteBuildJob.Request(client, repositoryId, branch);
}
