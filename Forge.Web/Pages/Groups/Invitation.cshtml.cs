using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Groups;

/// <summary>
/// <c>/groups/invitations/{token}</c>: shows which group the link invites to, asks to sign in (or create an account)
/// first, and joins on « Rejoindre le groupe ». An unknown, used or expired link says so, and reveals nothing.
/// </summary>
public sealed class InvitationModel(GroupService groups) : PageModel
{
    public GroupInvitation? Invitation { get; private set; }

    public async Task OnGetAsync(string token)
    {
        Response.Headers.CacheControl = "private, no-store";
        Invitation = await groups.FindInvitationAsync(token, HttpContext.RequestAborted);
        if (Invitation is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        var viewer = await HttpContext.ViewerAsync();
        if (viewer.UserId is not { } id) return Challenge();
        Invitation = await groups.FindInvitationAsync(token, HttpContext.RequestAborted);
        if (Invitation is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var group = Invitation.Group;
        await groups.AcceptAsync(Invitation, id, HttpContext.RequestAborted);
        return Redirect("/" + Uri.EscapeDataString(group.UserName!));
    }
}
