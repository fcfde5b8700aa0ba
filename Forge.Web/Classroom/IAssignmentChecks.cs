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

/// <summary>
/// Assignments over Forge's automatic checks: a copy gets checks when its template has them (same tests folder), and a
/// commit's verdict is its combined commit status, described by Forge's own run when there is one.
/// </summary>
public sealed class CommitStatusAssignmentChecks(Checks.CheckSettingsService settings, Checks.CommitStatusService statuses) : IAssignmentChecks
{
    public async Task<CheckSummary?> ForCommitAsync(long repositoryId, string sha, CancellationToken ct = default)
    {
        if (await statuses.CombinedAsync(repositoryId, sha.ToLowerInvariant(), ct) is not { } combined) return null;
        var shown = combined.Statuses.FirstOrDefault(s => s.Context == Checks.CommitStatusService.ChecksContext)
            ?? combined.Statuses.First(s => s.State == combined.State);
        return new CheckSummary(combined.State, shown.Description, shown.TargetUrl);
    }

    public async Task EnableForAsync(RepositoryEntity copy, CancellationToken ct = default)
    {
        if (copy.ForkOfId is not { } template) return;
        if (await settings.GetAsync(template, ct) is { Enabled: true } setting)
            await settings.EnableAsync(copy.Id, setting.Folder, ct);
    }
}
