using System.Text;
using Forge.Tests.Support;
using Forge.Web.Rendering;
using Xunit;

namespace Forge.Tests.Rendering;

public sealed class NotebookRendererTests
{
    private static readonly MarkdownRenderer Markdown = new();
    private static readonly SyntaxHighlighter Highlighter = new();
    private readonly NotebookRenderer _renderer = new(Markdown, Highlighter);
    private static readonly MarkdownContext Here = new("alice", "cours", "main", "tp");

    private RenderedNotebook Render(string json) => _renderer.Render(Encoding.UTF8.GetBytes(json), Here);

    [Fact]
    public void A_pupils_notebook_shows_markdown_code_a_plot_printed_text_and_the_error()
    {
        var notebook = Render(CourseMaterial.PlotNotebook());
        Assert.Null(notebook.Problem);
        var html = notebook.Html;
        Assert.Contains(">TP 3 : tracer une fonction</h1>", html);
        Assert.True(notebook.HasMath);
        Assert.Contains("<div class=\"prompt\">[1]:</div>", html);
        Assert.Contains("<span class=\"hl-k\">import</span>", html);
        Assert.Contains("<div class=\"output stdout\"><pre>points : 11", html);
        Assert.Contains($"<img alt=\"Figure produite par la cellule\" src=\"data:image/png;base64,{CourseMaterial.PlotPngBase64}\">", html);
        // The figure wins over its text/plain description.
        Assert.DoesNotContain("Figure size 640x480", html);
        Assert.Contains("[&lt;matplotlib.lines.Line2D at 0x7f&gt;]", html);
        Assert.Contains("<div class=\"output error\"><pre>", html);
        Assert.Contains("ZeroDivisionError: division by zero", html);
        Assert.Contains("----&gt; 1 1 / 0", html);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        Assert.DoesNotContain("[0;31m", html);
    }

    [Fact]
    public void Html_outputs_keep_their_tables_and_lose_their_styles()
    {
        var json = CourseMaterial.Notebook(CourseMaterial.Code(4, ["df"], new
        {
            output_type = "execute_result", execution_count = 4, metadata = new { },
            data = new Dictionary<string, object>
            {
                ["text/html"] = new[] { "<style scoped>.dataframe { color: red }</style>\n", "<table class=\"dataframe\"><tr><th>nom</th></tr><tr><td>Zoé</td></tr></table>" },
                ["text/plain"] = "   nom\n0  Zoé",
            },
        }));
        var html = Render(json).Html;
        Assert.Contains("<table class=\"dataframe\">", html);
        Assert.Contains("<td>Zoé</td>", html);
        Assert.DoesNotContain("<style", html);
    }

    [Fact]
    public void Markdown_outputs_latex_outputs_and_raw_cells_are_shown()
    {
        var json = CourseMaterial.Notebook(
            CourseMaterial.Code(null, ["display(Markdown('**gras**'))"],
                new { output_type = "display_data", metadata = new { }, data = new Dictionary<string, object> { ["text/markdown"] = "**gras**" } },
                new { output_type = "display_data", metadata = new { }, data = new Dictionary<string, object> { ["text/latex"] = "$$x^2$$" } }),
            new { cell_type = "raw", metadata = new { }, source = "<b>brut</b>" });
        var html = Render(json).Html;
        Assert.Contains("<div class=\"prompt\">[ ]:</div>", html);
        Assert.Contains("<strong>gras</strong>", html);
        Assert.Contains("<div class=\"math\">$$x^2$$</div>", html);
        Assert.Contains("<pre>&lt;b&gt;brut&lt;/b&gt;</pre>", html);
    }

    [Fact]
    public void The_language_of_the_notebook_chooses_the_highlighter_and_python_is_the_default()
    {
        var noMetadata = Render("{\"nbformat\":4,\"cells\":[{\"cell_type\":\"code\",\"source\":\"def f(): pass\",\"outputs\":[]}]}").Html;
        Assert.Contains("<span class=\"hl-k\">def</span>", noMetadata);
    }

