using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Groups;

/// <summary>
/// Groups through the API, git and the pages, with real git and a real server: roles inherited down nested groups
/// (raised, never lowered), internal and private visibility for anonymous visitors, signed-in strangers and members
/// (pages, API, clones, search), accounts of groups refusing every sign-in.
/// </summary>
public sealed class GroupPermissionTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!, _bob = null!, _carole = null!, _dan = null!, _eve = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        (_, _carole) = await _server.CreateUserAsync("carole");
        (_, _dan) = await _server.CreateUserAsync("dan");
        (_, _eve) = await _server.CreateUserAsync("eve");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task MustAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }

    private async Task CreateGroupAsync(string token, string name, string visibility = "public", string? parent = null)
    {
        using var client = _server.Client(token);
        await MustAsync(await client.PostAsync("/api/v1/orgs", Json(new { username = name, visibility, parent })), HttpStatusCode.Created);
    }

    private async Task SetMemberAsync(string token, string group, string user, string role)
    {
        using var client = _server.Client(token);
        await MustAsync(await client.PutAsync($"/api/v1/orgs/{group}/members/{user}", Json(new { role })), HttpStatusCode.NoContent);
    }

    private async Task CreateGroupRepoAsync(string token, string group, string name, bool isPrivate, string? description = null)
    {
        using var client = _server.Client(token);
        await MustAsync(await client.PostAsync($"/api/v1/orgs/{group}/repos", Json(new { name, description, @private = isPrivate, auto_init = true })),
            HttpStatusCode.Created);
    }

    private async Task<JsonElement> PermissionsAsync(string token, string fullName)
    {
        using var client = _server.Client(token);
        var response = await client.GetAsync($"/api/v1/repos/{fullName}");
        await MustAsync(response, HttpStatusCode.OK);
        return (await ReadAsync(response)).GetProperty("permissions");
    }

    private async Task<(int ExitCode, string Output)> PushAsync(string user, string token, string fullName)
    {
        var clone = _tmp.Sub($"push-{user}-{Guid.NewGuid():N}");
        var cloned = await _git.RunAsync(_tmp.Path, (user, token), "clone", "-q", _server.Url($"/{fullName}.git"), clone);
        if (cloned.ExitCode != 0) return cloned;
        var ws = new Workspace(_git, clone, (user, token));
        await ws.CommitAsync($"{user}.md", $"Contribution de {user}\n");
        return await ws.GitAsync("push", "-q", "origin", "main");
    }

    [Fact]
    public async Task Roles_inherit_down_nested_groups_are_raised_in_a_subgroup_and_never_lowered()
    {
        await CreateGroupAsync(_alice, "academie-lyon");
        await CreateGroupAsync(_alice, "lycee-ampere", "limited", parent: "academie-lyon");
        await CreateGroupAsync(_alice, "lycee-ampere-nsi", "private", parent: "lycee-ampere");
        await SetMemberAsync(_alice, "academie-lyon", "bob", "writer");
        await SetMemberAsync(_alice, "academie-lyon", "dan", "reader");
        await SetMemberAsync(_alice, "lycee-ampere-nsi", "dan", "maintainer");   // raised in the team
        await SetMemberAsync(_alice, "academie-lyon", "eve", "writer");
        await SetMemberAsync(_alice, "lycee-ampere-nsi", "eve", "reader");       // lower: does not lower
        await CreateGroupRepoAsync(_alice, "lycee-ampere-nsi", "cours-tri", isPrivate: true);
        await CreateGroupRepoAsync(_alice, "lycee-ampere", "projets", isPrivate: true);

        // The breadcrumb académie › établissement › équipe, for a member of the académie.
        using var bobClient = _server.Client(_bob);
        var team = await ReadAsync(await bobClient.GetAsync("/api/v1/orgs/lycee-ampere-nsi"));
        Assert.Equal("lycee-ampere", team.GetProperty("parent").GetString());
        Assert.Equal("private", team.GetProperty("visibility").GetString());
        Assert.Equal("writer", team.GetProperty("role").GetString());

        // bob, writer of the académie, pushes to the team's private repository, two levels down.
        var bobPush = await PushAsync("bob", _bob, "lycee-ampere-nsi/cours-tri");
        Assert.True(bobPush.ExitCode == 0, bobPush.Output);
        Assert.True((await PermissionsAsync(_bob, "lycee-ampere-nsi/cours-tri")).GetProperty("push").GetBoolean());

        // dan, reader of the académie, maintainer of the team: maintainer there, reader in the établissement.
        var danTeam = await PermissionsAsync(_dan, "lycee-ampere-nsi/cours-tri");
        Assert.True(danTeam.GetProperty("admin").GetBoolean());
        var danSchool = await PermissionsAsync(_dan, "lycee-ampere/projets");
        Assert.False(danSchool.GetProperty("push").GetBoolean());
        var danPush = await PushAsync("dan", _dan, "lycee-ampere/projets");
        Assert.NotEqual(0, danPush.ExitCode);
        Assert.Contains("droit d’écrire", danPush.Output);
        using var danClient = _server.Client(_dan);
        await MustAsync(await danClient.PostAsync("/api/v1/orgs/lycee-ampere/repos", Json(new { name = "a-moi" })), HttpStatusCode.Forbidden);
        await MustAsync(await danClient.PostAsync("/api/v1/orgs/lycee-ampere-nsi/repos", Json(new { name = "a-moi" })), HttpStatusCode.Created);
        // A maintainer of the team manages its members (not those of the établissement).
        await MustAsync(await danClient.PutAsync("/api/v1/orgs/lycee-ampere-nsi/members/carole", Json(new { role = "reader" })), HttpStatusCode.NoContent);
        await MustAsync(await danClient.PutAsync("/api/v1/orgs/lycee-ampere/members/carole", Json(new { role = "reader" })), HttpStatusCode.Forbidden);

        // eve: writer inherited from the académie, "reader" in the team does not lower it.
        Assert.True((await PermissionsAsync(_eve, "lycee-ampere-nsi/cours-tri")).GetProperty("push").GetBoolean());
        var evePush = await PushAsync("eve", _eve, "lycee-ampere-nsi/cours-tri");
        Assert.True(evePush.ExitCode == 0, evePush.Output);

        // The permission endpoint reports the inherited role of another user.
        using var alice = _server.Client(_alice);
        Assert.Equal("write", (await ReadAsync(await alice.GetAsync("/api/v1/repos/lycee-ampere-nsi/cours-tri/collaborators/bob/permission")))
            .GetProperty("permission").GetString());

        // A stranger sees neither the private team nor its repository.
        var stranger = (await _server.CreateUserAsync("zoe")).Token;
        using var zoe = _server.Client(stranger);
        await MustAsync(await zoe.GetAsync("/api/v1/orgs/lycee-ampere-nsi"), HttpStatusCode.NotFound);
        await MustAsync(await zoe.GetAsync("/api/v1/repos/lycee-ampere-nsi/cours-tri"), HttpStatusCode.NotFound);
        await MustAsync(await zoe.PutAsync("/api/v1/orgs/lycee-ampere-nsi/members/zoe", Json(new { role = "owner" })), HttpStatusCode.NotFound);
        // ... but the internal établissement is visible to her, without its subgroup.
        await MustAsync(await zoe.GetAsync("/api/v1/orgs/lycee-ampere"), HttpStatusCode.OK);
        using var zoeWeb = new WebSession(_server);
        await zoeWeb.SignInAsync("zoe", "motdepasse-solide");
        var school = await zoeWeb.GetAsync("/lycee-ampere");
        Assert.DoesNotContain("lycee-ampere-nsi", school);
        Assert.Contains("academie-lyon", school);

        // Members see the nested page: breadcrumb, subgroup, repositories, members and roles.
        using var bobWeb = new WebSession(_server);
        await bobWeb.SignInAsync("bob", "motdepasse-solide");
        var teamPage = await bobWeb.GetAsync("/lycee-ampere-nsi");
        Assert.Matches("academie-lyon.*lycee-ampere.*lycee-ampere-nsi", teamPage.ReplaceLineEndings(" "));
        Assert.Contains("lycee-ampere-nsi/cours-tri", teamPage);
        Assert.Contains("Mainteneur", teamPage);
        Assert.Contains("lycee-ampere-nsi", await bobWeb.GetAsync("/lycee-ampere"));
    }

    [Fact]
    public async Task Internal_and_private_groups_hide_from_anonymous_visitors_and_strangers_on_pages_api_git_and_search()
    {
        await CreateGroupAsync(_alice, "interne-grp", "limited");
        await CreateGroupAsync(_alice, "prive-grp", "private");
        await SetMemberAsync(_alice, "prive-grp", "bob", "reader");
        await CreateGroupRepoAsync(_alice, "interne-grp", "fiches-internes", isPrivate: false, "Fiches zorglub pour la classe");
        await CreateGroupRepoAsync(_alice, "prive-grp", "fiches-privees", isPrivate: false, "Fiches xylophage pour la classe");
        // A private repository of the internal group: its members read it, other signed-in users do not.
        await SetMemberAsync(_alice, "interne-grp", "dan", "reader");
        await CreateGroupRepoAsync(_alice, "interne-grp", "copies", isPrivate: true, "Copies quetzalcoatl corrigées");

        using var anonymous = _server.Client();
        using var carole = _server.Client(_carole);
        using var bob = _server.Client(_bob);

        // Search: wait until the member finds both, then check what others find (the index filters, not only the page).
        await Wait.UntilAsync(async () => (await bob.GetStringAsync("/api/v1/search?q=xylophage")).Contains("\"total\":1"), "private group's repository indexed");
        await Wait.UntilAsync(async () => (await carole.GetStringAsync("/api/v1/search?q=zorglub")).Contains("\"total\":1"), "internal group's repository indexed");
        Assert.Contains("\"total\":0", await anonymous.GetStringAsync("/api/v1/search?q=zorglub"));
        Assert.Contains("\"total\":0", await anonymous.GetStringAsync("/api/v1/search?q=xylophage"));
        Assert.Contains("\"total\":0", await carole.GetStringAsync("/api/v1/search?q=xylophage"));
        using var dan = _server.Client(_dan);
        await Wait.UntilAsync(async () => (await dan.GetStringAsync("/api/v1/search?q=quetzalcoatl")).Contains("\"total\":1"), "member finds the private repository");
        Assert.Contains("\"total\":0", await carole.GetStringAsync("/api/v1/search?q=quetzalcoatl"));
        Assert.Contains("\"total\":0", await anonymous.GetStringAsync("/api/v1/search?q=quetzalcoatl"));
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/repos/interne-grp/copies")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dan.GetAsync("/api/v1/repos/interne-grp/copies")).StatusCode);
        // The web search page too.
        using (var danWeb = new WebSession(_server))
        {
            await danWeb.SignInAsync("dan", "motdepasse-solide");
            Assert.Contains("interne-grp/copies", await danWeb.GetAsync("/search?q=quetzalcoatl"));
        }
        Assert.DoesNotContain("fiches-privees", await carole.GetStringAsync("/api/v1/repos/search?q=fiches"));
        Assert.DoesNotContain("fiches-internes", await anonymous.GetStringAsync("/api/v1/repos/search?q=fiches"));
        Assert.Contains("fiches-internes", await carole.GetStringAsync("/api/v1/repos/search?q=fiches"));

        // Pages.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/interne-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/interne-grp/fiches-internes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/interne-grp/fiches-internes/raw/main/README.md")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/interne-grp/-/members")).StatusCode);
        Assert.DoesNotContain("fiches-internes", await anonymous.GetStringAsync("/"));
        using var caroleWeb = new WebSession(_server);
        await caroleWeb.SignInAsync("carole", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.OK, (await caroleWeb.Http.GetAsync("/interne-grp")).StatusCode);
        var internalRepo = await caroleWeb.Http.GetAsync("/interne-grp/fiches-internes");
        Assert.Equal(HttpStatusCode.OK, internalRepo.StatusCode);
        Assert.Contains("no-store", internalRepo.Headers.CacheControl?.ToString());
        Assert.Contains("<span class=\"badge\">Interne au site</span>", await internalRepo.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await caroleWeb.Http.GetAsync("/prive-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caroleWeb.Http.GetAsync("/prive-grp/fiches-privees")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caroleWeb.Http.GetAsync("/prive-grp/-/members")).StatusCode);
        using var bobWeb = new WebSession(_server);
        await bobWeb.SignInAsync("bob", "motdepasse-solide");
        Assert.Contains("fiches-privees", await bobWeb.GetAsync("/prive-grp"));
        Assert.Equal(HttpStatusCode.OK, (await bobWeb.Http.GetAsync("/prive-grp/fiches-privees")).StatusCode);
        // bob's page lists his group to him, not to others.
        Assert.Contains("prive-grp", await bobWeb.GetAsync("/bob"));
        Assert.DoesNotContain("prive-grp", await caroleWeb.GetAsync("/bob"));

        // API.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/orgs/interne-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/users/interne-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/interne-grp/fiches-internes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carole.GetAsync("/api/v1/orgs/interne-grp")).StatusCode);
        Assert.Equal("limited", (await ReadAsync(await carole.GetAsync("/api/v1/orgs/interne-grp"))).GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/orgs/prive-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/orgs/prive-grp/repos")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/orgs/prive-grp/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/users/prive-grp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync("/api/v1/repos/prive-grp/fiches-privees")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/v1/repos/prive-grp/fiches-privees")).StatusCode);
        var bobOrgs = await ReadAsync(await bob.GetAsync("/api/v1/user/orgs"));
        Assert.Equal("reader", Assert.Single(bobOrgs.EnumerateArray()).GetProperty("role").GetString());
        Assert.Empty((await ReadAsync(await carole.GetAsync("/api/v1/users/bob/orgs"))).EnumerateArray());
        var members = await ReadAsync(await bob.GetAsync("/api/v1/orgs/prive-grp/members"));
        Assert.Equal(["alice:owner", "bob:reader"], members.EnumerateArray().Select(m => $"{m.GetProperty("login").GetString()}:{m.GetProperty("role").GetString()}"));

        // Git: an anonymous clone of the internal group's repository is answered as for a missing one; strangers and members clone.
        var anonymousClone = await _git.RunAsync(_tmp.Path, null, "clone", "-q", _server.Url("/interne-grp/fiches-internes.git"), _tmp.Sub("anon"));
        Assert.NotEqual(0, anonymousClone.ExitCode);
        var caroleClone = await _git.RunAsync(_tmp.Path, ("carole", _carole), "clone", "-q", _server.Url("/interne-grp/fiches-internes.git"), _tmp.Sub("c1"));
        Assert.True(caroleClone.ExitCode == 0, caroleClone.Output);
        var carolePrivate = await _git.RunAsync(_tmp.Path, ("carole", _carole), "clone", "-q", _server.Url("/prive-grp/fiches-privees.git"), _tmp.Sub("c2"));
        Assert.NotEqual(0, carolePrivate.ExitCode);
        var bobClone = await _git.RunAsync(_tmp.Path, ("bob", _bob), "clone", "-q", _server.Url("/prive-grp/fiches-privees.git"), _tmp.Sub("b1"));
        Assert.True(bobClone.ExitCode == 0, bobClone.Output);

        // Opening the internal group to everyone makes its repository public, in search too.
        using var alice = _server.Client(_alice);
        await MustAsync(await alice.PatchAsync("/api/v1/orgs/interne-grp", Json(new { visibility = "public" })), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/interne-grp/fiches-internes")).StatusCode);
        await Wait.UntilAsync(async () => (await anonymous.GetStringAsync("/api/v1/search?q=zorglub")).Contains("\"total\":1"), "now public in search");
        Assert.Contains("public", (await anonymous.GetAsync("/interne-grp/fiches-internes")).Headers.CacheControl?.ToString());
        // ... and closing it again hides at once the page just cached for anonymous visitors.
        await MustAsync(await alice.PatchAsync("/api/v1/orgs/interne-grp", Json(new { visibility = "private" })), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/interne-grp/fiches-internes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caroleWeb.Http.GetAsync("/interne-grp/fiches-internes")).StatusCode);
        await Wait.UntilAsync(async () => (await anonymous.GetStringAsync("/api/v1/search?q=zorglub")).Contains("\"total\":0"), "hidden from search again");
        // A public subgroup under a private group is refused, with the reason.
        var refused = await alice.PostAsync("/api/v1/orgs", Json(new { username = "sous-public", visibility = "public", parent = "prive-grp" }));
        await MustAsync(refused, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("plus ouvert que son groupe", (await ReadAsync(refused)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_group_never_signs_in_nor_authenticates_git_or_the_api_and_shares_the_user_namespace()
    {
        await CreateGroupAsync(_alice, "equipe-svt", "public");
        await CreateGroupRepoAsync(_alice, "equipe-svt", "cours", isPrivate: false);
        using var alice = _server.Client(_alice);
        // The namespace is shared: no group named like a user, no user named like a group.
        var taken = await alice.PostAsync("/api/v1/orgs", Json(new { username = "Bob" }));
        await MustAsync(taken, HttpStatusCode.Conflict);
        Assert.Contains("déjà pris", (await ReadAsync(taken)).GetProperty("message").GetString());
        await Assert.ThrowsAsync<InvalidOperationException>(() => _server.CreateUserAsync("Equipe-SVT"));
        await MustAsync(await alice.PostAsync("/api/v1/orgs", Json(new { username = "explore" })), HttpStatusCode.UnprocessableEntity);
        var invalid = await alice.PostAsync("/api/v1/orgs", Json(new { username = "équipe svt" }));
        Assert.Contains("Le nom du groupe", (await ReadAsync(invalid)).GetProperty("message").GetString());

        // The sign-in form answers as for a wrong password, whatever is typed.
        using var web = new WebSession(_server);
        var login = await web.PostFormAsync("/user/login", "/user/login",
            new Dictionary<string, string> { ["Input.UserName"] = "equipe-svt", ["Input.Password"] = "motdepasse-solide" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Nom d’utilisateur ou mot de passe incorrect", await login.Content.ReadAsStringAsync());

        // Basic authentication as the group: 401 on the API and on git, never anonymous access.
        using var basic = _server.Client();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("equipe-svt:")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("/api/v1/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("/api/v1/repos/equipe-svt/cours")).StatusCode);
        var push = await PushAsync("equipe-svt", "x", "equipe-svt/cours");
        Assert.NotEqual(0, push.ExitCode);
        // Even a token made for it behind Forge's back authenticates nothing; the operator command refuses to make one.
        string forged;
        using (var scope = _server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Forge.Web.Data.ForgeDbContext>();
            var groupId = db.Users.Single(u => u.UserName == "equipe-svt").Id;
            (_, forged) = await scope.ServiceProvider.GetRequiredService<Forge.Web.Auth.AccessTokenService>().CreateAsync(groupId, "forgé");
        }
        using (var withToken = _server.Client(forged))
            Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("/api/v1/user")).StatusCode);
        Assert.NotEqual(0, (await PushAsync("equipe-svt", forged, "equipe-svt/cours")).ExitCode);
        var (code, output) = await ForgeProcess.AdminAsync(null, "token", "create", "equipe-svt", "--data", _server.DataPath);
        Assert.NotEqual(0, code);
        Assert.Contains("est un groupe", output);
        // Not a collaborator either.
        await _server.CreateRepositoryAsync(_alice, "x");
        var collaborator = await alice.PutAsync("/api/v1/repos/alice/x/collaborators/equipe-svt", Json(new { permission = "write" }));
        await MustAsync(collaborator, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("est un groupe", (await ReadAsync(collaborator)).GetProperty("message").GetString());
        // Transferring one's repository into a group needs the right to create repositories there.
        using var bob = _server.Client(_bob);
        await _server.CreateRepositoryAsync(_bob, "a-donner");
        await MustAsync(await bob.PostAsync("/api/v1/repos/bob/a-donner/transfer", Json(new { new_owner = "equipe-svt" })), HttpStatusCode.UnprocessableEntity);
        await SetMemberAsync(_alice, "equipe-svt", "bob", "writer");
        await MustAsync(await bob.PostAsync("/api/v1/repos/bob/a-donner/transfer", Json(new { new_owner = "equipe-svt" })), HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/v1/repos/equipe-svt/a-donner")).StatusCode);
    }

    [Fact]
    public async Task Renaming_a_group_redirects_its_page_its_repositories_and_git_until_the_name_is_taken()
    {
        await CreateGroupAsync(_alice, "ancien-nom", "public");
        await CreateGroupRepoAsync(_alice, "ancien-nom", "cours", isPrivate: false);
        using var alice = _server.Client(_alice);
        await MustAsync(await alice.PostAsync("/api/v1/orgs/ancien-nom/rename", Json(new { new_name = "nouveau-nom" })), HttpStatusCode.NoContent);

        using var anonymous = _server.Client();
        var page = await anonymous.GetAsync("/ancien-nom");
        Assert.Equal(HttpStatusCode.MovedPermanently, page.StatusCode);
        Assert.Equal("/nouveau-nom", page.Headers.Location!.OriginalString);
        var repo = await anonymous.GetAsync("/ancien-nom/cours/blob/main/README.md");
        Assert.Equal(HttpStatusCode.MovedPermanently, repo.StatusCode);
        Assert.Equal("/nouveau-nom/cours/blob/main/README.md", repo.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await anonymous.GetAsync("/ancien-nom/-/members")).StatusCode);
        var clone = await _git.RunAsync(_tmp.Path, null, "clone", "-q", _server.Url("/ancien-nom/cours.git"), _tmp.Sub("ancien"));
        Assert.True(clone.ExitCode == 0, clone.Output);
        Assert.True(File.Exists(Path.Combine(_tmp.Sub("ancien"), "README.md")));
        Assert.Equal("nouveau-nom/cours", (await ReadAsync(await anonymous.GetAsync("/api/v1/repos/nouveau-nom/cours"))).GetProperty("full_name").GetString());

        // A private group's old name reveals nothing to those who may not see it.
        await CreateGroupAsync(_alice, "secret-a", "private");
        await MustAsync(await alice.PostAsync("/api/v1/orgs/secret-a/rename", Json(new { new_name = "secret-b" })), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/secret-a")).StatusCode);

        // Someone takes the old name: it is theirs now.
        await _server.CreateUserAsync("ancien-nom");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ancien-nom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ancien-nom/cours")).StatusCode);
    }

    [Fact]
    public async Task The_settings_page_renames_describes_restricts_and_deletes_a_group_for_its_owners_only()
    {
        await CreateGroupAsync(_alice, "cdi", "public");
        await CreateGroupAsync(_alice, "cdi-lecture", "public", parent: "cdi");
        await SetMemberAsync(_alice, "cdi", "bob", "maintainer");
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync("/cdi/-/settings")).StatusCode);

        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var described = await web.PostFormAsync("/cdi/-/settings", "/cdi/-/settings?handler=Edit",
            new Dictionary<string, string> { ["FullName"] = "CDI du lycée", ["Description"] = "Ressources <b>documentaires</b>" });
        Assert.Equal(HttpStatusCode.Redirect, described.StatusCode);
        var home = await web.GetAsync("/cdi");
        Assert.Contains("CDI du lycée", home);
        Assert.Contains("Ressources &lt;b&gt;documentaires&lt;/b&gt;", home);

        // More closed than an open subgroup: refused, with the subgroup named.
        var refused = await web.PostFormAsync("/cdi/-/settings", "/cdi/-/settings?handler=Visibility", new Dictionary<string, string> { ["Visibility"] = "Private" });
        Assert.Contains("Le sous-groupe « cdi-lecture » est plus ouvert", await refused.Content.ReadAsStringAsync());
        var renamedBad = await web.PostFormAsync("/cdi/-/settings", "/cdi/-/settings?handler=Rename", new Dictionary<string, string> { ["NewName"] = "bob" });
        var renamedBadPage = await renamedBad.Content.ReadAsStringAsync();
        Assert.Contains("déjà pris", renamedBadPage);
        Assert.Contains("aria-describedby=\"rename-hint NewName-error\"", renamedBadPage);
        var renamed = await web.PostFormAsync("/cdi/-/settings", "/cdi/-/settings?handler=Rename", new Dictionary<string, string> { ["NewName"] = "cdi-ampere" });
        Assert.Equal("/cdi-ampere/-/settings", renamed.Headers.Location!.OriginalString);
        Assert.Equal("/cdi-ampere/-/settings", (await web.Http.GetAsync("/cdi/-/settings")).Headers.Location!.OriginalString);

        // Deleting needs the exact name, and an empty group.
        var wrong = await web.PostFormAsync("/cdi-ampere/-/settings", "/cdi-ampere/-/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "cdi" });
        Assert.Contains("Tapez exactement « cdi-ampere »", await wrong.Content.ReadAsStringAsync());
        var notEmpty = await web.PostFormAsync("/cdi-ampere/-/settings", "/cdi-ampere/-/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "cdi-ampere" });
        Assert.Contains("1 sous-groupe", await notEmpty.Content.ReadAsStringAsync());
        var subDeleted = await web.PostFormAsync("/cdi-lecture/-/settings", "/cdi-lecture/-/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "cdi-lecture" });
        Assert.Equal(HttpStatusCode.Redirect, subDeleted.StatusCode);
        var deleted = await web.PostFormAsync("/cdi-ampere/-/settings", "/cdi-ampere/-/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "cdi-ampere" });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync("/cdi-ampere")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync("/cdi")).StatusCode);

        // The API is described.
        var openapi = await _server.Client().GetStringAsync("/api/v1/openapi.json");
        foreach (var path in new[] { "/api/v1/orgs", "/api/v1/orgs/{org}", "/api/v1/orgs/{org}/repos", "/api/v1/orgs/{org}/members/{username}", "/api/v1/user/orgs" })
            Assert.Contains($"\"{path}\"", openapi);
    }

    [Fact]
    public async Task The_last_owner_cannot_leave_or_be_demoted_and_only_owners_touch_owners()
    {
        await CreateGroupAsync(_alice, "club", "private");
        using var alice = _server.Client(_alice);
        using var bob = _server.Client(_bob);
        var leave = await alice.DeleteAsync("/api/v1/orgs/club/members/alice");
        await MustAsync(leave, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("dernier propriétaire", (await ReadAsync(leave)).GetProperty("message").GetString());
        await MustAsync(await alice.PutAsync("/api/v1/orgs/club/members/alice", Json(new { role = "writer" })), HttpStatusCode.UnprocessableEntity);
        await MustAsync(await alice.PutAsync("/api/v1/orgs/club/members/bob", Json(new { role = "chef" })), HttpStatusCode.UnprocessableEntity);
        await MustAsync(await alice.PutAsync("/api/v1/orgs/club/members/personne", Json(new { role = "reader" })), HttpStatusCode.UnprocessableEntity);

        await SetMemberAsync(_alice, "club", "bob", "maintainer");
        await MustAsync(await bob.PutAsync("/api/v1/orgs/club/members/carole", Json(new { role = "owner" })), HttpStatusCode.Forbidden);
        await MustAsync(await bob.DeleteAsync("/api/v1/orgs/club/members/alice"), HttpStatusCode.Forbidden);
        await MustAsync(await bob.PutAsync("/api/v1/orgs/club/members/carole", Json(new { role = "writer" })), HttpStatusCode.NoContent);
        await MustAsync(await bob.GetAsync("/api/v1/orgs/club/members/carole"), HttpStatusCode.NoContent);
        await MustAsync(await bob.DeleteAsync("/api/v1/orgs/club/members/carole"), HttpStatusCode.NoContent);
        await MustAsync(await bob.GetAsync("/api/v1/orgs/club/members/carole"), HttpStatusCode.NotFound);
        await MustAsync(await bob.DeleteAsync("/api/v1/orgs/club"), HttpStatusCode.Forbidden);

        // On the members page too: the last owner's « Quitter le groupe » explains why not.
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var refused = await web.PostFormAsync("/club/-/members", "/club/-/members?handler=Remove", new Dictionary<string, string> { ["userName"] = "alice" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Vous êtes le dernier propriétaire du groupe", await refused.Content.ReadAsStringAsync());

        // With a second owner, she may leave, and then no longer sees the private group.
        await SetMemberAsync(_alice, "club", "bob", "owner");
        var left = await web.PostFormAsync("/club/-/members", "/club/-/members?handler=Remove", new Dictionary<string, string> { ["userName"] = "alice" });
        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync("/club")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/api/v1/orgs/club")).StatusCode);

        // Deleting: only when empty, with the reason otherwise.
        await CreateGroupRepoAsync(_bob, "club", "depot", isPrivate: true);
        var notEmpty = await bob.DeleteAsync("/api/v1/orgs/club");
        await MustAsync(notEmpty, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("1 dépôt", (await ReadAsync(notEmpty)).GetProperty("message").GetString());
        await MustAsync(await bob.DeleteAsync("/api/v1/repos/club/depot"), HttpStatusCode.NoContent);
        await MustAsync(await bob.DeleteAsync("/api/v1/orgs/club"), HttpStatusCode.NoContent);
        await MustAsync(await bob.GetAsync("/api/v1/orgs/club"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invitation_link_lets_a_signed_in_user_join_once_and_expires()
    {
        await CreateGroupAsync(_alice, "reseau", "private");
        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        var bad = await alice.PostFormAsync("/reseau/-/members", "/reseau/-/members?handler=Invite",
            new Dictionary<string, string> { ["Invite.Email"] = "pas une adresse", ["Invite.Role"] = "Writer" });
        Assert.Contains("adresse électronique valide", await bad.Content.ReadAsStringAsync());
        var made = await alice.PostFormAsync("/reseau/-/members", "/reseau/-/members?handler=Invite",
            new Dictionary<string, string> { ["Invite.Email"] = "dan@ac-lyon.fr", ["Invite.Role"] = "Writer" });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var page = await alice.GetAsync("/reseau/-/members");
        var link = System.Text.RegularExpressions.Regex.Match(page, "value=\"(http[^\"]+/groups/invitations/[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(link);
        Assert.Contains("dan@ac-lyon.fr", page);
        var path = new Uri(link).AbsolutePath;

        // Anonymous: told to sign in first; nothing joins.
        using var anonymous = new WebSession(_server);
        Assert.Contains("Se connecter pour rejoindre", await anonymous.GetAsync(path));
        using var dan = new WebSession(_server);
        await dan.SignInAsync("dan", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await dan.Http.GetAsync("/reseau")).StatusCode);
        var joined = await dan.PostFormAsync(path, path, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Contains("Rédacteur", await dan.GetAsync("/reseau/-/members"));
        // Used up.
        var again = await dan.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("Invitation introuvable", await again.Content.ReadAsStringAsync());

        // An expired link says so and joins nobody.
        await alice.PostFormAsync("/reseau/-/members", "/reseau/-/members?handler=Invite",
            new Dictionary<string, string> { ["Invite.Email"] = "eve@ac-lyon.fr", ["Invite.Role"] = "Reader" });
        var second = new Uri(System.Text.RegularExpressions.Regex.Match(await alice.GetAsync("/reseau/-/members"),
            "value=\"(http[^\"]+/groups/invitations/[0-9a-f]+)\"").Groups[1].Value).AbsolutePath;
        using (var scope = _server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Forge.Web.Data.ForgeDbContext>();
            foreach (var i in db.GroupInvitations) i.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        using var eve = new WebSession(_server);
        await eve.SignInAsync("eve", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync(second)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.PostFormAsync("/groups/new", second, new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync("/reseau")).StatusCode);
    }
}
