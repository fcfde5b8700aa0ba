using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Markdig.Renderers.Html;
using Markdig.Extensions.Mathematics;

namespace Forge.Web.Rendering;

/// <summary>A heading of a rendered page, for its table of contents.</summary>
public sealed record TocEntry(int Level, string Id, string Text);

/// <summary>A Markdown page rendered for a course site (or a module): safe HTML, its first-level title, its table of contents.</summary>
public sealed record RenderedPage(string Html, string? Title, IReadOnlyList<TocEntry> Toc)
{
    public bool HasMath => MarkdownRenderer.ContainsMath(Html);
    public bool HasDiagram => MarkdownRenderer.ContainsDiagram(Html);
    public bool HasExercise => Html.Contains("class=\"exercise\"", StringComparison.Ordinal);
}

/// <summary>Course pages (MkDocs Material): the common pipeline plus content tabs, highlighted code and exercises, and arithmatex's delimiters.</summary>
public sealed partial class MarkdownRenderer
{
    private readonly MarkdownPipeline _sitePipeline;

    public MarkdownRenderer() : this(new SyntaxHighlighter()) { }

    public MarkdownRenderer(SyntaxHighlighter highlighter) =>
        _sitePipeline = Extensions(new MarkdownPipelineBuilder()).Use<ContentTabsExtension>().Use(new SiteCodeBlockExtension(highlighter)).Build();

    /// <summary>Renders a course page; relative links go through <see cref="MarkdownContext.SiteLink"/>.</summary>
    public RenderedPage RenderPage(string markdown, MarkdownContext context)
    {
        if (markdown.Length > MaxInputChars) markdown = markdown[..MaxInputChars];
        markdown = Arithmatex(markdown);
        if (Forge.Core.Text.MarkdownGuard.IsTooDeep(markdown)) return new(TooDeep(markdown), null, []);
        var document = Markdown.Parse(markdown, _sitePipeline);
        KeepDollarsThatAreNotMaths(document, markdown);
        RewriteLinks(document, context);
        string? title = null;
        var toc = new List<TocEntry>();
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var text = PlainText(heading.Inline);
            if (heading.Level == 1) title ??= text;
            else if (heading.Level <= 3 && heading.GetAttributes().Id is { Length: > 0 } id) toc.Add(new(heading.Level, id, text));
        }
        return new(_sanitizer.Sanitize(document.ToHtml(_sitePipeline)), title, toc);
    }

    private static string PlainText(ContainerInline? inline)
    {
        var sb = new StringBuilder();
        if (inline is null) return "";
        foreach (var leaf in inline.Descendants<LeafInline>())
            sb.Append(leaf switch { LiteralInline l => l.Content.ToString(), CodeInline c => c.Content, MathInline m => m.Content.ToString(), _ => "" });
        return sb.ToString().Trim();
    }

    // `\(x\)` and `\[ … \]` (pymdownx.arithmatex) become `$x$` and `$$ … $$`, outside code.
    [GeneratedRegex(@"\\\((?<m>.+?)\\\)", RegexOptions.Singleline)]
    private static partial Regex InlineParenMaths();
    [GeneratedRegex(@"\\\[(?<m>.+?)\\\]", RegexOptions.Singleline)]
    private static partial Regex DisplayBracketMaths();

    /// <summary>Rewrites arithmatex's <c>\( \)</c> and <c>\[ \]</c> delimiters to Markdig's dollars, leaving fenced and inline code alone.</summary>
    public static string Arithmatex(string markdown)
    {
        if (!markdown.Contains('\\')) return markdown;
        return MarkdownProse.Rewrite(markdown, (prose, _) =>
        {
            // Inline code spans keep their backslashes: split on backticks, rewrite only the even parts.
            var parts = prose.Split('`');
            for (var i = 0; i < parts.Length; i += 2)
            {
                parts[i] = DisplayBracketMaths().Replace(parts[i], m => "$$" + m.Groups["m"].Value + "$$");
                parts[i] = InlineParenMaths().Replace(parts[i], m => "$" + m.Groups["m"].Value.Trim() + "$");
            }
            return string.Join('`', parts);
        });
    }
}
