using System.Text.RegularExpressions;
using Markdig;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Forge.Web.Rendering;

/// <summary>
/// MkDocs Material content tabs (<c>pymdownx.tabbed</c>): consecutive <c>=== "Python"</c> blocks, each with its content
/// indented by four spaces. Rendered so they work without JavaScript — every panel shown, under its label as a heading —
/// and <c>site.js</c> turns a set into an accessible tab list (<c>role="tablist"</c>, arrow keys).
/// </summary>
public sealed class ContentTabsExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<ContentTabParser>()) pipeline.BlockParsers.Insert(0, new ContentTabParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<ContentTabRenderer>()) html.ObjectRenderers.Insert(0, new ContentTabRenderer());
    }
}

public sealed class ContentTabBlock(BlockParser parser) : ContainerBlock(parser)
{
    public string Label { get; init; } = "";
}

public sealed partial class ContentTabParser : IndentedContainerParser
{

    // `=== "Python"`, `===! "Nouveau groupe"`, `===+ "Ouvert"`.
    [GeneratedRegex("""^===[!+]?[ \t]+"(?<label>[^"]{1,200})"[ \t]*$""")]
    private static partial Regex Opening();

    public ContentTabParser() => OpeningCharacters = ['='];

    public override BlockState TryOpen(BlockProcessor processor)
    {
        if (processor.IsCodeIndent) return BlockState.None;
        var match = Opening().Match(processor.Line.ToString());
        if (!match.Success) return BlockState.None;
        processor.NewBlocks.Push(new ContentTabBlock(this)
        {
            Label = match.Groups["label"].Value.Trim(),
            Column = processor.Column,
            Span = new SourceSpan(processor.Start, processor.Line.End),
            Line = processor.LineIndex,
        });
        return BlockState.ContinueDiscard;
    }
}

public sealed class ContentTabRenderer : HtmlObjectRenderer<ContentTabBlock>
{
    protected override void Write(HtmlRenderer renderer, ContentTabBlock block)
    {
        var siblings = block.Parent;
        var index = siblings?.IndexOf(block) ?? -1;
        var first = index <= 0 || siblings![index - 1] is not ContentTabBlock;
        var last = siblings is null || index + 1 >= siblings.Count || siblings[index + 1] is not ContentTabBlock;
        renderer.EnsureLine();
        if (first) renderer.WriteLine("<div class=\"tabbed-set\">");
        // A heading per panel: without JavaScript, the panels read one after the other, each under its label.
        renderer.WriteLine("<section class=\"tabbed-panel\">");
        var level = LevelBelowSectionOf(block);
        renderer.Write($"<h{level} class=\"tabbed-label\">").WriteEscape(block.Label).WriteLine($"</h{level}>");
        renderer.WriteChildren(block);
        renderer.WriteLine("</section>");
        if (last) renderer.WriteLine("</div>");
    }

    /// <summary>One level below the heading of the section the tabs are in (h2 at the top of a page), so headings stay in order.</summary>
    private static int LevelBelowSectionOf(Block block)
    {
        Block root = block;
        while (root.Parent is not null) root = root.Parent;
        var section = root is ContainerBlock container
            ? container.Descendants<HeadingBlock>().LastOrDefault(h => h.Line < block.Line)?.Level ?? 1 : 1;
        return Math.Min(6, section + 1);
    }
}
