using Hangfire;

namespace Forge.Jobs;

/// <summary>Port the application implements: keeping merge requests in step with their branches.</summary>
public interface IMergeRequestUpdater
{
    /// <summary>
    /// After refs of <paramref name="repositoryId"/> moved: open requests whose source branch moved get their head ref and
    /// head updated (comments on changed lines marked outdated); those whose source or target moved are checked again.
    /// </summary>
    Task AfterPushAsync(long repositoryId, IReadOnlyList<string> refNames, CancellationToken ct);

    /// <summary>Computes whether request <paramref name="mergeRequestId"/> can be merged (conflicts by file), and records it.</summary>
    Task CheckMergeabilityAsync(long mergeRequestId, CancellationToken ct);
}

/// <summary>Background work of merge requests: follow pushes, compute mergeability with <c>git merge-tree</c>.</summary>
public sealed class MergeRequestJob(IMergeRequestUpdater updater)
{
    [AutomaticRetry(Attempts = 2)]
    public Task AfterPushAsync(long repositoryId, string[] refNames, CancellationToken ct) => updater.AfterPushAsync(repositoryId, refNames, ct);

    [AutomaticRetry(Attempts = 2)]
    public Task CheckAsync(long mergeRequestId, CancellationToken ct) => updater.CheckMergeabilityAsync(mergeRequestId, ct);
}
