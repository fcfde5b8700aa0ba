using Forge.Core.Programmes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Programmes;

public sealed class CoverageModel(ProgrammeCoverage coverage) : PageModel
{
    public Programme Programme { get; private set; } = null!;
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public int Missing => Counts.Values.Count(c => c == 0);

    public IActionResult OnGet(string id)
    {
        if (ProgrammeCatalogue.Default.Programme(id) is not { } programme) return NotFound();
        Programme = programme;
        Counts = coverage.Count(programme);
        return Page();
    }
}
