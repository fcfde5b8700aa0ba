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

    /// <summary>The student themself, admins, and people who share a group with them.</summary>
    public static async Task<bool> CanSeeProfileAsync(ForgeDbContext db, ForgeUser student, Viewer viewer, CancellationToken ct = default)
    {
        if (!student.IsStudent || viewer.IsAdmin || viewer.UserId == student.Id) return true;
        if (viewer.UserId is not { } me) return false;
        // In a class, only its teachers see a student (classmates do not see each other).
        return await db.GroupMembers.AnyAsync(m => m.UserId == student.Id
            && db.GroupMembers.Any(o => o.GroupId == m.GroupId && o.UserId == me
                && (!m.Group.IsClass || o.Role == GroupRole.Maintainer || o.Role == GroupRole.Owner)), ct);
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
