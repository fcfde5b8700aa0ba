using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

public sealed class TokensModel(AccessTokenService tokens, AuthorizedApplications authorized) : PageModel
{
    /// <summary>Choices of the expiry list, in days (0 = never).</summary>
    public static readonly int[] ExpiryChoices = [30, 90, 365, 0];

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public List<string> Scopes { get; set; } = [ForgeScopes.RepoWrite];
    [BindProperty] public int ExpiresInDays { get; set; } = 90;
    public IReadOnlyList<AccessToken> Tokens { get; private set; } = [];
    public IReadOnlyList<AuthorizedApplication> Applications { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? NewName { get; private set; }

    private long UserId => User.UserId() ?? throw new InvalidOperationException("signed-in page");

    public async Task OnGetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        Tokens = await tokens.ListAsync(UserId);
        Applications = await authorized.ListAsync(UserId, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        ModelState.Clear();
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name)) ModelState.AddModelError(nameof(Name), "Donnez un nom au jeton.");
        else if (name.Length > 100) ModelState.AddModelError(nameof(Name), "Le nom ne peut pas dépasser 100 caractères.");
        var (scopes, _) = ForgeScopes.ParseTokenScopes(string.Join(',', Scopes));
        if (scopes is null || scopes.Length == 0 || scopes.Contains(ForgeScopes.All))
            ModelState.AddModelError(nameof(Scopes), "Choisissez au moins une portée.");
        if (!ExpiryChoices.Contains(ExpiresInDays)) ModelState.AddModelError(nameof(ExpiresInDays), "Choisissez une durée dans la liste.");
        if (ModelState.IsValid)
        {
            var (token, secret) = await tokens.CreateAsync(UserId, name!, HttpContext.RequestAborted, scopes, ExpiresInDays == 0 ? null : ExpiresInDays);
            (NewSecret, NewName, Name) = (secret, token.Name, null);
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        await tokens.RevokeAsync(UserId, id);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeApplicationAsync(string client)
    {
        await authorized.RevokeAsync(UserId, client, HttpContext.RequestAborted);
        return RedirectToPage();
    }
}
