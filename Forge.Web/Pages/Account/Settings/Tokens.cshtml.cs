using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

public sealed class TokensModel(AccessTokenService tokens) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    public IReadOnlyList<AccessToken> Tokens { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? NewName { get; private set; }

    private long UserId => User.UserId() ?? throw new InvalidOperationException("signed-in page");

    public async Task OnGetAsync() => Tokens = await tokens.ListAsync(UserId);

    public async Task<IActionResult> OnPostCreateAsync()
    {
        ModelState.Clear();
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name)) ModelState.AddModelError(nameof(Name), "Donnez un nom au jeton.");
        else if (name.Length > 100) ModelState.AddModelError(nameof(Name), "Le nom ne peut pas dépasser 100 caractères.");
        if (ModelState.IsValid)
        {
            var (token, secret) = await tokens.CreateAsync(UserId, name!);
            (NewSecret, NewName, Name) = (secret, token.Name, null);
        }
        Tokens = await tokens.ListAsync(UserId);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        await tokens.RevokeAsync(UserId, id);
        return RedirectToPage();
    }
}
