using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Classroom;

/// <summary>
/// What classes change in rules that live elsewhere: pushes to a copy after its deadline and to its <c>feedback</c> branch
/// (<see cref="PushPolicyService"/>, hence git, the web editor and the API), and who sees a class's members.
/// </summary>
public static class ClassroomRules
{
    /// <summary>
    /// Refusals for a push to a student's copy: after the deadline (the student's extension counts), or to the <c>feedback</c>
    /// branch, unless the pusher is a teacher of the class (maintainer of the copy). Nothing for any other repository.
    /// </summary>
    public static async Task<IEnumerable<string>> PushRefusalsAsync(ForgeDbContext db, RepositoryEntity repo, CollaboratorRole? role,
        IReadOnlyList<RefUpdate> updates, CancellationToken ct)
    {
        if (!repo.IsAssignmentCopy || role >= CollaboratorRole.Maintainer) return [];
        var refusals = new List<string>();
        if (updates.Any(u => u.RefName == "refs/heads/" + ClassroomService.FeedbackBranch))
            refusals.Add("Refusé : la branche « feedback » garde le code de départ pour les retours de l’enseignant ; travaillez sur votre branche principale.");
        var copy = await db.AssignmentCopies.AsNoTracking().Include(c => c.Assignment).FirstOrDefaultAsync(c => c.RepositoryId == repo.Id, ct);
        if (copy is not null && ClassroomService.DeadlineOf(copy.Assignment, copy) is { } deadline && deadline <= DateTime.UtcNow)
            refusals.Add($"Refusé : le devoir « {copy.Assignment.Title} » est fermé depuis le {ClassroomService.Paris(deadline)} ; "
                + "vos modifications ne sont plus acceptées. Demandez à votre enseignant de le rouvrir si besoin.");
        return refusals;
    }

    /// <summary>
    /// The members of <paramref name="group"/> the viewer may see: all of them, except in a class, whose students see only its
    /// teachers (maintainers and owners) and themselves.
    /// </summary>
    public static async Task<List<GroupMember>> VisibleMembersAsync(this GroupService groups, ForgeUser group, Viewer viewer, CancellationToken ct = default)
    {
        var members = await groups.MembersAsync(group, ct);
        if (!group.IsClass || ClassroomService.IsTeacherOf(group, viewer)) return members;
        return members.Where(m => m.Role >= GroupRole.Maintainer || m.UserId == viewer.UserId).ToList();
    }
}
