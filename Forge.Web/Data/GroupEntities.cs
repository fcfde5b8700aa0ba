using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

public enum AccountKind
{
    Person = 0,
    Group = 1,
}

/// <summary>Who sees a group, its page and its non-private repositories.</summary>
public enum AccountVisibility
{
    /// <summary>Everyone, anonymous visitors included.</summary>
    Public = 0,
    /// <summary>Every signed-in user; anonymous visitors get 404.</summary>
    Internal = 1,
    /// <summary>Members only (of the group or of an enclosing group); 404 for anyone else.</summary>
    Private = 2,
}

/// <summary>
/// A member's role in a group, inherited by every subgroup and every repository of the group or its subgroups
/// (a membership in a subgroup can raise it there, never lower it).
/// </summary>
public enum GroupRole
{
    /// <summary>Reads (and clones) the group's private repositories.</summary>
    Reader = 1,
    /// <summary>Also pushes, and creates repositories in the group.</summary>
    Writer = 2,
    /// <summary>Also manages the group's repositories' settings, the members and subgroups.</summary>
    Maintainer = 3,
    /// <summary>Also renames, changes the visibility of and deletes the group; deletes and transfers its repositories.</summary>
    Owner = 4,
}

/// <summary>A user's membership of a group.</summary>
public class GroupMember
{
    public long Id { get; set; }
    public long GroupId { get; set; }
    public ForgeUser Group { get; set; } = null!;
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public GroupRole Role { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// An invitation to join a group by e-mail: whoever signs in and opens its link joins with <see cref="Role"/>, once,
/// before <see cref="ExpiresAt"/>. Only a SHA-256 hash of the link's secret is stored.
/// </summary>
public class GroupInvitation
{
    public long Id { get; set; }
    public long GroupId { get; set; }
    public ForgeUser Group { get; set; } = null!;
    public required string Email { get; set; }
    public GroupRole Role { get; set; }
    public required string TokenHash { get; set; }
    public long InvitedById { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime ExpiresAt { get; set; }
}

/// <summary>An old name of a renamed group: <c>/{old}</c> and <c>/{old}/{repo}</c> redirect until an account takes the name.</summary>
public class OwnerRedirect
{
    public long Id { get; set; }
    /// <summary>Identity's normalized form of the old name (upper case).</summary>
    public required string NormalizedName { get; set; }
    public long AccountId { get; set; }
    public ForgeUser Account { get; set; } = null!;
}

public static class GroupModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ForgeUser>(u =>
        {
            u.Property(x => x.Description).HasMaxLength(2000);
            u.HasOne(x => x.ParentGroup).WithMany().HasForeignKey(x => x.ParentGroupId).OnDelete(DeleteBehavior.Restrict);
            u.HasIndex(x => x.ParentGroupId);
        });
        b.Entity<GroupMember>(m =>
        {
            m.ToTable("GroupMembers");
            m.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            m.HasIndex(x => new { x.GroupId, x.UserId }).IsUnique();
            m.HasIndex(x => x.UserId);
            m.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<GroupInvitation>(i =>
        {
            i.ToTable("GroupInvitations");
            i.Property(x => x.Email).HasMaxLength(256);
            i.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            i.Property(x => x.TokenHash).HasMaxLength(64);
            i.HasIndex(x => x.TokenHash).IsUnique();
            i.HasIndex(x => x.GroupId);
            i.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<OwnerRedirect>(r =>
        {
            r.ToTable("OwnerRedirects");
            r.Property(x => x.NormalizedName).HasMaxLength(256);
            r.HasIndex(x => x.NormalizedName).IsUnique();
            r.HasIndex(x => x.AccountId);
            r.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
