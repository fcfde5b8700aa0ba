using Forge.Web.Data;
using Forge.Web.Federation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.External;

/// <summary>
/// A provider vouched for an e-mail address a local account already has: before the two are linked, the owner of the
/// local account proves it with her password (a provider's word alone never hands over an account).
/// </summary>
public sealed class LinkModel(FederationProviders providers, FederationService federation, UserManager<ForgeUser> users,
    SignInManager<ForgeUser> signIn) : PageModel
{
    [BindProperty] public string? Password { get; set; }
    public string ProviderName { get; private set; } = "";
    public string? Email { get; private set; }
    public string? UserName { get; private set; }
    public bool DisablesPassword { get; private set; }

    private ExternalIdentity? _identity;
    private FederationProvider? _provider;
    private ForgeUser? _user;
    private string _returnUrl = "/";

    /// <summary>The pending link from the external cookie; false when there is none (expired, or never started).</summary>
    private async Task<bool> LoadAsync()
    {
        var external = await HttpContext.AuthenticateAsync(IdentityConstants.ExternalScheme);
        _identity = ExternalIdentity.FromPrincipal(external.Principal);
        _provider = providers.Find(_identity?.Provider);
        if (_identity is null || _provider is null || string.IsNullOrEmpty(_identity.Email) || !_identity.EmailVerified) return false;
        _user = await users.FindByEmailAsync(_identity.Email);
        if (_user is null || _user.IsGroup) return false;
        _returnUrl = FederationEndpoints.IsLocal(external.Properties?.RedirectUri) ? external.Properties!.RedirectUri! : "/";
        ProviderName = _provider.DisplayName;
        Email = _identity.Email;
        UserName = _user.UserName;
        DisablesPassword = _provider.DisableLocalPassword;
        return true;
    }

    public async Task<IActionResult> OnGetAsync() =>
        await LoadAsync() ? Page() : Redirect(FederationEndpoints.ErrorUrl(_identity?.Provider ?? "", FederationErrors.State));

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync()) return Redirect(FederationEndpoints.ErrorUrl(_identity?.Provider ?? "", FederationErrors.State));
        ModelState.Clear();
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Saisissez le mot de passe de votre compte Forge.");
            return Page();
        }
        // Counts towards the lockout like any password attempt.
        var check = await signIn.CheckPasswordSignInAsync(_user!, Password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            ModelState.AddModelError(nameof(Password), "Trop d’essais infructueux : ce compte est bloqué quelques minutes. Réessayez plus tard.");
            return Page();
        }
        if (!check.Succeeded)
        {
            ModelState.AddModelError(nameof(Password), "Mot de passe incorrect : le compte n’a pas été lié.");
            return Page();
        }
        if (await users.FindByLoginAsync(_provider!.Name, _identity!.Subject) is not null || !await federation.LinkAsync(_user!, _provider, _identity))
            return Redirect(FederationEndpoints.ErrorUrl(_provider.Name, FederationErrors.LinkedElsewhere));
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        await signIn.SignInAsync(_user!, isPersistent: false, authenticationMethod: _provider.Name);
        return Redirect(_returnUrl);
    }

    public async Task<IActionResult> OnPostCancelAsync()
    {
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        return Redirect("/user/login");
    }
}
