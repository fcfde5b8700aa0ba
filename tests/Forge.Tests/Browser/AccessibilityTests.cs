using System.Net.Http.Json;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>The checks with the default theme.</summary>
public sealed class AccessibilityTests(AccessibilityTests.Site site) : AccessibilityChecks<AccessibilityTests.Site>(site)
{
    public sealed class Site : ThemedSite { public override string Theme => "default"; }

    internal static Task<List<string>> CheckAsync(IPage page, string? path) => Axe.ViolationsAsync(page, path);
}

/// <summary>The same checks with the « République » theme.</summary>
public sealed class RepubliqueThemeAccessibilityTests(RepubliqueThemeAccessibilityTests.Site site) : AccessibilityChecks<RepubliqueThemeAccessibilityTests.Site>(site)
{
    public sealed class Site : ThemedSite { public override string Theme => "republique"; }
}

/// <summary>One server per theme, shared by its tests: Alice's NSI course pushed with real git, indexed, with an issue.</summary>
public abstract class ThemedSite : IAsyncLifetime
{
    public abstract string Theme { get; }

    private readonly TempDir _tmp = new();
    private IPlaywright _playwright = null!;
    public ForgeServer Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string Commit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ForgeServer.StartAsync(_tmp.Sub("data"), 1, "--theme", Theme);
        (_playwright, Browser) = await Chromium.LaunchAsync();
        var (_, token) = await Server.CreateUserAsync("alice");
        await Server.CreateRepositoryAsync(token, "nsi-terminale", description: "Cours de NSI");
        var repo = new TestRepo(_tmp.Sub("work"));
        Courses.WriteNsiCourse(repo.Path);
        repo.Write("chapitres/tris/mesures.ipynb", CourseMaterial.PlotNotebook());
        // A training module over the course: its outline and its quiz are checked below.
        repo.Write("module.yml", "title: Les tris\nduration: 1h30\nsections:\n  - title: Trier\n    pages: [chapitres/tris/insertion.md, chapitres/tris/mesures.ipynb]\n    quiz: chapitres/tris/quiz.md\n");
        repo.Write("chapitres/tris/quiz.md", "# Quiz\n\n## Quel tri est en place ?\n- [x] insertion\n- [ ] fusion\n\n## Son coût dans le pire cas ?\n= quadratique\n");
        repo.Commit("Première version");
        repo.Write("chapitres/tris/insertion.py", "def tri_insertion(t):\n    return sorted(t)\n");
        Commit = repo.Commit("Version courte du tri");
        var git = new GitClient(_tmp.Sub("home"));
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", Server.Url("/alice/nsi-terminale.git"), "main");
        // A merge request with a diff, as a reviewer sees it.
        repo.Git("checkout", "-q", "-b", "tri-rapide");
        repo.Write("chapitres/tris/insertion.py", "def tri_insertion(t):\n    for i in range(1, len(t)):\n        pass\n    return t\n");
        repo.Commit("Tri par insertion écrit à la main");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", Server.Url("/alice/nsi-terminale.git"), "tri-rapide");
        // A course site: a page with admonitions, content tabs, maths and highlighted code, and the site's search.
        await Server.CreateRepositoryAsync(token, "cours-site");
        var site = new TestRepo(_tmp.Sub("site"));
        site.Write("mkdocs.yml", "site_name: NSI\ndocs_dir: docs\ntheme:\n  palette:\n    - primary: teal\n").Write("docs/index.md", "# Bienvenue\n")
            .Write("docs/chap1/cours.md", Sites.CourseSiteTests.CoursePage).Commit("Site du cours");
        await git.MustAsync(site.Path, ("alice", token), "push", "-q", Server.Url("/alice/cours-site.git"), "main");
        using var client = Server.Client();
        await Wait.UntilAsync(async () => (await client.GetStringAsync("/search?q=tri")).Contains("/alice/nsi-terminale"), "indexed");
        await Wait.UntilAsync(async () => (await client.GetAsync("/alice/cours-site/site/chap1/cours/")).IsSuccessStatusCode, "the site is built", 60);
        using var alice = Server.Client(token);
        (await alice.PostAsync("/api/v1/repos/alice/nsi-terminale/labels", System.Net.Http.Json.JsonContent.Create(new { name = "exercice", color = "jaune" }))).EnsureSuccessStatusCode();
        (await alice.PostAsync("/api/v1/repos/alice/nsi-terminale/issues", System.Net.Http.Json.JsonContent.Create(
            new { title = "Corrigé du tri", body = $"Voir {Commit[..8]} et `code`, cc @alice.\n\n- une liste", labels = new[] { 1 } }))).EnsureSuccessStatusCode();
        (await alice.PostAsync("/api/v1/repos/alice/nsi-terminale/pulls", System.Net.Http.Json.JsonContent.Create(
            new { head = "tri-rapide", @base = "main", title = "Tri écrit à la main", body = "Voir #1." }))).EnsureSuccessStatusCode();
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
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
        _tmp.Dispose();
    }
}

