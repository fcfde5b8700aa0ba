using Forge.Web.Compliance;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Admin;

/// <summary>Administrators' overview of the repositories whose licences or personal data need attention (404 for anyone else).</summary>
public sealed class ComplianceModel(ComplianceStore compliance) : PageModel
{
    public IReadOnlyList<ComplianceProblem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        Problems = await compliance.ProblemsAsync(HttpContext.RequestAborted);
        return Page();
    }
}
