using System.Security.Claims;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.Pages.Connect;

/// <summary>
/// <c>/connect/device</c> (device authorization flow): a command-line tool shows a short code and this address; the
/// signed-in user types the code here, sees what the tool asks for, and allows or refuses. The tool, which polls the
/// token endpoint meanwhile, then gets its tokens (or <c>access_denied</c>).
/// </summary>
[Authorize]
public sealed class DeviceModel(UserManager<ForgeUser> users, IOpenIddictApplicationManager applications) : PageModel
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public string? UserCode { get; private set; }
    public string? ApplicationName { get; private set; }
    public IReadOnlyList<string> RequestedScopes { get; private set; } = [];
    public string? Error { get; private set; }
    /// <summary>"accepted" or "denied" after an answer.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest();
        if (request is null) return NotFound();
        if (string.IsNullOrEmpty(request.UserCode)) return Page();
        await DescribeAsync(request.UserCode);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision)
    {
        var request = HttpContext.GetOpenIddictServerRequest();
        if (request is null) return NotFound();
        var result = await HttpContext.AuthenticateAsync(Scheme);
        var user = await users.GetUserAsync(User);
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is null || user is null || user.IsGroup)
        {
            Error = SharedResource.T("Ce code n’est pas valide ou a expiré. Relancez la commande pour en obtenir un nouveau.");
            return Page();
        }
        if (decision != "accept")
            return Forbid(new AuthenticationProperties { RedirectUri = "/connect/device?done=denied" }, Scheme);
        var identity = ForgeScopes.IdentityFor(user, result.Principal.GetScopes());
        return SignIn(new ClaimsPrincipal(identity), new AuthenticationProperties { RedirectUri = "/connect/device?done=accepted" }, Scheme);
    }

    private async Task DescribeAsync(string userCode)
    {
        var result = await HttpContext.AuthenticateAsync(Scheme);
        var clientId = result.Succeeded ? result.Principal.GetClaim(Claims.ClientId) : null;
        var application = clientId is null ? null : await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted);
        if (application is null)
        {
            Error = SharedResource.T("Le code « {0} » n’est pas valide ou a expiré. Vérifiez-le, ou relancez la commande pour en obtenir un nouveau.", userCode);
            return;
        }
        UserCode = userCode;
        ApplicationName = await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted) ?? clientId;
        RequestedScopes = result.Principal!.GetScopes();
    }
}
