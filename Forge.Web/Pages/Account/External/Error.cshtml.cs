using Forge.Web.Federation;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.External;

/// <summary>Where every failed sign-in with a provider ends: what happened, in French, from a closed set of reasons.</summary>
public sealed class ErrorModel(FederationProviders providers) : PageModel
{
    public string ProviderName { get; private set; } = "le fournisseur d’identité";
    public string Reason { get; private set; } = FederationErrors.Provider;
    public string Message { get; private set; } = "";

    public void OnGet(string? provider, string? reason)
    {
        if (providers.Find(provider) is { } configured) ProviderName = configured.DisplayName;
        Reason = reason ?? FederationErrors.Provider;
        Message = FederationErrors.Message(Reason, ProviderName);
        // An error page, not a success: a 4xx keeps it out of caches and tells scripts that nothing was signed in.
        Response.StatusCode = Reason == FederationErrors.Unreachable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest;
    }
}
