using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

/// <summary>Second step of a sign-in with two-factor authentication: the authenticator's code, or a recovery code.</summary>
public sealed class LoginTwoFactorModel(SignInManager<ForgeUser> signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty(SupportsGet = true)] public bool Remember { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/user/login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return Redirect("/user/login");
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(Code), "Saisissez les 6 chiffres affichés par votre application d’authentification.");
            return Page();
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, Remember, rememberClient: false);
        return Outcome(result, user, nameof(Code), "Code incorrect ou expiré : saisissez le code affiché maintenant par votre application.");
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        ModelState.Clear();
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return Redirect("/user/login");
        var code = (RecoveryCode ?? "").Replace(" ", "");
        if (code.Length is 0 or > 50)
        {
            ModelState.AddModelError(nameof(RecoveryCode), "Saisissez l’un de vos codes de secours.");
            return Page();
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        return Outcome(result, user, nameof(RecoveryCode), "Ce code de secours n’est pas valable (chaque code ne sert qu’une fois).");
    }

    private IActionResult Outcome(Microsoft.AspNetCore.Identity.SignInResult result, ForgeUser user, string field, string wrong)
    {
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        ModelState.AddModelError(field, result.IsLockedOut ? LoginModel.LockedMessage(user.LockoutEnd) : wrong);
        return Page();
    }
}
