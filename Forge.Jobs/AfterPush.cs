namespace Forge.Jobs;

/// <summary>When work queued after a push runs: once the repository has been quiet for a moment.</summary>
public static class AfterPush
{
    /// <summary>How long after a push its jobs wait, so that a burst of pushes (several branches, a script) is handled once. Short: push-to-searchable must stay under 3 s.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when another push came after the one that queued this job (at <paramref name="queuedAt"/>): that push's
    /// own job, due later, will see the repository as it left it, so this run can do nothing. Compares the push time
    /// recorded in the database with the moment the job was queued — never the database's clock with this process's
    /// "now" (PostgreSQL and SQLite store times differently), nor <see cref="RepositorySnapshot.UpdatedAt"/>, which
    /// other jobs move (a licence verdict).
    /// </summary>
    public static bool IsSuperseded(RepositorySnapshot repo, DateTimeOffset queuedAt) => repo.PushedAt is { } pushed && pushed > queuedAt;
}
