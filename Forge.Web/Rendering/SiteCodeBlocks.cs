using System.Text;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Forge.Web.Rendering;

/// <summary>
/// Fenced code as course sites write it (pymdownx.highlight): highlighted by <see cref="SyntaxHighlighter"/>,
/// <c>linenums="1"</c> numbers the lines, <c>hl_lines="2 4-5"</c> marks some. A Python block marked as an exercise
/// (<c>```python exercice</c> or <c>```{ .python .exercice }</c>) becomes an editor the pupil runs in the page
/// (<c>site.js</c>, Pyodide); a <c>```python tests</c> block right after it holds the tests the pupil may run.
/// </summary>
public sealed class SiteCodeBlockExtension(SyntaxHighlighter highlighter) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline) { }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html || html.ObjectRenderers.Contains<SiteCodeBlockRenderer>()) return;
        var fallback = html.ObjectRenderers.FindExact<CodeBlockRenderer>();
        html.ObjectRenderers.Insert(0, new SiteCodeBlockRenderer(highlighter, fallback ?? new CodeBlockRenderer()));
    }
}

/// <summary>What the info string of a fenced block says: language, exercise or tests, line numbers, marked lines.</summary>
public sealed record CodeFence(string Language, bool Exercise, bool Tests, bool LineNumbers, IReadOnlySet<int> Marked)
{
    public static CodeFence Parse(string? info, string? arguments)
    {
        var text = ((info ?? "") + " " + (arguments ?? "")).Trim();
        if (text.StartsWith('{')) text = text.Trim('{', '}', ' ');
        string? language = null;
        var exercise = false; var tests = false; var numbers = false;
        var marked = new HashSet<int>();
        foreach (var token in Tokens(text))
        {
            var word = token.TrimStart('.');
            var eq = word.IndexOf('=');
            if (eq > 0)
            {
                var (key, value) = (word[..eq], word[(eq + 1)..].Trim('"', '\''));
                if (key == "linenums") numbers = true;
                else if (key == "hl_lines") MarkLines(value, marked);
                continue;
            }
            if (word is "exercice" or "exercise" or "ide") exercise = true;
            else if (word is "tests" or "test") tests = true;
            else language ??= word.ToLowerInvariant();
        }
        return new(language ?? "", exercise, tests && !exercise, numbers, marked);
    }

    /// <summary>Words of the info string; quoted values keep their spaces (<c>hl_lines="2 3"</c>).</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var current = new StringBuilder();
        var quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0') { current.Append(c); if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') { quote = c; current.Append(c); continue; }
            if (char.IsWhiteSpace(c)) { if (current.Length > 0) yield return current.ToString(); current.Clear(); continue; }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static void MarkLines(string value, HashSet<int> marked)
    {
        foreach (var part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0) { if (int.TryParse(part, out var n)) marked.Add(n); }
            else if (int.TryParse(part[..dash], out var a) && int.TryParse(part[(dash + 1)..], out var b) && b >= a && b - a < 10_000)
                for (var i = a; i <= b; i++) marked.Add(i);
        }
    }
}

public sealed class SiteCodeBlockRenderer(SyntaxHighlighter highlighter, CodeBlockRenderer fallback) : HtmlObjectRenderer<CodeBlock>
{
    private const string Consumed = "forge-consumed";

