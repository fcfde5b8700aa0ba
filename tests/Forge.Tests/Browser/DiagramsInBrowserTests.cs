using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher's page holds Mermaid diagrams: a reader sees them drawn, offline, and always keeps their source.</summary>
public sealed class DiagramsInBrowserTests : IAsyncLifetime
{
    private const string Page = """
        # Algorithmes de tri

        Le tri par sélection, pas à pas :

        ```mermaid
        flowchart TD
          accTitle: Tri par sélection
          accDescr: Chercher le minimum, l’échanger avec le premier élément, recommencer sur le reste.
          A[Liste à trier] --> B{Reste-t-il des éléments ?}
          B -- oui --> C[Chercher le minimum]
          C --> D[L’échanger avec le premier]
          D --> B
          B -- non --> E[Liste triée]
        ```

        Un échange entre le navigateur et le serveur :

        ```mermaid
        sequenceDiagram
          Navigateur->>Serveur: GET /index.html
          Serveur-->>Navigateur: 200 OK
        ```

        Un diagramme mal écrit :

        ```mermaid
        flowchart TD
          A --> (((
        ```
        """;

    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "nsi-tris");
        var ws = await Workspace.InitAsync(new GitClient(_tmp.Sub("home")), _tmp.Sub("work"), ("alice", token), "# Tris\n\nSans diagramme.\n");
        await ws.CommitAsync("tris.md", Page, "Cours sur les tris");
        await ws.MustAsync("push", "-q", _server.Url("/alice/nsi-tris.git"), "main");
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task Diagrams_are_drawn_as_images_without_any_csp_violation_and_a_broken_one_says_why()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add(m.Location + " " + m.Text[..Math.Min(60, m.Text.Length)]); };
        page.PageError += (_, e) => problems.Add(e);
        var foreign = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(_server.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) foreign.Add(r.Url); };

        await page.GotoAsync("/alice/nsi-tris/blob/main/tris.md");
        var images = page.Locator(".markdown figure.diagram img");
        // Diagrams are drawn as they come near the screen.
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await Assertions.Expect(images).ToHaveCountAsync(2);
        // The flowchart is named by its own accessible title and description.
        await Assertions.Expect(images.First).ToHaveAttributeAsync("alt",
            "Tri par sélection — Chercher le minimum, l’échanger avec le premier élément, recommencer sur le reste.");
        await Assertions.Expect(images.Nth(1)).ToHaveAttributeAsync("alt", "Diagramme (sa source suit)");
        foreach (var i in new[] { 0, 1 })
        {
            var size = await images.Nth(i).EvaluateAsync<int[]>("async img => { await img.decode(); return [img.naturalWidth, img.naturalHeight]; }");
            Assert.True(size[0] > 100 && size[1] > 50, $"diagram {i} drawn {size[0]}×{size[1]}");
        }
        // The labels are in the drawing, as text (not HTML that an image would not show).
        var svg = Uri.UnescapeDataString((await images.First.GetAttributeAsync("src"))!);
        Assert.Contains("Chercher le minimum", svg);
        Assert.DoesNotContain("foreignObject", svg);

        // The source stays one click away.
        var source = page.Locator("figure.diagram").First.GetByText("Source du diagramme");
        await source.ClickAsync();
        await Assertions.Expect(page.Locator("figure.diagram").First.Locator("code.language-mermaid")).ToContainTextAsync("flowchart TD");

        // The broken one keeps its source and says it could not be drawn.
        await Assertions.Expect(page.Locator(".diagram-error")).ToContainTextAsync("Ce diagramme n’a pas pu être dessiné");
        await Assertions.Expect(page.Locator(".markdown > pre > code.language-mermaid")).ToContainTextAsync("A --> (((");

        // A page without diagrams loads nothing of Mermaid.
        await page.GotoAsync("/alice/nsi-tris");
        Assert.Equal(0, await page.Locator("script[data-diagram-frame]").CountAsync());

        Assert.Empty(problems);
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task Without_javascript_the_diagram_source_stays_readable()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), JavaScriptEnabled = false, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/alice/nsi-tris/blob/main/tris.md");
        await Assertions.Expect(page.Locator(".markdown code.language-mermaid").First).ToContainTextAsync("A[Liste à trier] --> B{Reste-t-il des éléments ?}");
        Assert.Equal(0, await page.Locator("figure.diagram").CountAsync());
        await context.DisposeAsync();
    }

    [Fact]
    public async Task Only_the_drawing_frame_may_be_framed_and_style_itself()
    {
        using var http = _server.Client();
        var page = await http.GetAsync("/alice/nsi-tris/blob/main/tris.md");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("style-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single());
        var frame = await http.GetAsync("/assets/diagram-frame.html");
        var policy = frame.Content.Headers.TryGetValues("Content-Security-Policy", out var v) ? v.Single() : frame.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.Equal("SAMEORIGIN", frame.Headers.GetValues("X-Frame-Options").Single());
    }
}
