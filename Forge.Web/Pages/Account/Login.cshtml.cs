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
        if (user is not null && await federation.PasswordRefusalAsync(user) is { } refusal)
        {
            ModelState.AddModelError("Input.Password", refusal);
            return Page();
        }
        // A group is an account that never signs in: same answer as a wrong password.
        if (user is not null && !user.IsGroup && !string.IsNullOrEmpty(Input.Password))
        {
            var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
            if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            if (result.IsLockedOut)
            {
                ModelState.AddModelError("Input.UserName", "Trop d’essais infructueux : ce compte est bloqué quelques minutes. Réessayez plus tard.");
                return Page();
            }
        }
        // Same message whether the account exists or not.
        ModelState.AddModelError("Input.Password", "Nom d’utilisateur ou mot de passe incorrect.");
        return Page();
    }
}
