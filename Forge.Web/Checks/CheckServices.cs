using System.Text.Json;
using Forge.Jobs.Checks;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Checks;

public static class ChecksRegistration
{
    /// <summary>The database side of the automatic checks (settings, runs, commit statuses).</summary>
    public static IServiceCollection AddChecks(this IServiceCollection services)
    {
        services.AddScoped<CheckSettingsService>();
        services.AddScoped<CommitStatusService>();
        services.AddScoped<ICheckStore, CheckStore>();
        return services;
    }
}

/// <summary>
/// « Vérifications automatiques » of a repository. The one call for other features (a classroom copy turning them on):
/// <see cref="EnableAsync"/>.
/// </summary>
public sealed class CheckSettingsService(ForgeDbContext db)
{
    public const string DefaultFolder = "tests";

    public Task<CheckSetting?> GetAsync(long repositoryId, CancellationToken ct = default) =>
        db.Set<CheckSetting>().AsNoTracking().FirstOrDefaultAsync(s => s.RepositoryId == repositoryId, ct);

    /// <summary>Turns the checks on for the repository with the tests of <paramref name="folder"/> (default <c>tests</c>); the error in French, or null.</summary>
    public Task<string?> EnableAsync(long repositoryId, string? folder = DefaultFolder, CancellationToken ct = default) => SaveAsync(repositoryId, true, folder, ct);

    public Task<string?> DisableAsync(long repositoryId, CancellationToken ct = default) => SaveAsync(repositoryId, false, null, ct);

    /// <summary>Saves the setting (the folder is kept when <paramref name="folder"/> is null); the error in French, or null.</summary>
    public async Task<string?> SaveAsync(long repositoryId, bool enabled, string? folder, CancellationToken ct = default)
    {
        var row = await db.Set<CheckSetting>().FirstOrDefaultAsync(s => s.RepositoryId == repositoryId, ct);
        string? normalized = null;
        if (folder is not null && (normalized = PythonChecks.NormalizeFolder(folder)) is null)
            return "Le dossier des tests doit être un chemin relatif du dépôt (lettres, chiffres, « . », « _ », « - », séparés par « / »), par exemple « tests ».";
        if (row is null)
        {
            row = new CheckSetting { RepositoryId = repositoryId };
            db.Add(row);
        }
        row.Enabled = enabled;
        if (normalized is not null) row.Folder = normalized;
        row.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The latest runs of a repository, newest first.</summary>
    public Task<List<CheckRun>> RecentRunsAsync(long repositoryId, int count, CancellationToken ct = default) =>
        db.Set<CheckRun>().AsNoTracking().Where(r => r.RepositoryId == repositoryId).OrderByDescending(r => r.Id).Take(count)
            .Select(r => new CheckRun { Id = r.Id, RepositoryId = r.RepositoryId, CommitSha = r.CommitSha, State = r.State, Description = r.Description, CreatedAt = r.CreatedAt, FinishedAt = r.FinishedAt })
            .ToListAsync(ct);

    /// <summary>
    /// The latest run of each repository that has one (for dashboards: one row per pupil's copy, in one query); the run's
    /// <see cref="CheckRun.State"/>, <see cref="CheckRun.Description"/> and <see cref="CheckRun.Id"/> (its page is
    /// <c>/{owner}/{repo}/checks/{id}</c>). The caller checks that the viewer may read each repository.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, CheckRun>> LatestRunsAsync(IReadOnlyCollection<long> repositoryIds, CancellationToken ct = default)
    {
        var runs = db.Set<CheckRun>().AsNoTracking();
        var latest = runs.Where(r => repositoryIds.Contains(r.RepositoryId)).GroupBy(r => r.RepositoryId).Select(g => g.Max(r => r.Id));
        return await runs.Where(r => latest.Contains(r.Id)).ToDictionaryAsync(r => r.RepositoryId, ct);
    }

    /// <summary>
    /// The failing tests of the latest finished run of each of these commits (one query; for dashboards), by (repository, commit).
    /// </summary>
    public async Task<IReadOnlyDictionary<(long RepositoryId, string Sha), IReadOnlyList<string>>> FailedTestsAsync(
        IReadOnlyCollection<(long RepositoryId, string Sha)> commits, CancellationToken ct = default)
    {
        if (commits.Count == 0) return new Dictionary<(long, string), IReadOnlyList<string>>();
        var ids = commits.Select(c => c.RepositoryId).Distinct().ToList();
        var shas = commits.Select(c => c.Sha).Distinct().ToList();
        var wanted = commits.ToHashSet();
        var runs = await db.Set<CheckRun>().AsNoTracking()
            .Where(r => ids.Contains(r.RepositoryId) && shas.Contains(r.CommitSha) && r.FinishedAt != null)
            .Select(r => new { r.Id, r.RepositoryId, r.CommitSha, r.TestsJson }).ToListAsync(ct);
        return runs.Where(r => wanted.Contains((r.RepositoryId, r.CommitSha))).GroupBy(r => (r.RepositoryId, r.CommitSha))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)Tests(g.MaxBy(r => r.Id)!.TestsJson)
                .Where(t => !t.Passed).Select(t => t.Name).ToList());
    }

    public Task<CheckRun?> RunAsync(long repositoryId, long runId, CancellationToken ct = default) =>
        db.Set<CheckRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.RepositoryId == repositoryId, ct);

    public static IReadOnlyList<CheckTest> Tests(CheckRun run) => Tests(run.TestsJson);

    private static IReadOnlyList<CheckTest> Tests(string json) => JsonSerializer.Deserialize<List<CheckTest>>(json, JsonOptions) ?? [];

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The statuses of one commit and their combined state (the worst one, as Gitea computes it).</summary>
public sealed record CombinedStatus(string State, string Sha, IReadOnlyList<CommitStatusEntity> Statuses);

