using Forge.Tests.Compliance;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher sees « Non réutilisable » on her repository and fixes it with one click in a real browser.</summary>
public sealed class LicenceFixInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
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
    public async Task A_teacher_adds_a_licence_with_one_click()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        var c = new ComplianceSupport(_server, _tmp);
        var work = await c.PushAsync("alice", token, "cours-tri", new Dictionary<string, string> { ["README.md"] = "# Tris\n", ["cours.md"] = "# Tri par insertion\n" });
        await c.LicencesAsync("alice", "cours-tri", work.Git("rev-parse", "HEAD").Trim());

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("alice");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await page.GotoAsync("/alice/cours-tri");
        var badge = page.GetByRole(AriaRole.Link, new() { Name = "Licence : Non réutilisable" });
        await Assertions.Expect(badge).ToBeVisibleAsync();
        await badge.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Licences", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Ce dépôt ne dit pas sous quelle licence il est publié.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter un fichier LICENSE (CC-BY-SA-4.0)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Le fichier LICENSE (CC-BY-SA-4.0) a été ajouté");

        // The job checks the new commit; the badge follows.
        for (var i = 0; i < 60 && !await page.GetByRole(AriaRole.Link, new() { Name = "Licence : Licence ouverte" }).IsVisibleAsync(); i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Licence : Licence ouverte" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Rien à signaler.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "LICENSE", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Attribution-ShareAlike 4.0 International");
    }
}
