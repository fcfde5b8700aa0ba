using System.Net;
using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;

namespace Forge.Tests.Settings;

/// <summary>Alice manages her course from its settings pages, in a browser-like session (forms, anti-forgery tokens, no JavaScript).</summary>
public sealed class SettingsPagesTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;
    private WebSession _web = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        foreach (var name in new[] { "bob", "carole", "dan", "eve" }) await _server.CreateUserAsync(name);
        _web = new WebSession(_server);
        await _web.SignInAsync("alice", "motdepasse-solide");
    }

    public async Task DisposeAsync()
    {
        _web.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<Workspace> PushCourseAsync(string repo, bool isPrivate = false, string readme = "# Algorithmes de tri pour les élèves\n")
    {
        await _server.CreateRepositoryAsync(_alice, repo, isPrivate);
        var ws = await Workspace.InitAsync(_git, _tmp.Sub(repo), ("alice", _alice), readme);
        await ws.MustAsync("push", "-q", _server.Url($"/alice/{repo}.git"), "main");
        return ws;
    }

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public async Task Settings_pages_are_404_for_everyone_but_maintainers_owner_and_admins()
    {
        await PushCourseAsync("cours");
        await _server.AddCollaboratorAsync("alice", "cours", "bob", CollaboratorRole.Reader);
        await _server.AddCollaboratorAsync("alice", "cours", "carole", CollaboratorRole.Writer);
        await _server.AddCollaboratorAsync("alice", "cours", "dan", CollaboratorRole.Maintainer);
        string[] pages = ["/alice/cours/settings", "/alice/cours/settings/collaborators", "/alice/cours/settings/branches"];

        using var anonymous = _server.Client();
        foreach (var page in pages) Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(page)).StatusCode);
        foreach (var user in new[] { "bob", "carole", "eve" })
        {
            using var session = new WebSession(_server);
            await session.SignInAsync(user, "motdepasse-solide");
            foreach (var page in pages) Assert.Equal(HttpStatusCode.NotFound, (await session.Http.GetAsync(page)).StatusCode);
            Assert.DoesNotContain("/alice/cours/settings", await session.GetAsync("/alice/cours"));
        }
        using var dan = new WebSession(_server);
        await dan.SignInAsync("dan", "motdepasse-solide");
        foreach (var page in pages) Assert.Equal(HttpStatusCode.OK, (await dan.Http.GetAsync(page)).StatusCode);
        // A maintainer manages, but only the owner transfers or deletes.
        Assert.DoesNotContain("Supprimer définitivement", await dan.GetAsync("/alice/cours/settings"));
        var delete = await dan.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=Delete", Form(("Confirm", "alice/cours")));
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Contains("Supprimer définitivement", await _web.GetAsync("/alice/cours/settings"));
        Assert.Contains("href=\"/alice/cours/settings\"", await _web.GetAsync("/alice/cours"));
    }

    [Fact]
    public async Task A_form_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        await PushCourseAsync("cours");
        var response = await _web.Http.PostAsync("/alice/cours/settings?handler=Visibility", new FormUrlEncodedContent(Form(("Visibility", "private"))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        response = await _web.Http.PostAsync("/alice/cours/settings?handler=Delete", new FormUrlEncodedContent(Form(("Confirm", "alice/cours"))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alice/cours")).StatusCode);
    }

    [Fact]
    public async Task Renaming_keeps_the_old_page_raw_and_clone_urls_working_through_redirects()
    {
        await PushCourseAsync("nsi");
        var rename = await _web.PostFormAsync("/alice/nsi/settings", "/alice/nsi/settings?handler=General",
            Form(("General.Name", "nsi-terminale"), ("General.Description", "Cours de NSI")));
        Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        Assert.Equal("/alice/nsi-terminale/settings", rename.Headers.Location!.ToString());
        Assert.Contains("Nom et description enregistrés", await _web.GetAsync("/alice/nsi-terminale/settings"));

        using var anonymous = _server.Client();
        var old = await anonymous.GetAsync("/alice/nsi/tree/main?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/alice/nsi-terminale/tree/main?x=1", old.Headers.Location!.ToString());
        var raw = await anonymous.GetAsync("/alice/nsi/raw/main/README.md");
        Assert.Equal(HttpStatusCode.MovedPermanently, raw.StatusCode);
        Assert.Equal("/alice/nsi-terminale/raw/main/README.md", raw.Headers.Location!.ToString());

        var clone = Path.Combine(_tmp.Path, "old-url-clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/nsi.git"), clone);
        Assert.Equal("# Algorithmes de tri pour les élèves\n", File.ReadAllText(Path.Combine(clone, "README.md")));

        // A new repository may take the old name back; then the name is its own again.
        await _server.CreateRepositoryAsync(_alice, "nsi");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alice/nsi")).StatusCode);
    }

    [Fact]
    public async Task Renaming_to_a_taken_or_invalid_name_shows_the_error_linked_to_the_field()
    {
        await PushCourseAsync("cours");
        await _server.CreateRepositoryAsync(_alice, "autre");
        var taken = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=General", Form(("General.Name", "Autre")));
        var html = await taken.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("Il existe déjà un dépôt nommé « Autre »", html);
        Assert.Contains("href=\"#General_Name\"", html);
        Assert.Contains("id=\"General_Name\"", html);
        var invalid = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=General", Form(("General.Name", "api")));
        Assert.Contains("« api » est un nom réservé", await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _server.Client().GetAsync("/alice/cours")).StatusCode);
    }

    [Fact]
    public async Task Making_a_course_private_removes_it_from_anonymous_search_but_a_reader_still_finds_it()
    {
        await PushCourseAsync("tris");
        await _server.AddCollaboratorAsync("alice", "tris", "bob", CollaboratorRole.Reader);
        using var anonymous = _server.Client();
        async Task<bool> FoundAsync(HttpClient client) => (await client.GetStringAsync("/search?q=eleves")).Contains("/alice/tris");
        await Wait.UntilAsync(() => FoundAsync(anonymous), "the public course is indexed");

        var response = await _web.PostFormAsync("/alice/tris/settings", "/alice/tris/settings?handler=Visibility", Form(("Visibility", "private")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.False(await FoundAsync(anonymous));
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        using var eve = new WebSession(_server);
        await eve.SignInAsync("eve", "motdepasse-solide");
        await Wait.UntilAsync(async () => (await bob.GetAsync("/search?q=eleves")).Contains("/alice/tris"), "the reader finds the private course");
        Assert.DoesNotContain("/alice/tris", await eve.GetAsync("/search?q=eleves"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/tris")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync("/alice/tris")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.Http.GetAsync("/alice/tris")).StatusCode);
    }

    [Fact]
    public async Task Collaborators_and_protected_branches_are_managed_with_plain_forms()
    {
        var ws = await PushCourseAsync("cours");
        var unknown = await _web.PostFormAsync("/alice/cours/settings/collaborators", "/alice/cours/settings/collaborators?handler=Add",
            Form(("Add.UserName", "personne"), ("Add.Role", "Writer")));
        var html = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("Aucun utilisateur ne s’appelle « personne »", html);
        Assert.Contains("href=\"#Add_UserName\"", html);

        var add = await _web.PostFormAsync("/alice/cours/settings/collaborators", "/alice/cours/settings/collaborators?handler=Add",
            Form(("Add.UserName", "bob"), ("Add.Role", "Writer")));
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var list = await _web.GetAsync("/alice/cours/settings/collaborators");
        Assert.Contains("bob est maintenant rédacteur de ce dépôt", list);
        Assert.Matches("<option value=\"Writer\" selected=\"selected\">Rédacteur</option>", list);
        Assert.Contains("<label for=\"role-bob\" class=\"visually-hidden\">Rôle de bob</label>", list);

        var badRule = await _web.PostFormAsync("/alice/cours/settings/branches", "/alice/cours/settings/branches?handler=Add",
            Form(("New.Pattern", "ma branche"), ("New.PushLevel", "Maintainers")));
        html = await badRule.Content.ReadAsStringAsync();
        Assert.Contains("href=\"#New_Pattern\"", html);
        Assert.Contains("id=\"New_Pattern\"", html);
        var rule = await _web.PostFormAsync("/alice/cours/settings/branches", "/alice/cours/settings/branches?handler=Add",
            Form(("New.Pattern", "main"), ("New.PushLevel", "Maintainers")));
        Assert.Equal(HttpStatusCode.Redirect, rule.StatusCode);
        Assert.Contains("Règle ajoutée pour « main »", await _web.GetAsync("/alice/cours/settings/branches"));

        // The rule applies to Bob's next push at once.
        var (_, bobToken) = await _server.CreateUserAsync("bob2");
        await _server.AddCollaboratorAsync("alice", "cours", "bob2", CollaboratorRole.Writer);
        var bob = await Workspace.CloneAsync(_git, _tmp.Path, _server.Url("/alice/cours.git"), ("bob2", bobToken));
        await bob.CommitAsync("exo.md", "exo\n");
        var (code, output) = await bob.GitAsync("push", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : la branche « main » est protégée", output);

        // Relaxed from the page: writers may push.
        var rules = await _web.GetAsync("/alice/cours/settings/branches");
        var id = System.Text.RegularExpressions.Regex.Match(rules, "name=\"id\" value=\"(\\d+)\"").Groups[1].Value;
        var update = await _web.PostFormAsync("/alice/cours/settings/branches", "/alice/cours/settings/branches?handler=Update",
            Form(("id", id), ("rule.Pattern", "main"), ("rule.PushLevel", "Writers")));
        Assert.Equal(HttpStatusCode.Redirect, update.StatusCode);
        await bob.MustAsync("push", "-q", "origin", "main");

        var removed = await _web.PostFormAsync("/alice/cours/settings/collaborators", "/alice/cours/settings/collaborators?handler=Remove",
            Form(("userName", "bob2")));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        await bob.CommitAsync("exo2.md", "exo\n");
        (code, output) = await bob.GitAsync("push", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("403", output);
    }

    [Fact]
    public async Task Default_branch_transfer_and_delete_from_the_settings_page()
    {
        var ws = await PushCourseAsync("cours");
        await ws.MustAsync("push", "-q", _server.Url("/alice/cours.git"), "main:corrige");
        var missing = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=DefaultBranch", Form(("DefaultBranch", "nope")));
        Assert.Contains("La branche « nope » n’existe pas", await missing.Content.ReadAsStringAsync());
        var ok = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=DefaultBranch", Form(("DefaultBranch", "corrige")));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var clone = Path.Combine(_tmp.Path, "default-branch");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/cours.git"), clone);
        Assert.Equal("corrige", (await _git.MustAsync(clone, null, "branch", "--show-current")).Trim());

        var wrong = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=Delete", Form(("Confirm", "cours")));
        var html = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("Pour confirmer, tapez exactement « alice/cours »", html);
        Assert.Contains("href=\"#Confirm\"", html);

        var transfer = await _web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=Transfer", Form(("NewOwner", "carole")));
        Assert.Equal(HttpStatusCode.Redirect, transfer.StatusCode);
        using var anonymous = _server.Client();
        var moved = await anonymous.GetAsync("/alice/cours");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/carole/cours", moved.Headers.Location!.ToString());
        // Alice is no longer in charge.
        Assert.Equal(HttpStatusCode.NotFound, (await _web.Http.GetAsync("/carole/cours/settings")).StatusCode);

        using var carole = new WebSession(_server);
        await carole.SignInAsync("carole", "motdepasse-solide");
        var delete = await carole.PostFormAsync("/carole/cours/settings", "/carole/cours/settings?handler=Delete", Form(("Confirm", "carole/cours")));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/carole/cours")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/cours")).StatusCode);
    }
}
