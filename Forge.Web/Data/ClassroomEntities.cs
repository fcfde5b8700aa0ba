using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

public partial class ForgeUser
{
    /// <summary>Groups only: this group is a class (see <see cref="SchoolClass"/>): its students do not see each other.</summary>
    public bool IsClass { get; set; }
    /// <summary>People only: the account was made with a one-time password (bulk pupil accounts); the next sign-in must change it.</summary>
    public bool MustChangePassword { get; set; }
}

public partial class RepositoryEntity
{
    /// <summary>
    /// A student's copy of an assignment (see <see cref="AssignmentCopy"/>): members of the owning class get no role from the
    /// group below maintainer, so classmates never read it; the student is a writer collaborator.
    /// </summary>
    public bool IsAssignmentCopy { get; set; }
}

/// <summary>What makes a group a class: the code students join with.</summary>
public class SchoolClass
{
    /// <summary>The class's group (<see cref="ForgeUser.IsClass"/>).</summary>
    public long GroupId { get; set; }
    public ForgeUser Group { get; set; } = null!;
    /// <summary>Eight characters of an unambiguous alphabet, unique.</summary>
    public required string JoinCode { get; set; }
    public bool JoinEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>An exercise handed out in a class: each accepting student gets a private copy of <see cref="Template"/>.</summary>
public class Assignment
{
    public const int MaxTitle = 200;
    public const int MaxInstructions = 65536;

    public long Id { get; set; }
    public long ClassId { get; set; }
    public ForgeUser Class { get; set; } = null!;
    public required string Title { get; set; }
    /// <summary>Lower-case slug of the title, unique per class: the copies are named <c>{slug}-{username}</c>.</summary>
    public required string Slug { get; set; }
    public string? Instructions { get; set; }
    /// <summary>Null once the template is deleted (the copies stay).</summary>
    public long? TemplateId { get; set; }
    public RepositoryEntity? Template { get; set; }
    /// <summary>
    /// The template's default-branch tip when the assignment was made: its tests are the ones every copy is checked with
    /// (a pupil's own versions of the test files are replaced in the sandbox). Null for assignments made before it was kept.
    /// </summary>
    public string? TemplateSha { get; set; }
    /// <summary>1: individual work; 2 or more: pupils work in teams of at most this many, one copy per team.</summary>
    public int TeamSize { get; set; } = 1;
    public const int MaxTeamSize = 10;
    public bool IsTeamWork => TeamSize > 1;
    public DateTime? OpensAt { get; set; }
    public DateTime? ClosesAt { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Competency levels a teacher may give instead of (or with) a grade.</summary>
public enum Competency { None = 0, NotAcquired = 1, InProgress = 2, Acquired = 3, Exceeded = 4 }

/// <summary>A student's accepted assignment: their private copy, the starter commit, submission, extension and feedback.</summary>
public class AssignmentCopy
{
    public const int MaxGrade = 50;

    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public Assignment Assignment { get; set; } = null!;
    public long StudentId { get; set; }
    public ForgeUser Student { get; set; } = null!;
    /// <summary>The copy; deleting it deletes this row.</summary>
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    /// <summary>The template's default-branch tip at acceptance (also the <c>feedback</c> branch): what the student started from.</summary>
    public required string StarterSha { get; set; }
    public DateTime AcceptedAt { get; set; } = DateTime.UtcNow;
    /// <summary>« Rendre le devoir »: set by the student (cleared when the teacher reopens the assignment for them).</summary>
    public DateTime? SubmittedAt { get; set; }
    /// <summary>A later deadline for this student only (the teacher's « Rouvrir »).</summary>
    public DateTime? ExtendedUntil { get; set; }
    public string? Grade { get; set; }
    public Competency Competency { get; set; }
    /// <summary>Number of the feedback merge request (<c>main</c> into <c>feedback</c>) in the copy, once opened.</summary>
    public int? FeedbackNumber { get; set; }
    /// <summary>Team work: the team's name (unique per assignment); <see cref="StudentId"/> is the pupil who created it.</summary>
    public string? TeamName { get; set; }
    public const int MaxTeamName = 60;
    public List<AssignmentTeamMember> Members { get; set; } = [];
}

/// <summary>A pupil in a team of a team assignment (the creator too): one team per pupil and assignment.</summary>
public class AssignmentTeamMember
{
    public long CopyId { get; set; }
    public AssignmentCopy Copy { get; set; } = null!;
    public long AssignmentId { get; set; }
    public long StudentId { get; set; }
    public ForgeUser Student { get; set; } = null!;
    public DateTime JoinedAt { get; set; } = DateTime.UtcNow;
}

public static class ClassroomModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SchoolClass>(c =>
        {
            c.ToTable("Classrooms");
            c.HasKey(x => x.GroupId);
            c.Property(x => x.JoinCode).HasMaxLength(16);
            c.HasIndex(x => x.JoinCode).IsUnique();
            c.HasOne(x => x.Group).WithOne().HasForeignKey<SchoolClass>(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Assignment>(a =>
        {
            a.ToTable("Assignments");
            a.Property(x => x.Title).HasMaxLength(Assignment.MaxTitle);
            a.Property(x => x.Slug).HasMaxLength(60);
            a.Property(x => x.Instructions).HasMaxLength(Assignment.MaxInstructions);
            a.HasIndex(x => new { x.ClassId, x.Slug }).IsUnique();
            a.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
            a.Property(x => x.TemplateSha).HasMaxLength(64);
            a.HasOne(x => x.Template).WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<AssignmentCopy>(s =>
        {
            s.ToTable("AssignmentCopies");
            s.Property(x => x.StarterSha).HasMaxLength(64);
            s.Property(x => x.Grade).HasMaxLength(AssignmentCopy.MaxGrade);
            s.Property(x => x.Competency).HasConversion<string>().HasMaxLength(20);
            s.HasIndex(x => new { x.AssignmentId, x.StudentId }).IsUnique();
            s.HasIndex(x => x.RepositoryId).IsUnique();
            s.HasIndex(x => x.StudentId);
            s.HasOne(x => x.Assignment).WithMany().HasForeignKey(x => x.AssignmentId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
            s.Property(x => x.TeamName).HasMaxLength(AssignmentCopy.MaxTeamName);
            s.HasIndex(x => new { x.AssignmentId, x.TeamName }).IsUnique();
        });
        b.Entity<AssignmentTeamMember>(m =>
        {
            m.ToTable("AssignmentTeamMembers");
            m.HasKey(x => new { x.CopyId, x.StudentId });
            m.HasIndex(x => new { x.AssignmentId, x.StudentId }).IsUnique();
            m.HasIndex(x => x.StudentId);
            m.HasOne(x => x.Copy).WithMany(c => c.Members).HasForeignKey(x => x.CopyId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
