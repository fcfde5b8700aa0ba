using Forge.Tests.Browser;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>A teacher turns on two-factor authentication in a real browser, then signs in with her password and a code.</summary>
public sealed class AccountsTwoFactorInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("ines", "la phrase d’ines");
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("ines");
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync("la phrase d’ines");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
    }

    [Fact]
    public async Task Two_factor_sign_in_in_a_browser()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await SignInAsync(page);
        // The account pages pass axe (WCAG 2.1 A and AA), as every page of the interface does.
        var violations = new List<string>();
        foreach (var path in new[] { "/user/settings/sessions", "/user/settings/account", "/user/settings/security", "/user/forgot_password" })
            violations.AddRange(await AccessibilityTests.CheckAsync(page, path));
        await page.GetByRole(AriaRole.Link, new() { Name = "Paramètres" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Activer la validation en deux étapes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Code QR de la clé" })).ToBeVisibleAsync();
        violations.AddRange(await AccessibilityTests.CheckAsync(page, null));
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();
        await page.GetByLabel("Code affiché par l’application").FillAsync(AccountsTwoFactorTests.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Validation en deux étapes activée" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Codes de secours" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);
        violations.AddRange(await AccessibilityTests.CheckAsync(page, null));
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Télécharger les codes (fichier texte)" }).ClickAsync());
        Assert.Equal("forge-codes-de-secours.txt", download.SuggestedFilename);

        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await SignInAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Validation en deux étapes" })).ToBeVisibleAsync();
        // A wrong code first: the error is announced and linked to the field.
        await page.GetByLabel("Code de l’application d’authentification").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Code incorrect ou expiré");
        await Assertions.Expect(page.GetByLabel("Code de l’application d’authentification")).ToHaveAttributeAsync("aria-describedby", "code-hint code-error");
        violations.AddRange(await AccessibilityTests.CheckAsync(page, null));
        await page.GetByLabel("Code de l’application d’authentification").FillAsync(AccountsTwoFactorTests.Code(key, 1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
