using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher pushes a maths page and a pupil's notebook; a visitor reads them in a real browser, offline.</summary>
public sealed class CourseMaterialInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "maths-premiere");
        var work = _tmp.Sub("work");
        var ws = await Workspace.InitAsync(new GitClient(_tmp.Sub("home")), work, ("alice", token), "# Maths\n\nPas de formule ici.\n");
        await ws.CommitAsync("suites.md", CourseMaterial.MathsPage, "Cours sur les suites");
        await ws.CommitAsync("tp3.ipynb", CourseMaterial.PlotNotebook(), "TP 3");
        await ws.MustAsync("push", "-q", _server.Url("/alice/maths-premiere.git"), "main");
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
    public async Task Maths_are_typeset_by_katex_without_any_csp_violation_and_the_notebook_shows_its_plot()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        var foreign = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(_server.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) foreign.Add(r.Url); };

        await page.GotoAsync("/alice/maths-premiere/blob/main/suites.md");
        await Assertions.Expect(page.Locator(".markdown .katex").First).ToBeVisibleAsync();
        Assert.True(await page.Locator(".markdown span.math.math-rendered").CountAsync() >= 5);
        Assert.Equal(1, await page.Locator(".markdown div.math.math-rendered .katex-display").CountAsync());
        await Assertions.Expect(page.GetByText("Définition", new() { Exact = true })).ToBeVisibleAsync();
        // ??? is closed, ???+ is open.
        await Assertions.Expect(page.Locator("details.admonition.tip")).Not.ToHaveAttributeAsync("open", "");
        await Assertions.Expect(page.Locator("details.admonition.example")).ToHaveAttributeAsync("open", "");
        // KaTeX's fonts loaded (from /assets, nothing from the internet).
        var fontsLoaded = await page.EvaluateAsync<bool>("async () => { await document.fonts.ready; return [...document.fonts].some(f => f.family.includes('KaTeX') && f.status === 'loaded'); }");
        Assert.True(fontsLoaded);

        // A page without maths does not load KaTeX at all.
        await page.GotoAsync("/alice/maths-premiere");
        Assert.Equal(0, await page.Locator("script[src*='katex']").CountAsync());

        await page.GotoAsync("/alice/maths-premiere/blob/main/tp3.ipynb");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "TP 3 : tracer une fonction" })).ToBeVisibleAsync();
        var width = await page.Locator(".notebook .output.image img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1");
        Assert.Equal(8, width);
        await Assertions.Expect(page.Locator(".notebook .output.error")).ToContainTextAsync("ZeroDivisionError: division by zero");
        await Assertions.Expect(page.Locator(".notebook .katex").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Voir la source" }).ClickAsync();
        await Assertions.Expect(page.Locator("#L1")).ToBeVisibleAsync(); // the JSON, with numbered lines
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Voir le rendu" })).ToBeVisibleAsync();

        Assert.Empty(problems);
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task Without_javascript_the_tex_source_stays_readable()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), JavaScriptEnabled = false, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/alice/maths-premiere/blob/main/suites.md");
        await Assertions.Expect(page.Locator(".markdown span.math").First).ToHaveTextAsync("\\((u_n)\\)");
        Assert.Equal(0, await page.Locator(".katex").CountAsync());
        await context.DisposeAsync();
    }

    [Fact]
    public async Task Vendored_assets_are_fingerprinted_and_cached_for_a_year()
    {
        using var http = _server.Client();
        var html = await http.GetStringAsync("/alice/maths-premiere/blob/main/suites.md");
        var url = System.Text.RegularExpressions.Regex.Match(html, "/assets/vendor/katex/katex.min.js\\?v=[0-9a-f]{12}").Value;
        Assert.NotEmpty(url);
        var response = await http.GetAsync(url);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var font = await http.GetAsync("/assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2");
        Assert.Equal(System.Net.HttpStatusCode.OK, font.StatusCode);
        Assert.Equal("public, max-age=2592000", font.Headers.CacheControl?.ToString());
    }
}