    [Fact]
    public void A_hostile_notebook_is_rendered_inert()
    {
        var json = CourseMaterial.Notebook(
            CourseMaterial.Markdown("<script>alert(1)</script>\n", "[clic](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=)\n", "<img src=x onerror=alert(2)>\n", "<iframe src=\"https://evil.example\"></iframe>"),
            CourseMaterial.Code(1, ["x"],
                new
                {
                    output_type = "display_data", metadata = new { },
                    data = new Dictionary<string, object>
                    {
                        ["text/html"] = "<script>alert(3)</script><a href=\"javascript:alert(4)\" onclick=\"alert(5)\">x</a><iframe srcdoc=\"<script>alert(6)</script>\"></iframe>"
                            + "<div style=\"width:expression(alert(7))\">y</div><svg><script>alert(8)</script><rect onmouseover=\"alert(9)\"/></svg><form action=\"/user/logout\"><button>z</button></form>"
                            + "<a href=\"data:text/html,<script>alert(10)</script>\">d</a><object data=\"x\"></object><link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
                    },
                },
                new { output_type = "display_data", metadata = new { }, data = new Dictionary<string, object> { ["image/svg+xml"] = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(11)\"><script>alert(12)</script></svg>" } },
                new { output_type = "display_data", metadata = new { }, data = new Dictionary<string, object> { ["image/png"] = "\"><script>alert(13)</script>" } },
                new { output_type = "stream", name = "stdout", text = "<script>alert(14)</script>" },
                new { output_type = "error", ename = "E", evalue = "v", traceback = new[] { "<img src=x onerror=alert(15)>" } }),
            new { cell_type = "code\"><script>", source = "x", outputs = Array.Empty<object>() });
        var notebook = Render(json);
        // The unknown cell type makes the notebook invalid: shown as highlighted JSON, still inert.
        Assert.NotNull(notebook.Problem);
        Assert.All(System.Text.RegularExpressions.Regex.Matches(notebook.Html, "<([a-z]+)").Select(m => m.Groups[1].Value),
            tag => Assert.Contains(tag, new[] { "pre", "code", "span", "a" }));

        var valid = Render(json.Replace("code\\u0022\\u003E\\u003Cscript\\u003E", "raw", StringComparison.Ordinal));
        Assert.Null(valid.Problem);
        AssertInert(valid.Html);
        // The SVG travels only inside a data: URI of an <img>, where its script never runs.
        Assert.Contains("<img alt=\"Figure produite par la cellule\" src=\"data:image/svg+xml;base64,", valid.Html);
    }

    /// <summary>Parses the HTML as a browser would and looks for anything that could run or restyle the page.</summary>
    private static void AssertInert(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + html + "</body>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, new[] { "script", "iframe", "object", "embed", "form", "link", "style", "svg", "meta", "base", "button", "input" });
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.LocalName} has {attribute.Name}");
                Assert.NotEqual("style", attribute.Name);
                Assert.NotEqual("srcdoc", attribute.Name);
                if (attribute.Name is "href" or "src" or "action" or "formaction" or "xlink:href")
                {
                    var url = attribute.Value.Trim();
                    var isImageData = element.LocalName == "img" && attribute.Name == "src" && url.StartsWith("data:image/", StringComparison.Ordinal);
                    Assert.True(isImageData || !url.Contains(':') || url.StartsWith("https:", StringComparison.Ordinal) || url.StartsWith("http:", StringComparison.Ordinal),
                        $"{element.LocalName} {attribute.Name}={url}");
                }
            }
        }
    }

    [Theory]
    [InlineData("{\"cells\": [", "le JSON est incomplet")]
    [InlineData("{\"cells\": [}", "pas du JSON valide (ligne 1")]
    [InlineData("[1, 2]", "pas un objet JSON")]
    [InlineData("{\"nbformat\": 4}", "(« cells ») est absente")]
    [InlineData("{\"nbformat\": 3, \"worksheets\": []}", "nbformat 3")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"image\"}]}", "la cellule 1 a un type inconnu (« image »)")]
    public void An_invalid_notebook_is_explained_in_french_and_shown_as_json(string json, string explanation)
    {
        var notebook = Render(json);
        Assert.NotNull(notebook.Problem);
        Assert.Contains(explanation, notebook.Problem);
        Assert.StartsWith("<pre class=\"code\"><code><span id=\"L1\">", notebook.Html);
    }

    [Fact]
    public void Absurd_nesting_and_too_many_cells_are_refused_without_crashing()
    {
        var deep = Render(new string('[', 10_000) + new string(']', 10_000));
        Assert.Contains("imbriqué sur plus de 64 niveaux", deep.Problem);
        var many = CourseMaterial.Notebook(Enumerable.Range(0, NotebookRenderer.MaxCells + 1).Select(_ => CourseMaterial.Markdown("x")).ToArray());
        Assert.Contains("au-delà de la limite", Render(many).Problem);
        Assert.Contains("au-delà de 20 Mo", NotebookRenderer.TooBig(25L * 1024 * 1024).Problem);
    }
}
