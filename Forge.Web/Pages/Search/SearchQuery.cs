using System.Text;
using Forge.Search;
using Microsoft.AspNetCore.Http;

namespace Forge.Web.Pages.Search;

/// <summary>
/// A resource search as its bookmarkable URL says it: <c>/search?q=tri&amp;grade=1re&amp;grade=tle&amp;sort=recent&amp;page=2</c>.
/// Built from any query string without failing: text cut to <see cref="MaxTextLength"/> characters, unknown facet
/// values and unknown parameters ignored, page clamped. Builds the URLs of the page's links (remove one filter,
/// another page, another sort) so they always describe a valid search.
/// </summary>
public sealed class SearchQuery
{
    public const int MaxTextLength = 200;
    public const int MaxValuesPerFacet = 20;
    public const int MaxPage = 500;

    private static readonly (string Param, SearchSort Sort, string Label)[] SortNames =
    [
        ("pertinence", SearchSort.Relevance, "Pertinence"),
        ("recent", SearchSort.Recent, "Plus récentes"),
        ("etoiles", SearchSort.Stars, "Plus étoilées"),
        ("note", SearchSort.Rating, "Mieux notées"),
    ];

    private readonly Dictionary<string, IReadOnlyList<string>> _filters;
    private readonly SearchSort? _sort;

    private SearchQuery(string text, Dictionary<string, IReadOnlyList<string>> filters, SearchSort? sort, int page)
    {
        Text = text;
        _filters = filters;
        _sort = sort;
        Page = page;
    }

    /// <summary>The text typed, trimmed and cut; empty when none.</summary>
    public string Text { get; }
    public bool HasText => Text.Length > 0;
    /// <summary>Valid filters only, facet → distinct values in URL order; facets without a value are absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters => _filters;
    public bool HasFilters => _filters.Count > 0;
    public int Page { get; }
    /// <summary>The sort asked for, or relevance when text is typed and the newest first otherwise.</summary>
    public SearchSort Sort => _sort ?? DefaultSort;
    private SearchSort DefaultSort => HasText ? SearchSort.Relevance : SearchSort.Recent;

    public static IEnumerable<(string Param, string Label)> Sorts => SortNames.Select(s => (s.Param, s.Label));
    public string SortParam => SortNames.First(s => s.Sort == Sort).Param;

    /// <summary>
    /// Reads the query string with the parsing the API shares (<see cref="SearchParameters"/>), then keeps only what
    /// this page can show: values of the vocabularies, a shorter text, the page's own default sort.
    /// </summary>
    public static SearchQuery From(IQueryCollection query)
    {
        var parsed = SearchParameters.Parse(query.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.AsEnumerable())), []);
        var text = Cut(parsed.Text.Trim(), MaxTextLength).Trim();
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (facet, values) in parsed.Filters)
        {
            var valid = values.Where(v => FacetVocabulary.IsValid(facet, v)).Take(MaxValuesPerFacet).ToList();
            if (valid.Count > 0) filters[facet] = valid;
        }
        SearchSort? sort = string.IsNullOrWhiteSpace(query["sort"]) ? null : parsed.Sort;
        return new SearchQuery(text, filters, sort, Math.Min(parsed.Page, MaxPage));
    }

    /// <summary>The same search on the first page with <paramref name="facet"/> limited to the given values (none: removed).</summary>
    private SearchQuery WithFacet(string facet, IReadOnlyList<string> values)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>(_filters);
        if (values.Count == 0) filters.Remove(facet);
        else filters[facet] = values;
        return new SearchQuery(Text, filters, _sort, 1);
    }

    public bool IsSelected(string facet, string value) => _filters.TryGetValue(facet, out var v) && v.Contains(value);

    /// <summary>URL of this search without one value of one facet (the link of a « chip »).</summary>
    public string UrlWithout(string facet, string value) =>
        WithFacet(facet, _filters.GetValueOrDefault(facet, []).Where(v => v != value).ToList()).Url();

    /// <summary>URL of this search with every filter removed, the text kept.</summary>
    public string UrlWithoutFilters() => new SearchQuery(Text, [], _sort, 1).Url();

    public string UrlForPage(int page) => new SearchQuery(Text, _filters, _sort, page).Url();

    /// <summary>
    /// <c>/search?q=…&amp;discipline=…&amp;sort=…&amp;page=…</c>: facets in a fixed order, the sort only when it differs
    /// from the default, the page only after the first.
    /// </summary>
    public string Url(string path = "/search")
    {
        var parts = new List<string>();
        if (HasText) parts.Add("q=" + Uri.EscapeDataString(Text));
        foreach (var facet in Facets.All.Concat(SearchParameters.ExtraFilters))
            if (_filters.TryGetValue(facet, out var values))
                parts.AddRange(values.Select(v => facet + "=" + Uri.EscapeDataString(v)));
        if (_sort is { } s && s != DefaultSort) parts.Add("sort=" + SortParam);
        if (Page > 1) parts.Add("page=" + Page);
        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }

    /// <summary>A search URL for one facet value alone (the entry points of the explore pages).</summary>
    public static string UrlFor(params (string Facet, string Value)[] filters)
    {
        var sb = new StringBuilder("/search");
        var first = true;
        foreach (var (facet, value) in filters)
        {
            sb.Append(first ? '?' : '&').Append(facet).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }
}

/// <summary>Previous / « page N sur M » / next links of a result list.</summary>
public sealed record PagerModel(int Page, int PageCount, Func<int, string> UrlFor);
