using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Browser;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Forks;

/// <summary>A teacher forks a colleague's course from its « Forker » button, then catches up with it in a real browser.</summary>
public sealed class ForkInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
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
    public async Task A_teacher_forks_from_the_button_and_synchronises_with_the_source()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        using var aliceApi = _server.Client(alice);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/user/repos", new { name = "cours", auto_init = true })).StatusCode);

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("bob");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await page.GotoAsync("/alice/cours");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forker", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forker alice/cours" })).ToBeVisibleAsync();
        var name = page.GetByLabel("Nom du fork");
        await Assertions.Expect(name).ToHaveValueAsync("cours");
        await name.FillAsync("cours-de-bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Forker", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/bob/cours-de-bob$"));
        await Assertions.Expect(page.GetByText("Fork créé : bob/cours-de-bob, depuis alice/cours.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "alice/cours" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Synchroniser avec la source" })).ToHaveCountAsync(0);

        // alice adds a chapter to her course: bob's fork offers to catch up.
        var added = await aliceApi.PostAsJsonAsync("/api/v1/repos/alice/cours/contents/chapitre-2.md",
            new { content = Convert.ToBase64String("# Chapitre 2\n"u8.ToArray()), message = "Chapitre 2" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByText("La source a 1 nouveau commit.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Synchroniser avec la source" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/bob/cours-de-bob$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "synchronisée" }))
            .ToHaveTextAsync("La branche « main » est synchronisée avec alice/cours : 1 commit récupéré.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "chapitre-2.md" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Synchroniser avec la source" })).ToHaveCountAsync(0);

        // The source lists its fork.
        await page.GotoAsync("/alice/cours");
        await page.GetByRole(AriaRole.Link, new() { Name = "1 fork" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "bob/cours-de-bob" })).ToBeVisibleAsync();

        // A taken name is explained at the field, keyboard-reachable from the summary.
        await page.GotoAsync("/alice/cours/fork");
        await page.GetByLabel("Nom du fork").FillAsync("cours-de-bob");
        await page.GetByLabel("Nom du fork").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vous avez déjà un dépôt nommé « cours-de-bob ».");
        await Assertions.Expect(page.GetByLabel("Nom du fork")).ToHaveAttributeAsync("aria-invalid", "true");

        // axe-core (WCAG 2.1 A and AA) on the fork pages.
        var problems = new List<string>();
        problems.AddRange(await CheckAsync(page, null));
        foreach (var path in new[] { "/alice/cours/forks", "/bob/cours-de-bob", "/bob/cours-de-bob/sync" })
            problems.AddRange(await CheckAsync(page, path));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static Task<List<string>> CheckAsync(IPage page, string? path) => Axe.ViolationsAsync(page, path);
}
