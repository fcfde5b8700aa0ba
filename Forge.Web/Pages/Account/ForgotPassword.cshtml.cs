using Forge.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

/// <summary>« Mot de passe oublié » : the same answer whether an account has the address or not.</summary>
public sealed class ForgotPasswordModel(AccountService accounts) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    public bool Done { get; private set; }
    public bool MailEnabled => accounts.MailEnabled;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var email = Email?.Trim() ?? "";
        if (email.Length is 0 or > 256 || !email.Contains('@'))
        {
            ModelState.AddModelError(nameof(Email), "Indiquez l’adresse électronique de votre compte.");
            return Page();
        }
        await accounts.SendPasswordResetAsync(email, $"{Request.Scheme}://{Request.Host}");
        Done = true;
        return Page();
    }
}
