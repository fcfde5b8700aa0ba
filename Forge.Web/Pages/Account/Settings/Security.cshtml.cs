using Forge.Web.Accounts;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>Password change (ends the other sessions) and two-factor authentication (turning it off needs the password).</summary>
public sealed class SecurityModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn, SessionStore sessions) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty] public string? DisablePassword { get; set; }
    public ForgeUser Me { get; private set; } = null!;
    public int RecoveryCodesLeft { get; private set; }
    public string? Message { get; private set; }
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    private async Task<bool> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { } me) return false;
        Me = me;
        RecoveryCodesLeft = me.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(me) : 0;
        return true;
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        ModelState.Clear();
        if (!await LoadAsync()) return Challenge();
        if (string.IsNullOrEmpty(CurrentPassword)) ModelState.AddModelError(nameof(CurrentPassword), "Saisissez votre mot de passe actuel.");
        if (string.IsNullOrEmpty(NewPassword)) ModelState.AddModelError(nameof(NewPassword), "Choisissez un nouveau mot de passe.");
        else if (NewPassword != ConfirmPassword) ModelState.AddModelError(nameof(ConfirmPassword), "Les deux mots de passe ne sont pas identiques.");
        if (!ModelState.IsValid) return Page();
        var result = await users.ChangePasswordAsync(Me, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == "PasswordMismatch" ? nameof(CurrentPassword) : nameof(NewPassword),
                    e.Code == "PasswordMismatch" ? "Le mot de passe actuel est incorrect." : e.Description);
            return Page();
        }
        var ended = await sessions.RevokeAllAsync(Me.Id, keep: SessionStore.SessionOf(User));
        await signIn.RefreshSignInAsync(Me);
        Message = ended == 0 ? "Mot de passe changé." : $"Mot de passe changé. Vos autres sessions ({ended}) ont été fermées.";
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        ModelState.Clear();
        if (!await LoadAsync()) return Challenge();
        if (!Me.TwoFactorEnabled) return RedirectToPage();
        if (string.IsNullOrEmpty(DisablePassword) || !await users.CheckPasswordAsync(Me, DisablePassword))
        {
            ModelState.AddModelError(nameof(DisablePassword), "Mot de passe incorrect : la validation en deux étapes reste activée.");
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(Me, false);
        await users.ResetAuthenticatorKeyAsync(Me);
        await signIn.RefreshSignInAsync(Me);
        await LoadAsync();
        Message = "Validation en deux étapes désactivée. Vos anciens codes de secours ne servent plus.";
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        ModelState.Clear();
        if (!await LoadAsync()) return Challenge();
        if (!Me.TwoFactorEnabled) return RedirectToPage();
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(Me, TwoFactorModel.RecoveryCodeCount))!.ToList();
        RecoveryCodesLeft = NewRecoveryCodes.Count;
        return Page();
    }
}
