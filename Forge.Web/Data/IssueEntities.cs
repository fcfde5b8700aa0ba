using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

public enum IssueState { Open, Closed }

/// <summary>
/// A question, a mistake or an idea about a repository. Numbered per repository, separately from merge requests
/// (as on GitLab: <c>#12</c> names an issue, <c>!3</c> a merge request).
/// </summary>
public class Issue
{
    public const int MaxTitle = 255;
    public const int MaxBody = 65536;

    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public int Number { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public long AuthorId { get; set; }
    public ForgeUser Author { get; set; } = null!;
    public IssueState State { get; set; }
    public DateTime? ClosedAt { get; set; }
    public long? ClosedById { get; set; }
    public ForgeUser? ClosedBy { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public int CommentCount { get; set; }
    public List<IssueComment> Comments { get; set; } = [];
    public List<IssueLabel> Labels { get; set; } = [];
    public List<IssueAssignee> Assignees { get; set; } = [];
}

public class IssueComment
{
    public long Id { get; set; }
    public long IssueId { get; set; }
    public Issue Issue { get; set; } = null!;
    public long AuthorId { get; set; }
    public ForgeUser Author { get; set; } = null!;
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A repository's label: a name (always written), a colour from <see cref="LabelPalette"/> and a description.</summary>
public class Label
{
    public const int MaxName = 50;
    public const int MaxDescription = 200;

    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>A key of <see cref="LabelPalette.Colours"/>.</summary>
    public required string Color { get; set; }
    public string? Description { get; set; }
}

public class IssueLabel
{
    public long IssueId { get; set; }
    public Issue Issue { get; set; } = null!;
    public long LabelId { get; set; }
    public Label Label { get; set; } = null!;
}

public class IssueAssignee
{
    public long IssueId { get; set; }
    public Issue Issue { get; set; } = null!;
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
}

/// <summary>A repository's issue settings; a repository without a row has issues on.</summary>
public class IssueSettings
{
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public bool Disabled { get; set; }
}

/// <summary>
/// The fixed palette of label colours: each background has a contrast of at least 4.5:1 with its text colour (WCAG AA),
/// and a label is never told by its colour alone — its name is always written.
/// </summary>
public static class LabelPalette
{
    /// <summary>Key → (French name, background, text colour).</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Background, string Text)> Colours =
        new Dictionary<string, (string, string, string)>
        {
            ["gris"] = ("Gris", "#e5e7eb", "#111827"),
            ["rouge"] = ("Rouge", "#b91c1c", "#ffffff"),
            ["orange"] = ("Orange", "#fed7aa", "#7c2d12"),
            ["jaune"] = ("Jaune", "#fef08a", "#713f12"),
            ["vert"] = ("Vert", "#166534", "#ffffff"),
            ["bleu"] = ("Bleu", "#1d4ed8", "#ffffff"),
            ["violet"] = ("Violet", "#6d28d9", "#ffffff"),
            ["rose"] = ("Rose", "#fbcfe8", "#831843"),
        };

    public const string Default = "gris";
}

public static class IssueModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<Issue>(i =>
        {
            i.ToTable("Issues");
            i.Property(x => x.Title).HasMaxLength(Issue.MaxTitle);
            i.Property(x => x.Body).HasMaxLength(Issue.MaxBody);
            i.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            i.HasIndex(x => new { x.RepositoryId, x.Number }).IsUnique();
            i.HasIndex(x => new { x.RepositoryId, x.State });
            i.HasIndex(x => x.AuthorId);
            i.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            i.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
            i.HasOne(x => x.ClosedBy).WithMany().HasForeignKey(x => x.ClosedById).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<IssueComment>(c =>
        {
            c.ToTable("IssueComments");
            c.Property(x => x.Body).HasMaxLength(Issue.MaxBody);
            c.HasIndex(x => x.IssueId);
            c.HasOne(x => x.Issue).WithMany(i => i.Comments).HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Label>(l =>
        {
            l.ToTable("Labels");
            l.Property(x => x.Name).HasMaxLength(Label.MaxName);
            l.Property(x => x.Color).HasMaxLength(20);
            l.Property(x => x.Description).HasMaxLength(Label.MaxDescription);
            l.HasIndex(x => new { x.RepositoryId, x.Name }).IsUnique();
            l.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IssueLabel>(l =>
        {
            l.ToTable("IssueLabels");
            l.HasKey(x => new { x.IssueId, x.LabelId });
            l.HasIndex(x => x.LabelId);
            l.HasOne(x => x.Issue).WithMany(i => i.Labels).HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade);
            l.HasOne(x => x.Label).WithMany().HasForeignKey(x => x.LabelId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IssueAssignee>(a =>
        {
            a.ToTable("IssueAssignees");
            a.HasKey(x => new { x.IssueId, x.UserId });
            a.HasIndex(x => x.UserId);
            a.HasOne(x => x.Issue).WithMany(i => i.Assignees).HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade);
            a.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IssueSettings>(s =>
        {
            s.ToTable("IssueSettings");
            s.HasKey(x => x.RepositoryId);
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
        NotificationModel.Configure(b);
    }
}

public enum NotificationKind { Mention, Comment, Assigned, NewIssue, NewMergeRequest }

/// <summary>
/// Something a user should know about an issue or a merge request of a repository they can read: mentioned, a comment on
/// their issue, assigned, or news of a watched repository. Only ever created for a user who may read the repository.
/// </summary>
public class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public NotificationKind Kind { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public int Number { get; set; }
    public bool IsMergeRequest { get; set; }
    /// <summary>The issue's or request's title when the notification was made.</summary>
    public required string Title { get; set; }
    public long? ActorId { get; set; }
    public ForgeUser? Actor { get; set; }
    public bool IsRead { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A user following a repository (« Suivre »): they are told of new issues, comments and merge requests.</summary>
public class Watch
{
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
}

public static class NotificationModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<Notification>(n =>
        {
            n.ToTable("Notifications");
            n.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            n.Property(x => x.Title).HasMaxLength(Issue.MaxTitle);
            n.HasIndex(x => new { x.UserId, x.IsRead });
            n.HasIndex(x => x.RepositoryId);
            n.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            n.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            n.HasOne(x => x.Actor).WithMany().HasForeignKey(x => x.ActorId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<Watch>(w =>
        {
            w.ToTable("Watches");
            w.HasKey(x => new { x.UserId, x.RepositoryId });
            w.HasIndex(x => x.RepositoryId);
            w.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            w.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
