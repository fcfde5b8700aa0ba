using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Explore;

public sealed class IndexModel(IResourceSearch search, RepositoryService repositories, ForgeDbContext db) : PageModel
{
    public CatalogueOverview Catalogue { get; private set; } = null!;

    public async Task OnGetAsync() =>
        Catalogue = await new Catalogue(search, repositories, db).OverviewAsync(HttpContext, new Dictionary<string, IReadOnlyList<string>>());
}
