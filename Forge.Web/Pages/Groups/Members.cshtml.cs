using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Groups;

/// <summary>
/// <c>/{group}/-/members</c>: members and their roles for whoever sees the group; adding by user name, inviting by
/// e-mail, changing roles and removing for maintainers and owners; leaving for members.
/// </summary>
public sealed class MembersModel(GroupService groups, RepositoryService repositories) : GroupPageModel(groups, repositories)
{
    [BindProperty] public AddInput Add { get; set; } = new();
    [BindProperty] public InviteInput Invite { get; set; } = new();
    public IReadOnlyList<GroupMember> Members { get; private set; } = [];
    public IReadOnlyList<GroupInvitation> Invitations { get; private set; } = [];
    /// <summary>The link of the invitation just made, shown once.</summary>
    [TempData] public string? InvitationLink { get; set; }
    public bool CanManage => GroupService.CanManage(Group, Viewer);
    public bool IsOwner => GroupService.IsOwner(Group, Viewer);
    public GroupRole? MyRole => Viewer.RoleIn(Group.Id);

    public sealed class AddInput
    {
        public string? UserName { get; set; }
        public GroupRole Role { get; set; } = GroupRole.Writer;
    }

    public sealed class InviteInput
    {
        public string? Email { get; set; }
        public GroupRole Role { get; set; } = GroupRole.Writer;
    }

    public async Task OnGetAsync()
    {
        Members = await Classroom.ClassroomRules.VisibleMembersAsync(Groups, Group, Viewer, HttpContext.RequestAborted);
        if (CanManage) Invitations = await Groups.PendingInvitationsAsync(Group, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        ModelState.Clear();
        if (!CanManage) return NotFound();
        var (added, error) = await Groups.SetMemberAsync(Group, Viewer, Add.UserName, Add.Role, HttpContext.RequestAborted, addOnly: true);
        if (error is not null) return await InvalidAsync($"Add.{error.Field}", error.Message);
        return Done($"{added!.User.UserName} est maintenant {GroupService.RoleLabel(added.Role).ToLowerInvariant()} du groupe.", "members");
    }

    public async Task<IActionResult> OnPostRoleAsync(string? userName, GroupRole role)
    {
        ModelState.Clear();
        if (!CanManage) return NotFound();
        var (changed, error) = await Groups.SetMemberAsync(Group, Viewer, userName, role, HttpContext.RequestAborted);
        if (error is not null) return await InvalidAsync($"role-{userName}", error.Message);
        return Done($"{changed!.User.UserName} est maintenant {GroupService.RoleLabel(changed.Role).ToLowerInvariant()} du groupe.", "members");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? userName)
    {
        ModelState.Clear();
        if (!Viewer.IsSignedIn) return NotFound();
        if (await Groups.RemoveMemberAsync(Group, Viewer, userName, HttpContext.RequestAborted) is { } error) return await InvalidAsync("", error.Message);
        if (string.Equals(userName, User.Identity?.Name, StringComparison.OrdinalIgnoreCase))
        {
            Notice = $"Vous avez quitté le groupe {Group.UserName}.";
            return Redirect("/" + Uri.EscapeDataString(User.Identity!.Name!));
        }
        return Done($"{userName} n’est plus membre du groupe.", "members");
    }

    public async Task<IActionResult> OnPostInviteAsync()
    {
        ModelState.Clear();
        if (!CanManage) return NotFound();
        var (secret, _, error) = await Groups.InviteAsync(Group, Viewer, Invite.Email, Invite.Role, HttpContext.RequestAborted);
        if (error is not null) return await InvalidAsync($"Invite.{error.Field}", error.Message);
        InvitationLink = GroupInvitationMail.Link(Request, secret!);
        var email = Invite.Email!.Trim();
        var mailed = GroupInvitationMail.Send(HttpContext.RequestServices.GetRequiredService<Forge.Web.Mail.MailQueue>(),
            Group, User.Identity?.Name, email, Invite.Role, InvitationLink);
        return Done(mailed ? $"Invitation envoyée par courriel à {email}. Le lien ci-dessous fonctionne aussi."
            : $"Invitation créée pour {email} : copiez le lien ci-dessous et envoyez-le lui (cette instance n’envoie pas de courriel).", "members");
    }

    public async Task<IActionResult> OnPostCancelInvitationAsync(long id)
    {
        if (!CanManage) return NotFound();
        await Groups.CancelInvitationAsync(Group, id, HttpContext.RequestAborted);
        return Done("Invitation annulée.", "members");
    }

    private async Task<IActionResult> InvalidAsync(string key, string message)
    {
        ModelState.AddModelError(key, message);
        await OnGetAsync();
        return Page();
    }
}
