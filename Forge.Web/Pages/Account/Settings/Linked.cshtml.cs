using Forge.Web.Data;
using Forge.Web.Federation;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>« Comptes liés »: the providers this account signs in with; link another, unlink one (not the last way in).</summary>
public sealed class LinkedModel(FederationService federation, FederationProviders providers, UserManager<ForgeUser> users) : PageModel
{
    public IReadOnlyList<(UserLoginInfo Login, FederationProvider? Provider)> Links { get; private set; } = [];
    public IReadOnlyList<FederationProvider> Available { get; private set; } = [];
    public string? PasswordDisabledBy { get; private set; }
    public string? Notice { get; private set; }
    public string? Error { get; private set; }

    private async Task<ForgeUser> LoadAsync()
    {
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("signed-in page");
        FederationCsp.AllowProviders(HttpContext, providers);
        Links = await federation.LinksAsync(user);
        Available = [.. providers.All.Where(p => Links.All(l => l.Login.LoginProvider != p.Name))];
        PasswordDisabledBy = (await federation.PasswordDisabledByAsync(user))?.DisplayName;
        return user;
    }

    public async Task OnGetAsync(string? linked)
    {
        await LoadAsync();
        if (providers.Find(linked) is { } provider && Links.Any(l => l.Login.LoginProvider == provider.Name))
            Notice = SharedResource.T("« {0} » est maintenant lié à votre compte.", provider.DisplayName);
    }

    public async Task<IActionResult> OnPostUnlinkAsync(string? provider)
    {
        var user = await LoadAsync();
        Error = await federation.UnlinkAsync(user, provider ?? "");
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        return Redirect("/user/settings/linked");
    }
}
