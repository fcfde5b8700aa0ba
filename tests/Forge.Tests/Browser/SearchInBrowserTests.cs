using Forge.Tests.Search;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher in a real browser finds resources with a misspelt word, then narrows them with a facet.</summary>
[Collection(SearchCatalogueCollection.Name)]
public sealed class SearchInBrowserTests(SearchCatalogue catalogue) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement.id");

    [Fact]
    public async Task A_misspelt_search_then_a_facet_ticked_with_the_keyboard_narrows_the_results()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = catalogue.Server.BaseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Rechercher des ressources" }).FillAsync("algoritme");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=algoritme");
        await Assertions.Expect(page.GetByText("Résultats pour « algorithme »")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("4 ressources pour « algoritme »");

        // Keyboard only: Tab to « Première (2) » in the « Niveau » group, Space ticks it, the results follow.
        var premiere = page.GetByRole(AriaRole.Group, new() { Name = "Niveau" }).GetByRole(AriaRole.Checkbox, new() { Name = "Première (2)" });
        await Assertions.Expect(premiere).ToBeVisibleAsync();
        var id = await premiere.GetAttributeAsync("id");
        for (var i = 0; i < 40 && await FocusedIdAsync(page) != id; i++) await page.Keyboard.PressAsync("Tab");
        Assert.Equal(id, await FocusedIdAsync(page));
        await page.Keyboard.PressAsync("Space");
        await page.WaitForURLAsync("**/search?q=algoritme&grade=1re*");
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("2 ressources pour « algoritme »");
        var ticked = page.GetByRole(AriaRole.Checkbox, new() { Name = "Première (2)" });
        await Assertions.Expect(ticked).ToBeCheckedAsync();
        Assert.Equal(id, await FocusedIdAsync(page)); // the focus came back where the user was
        var titles = await page.Locator("ol.results h3 a").AllTextContentsAsync();
        Assert.Equal(["Tri fusion", "Tri par insertion"], titles.Order().ToArray());
        // The active filter is a chip that removes it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Retirer le filtre Niveau : Première" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("4 ressources pour « algoritme »");
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Without_javascript_the_filters_apply_with_their_button()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = catalogue.Server.BaseAddress.ToString(), JavaScriptEnabled = false, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/search?q=algorithme");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "À la maison (3)" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Terminale (2)" }).CheckAsync();
        Assert.Contains("q=algorithme", page.Url);
        Assert.DoesNotContain("usage=", page.Url); // nothing happened yet without the button
        await page.GetByRole(AriaRole.Button, new() { Name = "Appliquer les filtres" }).ClickAsync();
        await page.WaitForURLAsync("**/search?q=algorithme*usage=maison*");
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("2 ressources pour « algorithme »");
        await page.GetByLabel("Trier par").SelectOptionAsync("recent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trier" }).ClickAsync();
        await page.WaitForURLAsync("**sort=recent*");
        Assert.Equal(["Tri fusion", "Parcours de graphes"], (await page.Locator("ol.results h3 a").AllTextContentsAsync()).ToArray());
        await context.CloseAsync();
    }
}