/// <summary>axe-core (WCAG 2.1 A and AA rules) on the main pages, in light and dark mode, signed in and not.</summary>
public abstract class AccessibilityChecks<TSite>(TSite site) : IClassFixture<TSite> where TSite : ThemedSite
{
    private string Theme => site.Theme;

    private static readonly string[] Anonymous =
    [
        "/", "/search?q=tri", "/search?q=tri&grade=tle", "/search?q=introuvable", "/search/code?q=tri_insertion", "/explore", "/explore/nsi", "/user/login", "/user/sign_up", "/alice", "/alice/nsi-terminale", "/alice/nsi-terminale/tree/main/chapitres/tris",
        "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py", "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.md",
        "/alice/nsi-terminale/commits/main", "/alice/nsi-terminale/branches", "/alice/nsi-terminale/tags",
        "/user/language", "/alice/nsi-terminale/licences", "/alice/nsi-terminale/reviews",
        "/alice/nsi-terminale/issues", "/alice/nsi-terminale/issues/1", "/alice/nsi-terminale/labels",
        "/alice/nsi-terminale/blob/main/chapitres/tris/mesures.ipynb", "/alice/nsi-terminale/merge_requests", "/alice/nsi-terminale/merge_requests/1", "/alice/-/activity",
        "/alice/nsi-terminale/module/", "/alice/nsi-terminale/module/trier/1", "/alice/nsi-terminale/module/trier/quiz",
    ];

