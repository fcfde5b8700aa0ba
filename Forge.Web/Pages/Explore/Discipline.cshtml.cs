using Forge.Core.Resources;
using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Explore;

/// <summary>The landing page of one discipline: <c>/explore/nsi</c>. Unknown disciplines are 404.</summary>
public sealed class DisciplineModel(IResourceSearch search, RepositoryService repositories, ForgeDbContext db) : PageModel
{
    public string Code { get; private set; } = "";
    public string Label { get; private set; } = "";
    public string? Description { get; private set; }
    public IReadOnlyList<DisciplinePages.Programme> Programmes { get; private set; } = [];
    public CatalogueOverview Catalogue { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string discipline)
    {
        Code = discipline.ToLowerInvariant();
        if (!ResourceVocabulary.Disciplines.TryGetValue(Code, out var label)) return NotFound();
        if (Code != discipline) return RedirectPermanent("/explore/" + Code);
        Label = SharedResource.T(label);
        Description = DisciplinePages.DescriptionOf(Code);
        Programmes = DisciplinePages.ProgrammesOf(Code);
        Catalogue = await new Catalogue(search, repositories, db).OverviewAsync(HttpContext,
            new Dictionary<string, IReadOnlyList<string>> { [Facets.Discipline] = [Code] });
        return Page();
    }
}
