using Forge.Tests.Support;
using Forge.Web.Rendering;
using Xunit;

namespace Forge.Tests.Rendering;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();
    private static readonly MarkdownContext Here = new("alice", "cours", "main", "chapitres/tris");

    [Fact]
    public void Relative_links_and_images_point_inside_the_repository_at_the_same_ref()
    {
        var html = _renderer.Render("[suite](../graphes/parcours.md#bfs) ![figure](<img/arbre binaire.png>) [site](https://eduscol.education.fr)", Here);
        Assert.Contains("href=\"/alice/cours/blob/main/chapitres/graphes/parcours.md#bfs\"", html);
        Assert.Contains("src=\"/alice/cours/thumbnail/main/chapitres/tris/img/arbre%20binaire.png?w=1280\"", html);
        Assert.Contains("href=\"https://eduscol.education.fr\"", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("[clic](javascript:alert(1))", "javascript:")]
    [InlineData("<img src=x onerror=alert(1)>", "onerror")]
    [InlineData("<a href=\"#\" onclick=\"alert(1)\">x</a>", "onclick")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("<form action=\"/user/logout\"><button>x</button></form>", "<form")]
    [InlineData("<p style=\"background:url(javascript:alert(1))\">x</p>", "style=")]
    [InlineData("[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">x</a>", "vbscript:")]
    [InlineData("<svg><script>alert(1)</script></svg>", "<script")]
    [InlineData("<svg onload=\"alert(1)\"><circle r=\"5\"/></svg>", "onload")]
    [InlineData("<details open ontoggle=\"alert(1)\"><summary>x</summary></details>", "ontoggle")]
    [InlineData("<div style=\"width: expression(alert(1))\">x</div>", "expression")]
    [InlineData("<style>body { background: url(javascript:alert(1)) }</style>", "<style")]
    [InlineData("<object data=\"x.swf\"></object><embed src=\"x.swf\">", "<object")]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<meta")]
    [InlineData("!!! note \"<img src=x onerror=alert(1)>\"\n    texte", "<img")]
    [InlineData("??? tip \"<script>alert(1)</script>\"\n    texte", "<script")]
    [InlineData("!!! note\n    <a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("Titre {onclick=alert(1)}\n===", "onclick=\"")]
    public void Hostile_markdown_is_rendered_inert(string markdown, string forbidden) =>
        Assert.DoesNotContain(forbidden, _renderer.Render(markdown, Here), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Task_lists_keep_disabled_checkboxes_only()
    {
        var html = _renderer.Render("- [x] fait\n- [ ] à faire\n\n<input type=\"text\" name=\"q\">", Here);
        Assert.Equal(2, html.Split("type=\"checkbox\"").Length - 1);
        Assert.DoesNotContain("type=\"text\"", html);
    }

    [Fact]
    public void Pathological_nesting_is_shown_as_text_instead_of_overflowing_the_stack()
    {
        var html = _renderer.Render(new string('>', 100_000) + " x", Here);
        Assert.StartsWith("<pre>", html);
        var brackets = _renderer.Render(new string('[', 50_000) + "x" + new string(']', 50_000), Here);
        Assert.StartsWith("<pre>", brackets);
    }

    [Fact]
    public void Admonitions_render_as_titled_boxes_and_collapsible_details()
    {
        var html = _renderer.Render("!!! note \"Définition\"\n    Une **suite**.\n\n    Second paragraphe.\n\nAprès.\n\n??? tip\n    Indice\n\n???+ danger \"\"\n    Ouvert", Here);
        Assert.Contains("<div class=\"admonition note\">", html);
        Assert.Contains("<p class=\"admonition-title\">Définition</p>", html);
        Assert.Contains("<strong>suite</strong>", html);
        Assert.Contains("<p>Second paragraphe.</p>\n</div>", html);
        Assert.Contains("<p>Après.</p>", html);
        Assert.DoesNotContain("!!!", html);
        Assert.Contains("<details class=\"admonition tip\"><summary>Astuce</summary>", html);
        Assert.Contains("<details class=\"admonition danger\" open=\"\"><summary>Détails</summary>", html);
    }

    [Fact]
    public void Admonitions_nest_and_hold_code_and_lists()
    {
        var html = _renderer.Render("!!! example \"Exemple\"\n    - un\n    - deux\n\n    ```python\n    print(1)\n    ```\n\n    !!! note \"Dedans\"\n        Imbriqué", Here);
        Assert.Contains("<li>deux</li>", html);
        Assert.Contains("<code class=\"language-python\">print(1)", html);
        Assert.Contains("<div class=\"admonition note\">\n<p class=\"admonition-title\">Dedans</p>\n<p>Imbriqué</p>", html);
        Assert.Equal(2, html.Split("</div>").Length - 1);
    }

    [Fact]
    public void An_indented_exclamation_line_is_code_not_an_admonition()
    {
        var html = _renderer.Render("Texte\n\n    !!! note\n", Here);
        Assert.Contains("<pre><code>!!! note", html);
    }

    [Fact]
    public void Emoji_shortcodes_become_emoji_but_smileys_stay_text()
    {
        var html = _renderer.Render("Bravo :smile: :warning: et un sourire :-)", Here);
        Assert.Contains("😄", html);
        Assert.Contains("⚠", html);
        Assert.Contains(":-)", html);
    }

    [Fact]
    public void Mathematics_keep_their_tex_source_in_math_elements_for_katex()
    {
        var html = _renderer.Render("Soit $x^2 < 1$ et\n\n$$\n\\frac{a}{b}\n$$\n\nPrix : 5 $ et 10 $.", Here);
        Assert.Contains("<span class=\"math\">\\(x^2 &lt; 1\\)</span>", html);
        Assert.Contains("<div class=\"math\">", html);
        Assert.Contains("\\frac{a}{b}", html);
        Assert.Contains("5 $ et 10 $", html[html.IndexOf("Prix", StringComparison.Ordinal)..]);
        Assert.True(MarkdownRenderer.ContainsMath(html));
        Assert.False(MarkdownRenderer.ContainsMath(_renderer.Render("Pas de maths, 5 $.", Here)));
    }

    [Fact]
    public void Mermaid_blocks_stay_readable_source()
    {
        var html = _renderer.Render("```mermaid\ngraph TD\n  A --> B\n```", Here);
        Assert.Contains("<pre><code class=\"language-mermaid\">graph TD\n  A --&gt; B", html);
        // The page then loads the diagram script (see DiagramsInBrowserTests); other code blocks do not.
        Assert.True(MarkdownRenderer.ContainsDiagram(html));
        Assert.False(MarkdownRenderer.ContainsDiagram(_renderer.Render("```python\nprint('mermaid')\n```", Here)));
    }

    [Fact]
    public void A_teacher_page_with_maths_admonitions_tables_tasks_and_footnotes_renders_whole()
    {
        var html = _renderer.Render(CourseMaterial.MathsPage, Here);
        Assert.Contains("<h1 id=\"suites-numériques\">Suites numériques</h1>", html);
        Assert.Contains("<p class=\"admonition-title\">Définition</p>", html);
        Assert.Contains("<span class=\"math\">\\((u_n)\\)</span>", html);
        Assert.Contains("u_n = u_0 + n r", html);
        Assert.Contains("<p class=\"admonition-title\">Attention</p>", html);
        Assert.Contains("<details class=\"admonition tip\"><summary>Indice</summary>", html);
        Assert.Contains("<details class=\"admonition example\" open=\"\"><summary>Correction</summary>", html);
        Assert.Contains("\\frac{(n+1)(u_0 + u_n)}{2}", html);
        Assert.Contains("type=\"checkbox\"", html);
        Assert.Contains("<table>", html);
        Assert.Contains("class=\"footnotes\"", html);
        Assert.DoesNotContain("!!!", html);
        Assert.DoesNotContain("???", html);
    }

    [Fact]
    public void Deep_indentation_nesting_is_refused_but_long_rules_are_not()
    {
        var nested = string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 4 * i) + "!!! note\n"));
        Assert.StartsWith("<pre>", _renderer.Render(nested, Here));
        Assert.Contains("<hr", _renderer.Render("Texte\n\n" + new string('-', 120) + "\n\nSuite", Here));
    }
}
