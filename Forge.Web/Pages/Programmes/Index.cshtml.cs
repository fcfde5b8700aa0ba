using Forge.Core.Programmes;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Programmes;

public sealed class IndexModel(ProgrammeCoverage coverage) : PageModel
{
    public IReadOnlyList<(Programme Programme, int Items, int Covered)> Rows { get; private set; } = [];

    public void OnGet() =>
        Rows = ProgrammeCatalogue.Default.Programmes.Select(p =>
        {
            var counts = coverage.Count(p);
            return (p, counts.Count, counts.Values.Count(c => c > 0));
        }).ToList();
}
