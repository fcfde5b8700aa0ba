using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>The same checks with the « République » theme.</summary>
public sealed class RepubliqueThemeAccessibilityTests : AccessibilityTests
{
    protected override string Theme => "republique";
}

/// <summary>axe-core (WCAG 2.1 A and AA rules) on the main pages, in light and dark mode, signed in and not.</summary>
public class AccessibilityTests : IAsyncLifetime
{
    protected virtual string Theme => "default";

    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _commit = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 1, "--theme", Theme);
        (_playwright, _browser) = await Chromium.LaunchAsync();
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "nsi-terminale", description: "Cours de NSI");
        var repo = new TestRepo(_tmp.Sub("work"));
        Courses.WriteNsiCourse(repo.Path);
        repo.Commit("Première version");
        repo.Write("chapitres/tris/insertion.py", "def tri_insertion(t):\n    return sorted(t)\n");
        _commit = repo.Commit("Version courte du tri");
        await new GitClient(_tmp.Sub("home")).MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/nsi-terminale.git"), "main");
        using var client = _server.Client();
        await Wait.UntilAsync(async () => (await client.GetStringAsync("/search?q=tri")).Contains("/alice/nsi-terminale"), "indexed");
        using var alice = _server.Client(token);
        (await alice.PostAsync("/api/v1/repos/alice/nsi-terminale/labels", System.Net.Http.Json.JsonContent.Create(new { name = "exercice", color = "jaune" }))).EnsureSuccessStatusCode();
        (await alice.PostAsync("/api/v1/repos/alice/nsi-terminale/issues", System.Net.Http.Json.JsonContent.Create(
            new { title = "Corrigé du tri", body = $"Voir {_commit[..8]} et `code`, cc @alice.\n\n- une liste", labels = new[] { 1 } }))).EnsureSuccessStatusCode();
        // A class with an assignment Alice accepted herself: its pages have a row and a feedback page.
        (await alice.PostAsync("/api/v1/orgs", System.Net.Http.Json.JsonContent.Create(new { username = "lycee", visibility = "private" }))).EnsureSuccessStatusCode();
        var room = await (await alice.PostAsync("/api/v1/classes", System.Net.Http.Json.JsonContent.Create(new { group = "lycee", name = "terminale" })))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        (await alice.PostAsync($"/api/v1/classes/{room.GetProperty("id")}/assignments", System.Net.Http.Json.JsonContent.Create(
            new { title = "Tri", template = "alice/nsi-terminale", instructions = "Complétez **insertion.py**." }))).EnsureSuccessStatusCode();
        (await alice.PostAsync("/api/v1/assignments/1/accept", null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static readonly string[] Anonymous =
    [
        "/", "/search?q=tri", "/search?q=tri&grade=tle", "/search?q=introuvable", "/search/code?q=tri_insertion", "/explore", "/explore/nsi", "/user/login", "/user/sign_up", "/alice", "/alice/nsi-terminale", "/alice/nsi-terminale/tree/main/chapitres/tris",
        "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py", "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.md",
        "/alice/nsi-terminale/commits/main", "/alice/nsi-terminale/branches", "/alice/nsi-terminale/tags", "/alice/nsi-terminale/error-page-404",
        "/user/language", "/alice/nsi-terminale/licences", "/alice/nsi-terminale/reviews",
        "/alice/nsi-terminale/issues", "/alice/nsi-terminale/issues/1", "/alice/nsi-terminale/labels",
    ];

    private static readonly string[] SignedIn =
    [
        "/", "/repo/create", "/user/settings/applications", "/alice/nsi-terminale", "/alice/nsi-terminale/edit/main/README.md",
        "/alice/nsi-terminale/new/main", "/alice/nsi-terminale/upload/main", "/alice/nsi-terminale/settings",
        "/alice/nsi-terminale/describe", "/alice/nsi-terminale/privacy", "/alice/nsi-terminale/licences", "/alice/nsi-terminale/reviews",
        "/alice/nsi-terminale/issues", "/alice/nsi-terminale/issues/1", "/alice/nsi-terminale/issues/new", "/alice/nsi-terminale/labels", "/notifications",
        "/classes/new", "/classes/join", "/terminale/-/class", "/terminale/-/pupils", "/terminale/-/assignments/new", "/terminale/-/assignments/1",
        "/terminale/-/assignments/1/students/alice",
    ];

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Main_pages_have_no_WCAG_2_1_AA_violation(ColorScheme scheme)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), ColorScheme = scheme, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var path in Anonymous.Append($"/alice/nsi-terminale/commit/{_commit}").Append($"/alice/nsi-terminale/blame/main/README.md"))
            problems.AddRange(await CheckAsync(page, path));

        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("alice");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        foreach (var path in SignedIn) problems.AddRange(await CheckAsync(page, path));
        // A form with errors, as a user who made a mistake sees it.
        await page.GotoAsync("/repo/create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        problems.AddRange(await CheckAsync(page, null));

        Assert.Contains($"/assets/site.css?v=", await page.ContentAsync());
        Assert.Equal(Theme == "republique", (await page.ContentAsync()).Contains("/assets/theme.css?v="));
        Assert.True(problems.Count == 0, $"theme {Theme}, {scheme}:\n" + string.Join("\n", problems));
        await context.CloseAsync();
    }

    [Fact]
    public async Task English_pages_have_no_WCAG_2_1_AA_violation_and_say_they_are_English()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "en-GB" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var path in new[] { "/", "/alice/nsi-terminale", "/alice/nsi-terminale/tree/main/chapitres/tris", "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py", "/search?q=tri", "/user/language" })
        {
            problems.AddRange(await CheckAsync(page, path));
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToHaveCountAsync(1);
        Assert.True(problems.Count == 0, $"theme {Theme}, English:\n" + string.Join("\n", problems));
        await context.CloseAsync();
    }

    internal static async Task<IEnumerable<string>> CheckAsync(IPage page, string? path)
    {
        if (path is not null) await page.GotoAsync(path);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return result.Violations.Select(v =>
            $"{path ?? page.Url}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}");
    }
}
