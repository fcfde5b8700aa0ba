using Forge.Tests.MergeRequests;
using Microsoft.Playwright;

namespace Forge.Tests.Browser;

/// <summary>Alice's course of <see cref="MergeRequestFixture"/> with Chromium: pages signed in as one of its people, and axe-core checks.</summary>
public abstract class InBrowserFixture : MergeRequestFixture
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public override async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await base.DisposeAsync();
    }

    protected async Task<IPage> SignedInPageAsync(string user)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync(user);
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        return page;
    }

    /// <summary>The WCAG 2.1 A and AA violations axe-core finds on the page, one line each (and its HTTP status when not the one expected: 2xx unless said).</summary>
    protected static Task<List<string>> AxeAsync(IPage page, int? expectStatus = null) => Axe.ViolationsAsync(page, expectStatus: expectStatus);
}
