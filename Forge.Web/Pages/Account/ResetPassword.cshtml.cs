using Forge.Web.Accounts;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

/// <summary>The link of the reset e-mail: choose a new password. Every session of the account ends.</summary>
public sealed class ResetPasswordModel(UserManager<ForgeUser> users, SessionStore sessions) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public bool Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (string.IsNullOrEmpty(Password)) ModelState.AddModelError(nameof(Password), "Choisissez un nouveau mot de passe.");
        else if (Password != ConfirmPassword) ModelState.AddModelError(nameof(ConfirmPassword), "Les deux mots de passe ne sont pas identiques.");
        if (!ModelState.IsValid) return Page();
        var account = UserId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        var token = AccountService.Decode(Code);
        if (account is null || account.IsGroup || token is null)
        {
            ModelState.AddModelError("", Invalid);
            return Page();
        }
        var result = await users.ResetPasswordAsync(account, token, Password!);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == "InvalidToken" ? "" : nameof(Password), e.Code == "InvalidToken" ? Invalid : e.Description);
            return Page();
        }
        // Whoever knew the old password is out, and the lock of repeated failures is lifted.
        await sessions.RevokeAllAsync(account.Id, keep: null);
        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        // The link proved the address.
        if (!account.EmailConfirmed) { account.EmailConfirmed = true; await users.UpdateAsync(account); }
        Done = true;
        return Page();
    }

    private const string Invalid = "Ce lien n’est plus valable (il a déjà servi, a expiré ou a été copié incomplètement) : demandez-en un nouveau avec « Mot de passe oublié ».";
}
