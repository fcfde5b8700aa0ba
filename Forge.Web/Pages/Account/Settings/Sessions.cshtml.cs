using Forge.Web.Accounts;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>The browsers signed in to the account; any of them (or all others) can be signed out from here.</summary>
public sealed class SessionsModel(SessionStore sessions) : PageModel
{
    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];
    public string? Current => SessionStore.SessionOf(User);
    public string? Message { get; private set; }

    private long Me => User.UserId() ?? throw new InvalidOperationException("signed-in page");

    public async Task OnGetAsync() => Sessions = await sessions.ListAsync(Me);

    public async Task<IActionResult> OnPostRevokeAsync(string? id)
    {
        if (string.IsNullOrEmpty(id) || id == Current) return RedirectToPage();
        await sessions.RevokeAsync(Me, id);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeOthersAsync()
    {
        var ended = await sessions.RevokeAllAsync(Me, keep: Current);
        Message = ended == 0 ? "Aucune autre session n’était ouverte." : $"{ended} autre(s) session(s) fermée(s).";
        Sessions = await sessions.ListAsync(Me);
        return Page();
    }
}
