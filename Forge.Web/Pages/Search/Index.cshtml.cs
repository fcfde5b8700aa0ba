using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Search;

public sealed class IndexModel(IResourceSearch search, RepositoryService repositories, ForgeDbContext db) : PageModel
{
    private const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public int PageNumber { get; private set; } = 1;
    public SearchResults? Results { get; private set; }
    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];
    public bool HasNext => Results is not null && PageNumber * PageSize < Results.Total;

    public async Task OnGetAsync()
    {
        // "page" is a route value of Razor Pages itself, so the query parameter is read by hand.
        PageNumber = Math.Clamp(int.TryParse(Request.Query["page"], out var n) ? n : 1, 1, 500);
        if (Q is null) return;
        var viewer = await HttpContext.ViewerAsync();
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, HttpContext.RequestAborted);
        Results = search.Search(new SearchRequest(Q, readable, PageNumber, PageSize));

        // The index is not the authority: re-check every hit against the database (deleted, renamed, made private).
        var ids = Results.Hits.Select(h => h.RepositoryId).ToList();
        var current = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators).Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id);
        Hits = Results.Hits
            .Where(h => current.TryGetValue(h.RepositoryId, out var r) && RepositoryService.CanRead(r, viewer))
            .Select(h => h with { Owner = current[h.RepositoryId].Owner.UserName!, Name = current[h.RepositoryId].Name })
            .ToList();
    }
}
