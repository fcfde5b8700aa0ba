using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Forge.Tests.Search;

/// <summary>A search or explore page as a user reads it, parsed from the HTML the server sent.</summary>
public sealed partial class SearchView
{
    private SearchView(HttpStatusCode status, string html)
    {
        Status = status;
        Html = html;
        Document = new HtmlParser().ParseDocument(html);
    }

    public HttpStatusCode Status { get; }
    public string Html { get; }
    public IDocument Document { get; }

    public static async Task<SearchView> LoadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return new SearchView(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"^([\d\u202f\u00a0 ]+) ressources?")]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"\(([\d\u202f\u00a0 ]+)\)\s*$")]
    private static partial Regex LabelCountPattern();

    private static int Number(string digits) => int.Parse(new string(digits.Where(char.IsAsciiDigit).ToArray()));

    /// <summary>The number in the results heading (« 23 ressources pour « tri » »).</summary>
    public int Total
    {
        get
        {
            var heading = Document.GetElementById("result-count")?.TextContent.Trim() ?? throw new InvalidOperationException("no result count:\n" + Html);
            return Number(CountPattern().Match(heading).Groups[1].Value);
        }
    }

    public string Heading => Document.GetElementById("result-count")!.TextContent.Trim();

    /// <summary>Links of the results, in order (<c>/alice/tri-fusion</c>, <c>/alice/tri-insertion/tree/main/exercices</c>).</summary>
    public IReadOnlyList<string> Results => Document.QuerySelectorAll("ol.results > li h3 a").Select(a => a.GetAttribute("href")!).ToList();

    public IReadOnlyList<string> Titles => Document.QuerySelectorAll("ol.results > li h3 a").Select(a => a.TextContent.Trim()).ToList();

    /// <summary>Facet name → value → count, as the checkbox labels say; values not shown are absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets =>
        Document.QuerySelectorAll("fieldset.facet input[type=checkbox]")
            .GroupBy(i => i.GetAttribute("name")!)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(i => i.GetAttribute("value")!, i => Number(LabelCountPattern().Match(LabelOf(i)).Groups[1].Value)));

    public int? Count(string facet, string value) => Facets.TryGetValue(facet, out var values) && values.TryGetValue(value, out var n) ? n : null;

    /// <summary>The text of the label of a facet checkbox (« Première (2) »), or null if the value is not offered.</summary>
    public string? Label(string facet, string value) =>
        Document.QuerySelectorAll("fieldset.facet input[type=checkbox]").FirstOrDefault(i => i.GetAttribute("name") == facet && i.GetAttribute("value") == value) is { } input
            ? LabelOf(input) : null;

    public bool IsChecked(string facet, string value) =>
        Document.QuerySelectorAll("fieldset.facet input[type=checkbox]").Any(i => i.GetAttribute("name") == facet && i.GetAttribute("value") == value && i.HasAttribute("checked"));

    private string LabelOf(IElement input) =>
        Regex.Replace(Document.QuerySelector($"label[for='{input.Id}']")!.TextContent, @"\s+", " ").Trim();

    /// <summary>Active filter chips: visible text and the link that removes the filter.</summary>
    public IReadOnlyList<(string Text, string Href)> Chips =>
        Document.QuerySelectorAll(".chips li a").Select(a => (Regex.Replace(a.TextContent, @"\s+", " ").Trim(), a.GetAttribute("href")!)).ToList();

    public string? SpellingNote => Document.QuerySelector(".spelling")?.TextContent.Trim();

    public string? Pager => Document.QuerySelector(".pager span")?.TextContent.Trim();

    public string? Link(string rel) => Document.QuerySelector($".pager a[rel={rel}]")?.GetAttribute("href");

    public string? EmptyState => Document.QuerySelector(".empty-state")?.TextContent;

    /// <summary>Every link target of the main content.</summary>
    public IReadOnlyList<string> MainLinks => Document.QuerySelectorAll("main a").Select(a => a.GetAttribute("href") ?? "").ToList();

    /// <summary>Text and target of the entry links of an explore page section (by its heading id).</summary>
    public IReadOnlyList<(string Text, string Href)> EntryLinks(string sectionHeadingId) =>
        Document.QuerySelectorAll($"section[aria-labelledby={sectionHeadingId}] .entry-links > li > a")
            .Select(a => (Regex.Replace(a.TextContent, @"\s+", " ").Trim(), a.GetAttribute("href")!)).ToList();

    public IReadOnlyList<string> CardLinks(string sectionHeadingId) =>
        Document.QuerySelectorAll($"section[aria-labelledby={sectionHeadingId}] .card h3 a").Select(a => a.GetAttribute("href")!).ToList();
}
