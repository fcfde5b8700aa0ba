using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Settings;

/// <summary>The same settings through Gitea's API v1 paths and shapes, as a script or a Gitea client would use them.</summary>
public sealed class ApiSettingsTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!, _bob = null!, _carole = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        (_, _carole) = await _server.CreateUserAsync("carole");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task PushAsync(string repo, bool isPrivate = false)
    {
        await _server.CreateRepositoryAsync(_alice, repo, isPrivate);
        var ws = await Workspace.InitAsync(_git, _tmp.Sub(repo), ("alice", _alice));
        await ws.MustAsync("push", "-q", _server.Url($"/alice/{repo}.git"), "main");
        await ws.MustAsync("push", "-q", _server.Url($"/alice/{repo}.git"), "main:dev");
    }

    [Fact]
    public async Task Collaborators_are_added_listed_checked_and_removed_and_their_permission_is_reported()
    {
        await PushAsync("prive", isPrivate: true);
        using var alice = _server.Client(_alice);
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/repos/alice/prive")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PutAsync("/api/v1/repos/alice/prive/collaborators/bob", Json(new { permission = "admin" }))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync("/api/v1/repos/alice/prive/collaborators/bob", Json(new { permission = "read" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PutAsync("/api/v1/repos/alice/prive/collaborators/personne", Json(new { permission = "read" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PutAsync("/api/v1/repos/alice/prive/collaborators/carole", Json(new { permission = "owner" }))).StatusCode);

        var list = await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive/collaborators"));
        Assert.Equal("bob", Assert.Single(list.EnumerateArray()).GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await bob.GetAsync("/api/v1/repos/alice/prive/collaborators/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/repos/alice/prive/collaborators/carole")).StatusCode);
        var permission = await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive/collaborators/bob/permission"));
        Assert.Equal("read", permission.GetProperty("permission").GetString());
        Assert.Equal("bob", permission.GetProperty("user").GetProperty("login").GetString());
        Assert.Equal("owner", (await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive/collaborators/alice/permission"))).GetProperty("permission").GetString());
        Assert.Equal("none", (await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive/collaborators/carole/permission"))).GetProperty("permission").GetString());

        // A reader may not manage: 403 (he can see the repository), and the repository says so.
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsync("/api/v1/repos/alice/prive/collaborators/carole", Json(new { permission = "read" }))).StatusCode);
        var repo = await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive"));
        Assert.False(repo.GetProperty("permissions").GetProperty("push").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync("/api/v1/repos/alice/prive/collaborators/bob", Json(new { permission = "admin" }))).StatusCode);
        repo = await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/prive"));
        Assert.True(repo.GetProperty("permissions").GetProperty("admin").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync("/api/v1/repos/alice/prive")).StatusCode); // admin of the repository, not its owner

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repos/alice/prive/collaborators/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/repos/alice/prive")).StatusCode);
    }

    [Fact]
    public async Task Patch_renames_describes_hides_and_changes_the_default_branch()
    {
        await PushAsync("cours");
        using var alice = _server.Client(_alice);
        var bad = await alice.PatchAsync("/api/v1/repos/alice/cours", Json(new { default_branch = "inexistante" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("n’existe pas", (await ReadAsync(bad)).GetProperty("message").GetString());

        var response = await alice.PatchAsync("/api/v1/repos/alice/cours",
            Json(new { name = "cours-nsi", description = "NSI", @private = true, default_branch = "dev" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var repo = await ReadAsync(response);
        Assert.Equal("alice/cours-nsi", repo.GetProperty("full_name").GetString());
        Assert.Equal("NSI", repo.GetProperty("description").GetString());
        Assert.True(repo.GetProperty("private").GetBoolean());
        Assert.Equal("dev", repo.GetProperty("default_branch").GetString());

        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/cours")).StatusCode); // private now: the redirect reveals nothing
        var (code, output) = await _git.RunAsync(_tmp.Path, null, "ls-remote", _server.Url("/alice/cours.git"));
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("cours-nsi", output);
        var (_, lsRemote) = await _git.RunAsync(_tmp.Path, ("alice", _alice), "ls-remote", "--symref", _server.Url("/alice/cours.git"), "HEAD");
        Assert.True(lsRemote.Contains("ref: refs/heads/dev\tHEAD"), lsRemote);
        // The owner keeps cloning and pushing with the old URL of the (now private) repository.
        var ws = await Workspace.CloneAsync(_git, _tmp.Path, _server.Url("/alice/cours.git"), ("alice", _alice));
        await ws.CommitAsync("suite.md", "# Suite\n");
        await ws.MustAsync("push", "-q", "origin", "dev");
        Assert.Contains(await ws.HeadAsync(), (await _git.MustAsync(_tmp.Path, ("alice", _alice), "ls-remote", _server.Url("/alice/cours-nsi.git"))));

        await _server.CreateRepositoryAsync(_alice, "autre");
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PatchAsync("/api/v1/repos/alice/autre", Json(new { name = "Cours-NSI" }))).StatusCode);
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PatchAsync("/api/v1/repos/alice/autre", Json(new { @private = true }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PatchAsync("/api/v1/repos/alice/cours-nsi", Json(new { @private = false }))).StatusCode);
    }

    [Fact]
    public async Task Transfer_gives_the_repository_to_another_user_and_the_old_clone_url_redirects()
    {
        await PushAsync("cours");
        using var alice = _server.Client(_alice);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await alice.PostAsync("/api/v1/repos/alice/cours/transfer", Json(new { new_owner = "personne" }))).StatusCode);
        var response = await alice.PostAsync("/api/v1/repos/alice/cours/transfer", Json(new { new_owner = "carole" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("carole/cours", (await ReadAsync(response)).GetProperty("full_name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PatchAsync("/api/v1/repos/carole/cours", Json(new { description = "x" }))).StatusCode);

        var clone = Path.Combine(_tmp.Path, "after-transfer");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/cours.git"), clone);
        Assert.True(File.Exists(Path.Combine(clone, "README.md")));
    }

    [Fact]
    public async Task Branch_protections_follow_giteas_shapes_and_are_enforced_on_push()
    {
        await PushAsync("cours");
        using var alice = _server.Client(_alice);
        using var bob = _server.Client(_bob);
        await alice.PutAsync("/api/v1/repos/alice/cours/collaborators/bob", Json(new { permission = "write" }));

        var created = await alice.PostAsync("/api/v1/repos/alice/cours/branch_protections",
            Json(new { rule_name = "release/*", enable_push = true, enable_push_whitelist = true, enable_force_push = false }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await ReadAsync(created);
        Assert.Equal("release/*", rule.GetProperty("rule_name").GetString());
        Assert.True(rule.GetProperty("enable_push_whitelist").GetBoolean());
        Assert.False(rule.GetProperty("allow_deletion").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync("/api/v1/repos/alice/cours/branch_protections", Json(new { rule_name = "release/*" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/branch_protections", Json(new { rule_name = "a..b" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/repos/alice/cours/branch_protections")).StatusCode);

        var list = await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/branch_protections"));
        Assert.Single(list.EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/v1/repos/alice/cours/branch_protections/release%2F*")).StatusCode);

        var ws = await Workspace.CloneAsync(_git, _tmp.Path, _server.Url("/alice/cours.git"), ("bob", _bob));
        var (code, output) = await ws.GitAsync("push", "origin", "main:release/1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : la branche « release/1 » est protégée ; seuls les mainteneurs", output);

        var edited = await alice.PatchAsync("/api/v1/repos/alice/cours/branch_protections/release%2F*", Json(new { enable_push_whitelist = false }));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("writers", (await ReadAsync(edited)).GetProperty("push_level").GetString());
        await ws.MustAsync("push", "-q", "origin", "main:release/1");

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repos/alice/cours/branch_protections/release%2F*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/api/v1/repos/alice/cours/branch_protections/release%2F*")).StatusCode);
        await ws.MustAsync("push", "-q", "origin", ":release/1"); // no rule left: deletion allowed
    }
}
