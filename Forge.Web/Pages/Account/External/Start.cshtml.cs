using Forge.Web.Data;
using Forge.Web.Federation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;

namespace Forge.Web.Pages.Account.External;

/// <summary>
/// Starts a sign-in (or, signed in, a link) with a provider: a form POST with its anti-forgery token, so another site
/// cannot start a flow in the visitor's name. Answers with the redirection to the provider's authorization endpoint.
/// </summary>
public sealed class StartModel(FederationProviders providers, UserManager<ForgeUser> users, OpenIddictClientService client,
    ILogger<StartModel> log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => Redirect("/user/login");

    public async Task<IActionResult> OnPostAsync(string provider)
    {
        var configured = providers.Find(provider);
        if (configured is null) return NotFound();
        var properties = new AuthenticationProperties
        {
            RedirectUri = FederationEndpoints.IsLocal(ReturnUrl) ? ReturnUrl : "/",
            Items = { [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = configured.Name },
        };
        if (User.Identity?.IsAuthenticated == true && users.GetUserId(User) is { } me)
        {
            properties.Items[FederationEndpoints.LinkUserProperty] = me;
            properties.RedirectUri = FederationEndpoints.LinkedAccountsPath;
        }
        try
        {
            // The provider's discovery document (cached once read): OpenIddict's own answer to a provider that is down
            // would be a bare 400 in English, so Forge asks first and explains in French.
            await client.GetServerConfigurationByRegistrationIdAsync(configured.Name, HttpContext.RequestAborted);
            await HttpContext.ChallengeAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme, properties);
        }
        catch (Exception e) when (!Response.HasStarted && FederationEndpoints.IsProviderFailure(e))
        {
            log.LogWarning(e, "Provider {Provider} could not be reached to start a sign-in", configured.Name);
            return Redirect(FederationEndpoints.ErrorUrl(configured.Name, FederationErrors.Unreachable));
        }
        return new EmptyResult();
    }
}
