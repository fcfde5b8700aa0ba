using Ganss.Xss;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Forge.Web.Rendering;

/// <summary>Where a Markdown file lives, so its relative links and images can point inside the repository.</summary>
public sealed record MarkdownContext(string Owner, string Repo, string Ref, string Directory);

/// <summary>
/// Renders untrusted Markdown: one Markdig pipeline built once (no generic attributes), relative links rewritten
/// against the repository and ref, and the HTML passed through an allow-list sanitiser.
/// </summary>
public sealed class MarkdownRenderer
{
    private const int MaxInputChars = 1_000_000;

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
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
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string markdown, MarkdownContext? context)
    {
        if (markdown.Length > MaxInputChars) markdown = markdown[..MaxInputChars];
        if (Forge.Core.Text.MarkdownGuard.IsTooDeep(markdown)) return "<pre>" + Html.Encode(markdown) + "</pre>";
        var document = Markdown.Parse(markdown, _pipeline);
        if (context is not null) RewriteLinks(document, context);
        var html = document.ToHtml(_pipeline);
        return _sanitizer.Sanitize(html);
    }

    private static void RewriteLinks(MarkdownDocument document, MarkdownContext context)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is not { Length: > 0 } url || !IsRelative(url)) continue;
            var (pathPart, suffix) = SplitSuffix(url);
            var target = Combine(context.Directory, Uri.UnescapeDataString(pathPart));
            if (target is null) continue;
            var kind = link.IsImage ? "raw" : pathPart.EndsWith('/') ? "tree" : "blob";
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
