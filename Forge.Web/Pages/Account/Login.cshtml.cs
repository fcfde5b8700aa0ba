using Forge.Web.Accounts;
using Forge.Web.Data;
using Forge.Web.Federation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

public sealed class LoginModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn, FederationService federation) : PageModel
{
    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class LoginInput
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public bool RememberMe { get; set; }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var name = Input.UserName?.Trim() ?? "";
        var user = await users.FindByNameAsync(name) ?? (name.Contains('@') ? await users.FindByEmailAsync(name) : null);
        // An address nobody confirmed does not identify anyone yet: only the user name signs such an account in.
        if (user is not null && !user.EmailConfirmed && !string.Equals(user.UserName, name, StringComparison.OrdinalIgnoreCase)) user = null;
        if (user is not null && await federation.PasswordRefusalAsync(user) is { } refusal)
        {
            ModelState.AddModelError("Input.Password", refusal);
            return Page();
        }
        // A group is an account that never signs in: same answer as a wrong password.
        if (user is not null && !user.IsGroup && !string.IsNullOrEmpty(Input.Password))
        {
            var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
            var next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
            if (result.Succeeded) return LocalRedirect(next);
            if (result.RequiresTwoFactor)
                return Redirect($"/user/login/two_factor?remember={(Input.RememberMe ? "true" : "false")}&returnUrl={Uri.EscapeDataString(next)}");
            if (result.IsLockedOut)
            {
                ModelState.AddModelError("Input.UserName", LockedMessage(user.LockoutEnd));
                return Page();
            }
        }
        // Same message whether the account exists or not.
        ModelState.AddModelError("Input.Password", "Nom d’utilisateur ou mot de passe incorrect.");
        return Page();
    }

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>« Ce compte est verrouillé jusqu’à 14:05 (heure de Paris) après trop d’essais infructueux. »</summary>
    public static string LockedMessage(DateTimeOffset? until)
    {
        var end = until ?? DateTimeOffset.UtcNow.AddMinutes(5);
        var local = TimeZoneInfo.ConvertTime(end, Paris);
        return $"Trop d’essais infructueux : ce compte est verrouillé jusqu’à {local:HH:mm} (heure de Paris). Réessayez ensuite, "
            + "ou choisissez un nouveau mot de passe avec « Mot de passe oublié ».";
    }
}
