using Ganss.Xss;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Forge.Web.Rendering;

/// <summary>Where a Markdown file lives, so its relative links and images can point inside the repository.</summary>
public sealed record MarkdownContext(string Owner, string Repo, string Ref, string Directory)
{
    /// <summary>
    /// For a course site: the URL of a relative link's target (a path from the repository root; true for an image), or null
    /// to link into the repository as usual.
    /// </summary>
    public Func<string, bool, string?>? SiteLink { get; init; }
}

/// <summary>
/// Renders untrusted Markdown: one Markdig pipeline built once (no generic attributes), relative links rewritten
/// against the repository and ref, and the HTML passed through an allow-list sanitiser.
/// </summary>
public sealed partial class MarkdownRenderer
{
    /// <summary>Changes whenever the HTML this class writes does, so that stored renderings (<see cref="RenderingStore"/>) are redone.</summary>
    public const string Version = "1";

    private const int MaxInputChars = 1_000_000;

    private readonly MarkdownPipeline _pipeline = Extensions(new MarkdownPipelineBuilder()).Build();


    /// <summary>The extensions of every Markdown text Forge renders (course sites add theirs on top).</summary>
    private static MarkdownPipelineBuilder Extensions(MarkdownPipelineBuilder builder) => builder
        .UseAbbreviations()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseCitations()
        .UseCustomContainers()
        .UseDefinitionLists()
        .UseEmphasisExtras()
        .UseFigures()
        .UseFooters()
        .UseFootnotes()
        .UseGridTables()
        .UseMediaLinks()
        .UsePipeTables()
        .UseListExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseMathematics()
        // Shortcodes only (`:smile:`), as in MkDocs Material: smileys would turn `:-)` or `8)` in prose into emoji.
        .UseEmojiAndSmiley(enableSmileys: false)
        .Use<AdmonitionExtension>();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string markdown, MarkdownContext? context) =>
        Parse(markdown, context) is { } document ? ToSafeHtml(document) : TooDeep(markdown);

    /// <summary>
    /// The syntax tree of <paramref name="markdown"/>, links already pointing inside the repository, for a caller that changes
    /// it (references in issues, <see cref="Forge.Web.Issues.ReferenceLinker"/>) before <see cref="ToSafeHtml"/>; null when
    /// the text is nested too deeply to be parsed safely (then show <see cref="TooDeep"/>).
    /// </summary>
    public MarkdownDocument? Parse(string markdown, MarkdownContext? context)
    {
        if (markdown.Length > MaxInputChars) markdown = markdown[..MaxInputChars];
        if (Forge.Core.Text.MarkdownGuard.IsTooDeep(markdown)) return null;
        var document = Markdown.Parse(markdown, _pipeline);
        KeepDollarsThatAreNotMaths(document, markdown);
        if (context is not null) RewriteLinks(document, context);
        return document;
    }

    /// <summary>A parsed document as HTML, through the allow-list.</summary>
    public string ToSafeHtml(MarkdownDocument document) => _sanitizer.Sanitize(document.ToHtml(_pipeline));

    /// <summary>What is shown instead of a text nested too deeply to be parsed: the text itself.</summary>
    public static string TooDeep(string markdown) => "<pre>" + Html.Encode(markdown.Length > MaxInputChars ? markdown[..MaxInputChars] : markdown) + "</pre>";

    /// <summary>Untrusted HTML (a notebook's <c>text/html</c> output) through the same allow-list as Markdown.</summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    /// <summary>
    /// Whether rendered HTML holds mathematics (<c>class="math"</c> from Markdig's maths extension), so the page loads
    /// KaTeX only when it needs it. Raw HTML written with that class merely loads KaTeX for nothing.
    /// </summary>
    public static bool ContainsMath(string html) => html.Contains("class=\"math\"", StringComparison.Ordinal);

    /// <summary>Whether rendered HTML holds a Mermaid diagram (a <c>```mermaid</c> block), so the page loads Mermaid.</summary>
    public static bool ContainsDiagram(string html) => html.Contains("<code class=\"language-mermaid\">", StringComparison.Ordinal);

    /// <summary>
    /// Like MkDocs' arithmatex (and Pandoc), <c>$</c> opens maths only before a non-space and closes it only after one:
    /// « 5 $ et 10 $ » is about money. Markdig would typeset « et 10 ».
    /// </summary>
    private static void KeepDollarsThatAreNotMaths(MarkdownDocument document, string markdown)
    {
        foreach (var math in document.Descendants<MathInline>().ToList())
        {
            // The parser trims the content: look at the source between the delimiters.
            var (start, end) = (math.Span.Start + math.DelimiterCount, math.Span.End - math.DelimiterCount);
            if (start < 0 || end >= markdown.Length || end < start) continue;
            if (!char.IsWhiteSpace(markdown[start]) && !char.IsWhiteSpace(markdown[end])) continue;
            math.ReplaceBy(new LiteralInline(markdown[math.Span.Start..(math.Span.End + 1)]));
        }
    }

    private static void RewriteLinks(MarkdownDocument document, MarkdownContext context)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is not { Length: > 0 } url || !IsRelative(url)) continue;
            var (pathPart, suffix) = SplitSuffix(url);
            var target = Combine(context.Directory, Uri.UnescapeDataString(pathPart));
            if (target is null) continue;
            if (context.SiteLink?.Invoke(target, link.IsImage) is { } siteUrl)
            {
                link.Url = siteUrl + suffix;
                continue;
            }
            // Photos pasted from a phone are megabytes: a raster image is shown through its thumbnail (which falls back to raw).
            var kind = link.IsImage ? (Forge.Jobs.Images.ThumbnailStore.IsThumbnailable(target) ? "thumbnail" : "raw")
                : pathPart.EndsWith('/') ? "tree" : "blob";
            if (kind == "thumbnail" && suffix.Length == 0) suffix = "?w=1280";
            link.Url = $"/{context.Owner}/{context.Repo}/{kind}/{EncodePath(context.Ref)}/{EncodePath(target)}{suffix}";
        }
    }

    private static bool IsRelative(string url) =>
        !url.StartsWith('#') && !url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains(':', StringComparison.Ordinal);

    private static (string Path, string Suffix) SplitSuffix(string url)
    {
        var cut = url.IndexOfAny(['?', '#']);
        return cut < 0 ? (url, "") : (url[..cut], url[cut..]);
    }

    /// <summary>Joins a relative link to its folder, resolving <c>.</c> and <c>..</c>; null when it climbs above the root.</summary>
    private static string? Combine(string directory, string relative)
    {
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(segment);
        }
        return string.Join('/', parts);
    }

    public static string EncodePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static HtmlSanitizer CreateSanitizer()
    {
        var s = new HtmlSanitizer();
        s.AllowedAttributes.Remove("style");
        s.AllowedAttributes.Add("id");
        s.AllowedAttributes.Add("class");
        s.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" }) s.AllowedSchemes.Add(scheme);
        s.AllowedTags.Remove("form");
        s.AllowedTags.Remove("input");
        s.AllowedTags.Remove("button");
        s.AllowedTags.Remove("textarea");
        s.AllowedTags.Remove("select");
        // Collapsible admonitions (`??? tip`).
        s.AllowedTags.Add("details");
        s.AllowedTags.Add("summary");
        s.AllowedAttributes.Add("open");
        // Task lists render as disabled checkboxes: keep exactly that.
        s.AllowedTags.Add("input");
        s.AllowedAttributes.Add("type");
        s.AllowedAttributes.Add("checked");
        s.AllowedAttributes.Add("disabled");
        s.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "INPUT" } input)
            {
                if (input.GetAttribute("type") != "checkbox") input.Remove();
                else input.SetAttribute("disabled", "disabled");
            }
        };
        return s;
    }
}
