using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>What someone did in a repository, as the activity feeds tell it (Gitea's <c>op_type</c> in <see cref="Activity.ActivityOps"/>).</summary>
public enum ActivityKind
{
    CreateRepository = 0,
    ForkRepository = 1,
    Push = 2,
    DeleteBranch = 3,
    PushTag = 4,
    CreateIssue = 10,
    CloseIssue = 11,
    ReopenIssue = 12,
    CommentIssue = 13,
    CreateMergeRequest = 20,
    MergeMergeRequest = 21,
    CloseMergeRequest = 22,
    ReopenMergeRequest = 23,
    CommentMergeRequest = 24,
}

/// <summary>
/// One line of the activity feeds of users (what they did) and groups (what happened in their repositories). Always about
/// a repository: the feeds show it only to those who may read that repository, and the row goes with the repository
/// (and with the account of the one who acted).
/// </summary>
public class ActivityEvent
{
    public const int MaxContent = 2000;

    public long Id { get; set; }
    public long ActorId { get; set; }
    public ForgeUser Actor { get; set; } = null!;
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public ActivityKind Kind { get; set; }
    /// <summary>Pushes: the full ref name (<c>refs/heads/main</c>).</summary>
    public string? RefName { get; set; }
    /// <summary>Pushes: the ref's new commit (or old one for a deleted branch).</summary>
    public string? Sha { get; set; }
    /// <summary>Pushes: how many commits the push brought (counted up to 1,000).</summary>
    public int CommitCount { get; set; }
    /// <summary>Issues and merge requests: the number.</summary>
    public int? Number { get; set; }
    /// <summary>
    /// Issues and requests: the title (a comment: its beginning); pushes: up to five commits, one per line, <c>sha subject</c>;
    /// forks: the source's <c>owner/name</c>.
    /// </summary>
    public string? Content { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Which notifications a person also wants by e-mail (when the instance sends e-mail). No row: all of them.</summary>
public enum EmailNotificationLevel
{
    All = 0,
    /// <summary>Only when they are mentioned or assigned.</summary>
    MentionsAndAssignments = 1,
    None = 2,
}

public class NotificationSettings
{
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public EmailNotificationLevel Email { get; set; }
}

public static class ActivityEventModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ActivityEvent>(e =>
        {
            e.ToTable("ActivityEvents");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.RefName).HasMaxLength(255);
            e.Property(x => x.Sha).HasMaxLength(64);
            e.Property(x => x.Content).HasMaxLength(ActivityEvent.MaxContent);
            e.HasIndex(x => new { x.ActorId, x.Id });
            e.HasIndex(x => new { x.RepositoryId, x.Id });
            e.HasOne(x => x.Actor).WithMany().HasForeignKey(x => x.ActorId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<NotificationSettings>(s =>
        {
            s.ToTable("NotificationSettings");
            s.HasKey(x => x.UserId);
            s.Property(x => x.Email).HasConversion<string>().HasMaxLength(30);
            s.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
