using Forge.Core.Naming;
using Forge.Web.Accounts;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Account;

public sealed class RegisterModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn, AccountOptions policy, AccountService accounts) : PageModel
{
    [BindProperty] public RegisterInput Input { get; set; } = new();

    public sealed class RegisterInput
    {
        public string? UserName { get; set; }
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ConfirmPassword { get; set; }
    }

    public AccountOptions Policy => policy;

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (NameRules.ValidateUserName(Input.UserName) is { } nameError) ModelState.AddModelError("Input.UserName", nameError);
        if (string.IsNullOrWhiteSpace(Input.Email) || !Input.Email.Contains('@'))
            ModelState.AddModelError("Input.Email", "Indiquez une adresse électronique valide.");
        else if (policy.RefusalFor(Input.Email) is { } refused) ModelState.AddModelError(policy.Mode == RegistrationMode.Closed ? "" : "Input.Email", refused);
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "Le mot de passe est obligatoire.");
        else if (Input.Password != Input.ConfirmPassword) ModelState.AddModelError("Input.ConfirmPassword", "Les deux mots de passe ne sont pas identiques.");
        if (!ModelState.IsValid) return Page();

        // The first account of a new instance administers it, as in Gitea.
        var first = !await users.Users.AnyAsync();
        var user = new ForgeUser
        {
            UserName = Input.UserName!.Trim(), Email = Input.Email!.Trim(), IsAdmin = first,
            Role = first ? InstanceRole.Administrator : policy.DefaultRole,
        };
        var result = await users.CreateAsync(user, Input.Password!);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                var field = e.Code.Contains("Password") ? "Input.Password" : e.Code.Contains("Email") ? "Input.Email" : "Input.UserName";
                ModelState.AddModelError(field, e.Description);
            }
            return Page();
        }
        await accounts.SendConfirmationAsync(user, $"{Request.Scheme}://{Request.Host}");
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/");
    }
}
