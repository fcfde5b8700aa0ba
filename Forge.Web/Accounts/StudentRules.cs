using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Accounts;

/// <summary>
/// The protective defaults of students: their repositories are private unless a teacher allowed them to publish
/// (<see cref="ForgeUser.CanPublish"/>), their profile is seen only by members of a group they belong to and admins,
/// and their e-mail address is never shown.
/// </summary>
public static class StudentRules
{
    public const string PrivateOnly = "Les élèves ne peuvent créer que des dépôts privés, sauf si un enseignant le leur permet.";

    /// <summary>Why <paramref name="owner"/> may not have a public repository, or null.</summary>
    public static string? PublishRefusal(ForgeUser? owner, bool isPrivate) =>
        !isPrivate && owner is { IsStudent: true, CanPublish: false } ? PrivateOnly : null;

    /// <summary>
    /// The student themself, admins, people who share a group with them, and — in a class, where classmates do not see each
    /// other — only its teachers: maintainers and owners of the class or of a group enclosing it (<see cref="Viewer.GroupRoles"/>).
    /// </summary>
    public static async Task<bool> CanSeeProfileAsync(ForgeDbContext db, ForgeUser student, Viewer viewer, CancellationToken ct = default)
    {
        if (!student.IsStudent || viewer.IsAdmin || viewer.UserId == student.Id) return true;
        if (viewer.UserId is not { } me) return false;
        var groups = await db.GroupMembers.Where(m => m.UserId == student.Id).Select(m => new { m.GroupId, m.Group.IsClass }).ToListAsync(ct);
        if (groups.Any(g => g.IsClass && viewer.RoleIn(g.GroupId) >= GroupRole.Maintainer)) return true;
        var shared = groups.Where(g => !g.IsClass).Select(g => g.GroupId).ToList();
        return shared.Count > 0 && await db.GroupMembers.AnyAsync(o => o.UserId == me && shared.Contains(o.GroupId), ct);
    }

    /// <summary>An admin, or a teacher who owns a group the student belongs to, may allow a student to publish.</summary>
    public static async Task<bool> CanAllowPublishingAsync(ForgeDbContext db, ForgeUser by, ForgeUser student, CancellationToken ct = default)
    {
        if (by.IsAdmin) return true;
        if (by.EffectiveRole != InstanceRole.Teacher || !student.IsStudent) return false;
        return await db.GroupMembers.AnyAsync(m => m.UserId == student.Id
            && db.GroupMembers.Any(o => o.GroupId == m.GroupId && o.UserId == by.Id && o.Role == GroupRole.Owner), ct);
    }
}
