using Forge.Tests.Browser;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Groups;

/// <summary>A teacher in a real browser creates a group and a subgroup, adds a colleague and creates a repository in the group.</summary>
public sealed class GroupsInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bruno");
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<IPage> SignedInAsync(string user)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync(user);
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        return page;
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task A_teacher_creates_a_group_adds_a_colleague_and_creates_a_repository_in_it()
    {
        var page = await SignedInAsync("alice");

        await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau groupe" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/groups/new"));
        await AssertAccessibleAsync(page);
        // A taken name first: the error is linked to its field and what was typed is kept.
        await page.GetByLabel("Nom du groupe").FillAsync("bruno");
        await page.GetByLabel("Nom affiché").FillAsync("NSI — Académie de Lyon");
        await page.GetByLabel("Interne").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("déjà pris");
        await Assertions.Expect(page.GetByLabel("Nom affiché")).ToHaveValueAsync("NSI — Académie de Lyon");
        await Assertions.Expect(page.GetByLabel("Interne")).ToBeCheckedAsync();
        Assert.Equal("#Input_Name", await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link).GetAttributeAsync("href"));
        Assert.Equal("Input_Name", await page.GetByLabel("Nom du groupe").GetAttributeAsync("id"));

        await page.GetByLabel("Nom du groupe").FillAsync("nsi-academie-lyon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/nsi-academie-lyon"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "NSI — Académie de Lyon" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // A subgroup, from the group's page: the parent is chosen already.
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau sous-groupe" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Groupe parent")).ToHaveValueAsync("nsi-academie-lyon");
        await page.GetByLabel("Nom du groupe").FillAsync("lycee-ampere-nsi");
        await page.GetByLabel("Privé").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/lycee-ampere-nsi"));
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Groupes parents" })).ToContainTextAsync("NSI — Académie de Lyon");

        // Members of the parent group: bruno is added as a writer.
        await page.GotoAsync("/nsi-academie-lyon");
        await page.GetByRole(AriaRole.Link, new() { Name = "Membres", Exact = true }).ClickAsync();
        await page.GetByLabel("Nom d’utilisateur").FillAsync("personne");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Aucun utilisateur ne s’appelle « personne »");
        await page.GetByLabel("Nom d’utilisateur").FillAsync("bruno");
        await page.GetByLabel("Rédacteur").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("bruno est maintenant rédacteur du groupe");
        await Assertions.Expect(page.GetByLabel("Rôle de bruno", new() { Exact = true })).ToHaveValueAsync("Writer");
        await AssertAccessibleAsync(page);
        // An invitation by e-mail: the link to copy is shown, labelled, once.
        await page.GetByLabel("Adresse électronique").FillAsync("claire@ac-lyon.fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer l’invitation" }).ClickAsync();
        Assert.Contains("/groups/invitations/", await page.GetByLabel("Lien d’invitation").InputValueAsync());
        await Assertions.Expect(page.GetByText("claire@ac-lyon.fr — Rédacteur")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "NSI — Académie de Lyon" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Paramètres du groupe" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Nom du groupe")).ToHaveValueAsync("nsi-academie-lyon");
        await AssertAccessibleAsync(page);

        // A repository owned by the private subgroup, from its page: the owner is chosen already.
        await page.GotoAsync("/lycee-ampere-nsi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau dépôt" }).Last.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Propriétaire")).ToHaveValueAsync("lycee-ampere-nsi");
        await page.GetByLabel("Nom du dépôt").FillAsync("cours-graphes");
        await page.GetByLabel("Privé").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/lycee-ampere-nsi/cours-graphes"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "README.md" })).ToBeVisibleAsync();

        // bruno, writer of the académie, finds the team and edits its private repository in the browser.
        var bruno = await SignedInAsync("bruno");
        await bruno.GotoAsync("/bruno");
        await bruno.GetByRole(AriaRole.Link, new() { Name = "NSI — Académie de Lyon" }).ClickAsync();
        await bruno.GetByRole(AriaRole.Link, new() { Name = "lycee-ampere-nsi" }).ClickAsync();
        // The repository card (the activity section below links the same repository).
        await bruno.Locator("h3").GetByRole(AriaRole.Link, new() { Name = "lycee-ampere-nsi/cours-graphes" }).ClickAsync();
        await Assertions.Expect(bruno).ToHaveURLAsync(_server.Url("/lycee-ampere-nsi/cours-graphes"));
        await Assertions.Expect(bruno.GetByRole(AriaRole.Link, new() { Name = "Nouveau fichier" }).First).ToBeVisibleAsync();
        // But he may not manage the group: no settings link, and the settings page does not exist for him.
        await bruno.GotoAsync("/nsi-academie-lyon");
        await Assertions.Expect(bruno.GetByRole(AriaRole.Link, new() { Name = "Paramètres du groupe" })).ToHaveCountAsync(0);
        var settings = await bruno.GotoAsync("/nsi-academie-lyon/-/settings");
        Assert.Equal(404, settings!.Status);
    }
}
