using Forge.Web.Data;
using Forge.Web.Modules;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Modules;

/// <summary>
/// <c>/{owner}/{repo}/module/-/certificate/{code}</c>: public verification of a certificate — the learner's name, the
/// module's title and the date, nothing else (not even whether the repository still exists or is readable).
/// </summary>
public sealed class VerifyModel(ModuleService modules) : PageModel
{
    public ModuleProgress? Certificate { get; private set; }

    public async Task<IActionResult> OnGetAsync(string owner, string repo, string code)
    {
        Certificate = await modules.CertificateAsync(code.Trim().ToLowerInvariant(), HttpContext.RequestAborted);
        // The code alone identifies the certificate; the path must still be the repository it was given for.
        if (Certificate is null || !string.Equals(Certificate.Repository?.Owner?.UserName + "/" + Certificate.Repository?.Name, owner + "/" + repo, StringComparison.OrdinalIgnoreCase))
        {
            Certificate = null;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        Response.Headers.CacheControl = "private, no-store";
        return Page();
    }
}
