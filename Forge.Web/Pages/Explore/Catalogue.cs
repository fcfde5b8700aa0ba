using Forge.Core.Resources;
using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Pages.Search;
using Forge.Web.Repos;

namespace Forge.Web.Pages.Explore;

/// <summary>A link into the catalogue: « Première (12) » → <c>/search?grade=1re</c>.</summary>
public sealed record EntryLink(string Label, int Count, string Url);

/// <summary>What the explore pages show of the part of the catalogue the viewer may read.</summary>
public sealed record CatalogueOverview(
    int Total, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets, IReadOnlyList<ReadableHit> Newest, IReadOnlyList<ReadableHit> MostStarred)
{
    public int Count(string facet, string value) => Facets.GetValueOrDefault(facet, []).FirstOrDefault(c => c.Value == value)?.Count ?? 0;

    /// <summary>
    /// One link per value of <paramref name="facet"/> that has resources, in vocabulary order, each a search with
    /// <paramref name="preset"/> and that value.
    /// </summary>
    public IReadOnlyList<EntryLink> Links(string facet, IEnumerable<string> vocabulary, params (string Facet, string Value)[] preset) =>
        vocabulary.Select(v => (Value: v, Count: Count(facet, v))).Where(v => v.Count > 0)
            .Select(v => new EntryLink(FacetVocabulary.Label(facet, v.Value), v.Count, SearchQuery.UrlFor([.. preset, (facet, v.Value)])))
            .ToList();
}

/// <summary>Reads a <see cref="CatalogueOverview"/>: two searches with no text (permission-filtered), hits re-checked.</summary>
public sealed class Catalogue(IResourceSearch search, RepositoryService repositories, ForgeDbContext db)
{
    public const int ListSize = 6;

    public async Task<CatalogueOverview> OverviewAsync(HttpContext http, IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        var viewer = await http.ViewerAsync();
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, http.RequestAborted);
        var newest = search.Search(new SearchRequest("", readable, 1, ListSize) { Filters = filters, Sort = SearchSort.Recent, WithFacets = true });
        var starred = search.Search(new SearchRequest("", readable, 1, ListSize) { Filters = filters, Sort = SearchSort.Stars, WithFacets = false });
        return new CatalogueOverview(newest.Total, newest.Facets,
            await ReadableHits.FilterAsync(db, viewer, newest.Hits, http.RequestAborted),
            await ReadableHits.FilterAsync(db, viewer, starred.Hits.Where(h => h.Stars > 0), http.RequestAborted));
    }

    /// <summary>Disciplines and grades in vocabulary order, for the entry points.</summary>
    public static IEnumerable<string> Disciplines => ResourceVocabulary.Disciplines.Keys;
    public static IEnumerable<string> GradesOf(string cycle) => ResourceVocabulary.Grades.Where(g => g.Cycle == cycle).Select(g => g.Code);
}
