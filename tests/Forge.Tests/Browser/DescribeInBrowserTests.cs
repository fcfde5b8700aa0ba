using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher describes her resource in a real browser, without writing any YAML, and the commit is real.</summary>
public sealed class DescribeInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private GitClient _git = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_playwright, _browser) = await Chromium.LaunchAsync();
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "nsi-premiere");
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Les booléens\n\nCours et exercices.\n").Commit("Première version");
        _git = new GitClient(_tmp.Sub("home"));
        await _git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/nsi-premiere.git"), "main");
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task A_teacher_ticks_grade_discipline_programme_item_and_usage_and_sees_them_on_her_resource()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("alice");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await page.GotoAsync("/alice/nsi-premiere");
        await page.GetByRole(AriaRole.Link, new() { Name = "Décrire cette ressource" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Décrire cette ressource", Level = 1 })).ToBeVisibleAsync();
        var violations = await AxeAsync(page);
        // The whole form, every programme item included, stays a light page.
        var size = System.Text.Encoding.UTF8.GetByteCount(await page.ContentAsync());
        Assert.True(size < 150_000, $"the describe form weighs {size} bytes");

        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("Les booléens en première");
        await Assertions.Expect(page.Locator("#derived-cycles")).ToContainTextAsync("aucun niveau coché");
        await page.GetByRole(AriaRole.Group, new() { Name = "Niveaux" }).GetByLabel("Première", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.Locator("#derived-cycles")).ToContainTextAsync("Cycles déduits des niveaux cochés : Lycée.");
        await page.GetByRole(AriaRole.Group, new() { Name = "Disciplines" }).GetByLabel("Numérique et sciences informatiques").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Lieu d’usage" }).GetByLabel("À la maison").CheckAsync();
        // Programme items live in closed <details>, one per theme: open the theme, tick the item.
        var booleans = page.GetByLabel("Valeurs booléennes : 0, 1. Opérateurs booléens : and, or, not. Expressions booléennes");
        Assert.False(await booleans.IsVisibleAsync());
        await page.Locator("summary", new() { HasText = "Représentation des données : types et valeurs de base" }).First.ClickAsync();
        await booleans.CheckAsync();
        // A mistake first: the error is announced, linked to its field, and nothing ticked is lost.
        await page.GetByLabel("Durée totale, en minutes").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la description" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("La durée doit être un nombre entier de minutes");
        await Assertions.Expect(page.GetByLabel("Durée totale, en minutes")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Niveaux" }).GetByLabel("Première", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(booleans).ToBeCheckedAsync();
        violations.AddRange(await AxeAsync(page));
        await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Durée totale, en minutes")).ToBeFocusedAsync();

        await page.GetByLabel("Durée totale, en minutes").FillAsync("55");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la description" }).ClickAsync();

        // (The browser keeps the fragment of the error link she followed across the redirect.)
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_server.Url("/alice/nsi-premiere")) + "(#.*)?$"));
        var sheet = page.GetByRole(AriaRole.Complementary).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Fiche de la ressource" }) });
        await Assertions.Expect(sheet).ToContainTextAsync("Première");
        await Assertions.Expect(sheet).ToContainTextAsync("Numérique et sciences informatiques");
        await Assertions.Expect(sheet).ToContainTextAsync("À la maison");
        await Assertions.Expect(sheet).ToContainTextAsync("55 minutes");
        await Assertions.Expect(sheet.GetByRole(AriaRole.Link, new() { Name = "Valeurs booléennes : 0, 1." })).ToHaveAttributeAsync("href",
            "/programmes/nsi-premiere#nsi-1re.types-base.booleens");
        violations.AddRange(await AxeAsync(page));
        await sheet.GetByRole(AriaRole.Link, new() { Name = "Valeurs booléennes : 0, 1." }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Numérique et sciences informatiques — première", Level = 1 })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(page));

        await page.GotoAsync("/programmes");
        violations.AddRange(await AxeAsync(page));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Empty(errors);

        // The commit exists in git: a real clone has the file.
        var clone = Path.Combine(_tmp.Path, "clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/nsi-premiere.git"), clone);
        Assert.Equal("title: Les booléens en première\ndisciplines: [nsi]\ngrades: [1re]\nusage: [maison]\nduration_minutes: 55\nprogramme:\n  - nsi-1re.types-base.booleens\n",
            await File.ReadAllTextAsync(Path.Combine(clone, "resource.yml")));
        Assert.Contains("alice|Décrire la ressource", await _git.MustAsync(clone, null, "log", "--format=%an|%s"));
    }

    private static Task<List<string>> AxeAsync(IPage page) => Axe.ViolationsAsync(page);
}
