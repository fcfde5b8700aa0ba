using System.Text.Json;
using Forge.Web.Accounts;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>Personal-data export (a JSON file) and account deletion (confirmed with the password).</summary>
public sealed class AccountModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn, AccountService accounts) : PageModel
{
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmName { get; set; }
    public IReadOnlyList<string> BlockingGroups { get; private set; } = [];
    public ForgeUser Me { get; private set; } = null!;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        Me = me;
        BlockingGroups = await accounts.SoleOwnedGroupsAsync(me.Id);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync()
    {
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(await accounts.ExportAsync(me, HttpContext.RequestAborted), Json);
        return File(bytes, "application/json", $"forge-{me.UserName}-donnees.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        ModelState.Clear();
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        Me = me;
        BlockingGroups = await accounts.SoleOwnedGroupsAsync(me.Id);
        if (!string.Equals(ConfirmName?.Trim(), me.UserName, StringComparison.Ordinal))
            ModelState.AddModelError(nameof(ConfirmName), $"Saisissez exactement votre nom d’utilisateur, « {me.UserName} », pour confirmer.");
        if (string.IsNullOrEmpty(Password) || !await users.CheckPasswordAsync(me, Password))
            ModelState.AddModelError(nameof(Password), "Mot de passe incorrect : le compte n’a pas été supprimé.");
        if (!ModelState.IsValid) return Page();
        var blocking = await accounts.DeleteAsync(me, HttpContext.RequestAborted);
        if (blocking.Count > 0)
        {
            BlockingGroups = blocking;
            ModelState.AddModelError("", $"Vous êtes le seul propriétaire de ces groupes : {string.Join(", ", blocking)}. Nommez un autre propriétaire ou supprimez-les d’abord.");
            return Page();
        }
        await signIn.SignOutAsync();
        return Redirect("/?compte=supprime");
    }
}
