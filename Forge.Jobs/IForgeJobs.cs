using Forge.Git;

namespace Forge.Jobs;

/// <summary>
/// Intent-named facade for background work. The web application says what happened; this decides which jobs run.
/// Nothing outside Forge.Jobs calls Hangfire directly.
/// </summary>
public interface IForgeJobs
{
    /// <summary>A push was accepted on a repository.</summary>
    void RepositoryPushed(long repositoryId, IReadOnlyList<RefUpdate> updates);

    /// <summary>A repository was created, renamed, changed visibility or description, or deleted.</summary>
    void RepositoryChanged(long repositoryId);

    /// <summary>
    /// A repository was deleted (its row is gone, its folder not yet): its search documents, and everything Forge kept for it
    /// elsewhere (<see cref="IRepositoryLeftovers"/>), go too.
    /// </summary>
    void RepositoryDeleted(long repositoryId);

    /// <summary>A merge request was opened or reopened, or its head changed: its mergeability must be computed again.</summary>
    void MergeRequestChanged(long mergeRequestId);
}