/// <summary>Gitea-style commit statuses: Forge's checks (context <c>forge/tests</c>) and those posted through the API.</summary>
public sealed class CommitStatusService(ForgeDbContext db)
{
    public const string ChecksContext = "forge/tests";
    /// <summary>States from worst to best (Gitea's order).</summary>
    public static readonly string[] States = ["error", "failure", "warning", "pending", "success"];

    public async Task<CommitStatusEntity> AddAsync(long repositoryId, string sha, string state, string context, string? description, string? targetUrl,
        long? creatorId, CancellationToken ct = default)
    {
        var row = new CommitStatusEntity
        {
            RepositoryId = repositoryId, CommitSha = sha.ToLowerInvariant(), State = state, Context = context,
            Description = Cut(description ?? "", CommitStatusEntity.MaxDescription), TargetUrl = targetUrl, CreatorId = creatorId,
        };
        db.Add(row);
        // Cached pages of the repository show statuses: a new one must be seen at once.
        if (await db.Repositories.FirstOrDefaultAsync(r => r.Id == repositoryId, ct) is { } repo) repo.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>Every status of a commit, newest first.</summary>
    public Task<List<CommitStatusEntity>> ListAsync(long repositoryId, string sha, CancellationToken ct = default) =>
        db.Set<CommitStatusEntity>().AsNoTracking().Include(s => s.Creator).Where(s => s.RepositoryId == repositoryId && s.CommitSha == sha)
            .OrderByDescending(s => s.Id).ToListAsync(ct);

    public async Task<CombinedStatus?> CombinedAsync(long repositoryId, string sha, CancellationToken ct = default) =>
        (await CombinedAsync(repositoryId, [sha], ct)).GetValueOrDefault(sha);

    /// <summary>The combined status of each commit that has one (one query for a whole list).</summary>
    public async Task<IReadOnlyDictionary<string, CombinedStatus>> CombinedAsync(long repositoryId, IReadOnlyCollection<string> shas, CancellationToken ct = default)
    {
        if (shas.Count == 0) return new Dictionary<string, CombinedStatus>();
        var rows = await db.Set<CommitStatusEntity>().AsNoTracking().Include(s => s.Creator)
            .Where(s => s.RepositoryId == repositoryId && shas.Contains(s.CommitSha)).OrderByDescending(s => s.Id).ToListAsync(ct);
        return rows.GroupBy(s => s.CommitSha).ToDictionary(g => g.Key, Combine);
    }

    /// <summary>The combined status of commits of several repositories (one query, e.g. every copy of a class's dashboard).</summary>
    public async Task<IReadOnlyDictionary<(long RepositoryId, string Sha), CombinedStatus>> CombinedAsync(IReadOnlyCollection<(long RepositoryId, string Sha)> commits,
        CancellationToken ct = default)
    {
        if (commits.Count == 0) return new Dictionary<(long, string), CombinedStatus>();
        var ids = commits.Select(c => c.RepositoryId).Distinct().ToList();
        var shas = commits.Select(c => c.Sha).Distinct().ToList();
        var wanted = commits.ToHashSet();
        var rows = await db.Set<CommitStatusEntity>().AsNoTracking()
            .Where(s => ids.Contains(s.RepositoryId) && shas.Contains(s.CommitSha)).OrderByDescending(s => s.Id).ToListAsync(ct);
        return rows.Where(s => wanted.Contains((s.RepositoryId, s.CommitSha))).GroupBy(s => (s.RepositoryId, s.CommitSha))
            .ToDictionary(g => g.Key, g => Combine(g.AsEnumerable().GroupBy(s => s.CommitSha).Single()));
    }

    /// <summary>The latest status of each context among one commit's statuses (newest first), and the worst of their states.</summary>
    private static CombinedStatus Combine(IGrouping<string, CommitStatusEntity> commit)
    {
        var latest = commit.GroupBy(s => s.Context).Select(c => c.First()).OrderBy(s => s.Context, StringComparer.Ordinal).ToList();
        return new CombinedStatus(Worst(latest.Select(s => s.State)), commit.Key, latest);
    }

    public static string Worst(IEnumerable<string> states) =>
        states.Select(s => Array.IndexOf(States, s)).Where(i => i >= 0).DefaultIfEmpty(Array.IndexOf(States, "pending")).Min() is var i ? States[i] : "pending";

    /// <summary>The symbol and the French word shown with a state (never colour alone).</summary>
    public static (string Icon, string Label) Presentation(string state) => state switch
    {
        "success" => ("✓", "réussi"),
        "failure" => ("✗", "échec"),
        "error" => ("⚠", "erreur"),
        "warning" => ("⚠", "avertissement"),
        _ => ("⏳", "en attente"),
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>
/// A feature that decides where a repository's tests come from instead of the checked commit (a pupil's copy: its
/// template's tests, see <c>Classroom</c>). Null: the commit's own tests.
/// </summary>
public interface IFixedTestsSource
{
    Task<FixedTests?> ForRepositoryAsync(long repositoryId, CancellationToken ct);
}

/// <summary>Where the checks job keeps runs: one per (repository, commit), each mirrored as a <c>forge/tests</c> status.</summary>
internal sealed class CheckStore(ForgeDbContext db, CommitStatusService statuses, IEnumerable<IFixedTestsSource> fixedTests) : ICheckStore
{
    public async Task<IReadOnlyList<long>> QueueRunsAsync(long repositoryId, IReadOnlyList<string> commitShas, CancellationToken ct)
    {
        var setting = await db.Set<CheckSetting>().AsNoTracking().FirstOrDefaultAsync(s => s.RepositoryId == repositoryId, ct);
        if (setting is not { Enabled: true }) return [];
        var known = await db.Set<CheckRun>().Where(r => r.RepositoryId == repositoryId && commitShas.Contains(r.CommitSha)).Select(r => r.CommitSha).ToListAsync(ct);
        var queued = new List<long>();
        foreach (var sha in commitShas.Except(known).Distinct())
        {
            var run = new CheckRun { RepositoryId = repositoryId, CommitSha = sha, Folder = setting.Folder, Description = "Vérifications en attente" };
            db.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.Entry(run).State = EntityState.Detached; // another node queued this commit meanwhile
                continue;
            }
            await statuses.AddAsync(repositoryId, sha, "pending", CommitStatusService.ChecksContext, run.Description, await RunUrlAsync(run, ct), null, ct);
            queued.Add(run.Id);
        }
        return queued;
    }

    public async Task<CheckRunSpec?> StartAsync(long runId, CancellationToken ct)
    {
        var run = await db.Set<CheckRun>().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || run.State is not ("queued" or "running")) return null;
        run.State = "running";
        run.Description = "Vérifications en cours";
        await db.SaveChangesAsync(ct);
        await statuses.AddAsync(run.RepositoryId, run.CommitSha, "pending", CommitStatusService.ChecksContext, run.Description, await RunUrlAsync(run, ct), null, ct);
        FixedTests? tests = null;
        foreach (var source in fixedTests)
            tests ??= await source.ForRepositoryAsync(run.RepositoryId, ct);
        return new CheckRunSpec(run.Id, run.RepositoryId, run.CommitSha, run.Folder, tests);
    }

    public async Task FinishAsync(long runId, CheckReport report, CancellationToken ct)
    {
        var run = await db.Set<CheckRun>().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return;
        run.State = report.State;
        run.Description = report.Description.Length <= CommitStatusEntity.MaxDescription ? report.Description : report.Description[..CommitStatusEntity.MaxDescription];
        run.TestsJson = JsonSerializer.Serialize(report.Tests, CheckSettingsService.JsonOptions);
        run.Output = report.Output;
        run.OutputTruncated = report.OutputTruncated;
        run.DurationMs = (int)report.Elapsed.TotalMilliseconds;
        run.FinishedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await statuses.AddAsync(run.RepositoryId, run.CommitSha, report.State, CommitStatusService.ChecksContext, run.Description, await RunUrlAsync(run, ct), null, ct);
    }

    /// <summary>The run page, relative to the site (the API makes it absolute with the request's address).</summary>
    private async Task<string> RunUrlAsync(CheckRun run, CancellationToken ct)
    {
        var repo = await db.Repositories.AsNoTracking().Include(r => r.Owner).FirstAsync(r => r.Id == run.RepositoryId, ct);
        return $"/{repo.Owner.UserName}/{repo.Name}/checks/{run.Id}";
    }
}
