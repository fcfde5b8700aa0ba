using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Search;

/// <summary>One value of a facet as the panel shows it: « Première (12) », ticked or not.</summary>
public sealed record FacetOption(string Id, string Value, string Label, int Count, bool Selected);

/// <summary>One facet of the panel (a fieldset); <see cref="Shown"/> options are listed, the rest behind « Afficher plus ».</summary>
public sealed record FacetGroup(string Name, string Legend, IReadOnlyList<FacetOption> Options)
{
    public const int ShownCount = 8;
    public IEnumerable<FacetOption> Shown => Options.Take(ShownCount);
    public IReadOnlyList<FacetOption> More => Options.Skip(ShownCount).ToList();
}

public sealed class IndexModel(IResourceSearch search, RepositoryService repositories, ForgeDbContext db) : PageModel
{
    public const int PageSize = 20;

    /// <summary>Order of the fieldsets in the panel: what teachers filter on most comes first.</summary>
    private static readonly string[] PanelOrder =
        [Facets.Discipline, Facets.Grade, Facets.Cycle, Facets.Type, Facets.Usage, Facets.Autonomy, Facets.Audience,
         Facets.Duration, Facets.Exercises, Facets.Programme, Facets.Licence];

    public SearchQuery Query { get; private set; } = null!;
    public SearchResults Results { get; private set; } = new(0, []);
    public IReadOnlyList<ReadableHit> Hits { get; private set; } = [];
    public IReadOnlyList<FacetGroup> FacetGroups { get; private set; } = [];
    public int PageCount => Math.Clamp((Results.Total + PageSize - 1) / PageSize, 1, SearchQuery.MaxPage);

    public async Task OnGetAsync()
    {
        Query = SearchQuery.From(Request.Query);
        var viewer = await HttpContext.ViewerAsync();
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, HttpContext.RequestAborted);
        Results = search.Search(new SearchRequest(Query.Text, readable, Query.Page, PageSize)
        {
            Filters = Query.Filters, Sort = Query.Sort, WithFacets = true,
        });
        Hits = await ReadableHits.FilterAsync(db, viewer, Results.Hits, HttpContext.RequestAborted);
        FacetGroups = BuildFacets(Query, Results);
    }

    /// <summary>
    /// Values with a count (from the engine, permission-filtered there) or ticked; a ticked value the engine did not
    /// count is still shown, with 0, so it can be unticked.
    /// </summary>
    private static List<FacetGroup> BuildFacets(SearchQuery query, SearchResults results)
    {
        var groups = new List<FacetGroup>();
        foreach (var facet in PanelOrder)
        {
            var counts = results.Facets.GetValueOrDefault(facet, [])
                .Where(c => (c.Count > 0 && (facet != Facets.Programme || ProgrammeLabels.Offered(c.Value))) || query.IsSelected(facet, c.Value)).ToList();
            foreach (var selected in query.Filters.GetValueOrDefault(facet, []))
                if (!counts.Any(c => c.Value == selected)) counts.Add(new FacetCount(selected, 0));
            var options = FacetVocabulary.Order(facet, counts)
                .Select(c => new FacetOption(ControlId(facet, c.Value), c.Value, FacetVocabulary.Label(facet, c.Value), c.Count, query.IsSelected(facet, c.Value)))
                .ToList();
            if (options.Count > 0) groups.Add(new FacetGroup(facet, FacetVocabulary.Legend(facet), options));
        }
        return groups;
    }

    /// <summary>A stable element id for a checkbox (kept across reloads so the focus can come back to it).</summary>
    private static string ControlId(string facet, string value) =>
        "f-" + facet + "-" + new string(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
