using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>« Vérifications automatiques » of a repository: on or off, and the folder its tests are in.</summary>
public class CheckSetting
{
    public const int MaxFolder = 200;
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public bool Enabled { get; set; }
    public string Folder { get; set; } = "tests";
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>One run of the checks over one commit: queued, running, then success, failure or error.</summary>
public class CheckRun
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string CommitSha { get; set; }
    public string Folder { get; set; } = "tests";
    /// <summary><c>queued</c>, <c>running</c>, <c>success</c>, <c>failure</c> or <c>error</c>.</summary>
    public string State { get; set; } = "queued";
    public string Description { get; set; } = "";
    /// <summary>JSON array of the tests: <c>{file, name, passed, message}</c>.</summary>
    public string TestsJson { get; set; } = "[]";
    public string Output { get; set; } = "";
    public bool OutputTruncated { get; set; }
    public int DurationMs { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A Gitea-style commit status: one row per report (the latest per context counts).</summary>
public class CommitStatusEntity
{
    public const int MaxContext = 255;
    public const int MaxDescription = 1000;
    public const int MaxTargetUrl = 2000;
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string CommitSha { get; set; }
    public required string Context { get; set; }
    /// <summary><c>pending</c>, <c>success</c>, <c>error</c>, <c>failure</c> or <c>warning</c>.</summary>
    public required string State { get; set; }
    public string Description { get; set; } = "";
    public string? TargetUrl { get; set; }
    /// <summary>Who posted it; null for Forge's own checks.</summary>
    public long? CreatorId { get; set; }
    public ForgeUser? Creator { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public static class CheckModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<CheckSetting>(s =>
        {
            s.ToTable("CheckSettings");
            s.HasKey(x => x.RepositoryId);
            s.Property(x => x.Folder).HasMaxLength(CheckSetting.MaxFolder);
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CheckRun>(r =>
        {
            r.ToTable("CheckRuns");
            r.Property(x => x.CommitSha).HasMaxLength(40);
            r.Property(x => x.Folder).HasMaxLength(CheckSetting.MaxFolder);
            r.Property(x => x.State).HasMaxLength(10);
            r.Property(x => x.Description).HasMaxLength(CommitStatusEntity.MaxDescription);
            r.HasIndex(x => new { x.RepositoryId, x.CommitSha }).IsUnique();
            r.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CommitStatusEntity>(c =>
        {
            c.ToTable("CommitStatuses");
            c.Property(x => x.CommitSha).HasMaxLength(40);
            c.Property(x => x.Context).HasMaxLength(CommitStatusEntity.MaxContext);
            c.Property(x => x.State).HasMaxLength(10);
            c.Property(x => x.Description).HasMaxLength(CommitStatusEntity.MaxDescription);
            c.Property(x => x.TargetUrl).HasMaxLength(CommitStatusEntity.MaxTargetUrl);
            c.HasIndex(x => new { x.RepositoryId, x.CommitSha });
            c.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.Creator).WithMany().HasForeignKey(x => x.CreatorId).OnDelete(DeleteBehavior.SetNull);
        });
    }
}
