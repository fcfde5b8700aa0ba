using System.Text.RegularExpressions;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Forge.Web.Rendering;

/// <summary>
/// MkDocs Material admonitions as teachers write them: <c>!!! note "Titre"</c> (a box), <c>??? tip</c> (closed
/// <c>&lt;details&gt;</c>) and <c>???+ tip</c> (open), the content indented by four spaces below.
/// </summary>
public sealed class AdmonitionExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<AdmonitionParser>()) pipeline.BlockParsers.Insert(0, new AdmonitionParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<AdmonitionRenderer>()) html.ObjectRenderers.Insert(0, new AdmonitionRenderer());
    }
}

public sealed class AdmonitionBlock(BlockParser parser) : ContainerBlock(parser)
{
    public string Kind { get; init; } = "note";
    public string? Title { get; init; }
    public bool Collapsible { get; init; }
    public bool Open { get; init; }
}

/// <summary>A block opened by a marker line whose content is indented by four spaces below it (admonitions, content tabs).</summary>
public abstract class IndentedContainerParser : BlockParser
{
    private const int ContentIndent = 4;

    public override BlockState TryContinue(BlockProcessor processor, Block block)
    {
        // Blank lines stay inside: a paragraph break within the block; the first unindented line closes it.
        if (processor.IsBlankLine) return BlockState.Continue;
        if (processor.Indent < ContentIndent) return BlockState.Break;
        processor.GoToColumn(processor.ColumnBeforeIndent + ContentIndent);
        block.UpdateSpanEnd(processor.Line.End);
        return BlockState.Continue;
    }
}

public sealed partial class AdmonitionParser : IndentedContainerParser
{

    // `!!! note`, `??? tip "Titre"`, `???+ danger inline end ""` — the kind first, extra class words ignored.
    [GeneratedRegex("""^(?<mark>!!!|\?\?\?\+?)[ \t]+(?<kind>[A-Za-z][A-Za-z0-9_-]{0,30})(?:[ \t]+[A-Za-z][A-Za-z0-9_-]{0,30})*(?:[ \t]+"(?<title>[^"]*)")?[ \t]*$""")]
    private static partial Regex Opening();

    public AdmonitionParser() => OpeningCharacters = ['!', '?'];

    public override BlockState TryOpen(BlockProcessor processor)
    {
        if (processor.IsCodeIndent) return BlockState.None;
        var match = Opening().Match(processor.Line.ToString());
        if (!match.Success) return BlockState.None;
        var mark = match.Groups["mark"].Value;
        var title = match.Groups["title"];
        processor.NewBlocks.Push(new AdmonitionBlock(this)
        {
            Kind = match.Groups["kind"].Value.ToLowerInvariant(),
            Title = title.Success ? title.Value.Trim() : null,
            Collapsible = mark[0] == '?',
            Open = mark == "???+",
            Column = processor.Column,
            Span = new SourceSpan(processor.Start, processor.Line.End),
            Line = processor.LineIndex,
        });
        return BlockState.ContinueDiscard;
    }
}

public sealed class AdmonitionRenderer : HtmlObjectRenderer<AdmonitionBlock>
{
    private static readonly Dictionary<string, string> FrenchTitles = new(StringComparer.Ordinal)
    {
        ["note"] = "Note", ["abstract"] = "Résumé", ["summary"] = "Résumé", ["tldr"] = "Résumé",
        ["info"] = "Information", ["todo"] = "À faire", ["tip"] = "Astuce", ["hint"] = "Astuce", ["important"] = "Important",
        ["success"] = "Réussite", ["check"] = "Réussite", ["done"] = "Fait", ["question"] = "Question", ["help"] = "Aide",
        ["faq"] = "Question fréquente", ["warning"] = "Attention", ["caution"] = "Prudence", ["attention"] = "Attention",
        ["failure"] = "Échec", ["fail"] = "Échec", ["missing"] = "Manquant", ["danger"] = "Danger", ["error"] = "Erreur",
        ["bug"] = "Bogue", ["example"] = "Exemple", ["quote"] = "Citation", ["cite"] = "Citation",
    };

    protected override void Write(HtmlRenderer renderer, AdmonitionBlock block)
    {
        var title = block.Title ?? (FrenchTitles.TryGetValue(block.Kind, out var french) ? french : char.ToUpperInvariant(block.Kind[0]) + block.Kind[1..]);
        renderer.EnsureLine();
        if (block.Collapsible)
        {
            renderer.Write("<details class=\"admonition ").Write(block.Kind).Write('"').Write(block.Open ? " open>" : ">");
            // An empty title still needs a summary: the <details> could not be opened without one.
            renderer.Write("<summary>").WriteEscape(title.Length > 0 ? title : "Détails").WriteLine("</summary>");
            renderer.WriteChildren(block);
            renderer.WriteLine("</details>");
        }
        else
        {
            renderer.Write("<div class=\"admonition ").Write(block.Kind).WriteLine("\">");
            if (title.Length > 0) renderer.Write("<p class=\"admonition-title\">").WriteEscape(title).WriteLine("</p>");
            renderer.WriteChildren(block);
            renderer.WriteLine("</div>");
        }
    }
}
