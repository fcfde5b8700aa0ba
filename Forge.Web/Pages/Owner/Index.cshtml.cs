using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Owner;

/// <summary>
/// <c>/{name}</c>: a person (their repositories, and their groups) or a group (description, breadcrumb of enclosing
/// groups, subgroups, repositories and members the viewer may see). A group the viewer may not see answers 404, and
/// an old name of a renamed group redirects.
/// </summary>
public sealed class IndexModel(UserManager<ForgeUser> users, RepositoryService repositories, GroupService groups, ForgeDbContext db,
    Activity.ActivityService activity) : PageModel
{
    /// <summary>The latest events of <see cref="ActivityModel"/>'s feed, for the « Activité récente » section.</summary>
    public IReadOnlyList<ActivityEvent> RecentActivity { get; private set; } = [];

    public ForgeUser Owner { get; private set; } = null!;
    public IReadOnlyList<RepositoryEntity> Repositories { get; private set; } = [];
    public Viewer Viewer { get; private set; } = Viewer.Anonymous;
    public IReadOnlyList<ForgeUser> Ancestors { get; private set; } = [];
    public IReadOnlyList<ForgeUser> Subgroups { get; private set; } = [];
    public IReadOnlyList<GroupMember> Members { get; private set; } = [];
    /// <summary>A person's groups, as far as the viewer may see them.</summary>
    public IReadOnlyList<GroupMember> Memberships { get; private set; } = [];
    /// <summary>The viewer is a teacher owning a group of this student (or an admin): the page offers the « may publish » switch.</summary>
    public bool MayAllowPublishing { get; private set; }

    public async Task<IActionResult> OnPostPublishingAsync(string owner, bool allow)
    {
        var student = await users.FindByNameAsync(owner);
        var me = await users.GetUserAsync(User);
        if (student is null || me is null || !await Accounts.StudentRules.CanAllowPublishingAsync(db, me, student, HttpContext.RequestAborted)) return NotFound();
        student.CanPublish = allow;
        await users.UpdateAsync(student);
        return Redirect($"/{Uri.EscapeDataString(student.UserName!)}");
    }

    public async Task<IActionResult> OnGetAsync(string owner)
    {
        var ct = HttpContext.RequestAborted;
        Viewer = await HttpContext.ViewerAsync();
        var user = await users.FindByNameAsync(owner);
        if (user is null)
        {
            if (await repositories.RenamedOwnerIdAsync(owner, ct) is { } id && await users.FindByIdAsync(id.ToString()) is { } renamed
                && GroupService.CanSee(renamed, Viewer))
                return RedirectPermanent($"/{Uri.EscapeDataString(renamed.UserName!)}{Request.QueryString}");
            return NotFound();
        }
        if (user.IsGroup && !GroupService.CanSee(user, Viewer)) return NotFound();
        // A student's profile exists only for the people who share a group with them (and admins).
        if (!await Accounts.StudentRules.CanSeeProfileAsync(db, user, Viewer, ct)) return NotFound();
        if (user.IsStudent && Viewer.UserId is { } me && me != user.Id && await users.FindByIdAsync(me.ToString()) is { } viewer)
            MayAllowPublishing = await Accounts.StudentRules.CanAllowPublishingAsync(db, viewer, user, ct);
        Owner = user;
        Repositories = await repositories.ListVisibleAsync(user.Id, Viewer, ct);
        RecentActivity = (await activity.ListAsync(ActivityModel.ScopeOf(user), Viewer, 1, ct, pageSize: 5)).Take(5).ToList();
        if (user.IsGroup)
        {
            Response.Headers.CacheControl = "private, no-store";
            Ancestors = await groups.AncestorsAsync(user, Viewer, ct);
            Subgroups = await groups.SubgroupsAsync(user, Viewer, ct);
            Members = await Classroom.ClassroomRules.VisibleMembersAsync(groups, user, Viewer, ct);
        }
        else
        {
            Memberships = (await groups.MembershipsAsync(user.Id, ct)).Where(m => GroupService.CanSee(m.Group, Viewer)).ToList();
        }
        return Page();
    }
}