    private static readonly Dictionary<string, string> FileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = "x.py", ["py"] = "x.py", ["pycon"] = "x.py", ["js"] = "x.js", ["javascript"] = "x.js", ["html"] = "x.html",
        ["css"] = "x.css", ["sql"] = "x.sql", ["c"] = "x.c", ["java"] = "x.java", ["json"] = "x.json", ["yaml"] = "x.yaml",
        ["yml"] = "x.yaml", ["bash"] = "x.sh", ["sh"] = "x.sh", ["shell"] = "x.sh", ["markdown"] = "x.md", ["md"] = "x.md",
        ["ts"] = "x.ts", ["typescript"] = "x.ts", ["cpp"] = "x.cpp", ["xml"] = "x.xml",
    };

    protected override void Write(HtmlRenderer renderer, CodeBlock block)
    {
        if (block.GetData(Consumed) is true) return;
        // Display maths ($$ … $$) is a fenced block to Markdig: its own renderer writes it.
        if (block is Markdig.Extensions.Mathematics.MathBlock
            && renderer.ObjectRenderers.FindExact<Markdig.Extensions.Mathematics.HtmlMathBlockRenderer>() is { } maths)
        {
            maths.Write(renderer, block);
            return;
        }
        if (block is not FencedCodeBlock fenced) { fallback.Write(renderer, block); return; }
        var fence = CodeFence.Parse(fenced.Info, fenced.Arguments);
        // Diagrams keep Markdig's form: the page finds them by it (MarkdownRenderer.ContainsDiagram).
        if (fence.Language is "mermaid" or "math" || fence.Language.Length == 0 && !fence.LineNumbers) { fallback.Write(renderer, block); return; }
        var code = fenced.Lines.ToString();
        renderer.EnsureLine();
        if (fence.Exercise)
        {
            WriteExercise(renderer, fenced, fence, code);
            return;
        }
        WriteHighlighted(renderer, fence, code, fence.Tests ? "highlight exercise-tests-alone" : "highlight");
    }

    private void WriteExercise(HtmlRenderer renderer, FencedCodeBlock block, CodeFence fence, string code)
    {
        var tests = NextTests(block);
        renderer.WriteLine("<div class=\"exercise\">");
        renderer.WriteLine("<p class=\"exercise-label\"><strong>Exercice</strong> — à compléter puis lancer dans la page (Python).</p>");
        renderer.Write("<pre class=\"exercise-code\"><code class=\"language-").WriteEscape(fence.Language).Write("\">").WriteEscape(code).WriteLine("</code></pre>");
        if (tests is not null)
        {
            tests.SetData(Consumed, true);
            renderer.WriteLine("<p class=\"exercise-tests-label\">Tests :</p>");
            renderer.Write("<pre class=\"exercise-tests\"><code class=\"language-python\">").WriteEscape(tests.Lines.ToString()).WriteLine("</code></pre>");
        }
        renderer.WriteLine("<p class=\"exercise-nojs\">Sans JavaScript, le code ne peut pas s’exécuter dans la page : copiez-le dans votre éditeur Python.</p>");
        renderer.WriteLine("</div>");
    }

    /// <summary>The <c>```python tests</c> block right after an exercise, if any.</summary>
    private static FencedCodeBlock? NextTests(FencedCodeBlock block)
    {
        var parent = block.Parent;
        if (parent is null) return null;
        var index = parent.IndexOf(block);
        return index + 1 < parent.Count && parent[index + 1] is FencedCodeBlock next && CodeFence.Parse(next.Info, next.Arguments).Tests ? next : null;
    }

    private void WriteHighlighted(HtmlRenderer renderer, CodeFence fence, string code, string cssClass)
    {
        var lines = FileNames.TryGetValue(fence.Language, out var file) ? highlighter.Highlight(file, code)
            : SyntaxHighlighter.SplitLines(code).Select(Html.Encode).ToList();
        renderer.Write("<pre class=\"").Write(cssClass).Write(fence.LineNumbers ? " linenums" : "").Write("\"><code class=\"language-")
            .WriteEscape(fence.Language).Write("\">");
        for (var i = 0; i < lines.Count; i++)
        {
            var mark = fence.Marked.Contains(i + 1);
            if (fence.LineNumbers || mark) renderer.Write(mark ? "<span class=\"line hll\">" : "<span class=\"line\">").Write(lines[i]).Write("</span>");
            else renderer.Write(lines[i]);
            renderer.Write('\n');
        }
        renderer.WriteLine("</code></pre>");
    }
}
