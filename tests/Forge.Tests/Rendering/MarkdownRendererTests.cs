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
        Assert.Contains("src=\"/alice/cours/raw/main/chapitres/tris/img/arbre%20binaire.png\"", html);
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
}
