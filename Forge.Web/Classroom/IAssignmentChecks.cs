using Forge.Web.Data;

namespace Forge.Web.Classroom;

/// <summary>The automatic checks' verdict on one commit, as the dashboard and the student's page show it.</summary>
/// <param name="State">Gitea's commit status state: <c>success</c>, <c>failure</c>, <c>error</c>, <c>pending</c>.</param>
public sealed record CheckSummary(string State, string Description, string? TargetUrl = null);

/// <summary>
/// The seam between assignments and the automatic checks (Python tests run in a sandbox, recorded as commit statuses): the
/// classroom reads a commit's verdict through it, and tells it when a student's copy is made.
/// </summary>
public interface IAssignmentChecks
{
    /// <summary>The combined verdict on <paramref name="sha"/> in the repository, or null when there is none (shown « — »).</summary>
    Task<CheckSummary?> ForCommitAsync(long repositoryId, string sha, CancellationToken ct = default);

    /// <summary>Called once a student's copy exists: turn checks on for it if its template has them.</summary>
    Task EnableForAsync(RepositoryEntity copy, CancellationToken ct = default);
}

/// <summary>No checks: every verdict is unknown.</summary>
public sealed class NoAssignmentChecks : IAssignmentChecks
{
    public Task<CheckSummary?> ForCommitAsync(long repositoryId, string sha, CancellationToken ct = default) => Task.FromResult<CheckSummary?>(null);
    public Task EnableForAsync(RepositoryEntity copy, CancellationToken ct = default) => Task.CompletedTask;
}
