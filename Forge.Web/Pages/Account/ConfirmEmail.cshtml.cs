using Forge.Web.Accounts;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

/// <summary>The link of the confirmation e-mail; signed-in unconfirmed users may ask for a new one.</summary>
public sealed class ConfirmEmailModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn, AccountService accounts) : PageModel
{
    public bool? Confirmed { get; private set; }
    public bool Sent { get; private set; }
    public bool MailEnabled => accounts.MailEnabled;

    public async Task<IActionResult> OnGetAsync(long? user, string? code)
    {
        if (user is null) return Page();
        var account = await users.FindByIdAsync(user.Value.ToString());
        var token = AccountService.Decode(code);
        Confirmed = account is not null && !account.IsGroup && token is not null && (await users.ConfirmEmailAsync(account, token)).Succeeded;
        // The banner of a signed-in browser goes away at once.
        if (Confirmed == true && User.UserId() == account!.Id) await signIn.RefreshSignInAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } me) return Redirect("/user/login");
        if (!me.EmailConfirmed) await accounts.SendConfirmationAsync(me, $"{Request.Scheme}://{Request.Host}");
        if (me.EmailConfirmed) await signIn.RefreshSignInAsync(me);
        Sent = true;
        return Page();
    }
}
