namespace Forge.Jobs;

/// <summary>When work queued after a push runs: once the repository has been quiet for a moment.</summary>
public static class AfterPush
{
    /// <summary>How long after a push its jobs wait, so that a burst of pushes (several branches, a script) is handled once. Short: push-to-searchable must stay under 3 s.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when another push came less than <see cref="QuietPeriod"/> ago: its own jobs, due later, will see the
    /// repository as that push left it, so this run can do nothing.
    /// </summary>
    public static bool IsSuperseded(RepositorySnapshot repo) => repo.UpdatedAt > DateTimeOffset.UtcNow - QuietPeriod;
}
