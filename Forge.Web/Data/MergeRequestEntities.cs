using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

public enum MergeRequestState { Open, Closed, Merged }

/// <summary>How a merge request is merged into its target branch (a repository setting).</summary>
public enum MergeStyle { Merge, Squash, FastForward }

/// <summary>What the background check found about merging the current head into the current target.</summary>
public enum MergeStatus { Unchecked, Mergeable, Conflicts, NothingToMerge, Failed }

public enum DiffSide { Old, New }

public enum ReviewVerdict { Comment, Approved, ChangesRequested }

/// <summary>
/// A proposal to bring the commits of a source branch (of this repository or of a fork) into a target branch. Numbered
/// per target repository; its head is kept in the target as <c>refs/merge-requests/{Number}/head</c>.
/// </summary>
public class MergeRequest
{
    public long Id { get; set; }
    public long TargetRepositoryId { get; set; }
    public RepositoryEntity TargetRepository { get; set; } = null!;
    public int Number { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public long AuthorId { get; set; }
    public ForgeUser Author { get; set; } = null!;
    /// <summary>Null once the source repository is deleted (the head ref in the target keeps the commits).</summary>
    public long? SourceRepositoryId { get; set; }
    public RepositoryEntity? SourceRepository { get; set; }
    public required string SourceBranch { get; set; }
    public required string TargetBranch { get; set; }
    public MergeRequestState State { get; set; }
    public required string HeadSha { get; set; }
    /// <summary>Merge base of the head and the target branch at the last update.</summary>
    public required string BaseSha { get; set; }
    public string? MergeSha { get; set; }
    public long? MergedById { get; set; }
    public ForgeUser? MergedBy { get; set; }
    public DateTime? MergedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public MergeStatus MergeStatus { get; set; }
    /// <summary>Conflicting paths found by the last check, one per line.</summary>
    public string? ConflictFiles { get; set; }
    /// <summary>The head and target tip the last check was made on (a check of older tips is stale).</summary>
    public string? CheckedHeadSha { get; set; }
    public string? CheckedTargetSha { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public List<MergeRequestComment> Comments { get; set; } = [];
    public List<MergeRequestReview> Reviews { get; set; } = [];

    public IReadOnlyList<string> ConflictList => ConflictFiles?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>A comment on the whole request, or on one line of its diff (then <see cref="Path"/>, <see cref="Side"/> and <see cref="Line"/> are set).</summary>
public class MergeRequestComment
{
    public long Id { get; set; }
    public long MergeRequestId { get; set; }
    public MergeRequest MergeRequest { get; set; } = null!;
    public long AuthorId { get; set; }
    public ForgeUser Author { get; set; } = null!;
    public required string Body { get; set; }
    public string? Path { get; set; }
    public DiffSide? Side { get; set; }
    public int? Line { get; set; }
    /// <summary>The head the comment was made on, and the merge base then (the old side of the diff).</summary>
    public string? CommitSha { get; set; }
    public string? BaseSha { get; set; }
    /// <summary>The text of the line commented, as it was.</summary>
    public string? LineText { get; set; }
    /// <summary>The first comment of the thread this one answers (null for a thread's first comment).</summary>
    public long? ThreadId { get; set; }
    public bool Resolved { get; set; }
    /// <summary>The line changed since the comment was made (« obsolète »).</summary>
    public bool Outdated { get; set; }
    public long? ReviewId { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public bool IsLineComment => Path is not null && Line is not null && Side is not null;
}

/// <summary>A reviewer's verdict on one head of a request.</summary>
public class MergeRequestReview
{
    public long Id { get; set; }
    public long MergeRequestId { get; set; }
    public MergeRequest MergeRequest { get; set; } = null!;
    public long ReviewerId { get; set; }
    public ForgeUser Reviewer { get; set; } = null!;
    public ReviewVerdict Verdict { get; set; }
    public string? Body { get; set; }
    public required string HeadSha { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A repository's merge-request settings (absent: defaults).</summary>
public class MergeRequestSettings
{
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public MergeStyle MergeStyle { get; set; } = MergeStyle.Merge;
}

public static class MergeRequestModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<MergeRequest>(m =>
        {
            m.ToTable("MergeRequests");
            m.Property(x => x.Title).HasMaxLength(255);
            m.Property(x => x.Description).HasMaxLength(65536);
            m.Property(x => x.SourceBranch).HasMaxLength(255);
            m.Property(x => x.TargetBranch).HasMaxLength(255);
            m.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            m.Property(x => x.MergeStatus).HasConversion<string>().HasMaxLength(20);
            foreach (var sha in new[] { "HeadSha", "BaseSha", "MergeSha", "CheckedHeadSha", "CheckedTargetSha" }) m.Property(sha).HasMaxLength(40);
            m.Property(x => x.ConflictFiles).HasMaxLength(65536);
            m.HasIndex(x => new { x.TargetRepositoryId, x.Number }).IsUnique();
            m.HasIndex(x => new { x.TargetRepositoryId, x.State });
            m.HasIndex(x => new { x.SourceRepositoryId, x.SourceBranch });
            m.HasOne(x => x.TargetRepository).WithMany().HasForeignKey(x => x.TargetRepositoryId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne(x => x.SourceRepository).WithMany().HasForeignKey(x => x.SourceRepositoryId).OnDelete(DeleteBehavior.SetNull);
            m.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne(x => x.MergedBy).WithMany().HasForeignKey(x => x.MergedById).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<MergeRequestComment>(c =>
        {
            c.ToTable("MergeRequestComments");
            c.Property(x => x.Body).HasMaxLength(65536);
            c.Property(x => x.Path).HasMaxLength(1000);
            c.Property(x => x.Side).HasConversion<string>().HasMaxLength(5);
            c.Property(x => x.CommitSha).HasMaxLength(40);
            c.Property(x => x.BaseSha).HasMaxLength(40);
            c.Property(x => x.LineText).HasMaxLength(500);
            c.HasIndex(x => x.MergeRequestId);
            c.HasOne(x => x.MergeRequest).WithMany(m => m.Comments).HasForeignKey(x => x.MergeRequestId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<MergeRequestReview>(r =>
        {
            r.ToTable("MergeRequestReviews");
            r.Property(x => x.Verdict).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.Body).HasMaxLength(65536);
            r.Property(x => x.HeadSha).HasMaxLength(40);
            r.HasIndex(x => new { x.MergeRequestId, x.ReviewerId });
            r.HasOne(x => x.MergeRequest).WithMany(m => m.Reviews).HasForeignKey(x => x.MergeRequestId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne(x => x.Reviewer).WithMany().HasForeignKey(x => x.ReviewerId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<MergeRequestSettings>(s =>
        {
            s.ToTable("MergeRequestSettings");
            s.HasKey(x => x.RepositoryId);
            s.Property(x => x.MergeStyle).HasConversion<string>().HasMaxLength(20);
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
