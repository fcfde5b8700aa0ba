using Forge.Tests.Browser;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Sites;

/// <summary>
/// A pupil on a course site, in Chromium, offline (every request that is not to Forge on 127.0.0.1 is refused): content
/// tabs work with the keyboard, an exercise runs in the page with Pyodide served by Forge, its tests fail then pass;
/// pages pass axe-core (WCAG 2.1 AA) in light and dark schemes; bytes measured.
/// </summary>
public sealed class SiteInBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static Task<List<string>> AxeAsync(IPage page) => Axe.ViolationsAsync(page);

    [Fact]
    public async Task A_pupil_runs_an_exercise_and_its_tests_in_the_page_offline()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours");
        var work = new TestRepo(_tmp.Sub("cours"));
        work.Write("mkdocs.yml", CourseSiteTests.MkDocs)
            .Write("docs/index.md", "# Bienvenue\n")
            .Write("docs/chap1/cours.md", CourseSiteTests.CoursePage)
            .Write("docs/chap1/tp.ipynb", CourseMaterial.PlotNotebook())
            .Write("docs/chap1/exercice.md", CourseSiteTests.ExercisePage)
            .Write("docs/chap1/exo.py", CourseSiteTests.ExoPy)
            .Commit("Cours");
        await new GitClient(_tmp.Sub("home")).MustAsync(work.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var http = _server.Client();
        await Wait.UntilAsync(async () => (await http.GetStringAsync("/alice/cours/site/-/builds")).Contains("réussie"), "the site is built", 90);

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var outside = new List<string>();
        var local = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(local, StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                outside.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); output.WriteLine("console: " + m.Text); } };
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        long bytes = 0;
        page.Response += (_, r) => { if (r.Headers.TryGetValue("content-length", out var l) && long.TryParse(l, out var n)) bytes += n; };

        // Content tabs: a tab list, operated with the keyboard.
        await page.GotoAsync("/alice/cours/site/chap1/cours/");
        var pageBytes = bytes;
        var python = page.GetByRole(AriaRole.Tab, new() { Name = "Python" });
        Assert.Equal("true", await python.GetAttributeAsync("aria-selected"));
        Assert.True(await page.GetByText("Retourner u0 + n × r.").IsHiddenAsync());
        await python.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal("true", await page.GetByRole(AriaRole.Tab, new() { Name = "Pseudo-code" }).GetAttributeAsync("aria-selected"));
        Assert.True(await page.GetByText("Retourner u0 + n × r.").IsVisibleAsync());
        var violations = await AxeAsync(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        violations.AddRange(await AxeAsync(page));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        output.WriteLine($"course page with maths and tabs: {pageBytes} bytes transferred (HTML, CSS, scripts, KaTeX)");

        // The exercise: the pupil's code fails the tests, then passes them.
        bytes = 0;
        await page.GotoAsync("/alice/cours/site/chap1/exercice/");
        var exercisePageBytes = bytes;
        violations.AddRange(await AxeAsync(page));
        var editor = page.GetByLabel("Votre code Python").First;
        Assert.Contains("def somme(a, b):", await editor.InputValueAsync());
        var first = page.Locator(".exercise").First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Lancer les tests" }).ClickAsync();
        var result = first.Locator(".exercise-output");
        await Assertions.Expect(result).ToContainTextAsync("Un test a échoué", new() { Timeout = 90_000 });
        await Assertions.Expect(result).ToContainTextAsync("AssertionError");
        var pyodideBytes = bytes - exercisePageBytes;

        await editor.FillAsync("def somme(a, b):\n    return a + b\n\nprint('somme :', somme(2, 3))");
        await first.GetByRole(AriaRole.Button, new() { Name = "Lancer", Exact = true }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("somme : 5", new() { Timeout = 30_000 });
        await first.GetByRole(AriaRole.Button, new() { Name = "Lancer les tests" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("Tous les tests sont passés", new() { Timeout = 30_000 });

        // The pyodide-mkdocs-theme exercise (IDE('exo')): its public test passes once completed.
        var second = page.Locator(".exercise").Nth(1);
        await second.GetByLabel("Votre code Python").FillAsync("def double(x):\n    return x + x");
        await second.GetByRole(AriaRole.Button, new() { Name = "Lancer les tests" }).ClickAsync();
        await Assertions.Expect(second.Locator(".exercise-output")).ToContainTextAsync("Tous les tests sont passés", new() { Timeout = 30_000 });

        output.WriteLine($"exercise page: {exercisePageBytes} bytes; Pyodide, loaded on the first run: {pyodideBytes} bytes");
        Assert.Empty(outside);
        Assert.Empty(violations);
        Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
