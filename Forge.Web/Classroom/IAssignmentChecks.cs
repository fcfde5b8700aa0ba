using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Classroom;

/// <summary>The automatic checks' verdict on one commit, as the dashboard and the student's page show it.</summary>
/// <param name="State">Gitea's commit status state: <c>success</c>, <c>failure</c>, <c>error</c>, <c>pending</c>.</param>
/// <param name="FailedTests">The names of the tests Forge's run found failing (<c>test_somme</c>, <c>TestTri.test_vide</c>).</param>
public sealed record CheckSummary(string State, string Description, string? TargetUrl = null, IReadOnlyList<string>? FailedTests = null)
{
    /// <summary>« Réussi », « Échec », « Erreur », « En attente »… (with <see cref="Icon"/>: never colour alone).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => Checks.CommitStatusService.Presentation(State).Label is var l && l.Length > 0 ? char.ToUpperInvariant(l[0]) + l[1..] : l;
    [System.Text.Json.Serialization.JsonIgnore]
    public string Icon => Checks.CommitStatusService.Presentation(State).Icon;
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsPending => State == "pending";
}

/// <summary>
/// The seam between assignments and the automatic checks (Python tests run in a sandbox, recorded as commit statuses): the
/// classroom reads a commit's verdict through it, and tells it when a student's copy is made.
/// </summary>
public interface IAssignmentChecks
{
    /// <summary>
    /// The combined verdicts on commits (one per copy of a dashboard) in a constant number of queries; commits without any are
    /// absent (shown « — »).
    /// </summary>
    Task<IReadOnlyDictionary<(long RepositoryId, string Sha), CheckSummary>> ForCommitsAsync(IReadOnlyCollection<(long RepositoryId, string Sha)> commits,
        CancellationToken ct = default);

    /// <summary>Called once a student's copy exists: turn checks on for it if its template has them.</summary>
    Task EnableForAsync(RepositoryEntity copy, CancellationToken ct = default);
}

/// <summary>
/// Assignments over Forge's automatic checks: a copy gets checks when its template has them (same tests folder), and a
/// commit's verdict is its combined commit status, described by Forge's own run when there is one.
/// </summary>
public sealed class CommitStatusAssignmentChecks(Checks.CheckSettingsService settings, Checks.CommitStatusService statuses) : IAssignmentChecks
{
    public async Task<IReadOnlyDictionary<(long RepositoryId, string Sha), CheckSummary>> ForCommitsAsync(IReadOnlyCollection<(long RepositoryId, string Sha)> commits,
        CancellationToken ct = default)
    {
        var wanted = commits.Select(c => (c.RepositoryId, c.Sha.ToLowerInvariant())).ToList();
        var combined = await statuses.CombinedAsync(wanted, ct);
        var failed = await settings.FailedTestsAsync(wanted, ct);
        return combined.ToDictionary(c => c.Key, c =>
        {
            var shown = c.Value.Statuses.FirstOrDefault(s => s.Context == Checks.CommitStatusService.ChecksContext)
                ?? c.Value.Statuses.First(s => s.State == c.Value.State);
            return new CheckSummary(c.Value.State, shown.Description, shown.TargetUrl, failed.GetValueOrDefault(c.Key));
        });
    }

    public async Task EnableForAsync(RepositoryEntity copy, CancellationToken ct = default)
    {
        if (copy.ForkOfId is not { } template) return;
        if (await settings.GetAsync(template, ct) is { Enabled: true } setting)
            await settings.EnableAsync(copy.Id, setting.Folder, ct);
    }
}

/// <summary>
/// A pupil's copy is checked with the tests of its template at the commit the assignment was made from (or, for an assignment
/// made before that was kept or whose template is gone, the starter commit the copy began at): the pupil's own versions of
/// the test files are replaced in the sandbox, so rewriting them changes nothing.
/// </summary>
public sealed class AssignmentFixedTests(ForgeDbContext db, Forge.Git.RepositoryStore store) : Checks.IFixedTestsSource
{
    public async Task<Forge.Jobs.Checks.FixedTests?> ForRepositoryAsync(long repositoryId, CancellationToken ct)
    {
        var copy = await db.AssignmentCopies.AsNoTracking().Where(c => c.RepositoryId == repositoryId)
            .Select(c => new { c.StarterSha, c.Assignment.TemplateId, c.Assignment.TemplateSha }).FirstOrDefaultAsync(ct);
        if (copy is null) return null;
        return copy is { TemplateId: { } template, TemplateSha: { } sha } && store.Exists(template)
            ? new(template, sha) : new(repositoryId, copy.StarterSha);
    }
}
