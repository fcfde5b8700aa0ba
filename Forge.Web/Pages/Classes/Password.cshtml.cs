using Forge.Web.Classroom;
using Forge.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// <c>/classes/password</c>: a pupil account made with a one-time password chooses its own here before anything else
/// (<see cref="MustChangePasswordFilter"/>). The usual password rules apply.
/// </summary>
[Authorize]
public sealed class PasswordModel(UserManager<ForgeUser> users, ForgeDbContext db, IMemoryCache cache) : PageModel
{
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await users.GetUserAsync(User) is { MustChangePassword: true } ? Page() : Redirect(Target);

    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        if (!me.MustChangePassword) return Redirect(Target);
        if (string.IsNullOrEmpty(NewPassword)) ModelState.AddModelError(nameof(NewPassword), "Choisissez un mot de passe.");
        else if (NewPassword != ConfirmPassword) ModelState.AddModelError(nameof(ConfirmPassword), "Les deux mots de passe ne sont pas identiques.");
        else if (users.PasswordHasher.VerifyHashedPassword(me, me.PasswordHash!, NewPassword) != PasswordVerificationResult.Failed)
            ModelState.AddModelError(nameof(NewPassword), "Choisissez un autre mot de passe que celui donné par votre enseignant.");
        else
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, me, NewPassword);
                foreach (var e in result.Errors) ModelState.AddModelError(nameof(NewPassword), e.Description);
            }
        if (!ModelState.IsValid) return Page();
        // Set here rather than through UserManager.UpdateAsync: pupil accounts have no e-mail address, which Identity's user validation requires.
        me.PasswordHash = users.PasswordHasher.HashPassword(me, NewPassword!);
        me.MustChangePassword = false;
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        cache.Remove(MustChangePasswordFilter.CacheKey(me.Id));
        TempData["Notice"] = "Votre mot de passe est enregistré.";
        return Redirect(Target);
    }
}
