using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>The last licence check of a repository's default branch: the report, and the file facts the next check starts from.</summary>
public class LicenceCheck
{
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string CommitSha { get; set; }
    public int RulesVersion { get; set; }
    /// <summary>What else the report depends on (the licences of the resource it adapts).</summary>
    public string InputsStamp { get; set; } = "";
    /// <summary><c>Open</c>, <c>ToCheck</c> or <c>NotReusable</c> (the badge).</summary>
    public required string Status { get; set; }
    public int ErrorCount { get; set; }
    public int WarningCount { get; set; }
    /// <summary>The licences of the repository as a whole, comma-separated.</summary>
    public string Licences { get; set; } = "";
    public required string ReportJson { get; set; }
    /// <summary>Gzipped JSON of every file's licence facts.</summary>
    public byte[]? Facts { get; set; }
    public DateTime CheckedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>The commit a branch was last scanned for personal data at.</summary>
public class PrivacyScan
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string RefName { get; set; }
    public required string CommitSha { get; set; }
    public DateTime ScannedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Likely personal data in a file of a branch (shown to the repository's maintainers only).</summary>
public class PrivacyFindingEntity
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string RefName { get; set; }
    public required string Path { get; set; }
    public required string BlobId { get; set; }
    public required string Kind { get; set; }
    public required string Confidence { get; set; }
    public int? Line { get; set; }
    public int Count { get; set; }
    public required string Excerpt { get; set; }
    public required string Message { get; set; }
    public DateTime FoundAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A maintainer's « not personal data » for a file at one version: a new version of the file is scanned afresh.</summary>
public class PrivacyDismissal
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string Path { get; set; }
    public required string BlobId { get; set; }
    public long? DismissedById { get; set; }
    public DateTime DismissedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A repository made private automatically because of a personal-data finding, until its maintainers review it.</summary>
public class PrivacyHold
{
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string Reason { get; set; }
    public DateTime Since { get; set; } = DateTime.UtcNow;
}

public static class ComplianceModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<LicenceCheck>(c =>
        {
            c.ToTable("LicenceChecks");
            c.HasKey(x => x.RepositoryId);
            c.Property(x => x.CommitSha).HasMaxLength(40);
            c.Property(x => x.InputsStamp).HasMaxLength(2000);
            c.Property(x => x.Status).HasMaxLength(20);
            c.Property(x => x.Licences).HasMaxLength(500);
            c.HasIndex(x => x.Status);
            c.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PrivacyScan>(s =>
        {
            s.ToTable("PrivacyScans");
            s.Property(x => x.RefName).HasMaxLength(255);
            s.Property(x => x.CommitSha).HasMaxLength(40);
            s.HasIndex(x => new { x.RepositoryId, x.RefName }).IsUnique();
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PrivacyFindingEntity>(f =>
        {
            f.ToTable("PrivacyFindings");
            f.Property(x => x.RefName).HasMaxLength(255);
            f.Property(x => x.Path).HasMaxLength(1000);
            f.Property(x => x.BlobId).HasMaxLength(40);
            f.Property(x => x.Kind).HasMaxLength(20);
            f.Property(x => x.Confidence).HasMaxLength(10);
            f.Property(x => x.Excerpt).HasMaxLength(300);
            f.Property(x => x.Message).HasMaxLength(2000);
            f.HasIndex(x => new { x.RepositoryId, x.RefName, x.Path });
            f.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PrivacyDismissal>(d =>
        {
            d.ToTable("PrivacyDismissals");
            d.Property(x => x.Path).HasMaxLength(1000);
            d.Property(x => x.BlobId).HasMaxLength(40);
            d.HasIndex(x => new { x.RepositoryId, x.Path, x.BlobId }).IsUnique();
            d.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PrivacyHold>(h =>
        {
            h.ToTable("PrivacyHolds");
            h.HasKey(x => x.RepositoryId);
            h.Property(x => x.Reason).HasMaxLength(1000);
            h.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
