using Forge.Core.Privacy;
using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs.Compliance;

/// <summary>
/// Scans a repository's branches for pupils' personal data, reading only the files that changed since the commit each
/// branch was scanned at (a new branch: the files that differ from the default branch). Idempotent: branches already
/// scanned at their tip are skipped. With <see cref="ComplianceOptions.AutoPrivate"/>, a public repository with a
/// high-confidence finding that nobody dismissed is made private until its maintainers review it.
/// </summary>
public sealed class PrivacyScanJob(IRepositoryDirectory directory, IComplianceStore compliance, RepositoryStore store, GitReader reader,
    ComplianceOptions options, TimeProvider clock, ILogger<PrivacyScanJob> log, AfterPush afterPush)
{
    private const int MaxBranches = 200;
    private const int MaxFilesPerBranch = 20_000;

    /// <summary>A run queued by a push: postponed while the repository is still being pushed to, then as <see cref="RunAsync"/>.</summary>
    [AutomaticRetry(Attempts = 5)]
    public Task RunAfterPushAsync(long repositoryId, DateTimeOffset queuedAt, CancellationToken ct) =>
        afterPush.Postpone<PrivacyScanJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None))
            ? Task.CompletedTask
            : RunAsync(repositoryId, ct);

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long repositoryId, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || !store.Exists(repositoryId)) return;
        var path = store.PathOf(repositoryId);
        var branches = reader.Branches(path).OrderBy(b => b == repo.DefaultBranch ? 0 : 1).Take(MaxBranches).ToList();
        var scanned = new Dictionary<string, string>(await compliance.PrivacyScannedAsync(repositoryId, ct), StringComparer.Ordinal);
        foreach (var gone in scanned.Keys.Except(branches, StringComparer.Ordinal).ToList())
            await compliance.SavePrivacyScanAsync(repositoryId, gone, null, [], [], replaceAll: true, ct);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var high = new List<StoredPrivacyFinding>();
        foreach (var branch in branches)
        {
            var tip = reader.BranchTip(path, branch);
            if (tip is null || (scanned.TryGetValue(branch, out var done) && done == tip)) continue;
            IReadOnlyList<FileEntry> toScan;
            IReadOnlyCollection<string> rescanned;
            var replaceAll = false;
            if (done is not null && reader.ChangedFiles(path, done, tip) is { } changes)
            {
                toScan = changes.Changed;
                rescanned = changes.Changed.Select(c => c.Path).Concat(changes.Deleted).ToHashSet(StringComparer.Ordinal);
            }
            else if (branch != repo.DefaultBranch && scanned.TryGetValue(repo.DefaultBranch, out var baseTip) && reader.ChangedFiles(path, baseTip, tip) is { } fromBase)
            {
                // A new branch: what it shares with the default branch is already scanned there.
                toScan = fromBase.Changed;
                rescanned = [];
                replaceAll = true;
            }
            else
            {
                toScan = reader.FileIds(path, tip, MaxFilesPerBranch) ?? [];
                rescanned = [];
                replaceAll = true;
            }
            var findings = new List<StoredPrivacyFinding>();
            var candidates = toScan.Where(f => DocumentReader.IsCandidate(f.Path)).Take(MaxFilesPerBranch).ToList();
            reader.ReadBlobsById(path, candidates, _ => PrivacyScanner.MaxBytes, PrivacyScanner.MaxBytes, (file, blob) =>
            {
                if (blob.IsBinary && !file.Path.EndsWith(".ods", StringComparison.OrdinalIgnoreCase) && !file.Path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) return;
                foreach (var f in PrivacyScanner.Scan(file.Path, blob.Bytes, today))
                    findings.Add(new StoredPrivacyFinding(branch, file.Path, file.BlobId, f));
            }, ct);
            await compliance.SavePrivacyScanAsync(repositoryId, branch, tip, rescanned, findings, replaceAll, ct);
            scanned[branch] = tip;
            high.AddRange(findings.Where(f => f.Finding.Confidence == PrivacyConfidence.High));
            if (findings.Count > 0)
                log.LogWarning("Personal data likely in repository {Id}, branch {Branch}: {Count} findings in {Files} files",
                    repositoryId, branch, findings.Count, findings.Select(f => f.Path).Distinct().Count());
        }

        // The snapshot's IsPrivate means "not public to everyone" (a repository of an internal group is not, yet every
        // signed-in user reads it): the hold itself checks the repository's own setting.
        if (options.AutoPrivate && high.Count > 0)
        {
            foreach (var f in high)
            {
                if (await compliance.IsDismissedAsync(repositoryId, f.Path, f.BlobId, ct)) continue;
                var reason = $"{PrivacyFinding.Label(f.Finding.Kind)} dans « {f.Path} » (branche {f.RefName})";
                if (await compliance.HoldForReviewAsync(repositoryId, reason, ct))
                    log.LogWarning("Repository {Id} made private until reviewed: {Reason}", repositoryId, reason);
                break;
            }
        }
    }
}
