using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>A teacher in a real browser: registers, creates a repository, pushes with git, sees her README.</summary>
public sealed class TeacherInBrowserTests : IAsyncLifetime
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
    public async Task A_teacher_registers_creates_a_repository_pushes_and_sees_her_readme()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Créer un compte" }).ClickAsync();
        await page.GetByLabel("Nom d’utilisateur").FillAsync("alice");
        await page.GetByLabel("Adresse électronique").FillAsync("alice@ac-lyon.fr");
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync("mot-de-passe-de-test");
        await page.GetByLabel("Confirmez le mot de passe").FillAsync("mot-de-passe-de-test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer mon compte" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();

        // A wrong name first: the error is shown and what she typed is kept.
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau dépôt" }).First.ClickAsync();
        await page.GetByLabel("Nom du dépôt").FillAsync("nsi terminale");
        await page.GetByLabel("Description").FillAsync("Mon cours de NSI");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("pas d’espace");
        await Assertions.Expect(page.GetByLabel("Description")).ToHaveValueAsync("Mon cours de NSI");

        await page.GetByLabel("Nom du dépôt").FillAsync("nsi-terminale");
        // She will push a folder she already has: no README to start with (the box is ticked by default).
        await Assertions.Expect(page.GetByLabel("Ajouter un fichier README")).ToBeCheckedAsync();
        await page.GetByLabel("Ajouter un fichier README").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/alice/nsi-terminale"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ce dépôt est vide" })).ToBeVisibleAsync();
        var cloneUrl = await page.GetByLabel("Cloner avec HTTPS").InputValueAsync();
        Assert.Equal(_server.Url("/alice/nsi-terminale.git"), cloneUrl);

        // She creates a token on her settings page; it is shown once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Jetons d’accès" }).ClickAsync();
        await page.GetByLabel("Nom du jeton").FillAsync("ordinateur du lycée");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le jeton" }).ClickAsync();
        var token = await page.GetByLabel("Votre jeton").InputValueAsync();
        Assert.StartsWith("forge_", token);

        var git = new GitClient(_tmp.Sub("home"));
        var work = _tmp.Sub("cours");
        Courses.WriteNsiCourse(work);
        await git.MustAsync(work, null, "init", "-q", "-b", "main");
        await git.MustAsync(work, null, "add", ".");
        await git.MustAsync(work, null, "commit", "-q", "-m", "Cours de tri");
        await git.MustAsync(work, ("alice", token), "push", cloneUrl, "main");

        await page.GotoAsync("/alice/nsi-terminale");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "NSI terminale — algorithmes de tri" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chapitre 1 : tri par insertion" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Chapitre 1 : tri par insertion" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tri par insertion" })).ToBeVisibleAsync();
        // The image in the README loads (relative link rewritten to the raw file).
        await page.GotoAsync("/alice/nsi-terminale");
        var width = await page.Locator("article.readme img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1");
        Assert.Equal(1, width);
    }

    [Fact]
    public async Task A_teacher_browses_history_and_edits_a_file_without_git()
    {
        var (_, token) = await _server.CreateUserAsync("bruno");
        await _server.CreateRepositoryAsync(token, "snt");
        var repo = new TestRepo(_tmp.Sub("snt"));
        repo.Write("README.md", "# SNT\n").Write("reseaux/protocoles.md", "# Protocoles\n\nTCP et IP.\n").Commit("Premier chapitre");
        repo.Write("reseaux/protocoles.md", "# Protocoles\n\nTCP, UDP et IP.\n").Commit("Ajout de UDP");
        await new GitClient(_tmp.Sub("home-bruno")).MustAsync(repo.Path, ("bruno", token), "push", "-q", _server.Url("/bruno/snt.git"), "main");

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await page.GotoAsync("/user/login");
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync("bruno");
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await page.GotoAsync("/bruno/snt");
        await page.GetByRole(AriaRole.Link, new() { Name = "reseaux" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "protocoles.md", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Protocoles", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Historique du fichier" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajout de UDP" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("tr.a td.text")).ToContainTextAsync("TCP, UDP et IP.");
        await Assertions.Expect(page.Locator("tr.d td.text")).ToContainTextAsync("TCP et IP.");

        await page.GotoAsync("/bruno/snt/blob/main/reseaux/protocoles.md");
        await page.GetByRole(AriaRole.Link, new() { Name = "Annotations (blame)" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.blame")).ToContainTextAsync("Ajout de UDP");

        // The ref selector works without JavaScript: a details/summary menu of links.
        await page.GotoAsync("/bruno/snt/blob/main/reseaux/protocoles.md");
        await page.GetByRole(AriaRole.Link, new() { Name = "Modifier" }).ClickAsync();
        var editor = page.GetByLabel("Contenu");
        await editor.FillAsync("# Protocoles\n\nTCP, UDP, IP et HTTP.\n");
        await page.GetByLabel("Description de la modification").FillAsync("Ajout de HTTP");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url("/bruno/snt/blob/main/reseaux/protocoles.md"));
        await Assertions.Expect(page.Locator("article.markdown")).ToContainTextAsync("TCP, UDP, IP et HTTP.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Historique", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("ol.commits li").First).ToContainTextAsync("Ajout de HTTP");
    }
}
