using Forge.Core.Programmes;
using Forge.Search;

namespace Forge.Web.Pages.Programmes;

/// <summary>
/// How many open (public) resources are tagged with each item of a programme. Counted by the search engine's facet
/// over public resources only (no readable private repository is passed), so a private resource never shows here.
/// </summary>
public sealed class ProgrammeCoverage(IResourceSearch search)
{
    public IReadOnlyDictionary<string, int> Count(Programme programme)
    {
        var items = programme.Items.Select(i => i.Id).ToList();
        var results = search.Search(new SearchRequest("", [], 1, 1)
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { [Facets.Programme] = items },
            WithFacets = true,
        });
        var counts = items.ToDictionary(i => i, _ => 0);
        if (results.Facets.TryGetValue(Facets.Programme, out var facet))
            foreach (var value in facet)
                if (counts.ContainsKey(value.Value)) counts[value.Value] = value.Count;
        return counts;
    }
}