    private static readonly string[] SignedIn =
    [
        "/", "/repo/create", "/user/settings/applications", "/alice/nsi-terminale", "/alice/nsi-terminale/edit/main/README.md",
        "/alice/nsi-terminale/new/main", "/alice/nsi-terminale/upload/main", "/alice/nsi-terminale/settings", "/alice/nsi-terminale/settings/site",
        "/alice/nsi-terminale/describe", "/alice/nsi-terminale/privacy", "/alice/nsi-terminale/licences", "/alice/nsi-terminale/reviews",
        "/alice/nsi-terminale/issues", "/alice/nsi-terminale/issues/1", "/alice/nsi-terminale/issues/new", "/alice/nsi-terminale/labels", "/notifications",
        "/alice/nsi-terminale/merge_requests/1", "/alice/nsi-terminale/merge_requests/new", "/user/settings/notifications",
        "/classes/new", "/classes/join", "/terminale/-/class", "/terminale/-/pupils", "/terminale/-/assignments/new", "/terminale/-/assignments/1",
        "/terminale/-/assignments/1/students/alice", "/alice/nsi-terminale/module/", "/alice/nsi-terminale/module/-/certificate",
    ];

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Main_pages_have_no_WCAG_2_1_AA_violation(ColorScheme scheme)
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.Server.BaseAddress.ToString(), ColorScheme = scheme, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var path in Anonymous.Append($"/alice/nsi-terminale/commit/{site.Commit}").Append($"/alice/nsi-terminale/blame/main/README.md"))
            problems.AddRange(await CheckAsync(page, path));
        // The error page, asked for as such: the runner refuses any other non-2xx answer.
        problems.AddRange(await Axe.ViolationsAsync(page, "/alice/nsi-terminale/error-page-404", expectStatus: 404));

        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("alice");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        foreach (var path in SignedIn) problems.AddRange(await CheckAsync(page, path));
        // A form with errors, as a user who made a mistake sees it.
        await page.GotoAsync("/repo/create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        problems.AddRange(await CheckAsync(page, null));
        // A quiz submitted with a question unanswered (errors), then answered (score and feedback).
        await page.GotoAsync("/alice/nsi-terminale/module/trier/quiz");
        await page.GetByLabel("insertion").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider mes réponses" }).ClickAsync();
        problems.AddRange(await Axe.ViolationsAsync(page, expectStatus: 422));
        await page.GetByLabel("Votre réponse").FillAsync("quadratique");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider mes réponses" }).ClickAsync();
        Assert.Contains("Score : 2 / 2", await page.Locator(".module-score").InnerTextAsync());
        problems.AddRange(await CheckAsync(page, null));

        Assert.Contains($"/assets/site.css?v=", await page.ContentAsync());
        Assert.Equal(Theme == "republique", (await page.ContentAsync()).Contains("/assets/theme.css?v="));
        Assert.True(problems.Count == 0, $"theme {Theme}, {scheme}:\n" + string.Join("\n", problems));
        await context.CloseAsync();
    }

    /// <summary>A course site's page (admonitions, tabs made a tab list by the script, maths, code) and its search results.</summary>
    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Course_site_pages_have_no_WCAG_2_1_AA_violation(ColorScheme scheme)
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.Server.BaseAddress.ToString(), ColorScheme = scheme, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        problems.AddRange(await CheckAsync(page, "/alice/cours-site/site/chap1/cours/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Python" })).ToHaveCountAsync(1);
        Assert.Contains("katex", await page.ContentAsync());
        problems.AddRange(await CheckAsync(page, "/alice/cours-site/site/-/search?q=suite"));
        await Assertions.Expect(page.Locator(".course-results li")).Not.ToHaveCountAsync(0);
        problems.AddRange(await CheckAsync(page, "/alice/cours-site/site/-/search?q=introuvable"));
        Assert.True(problems.Count == 0, $"theme {Theme}, {scheme}, course site:\n" + string.Join("\n", problems));
        await context.CloseAsync();
    }

    [Fact]
    public async Task English_pages_have_no_WCAG_2_1_AA_violation_and_say_they_are_English()
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.Server.BaseAddress.ToString(), Locale = "en-GB" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var path in new[] { "/", "/alice/nsi-terminale", "/alice/nsi-terminale/tree/main/chapitres/tris", "/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py", "/search?q=tri", "/user/language" })
        {
            problems.AddRange(await CheckAsync(page, path));
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToHaveCountAsync(1);
        Assert.True(problems.Count == 0, $"theme {Theme}, English:\n" + string.Join("\n", problems));
        // The words the script adds follow the page's language too (the clone box's copy button).
        await page.GotoAsync("/alice/nsi-terminale");
        await Assertions.Expect(page.Locator("#clone-url + button.copy")).ToHaveTextAsync("Copy");
        await context.CloseAsync();
        var french = await site.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = site.Server.BaseAddress.ToString(), Locale = "fr-FR" });
        await french.GotoAsync("/alice/nsi-terminale");
        await Assertions.Expect(french.Locator("#clone-url + button.copy")).ToHaveTextAsync("Copier");
        await french.CloseAsync();
    }

    /// <summary>The runner itself: an error page or the login page met instead of the page asked for is reported, not passed.</summary>
    [Fact]
    public async Task The_runner_reports_an_error_status_and_a_redirection_to_the_login_page()
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.Server.BaseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        Assert.Contains(await CheckAsync(page, "/alice/pas-de-depot"), p => p.Contains("HTTP 404, expected 2xx"));
        Assert.Contains(await CheckAsync(page, "/notifications"), p => p.Contains("landed on /user/login"));
        // After the test's own navigation (no path given), the status still counts.
        await page.GotoAsync("/alice/pas-de-depot");
        Assert.Contains(await CheckAsync(page, null), p => p.Contains("HTTP 404"));
        Assert.DoesNotContain(await Axe.ViolationsAsync(page, "/alice/pas-de-depot", expectStatus: 404), p => p.Contains("HTTP"));
        await context.CloseAsync();
    }

    private static Task<List<string>> CheckAsync(IPage page, string? path) => Axe.ViolationsAsync(page, path);
}

public sealed class AxeRunnerTests
{
    [Fact]
    public async Task A_page_with_an_image_without_text_alternative_and_an_unlabelled_field_has_violations()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await page.SetContentAsync("<!doctype html><html lang=fr><head><title>t</title></head><body><main><img src='data:,'><input type=text></main></body></html>");
            var violations = await Axe.ViolationsAsync(page);
            Assert.Contains(violations, v => v.Contains("image-alt"));
            Assert.Contains(violations, v => v.Contains(": label ("));
            await page.SetContentAsync("<!doctype html><html lang=fr><head><title>t</title></head><body><main><h1>Bonjour</h1><img src='data:,' alt='Logo'></main></body></html>");
            Assert.Empty(await Axe.ViolationsAsync(page));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
