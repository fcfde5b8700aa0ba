using System.Text.Json;
using Forge.Core.Licences;
using Forge.Core.Privacy;
using Forge.Jobs;
using Forge.Jobs.Compliance;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Compliance;

/// <summary>A personal-data finding as the maintainers' page shows it, with whether it was dismissed.</summary>
public sealed record PrivacyFindingView(string RefName, string Path, string BlobId, string Kind, PrivacyConfidence Confidence, int? Line, int Count,
    string Excerpt, string Message, bool Dismissed);

/// <summary>One row of the administrators' overview: a repository whose licences or personal data need attention.</summary>
public sealed record ComplianceProblem(long RepositoryId, string Owner, string Name, bool IsPrivate, LicenceStatus? Status, int Errors, int Warnings,
    string Licences, int PrivacyFindings, bool Held, DateTime? CheckedAt);

/// <summary>
/// Compliance results in the database: the jobs' port (<see cref="IComplianceStore"/>) and the reads of the report
/// pages, the API and the repository header.
/// </summary>
public sealed class ComplianceStore(ForgeDbContext db, IForgeJobs jobs, ILogger<ComplianceStore> log) : IComplianceStore
{
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    // ---- Licences ----

    public async Task<LicenceCheckState?> LicenceStateAsync(long repositoryId, CancellationToken ct)
    {
        var row = await db.LicenceChecks.AsNoTracking().FirstOrDefaultAsync(c => c.RepositoryId == repositoryId, ct);
        return row is null ? null
            : new LicenceCheckState(row.CommitSha, row.RulesVersion, row.InputsStamp, row.Facts,
                row.Licences.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    public async Task SaveLicenceReportAsync(long repositoryId, LicenceReport report, string inputsStamp, byte[] facts, CancellationToken ct)
    {
        var row = await db.LicenceChecks.FirstOrDefaultAsync(c => c.RepositoryId == repositoryId, ct);
        var status = report.Status.ToString();
        var statusChanged = row?.Status != status;
        if (row is null)
        {
            row = new LicenceCheck { RepositoryId = repositoryId, CommitSha = report.CommitSha, Status = status, ReportJson = "" };
            db.LicenceChecks.Add(row);
        }
        row.CommitSha = report.CommitSha;
        row.RulesVersion = LicenceReport.RulesVersion;
        row.InputsStamp = inputsStamp.Length > 2000 ? inputsStamp[..2000] : inputsStamp;
        row.Status = status;
        row.ErrorCount = report.Findings.Count(f => f.Severity == FindingSeverity.Error);
        row.WarningCount = report.Findings.Count(f => f.Severity == FindingSeverity.Warning);
        var licences = string.Join(',', report.Licences);
        row.Licences = licences.Length > 500 ? licences[..500] : licences;
        row.ReportJson = JsonSerializer.Serialize(report, ReportJson);
        row.Facts = facts;
        row.CheckedAt = report.CheckedAt.UtcDateTime;
        // The badge is part of every repository page: a new status must not be hidden by pages cached for the old one.
        if (statusChanged && await db.Repositories.FirstOrDefaultAsync(r => r.Id == repositoryId, ct) is { } repo) repo.UpdatedAt = DateTime.UtcNow;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Two checks of the same repository raced (a push and the nightly run): the other one stored the same report.
            log.LogInformation(e, "Licence report of repository {Id} stored concurrently", repositoryId);
            db.ChangeTracker.Clear();
        }
    }

    public async Task<LicenceReport?> ReportAsync(long repositoryId, CancellationToken ct = default)
    {
        var json = await db.LicenceChecks.AsNoTracking().Where(c => c.RepositoryId == repositoryId).Select(c => c.ReportJson).FirstOrDefaultAsync(ct);
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<LicenceReport>(json, ReportJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The badge of a repository, or null before its first check.</summary>
    public async Task<LicenceStatus?> StatusAsync(long repositoryId, CancellationToken ct = default)
    {
        var status = await db.LicenceChecks.AsNoTracking().Where(c => c.RepositoryId == repositoryId).Select(c => c.Status).FirstOrDefaultAsync(ct);
        return Enum.TryParse<LicenceStatus>(status, out var s) ? s : null;
    }

    public async Task<RepositorySnapshot?> FindByNameAsync(string owner, string name, CancellationToken ct)
    {
        var normalizedOwner = owner.ToUpperInvariant();
        var lowerName = name.ToLowerInvariant();
        var r = await db.Repositories.AsNoTracking().Include(x => x.Owner)
            .FirstOrDefaultAsync(x => x.Owner.NormalizedUserName == normalizedOwner && x.LowerName == lowerName, ct);
        return r is null ? null
            : new RepositorySnapshot(r.Id, r.Owner.UserName!, r.Name, r.Description, r.IsPrivate, r.DefaultBranch,
                new DateTimeOffset(DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc)));
    }

    /// <summary>Forks do not exist yet (issue 6): when they do, the parent id is read here and checked like a <c>based_on</c>.</summary>
    public Task<long?> ForkParentAsync(long repositoryId, CancellationToken ct) =>
        db.Repositories.AsNoTracking().Where(r => r.Id == repositoryId).Select(r => r.ForkOfId).FirstOrDefaultAsync(ct);

    // ---- Personal data ----

    public async Task<IReadOnlyDictionary<string, string>> PrivacyScannedAsync(long repositoryId, CancellationToken ct) =>
        await db.PrivacyScans.AsNoTracking().Where(s => s.RepositoryId == repositoryId).ToDictionaryAsync(s => s.RefName, s => s.CommitSha, ct);

    public async Task SavePrivacyScanAsync(long repositoryId, string refName, string? commitSha, IReadOnlyCollection<string> rescanned,
        IReadOnlyList<StoredPrivacyFinding> findings, bool replaceAll, CancellationToken ct)
    {
        var existing = await db.PrivacyFindings.Where(f => f.RepositoryId == repositoryId && f.RefName == refName).ToListAsync(ct);
        var rescannedSet = rescanned.ToHashSet(StringComparer.Ordinal);
        db.PrivacyFindings.RemoveRange(existing.Where(f => replaceAll || commitSha is null || rescannedSet.Contains(f.Path)
                                                           || findings.Any(n => n.Path == f.Path)));
        if (commitSha is not null)
            foreach (var f in findings)
                db.PrivacyFindings.Add(new PrivacyFindingEntity
                {
                    RepositoryId = repositoryId, RefName = refName, Path = Cut(f.Path, 1000), BlobId = f.BlobId, Kind = f.Finding.Kind,
                    Confidence = f.Finding.Confidence.ToString(), Line = f.Finding.Line, Count = f.Finding.Count,
                    Excerpt = Cut(f.Finding.Excerpt, 300), Message = Cut(f.Finding.Message, 2000),
                });
        var scan = await db.PrivacyScans.FirstOrDefaultAsync(s => s.RepositoryId == repositoryId && s.RefName == refName, ct);
        if (commitSha is null)
        {
            if (scan is not null) db.PrivacyScans.Remove(scan);
        }
        else if (scan is null) db.PrivacyScans.Add(new PrivacyScan { RepositoryId = repositoryId, RefName = refName, CommitSha = commitSha });
        else
        {
            scan.CommitSha = commitSha;
            scan.ScannedAt = DateTime.UtcNow;
        }
        await db.SaveChangesAsync(ct);
    }

    public Task<bool> IsDismissedAsync(long repositoryId, string path, string blobId, CancellationToken ct) =>
        db.PrivacyDismissals.AnyAsync(d => d.RepositoryId == repositoryId && d.Path == path && d.BlobId == blobId, ct);

    public async Task<bool> HoldForReviewAsync(long repositoryId, string reason, CancellationToken ct)
    {
        var repo = await db.Repositories.FirstOrDefaultAsync(r => r.Id == repositoryId, ct);
        if (repo is null || repo.IsPrivate) return false;
        repo.IsPrivate = true;
        repo.UpdatedAt = DateTime.UtcNow;
        var hold = await db.PrivacyHolds.FirstOrDefaultAsync(h => h.RepositoryId == repositoryId, ct);
        if (hold is null) db.PrivacyHolds.Add(new PrivacyHold { RepositoryId = repositoryId, Reason = Cut(reason, 1000) });
        else
        {
            hold.Reason = Cut(reason, 1000);
            hold.Since = DateTime.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        // The search index drops it like any repository made private.
        jobs.RepositoryChanged(repositoryId);
        return true;
    }

    /// <summary>Current findings of a repository (every branch), dismissed ones included and marked.</summary>
    public async Task<IReadOnlyList<PrivacyFindingView>> PrivacyFindingsAsync(long repositoryId, CancellationToken ct = default)
    {
        var findings = await db.PrivacyFindings.AsNoTracking().Where(f => f.RepositoryId == repositoryId).ToListAsync(ct);
        var dismissed = (await db.PrivacyDismissals.AsNoTracking().Where(d => d.RepositoryId == repositoryId).Select(d => new { d.Path, d.BlobId }).ToListAsync(ct))
            .Select(d => (d.Path, d.BlobId)).ToHashSet();
        return findings
            .Select(f => new PrivacyFindingView(f.RefName, f.Path, f.BlobId, f.Kind, Enum.TryParse<PrivacyConfidence>(f.Confidence, out var c) ? c : PrivacyConfidence.Medium,
                f.Line, f.Count, f.Excerpt, f.Message, dismissed.Contains((f.Path, f.BlobId))))
            .OrderBy(f => f.Dismissed).ThenByDescending(f => f.Confidence).ThenBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.RefName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Dismisses the findings of <paramref name="path"/> at its current versions (on every branch): they stay dismissed until
    /// the file changes. False when the file has no finding.
    /// </summary>
    public async Task<bool> DismissAsync(long repositoryId, string path, long? userId, CancellationToken ct = default)
    {
        var blobs = await db.PrivacyFindings.Where(f => f.RepositoryId == repositoryId && f.Path == path).Select(f => f.BlobId).Distinct().ToListAsync(ct);
        if (blobs.Count == 0) return false;
        var known = await db.PrivacyDismissals.Where(d => d.RepositoryId == repositoryId && d.Path == path).Select(d => d.BlobId).ToListAsync(ct);
        foreach (var blob in blobs.Except(known))
            db.PrivacyDismissals.Add(new PrivacyDismissal { RepositoryId = repositoryId, Path = path, BlobId = blob, DismissedById = userId });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>How many personal-data findings of a repository nobody dismissed (for the maintainers' tab).</summary>
    public Task<int> OpenPrivacyCountAsync(long repositoryId, CancellationToken ct = default) =>
        db.PrivacyFindings.AsNoTracking().CountAsync(f => f.RepositoryId == repositoryId
            && !db.PrivacyDismissals.Any(d => d.RepositoryId == f.RepositoryId && d.Path == f.Path && d.BlobId == f.BlobId), ct);

    /// <summary>The automatic hold of a repository still private because of it, or null.</summary>
    /// <remarks>Once the maintainers made the repository public again, the hold is over: it is deleted, so a later manual switch to private shows no stale banner.</remarks>
    public async Task<PrivacyHold?> HoldAsync(long repositoryId, CancellationToken ct = default)
    {
        var hold = await db.PrivacyHolds.Include(h => h.Repository).FirstOrDefaultAsync(h => h.RepositoryId == repositoryId, ct);
        if (hold is null || hold.Repository.IsPrivate) return hold;
        db.PrivacyHolds.Remove(hold);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Repositories whose licence report is not « open », or with undismissed personal-data findings, or held.</summary>
    public async Task<IReadOnlyList<ComplianceProblem>> ProblemsAsync(CancellationToken ct = default)
    {
        var open = nameof(LicenceStatus.Open);
        var licence = await db.LicenceChecks.AsNoTracking().Where(c => c.Status != open)
            .Select(c => new { c.RepositoryId, c.Status, c.ErrorCount, c.WarningCount, c.Licences, c.CheckedAt }).ToListAsync(ct);
        var privacy = await db.PrivacyFindings.AsNoTracking()
            .Where(f => !db.PrivacyDismissals.Any(d => d.RepositoryId == f.RepositoryId && d.Path == f.Path && d.BlobId == f.BlobId))
            .GroupBy(f => f.RepositoryId).Select(g => new { RepositoryId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var held = await db.PrivacyHolds.AsNoTracking().Where(h => h.Repository.IsPrivate).Select(h => h.RepositoryId).ToListAsync(ct);
        var ids = licence.Select(l => l.RepositoryId).Concat(privacy.Select(p => p.RepositoryId)).Concat(held).Distinct().ToList();
        var repos = await db.Repositories.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, Owner = r.Owner.UserName!, r.Name, r.IsPrivate }).ToListAsync(ct);
        return repos.Select(r =>
            {
                var l = licence.FirstOrDefault(x => x.RepositoryId == r.Id);
                return new ComplianceProblem(r.Id, r.Owner, r.Name, r.IsPrivate, l is null ? null : Enum.Parse<LicenceStatus>(l.Status),
                    l?.ErrorCount ?? 0, l?.WarningCount ?? 0, l?.Licences ?? "", privacy.FirstOrDefault(p => p.RepositoryId == r.Id)?.Count ?? 0,
                    held.Contains(r.Id), l?.CheckedAt);
            })
            .OrderByDescending(p => p.Held).ThenByDescending(p => p.PrivacyFindings > 0).ThenByDescending(p => p.Status)
            .ThenBy(p => p.Owner, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static string Cut(string s, int max) => s.Length > max ? s[..max] : s;
}
