using Forge.Web.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Server.AspNetCore;

namespace Forge.Web.Pages.Connect;

/// <summary>
/// <c>/connect/logout</c> (OpenID Connect end session): asks « Se déconnecter de Forge ? » — a link alone never signs
/// anyone out —, then ends the Forge session and sends the browser back to the client's registered
/// <c>post_logout_redirect_uri</c> (OpenIddict checks it), or to the home page.
/// </summary>
public sealed class LogoutModel(SignInManager<ForgeUser> signIn) : PageModel
{
    /// <summary>The request's parameters, carried by the form back to this endpoint.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (HttpContext.GetOpenIddictServerRequest() is null) return NotFound();
        Parameters = Request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (HttpContext.GetOpenIddictServerRequest() is null) return NotFound();
        await signIn.SignOutAsync();
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
