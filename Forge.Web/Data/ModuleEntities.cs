using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>
/// A signed-in learner's progress in the training module of a repository (its <c>module.yml</c>): pages seen, best quiz
/// score per section, and once every section is complete, the completion and its certificate (kept even if the module changes).
/// </summary>
public class ModuleProgress
{
    public const int MaxPages = 5000;

    public long Id { get; set; }
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    /// <summary>JSON array of the repository paths of the pages seen.</summary>
    public string PagesSeen { get; set; } = "[]";
    /// <summary>JSON object: section id → best quiz score in percent.</summary>
    public string QuizScores { get; set; } = "{}";
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? CompletedAt { get; set; }
    /// <summary>The commit of the module the learner completed.</summary>
    public string? CompletedCommit { get; set; }
    /// <summary>The module's title and duration when completed, as the certificate shows them.</summary>
    public string? CompletedTitle { get; set; }
    public int? CompletedMinutes { get; set; }
    /// <summary>Unguessable code of the certificate's public verification URL (unique).</summary>
    public string? CertificateCode { get; set; }
}

public static class ModuleModel
{
    public static void Configure(ModelBuilder b) => b.Entity<ModuleProgress>(p =>
    {
        p.ToTable("ModuleProgress");
        p.HasIndex(x => new { x.UserId, x.RepositoryId }).IsUnique();
        p.HasIndex(x => x.RepositoryId);
        p.HasIndex(x => x.CertificateCode).IsUnique();
        p.Property(x => x.CompletedCommit).HasMaxLength(64);
        p.Property(x => x.CompletedTitle).HasMaxLength(2100);
        p.Property(x => x.CertificateCode).HasMaxLength(32);
        p.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        p.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    });
}
