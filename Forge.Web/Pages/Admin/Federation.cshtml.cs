using Forge.Web.Federation;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Admin;

/// <summary>Read-only list of the configured identity providers and the callback URL each needs (404 for non-admins).</summary>
public sealed class FederationModel(FederationProviders providers) : PageModel
{
    public IReadOnlyList<FederationProvider> Providers => providers.All;

    public string CallbackUrl(FederationProvider provider) => $"{Request.Scheme}://{Request.Host}{Request.PathBase}{provider.CallbackPath}";

    public async Task<IActionResult> OnGetAsync() => (await HttpContext.ViewerAsync()).IsAdmin ? Page() : NotFound();
}
