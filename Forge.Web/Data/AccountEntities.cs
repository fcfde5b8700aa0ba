using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>A person's role on the instance. Administrators also have <see cref="ForgeUser.IsAdmin"/> (kept in step).</summary>
public enum InstanceRole
{
    Teacher = 0,
    Student = 1,
    Administrator = 2,
}

public partial class ForgeUser
{
    /// <summary>People only. Students get protective defaults: hidden profile, no e-mail shown, private repositories only.</summary>
    public InstanceRole Role { get; set; }
    /// <summary>Students only: a teacher (or an admin) allowed this student to make repositories public.</summary>
    public bool CanPublish { get; set; }

    /// <summary>The role as the rules see it: the admin flag wins.</summary>
    public InstanceRole EffectiveRole => IsAdmin ? InstanceRole.Administrator : Role == InstanceRole.Administrator ? InstanceRole.Teacher : Role;
    public bool IsStudent => !IsGroup && EffectiveRole == InstanceRole.Student;
}

/// <summary>
/// One signed-in browser: created at each sign-in, its id carried in the cookie. Deleting the row signs that browser
/// out at its next request (checked in the cookie's OnValidatePrincipal).
/// </summary>
public class UserSession
{
    /// <summary>Random, 32 hex characters; only inside the encrypted cookie and this table.</summary>
    public required string Id { get; set; }
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>Updated at most once a minute.</summary>
    public DateTime LastSeenAt { get; set; } = DateTime.UtcNow;
    /// <summary>A summary (« Firefox sur Linux »), never the whole header.</summary>
    public string? Device { get; set; }
    /// <summary>Truncated: the last byte of an IPv4 address, the last 80 bits of an IPv6 address removed.</summary>
    public string? Ip { get; set; }
}

public static class AccountModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<UserSession>(s =>
        {
            s.ToTable("UserSessions");
            s.Property(x => x.Id).HasMaxLength(32);
            s.Property(x => x.Device).HasMaxLength(100);
            s.Property(x => x.Ip).HasMaxLength(50);
            s.HasIndex(x => x.UserId);
            s.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
