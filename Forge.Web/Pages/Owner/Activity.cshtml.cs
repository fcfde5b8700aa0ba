using Forge.Web.Activity;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Owner;

/// <summary>
/// <c>/{owner}/-/activity</c>: a person's activity (what they did) or a group's (what happened in its repositories), 20 a
/// page, as the viewer may see it: only events of repositories the viewer may read. 404 wherever the profile is 404.
/// </summary>
public sealed class ActivityModel(UserManager<ForgeUser> users, ActivityService activity, ForgeDbContext db) : PageModel
{
    public ForgeUser Owner { get; private set; } = null!;
    public IReadOnlyList<ActivityEvent> Events { get; private set; } = [];
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }

    // « page » is also Razor Pages' own route value (the page's name): the query's is read explicitly.
    public async Task<IActionResult> OnGetAsync(string owner, [FromQuery(Name = "page")] int? page)
    {
        var viewer = await HttpContext.ViewerAsync();
        if (await VisibleOwnerAsync(users, db, owner, viewer, HttpContext.RequestAborted) is not { } user) return NotFound();
        Owner = user;
        PageNumber = Math.Clamp(page ?? 1, 1, 10_000);
        var list = await activity.ListAsync(ScopeOf(user), viewer, PageNumber, HttpContext.RequestAborted);
        HasMore = list.Count > ActivityService.PageSize;
        Events = list.Take(ActivityService.PageSize).ToList();
        return Page();
    }

    /// <summary>A person's own actions; for a group, what happened in its repositories.</summary>
    public static ActivityScope ScopeOf(ForgeUser owner) => owner.IsGroup ? new ActivityScope(OwnerId: owner.Id) : new ActivityScope(ActorId: owner.Id);

    /// <summary>The account named <paramref name="name"/> if the viewer may see its page (a group's visibility, a student's hidden profile), else null.</summary>
    public static async Task<ForgeUser?> VisibleOwnerAsync(UserManager<ForgeUser> users, ForgeDbContext db, string name, Viewer viewer, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null || (user.IsGroup && !Forge.Web.Groups.GroupService.CanSee(user, viewer))) return null;
        return await Accounts.StudentRules.CanSeeProfileAsync(db, user, viewer, ct) ? user : null;
    }
}
