using Forge.Core.Licences;
using Forge.Core.Privacy;

namespace Forge.Jobs.Compliance;

/// <summary>What the previous licence check of a repository left: the commit checked and the facts of its files.</summary>
public sealed record LicenceCheckState(string CommitSha, int RulesVersion, string InputsStamp, byte[]? Facts, IReadOnlyList<string> Licences);

/// <summary>Administrator's choices for the compliance jobs.</summary>
public sealed record ComplianceOptions
{
    /// <summary>Make a public repository private as soon as a high-confidence personal-data finding appears, until reviewed.</summary>
    public bool AutoPrivate { get; init; }
}

/// <summary>A personal-data finding to store, for a file of a branch.</summary>
public sealed record StoredPrivacyFinding(string RefName, string Path, string BlobId, PrivacyFinding Finding);

/// <summary>Port the application implements to keep compliance results (reports, facts, findings) in its database.</summary>
public interface IComplianceStore
{
    Task<LicenceCheckState?> LicenceStateAsync(long repositoryId, CancellationToken ct);

    /// <summary>Stores a report and the file facts behind it (replacing the previous ones).</summary>
    Task SaveLicenceReportAsync(long repositoryId, LicenceReport report, string inputsStamp, byte[] facts, CancellationToken ct);

    /// <summary>A repository by owner and name (for <c>based_on: owner/repo</c>), or null.</summary>
    Task<RepositorySnapshot?> FindByNameAsync(string owner, string name, CancellationToken ct);

    /// <summary>The repository a fork was made from, or null (not a fork, or its source was deleted).</summary>
    Task<long?> ForkParentAsync(long repositoryId, CancellationToken ct);

    /// <summary>For each branch scanned for personal data, the commit scanned last.</summary>
    Task<IReadOnlyDictionary<string, string>> PrivacyScannedAsync(long repositoryId, CancellationToken ct);

    /// <summary>
    /// Records a scan of <paramref name="refName"/> at <paramref name="commitSha"/> (null: the branch is gone): findings of
    /// <paramref name="rescanned"/> paths on that branch are replaced by <paramref name="findings"/>; with
    /// <paramref name="replaceAll"/> every finding of the branch is.
    /// </summary>
    Task SavePrivacyScanAsync(long repositoryId, string refName, string? commitSha, IReadOnlyCollection<string> rescanned,
        IReadOnlyList<StoredPrivacyFinding> findings, bool replaceAll, CancellationToken ct);

    /// <summary>True when the maintainers dismissed findings of this file at this version.</summary>
    Task<bool> IsDismissedAsync(long repositoryId, string path, string blobId, CancellationToken ct);

    /// <summary>Makes a public repository private until a maintainer reviews the findings; false when it already was private.</summary>
    Task<bool> HoldForReviewAsync(long repositoryId, string reason, CancellationToken ct);
}
