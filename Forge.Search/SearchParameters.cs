namespace Forge.Search;

/// <summary>
/// The query-string form of a search, shared by the <c>/search</c> page and <c>GET /api/v1/search</c>:
/// <c>q</c>; one repeatable parameter per facet (<see cref="Facets.All"/>; OR within one, AND across);
/// <c>based_on</c> (<c>owner/repo</c>); <c>owner</c>; <c>sort</c> = <c>relevance</c> (default), <c>recent</c> or
/// <c>stars</c> (French <c>pertinence</c>, <c>recents</c>, <c>etoiles</c> accepted); <c>page</c> from 1;
/// <c>limit</c> up to <see cref="MaxPageSize"/>. Values are bounded in number and length; unknown parameters are ignored.
/// </summary>
public static class SearchParameters
{
    public const int MaxPageSize = 50;
    public const int MaxValuesPerFilter = 30;
    public const int MaxValueLength = 200;

    /// <summary>Filter parameters besides the facets.</summary>
    public static readonly IReadOnlyList<string> ExtraFilters = ["based_on"];

    public static SearchRequest Parse(IEnumerable<KeyValuePair<string, IEnumerable<string?>>> query, IReadOnlyCollection<long> readableRepositoryIds,
        int defaultPageSize = 20)
    {
        var values = query.GroupBy(kv => kv.Key.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.SelectMany(kv => kv.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList());
        string? One(string key) => values.TryGetValue(key, out var list) && list.Count > 0 ? list[0] : null;

        var filters = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var name in Facets.All.Concat(ExtraFilters))
        {
            if (!values.TryGetValue(name, out var list) || list.Count == 0) continue;
            filters[name] = list.Where(v => v.Length <= MaxValueLength).Distinct(StringComparer.Ordinal).Take(MaxValuesPerFilter).ToList();
        }
        var page = int.TryParse(One("page"), out var p) ? Math.Clamp(p, 1, 1000) : 1;
        var limit = int.TryParse(One("limit"), out var l) ? Math.Clamp(l, 1, MaxPageSize) : defaultPageSize;
        var text = One("q") ?? "";
        return new SearchRequest(text.Length > 500 ? text[..500] : text, readableRepositoryIds, page, limit)
        {
            Filters = filters,
            Sort = ParseSort(One("sort")),
            Owner = One("owner"),
        };
    }

    public static SearchSort ParseSort(string? value) => value?.ToLowerInvariant() switch
    {
        "recent" or "recents" or "updated" => SearchSort.Recent,
        "stars" or "etoiles" => SearchSort.Stars,
        "rating" or "note" or "notes" => SearchSort.Rating,
        _ => SearchSort.Relevance,
    };

    /// <summary>The URL value of a sort.</summary>
    public static string SortValue(SearchSort sort) => sort switch
    {
        SearchSort.Recent => "recent",
        SearchSort.Stars => "stars",
        SearchSort.Rating => "rating",
        _ => "relevance",
    };
}
