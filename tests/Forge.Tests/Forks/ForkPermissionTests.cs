using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Forks;

/// <summary>
/// Who sees which fork: a fork of a private repository is private and seen only by those allowed on the fork itself (not
/// the source's collaborators), and a student never sees another student's private fork — not on a page, in a list or a
/// count, through the API, in search, nor with git.
/// </summary>
public sealed class ForkPermissionTests : IAsyncLifetime
{
    private const string Password = "motdepasse-solide";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private readonly Dictionary<string, string> _tokens = [];

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
        foreach (var name in new[] { "alice", "rita", "wendy", "sam", "stu1", "stu2" })
            (_, _tokens[name]) = await _server.CreateUserAsync(name, Password);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private HttpClient Api(string? user) => _server.Client(user is null ? null : _tokens[user]);

    private async Task<WebSession> SignInAsync(string user)
    {
        var session = new WebSession(_server);
        await session.SignInAsync(user, Password);
        return session;
    }

    private async Task PushAsync(string user, string fullName, string file, string content)
    {
        var dir = Path.Combine(_tmp.Sub("clones"), Guid.NewGuid().ToString("N"));
        await _git.MustAsync(_tmp.Path, (user, _tokens[user]), "clone", "-q", _server.Url($"/{fullName}.git"), dir);
        await File.WriteAllTextAsync(Path.Combine(dir, file), content);
        await _git.MustAsync(dir, null, "add", "-A");
        await _git.MustAsync(dir, null, "commit", "-q", "-m", "Travail");
        await _git.MustAsync(dir, (user, _tokens[user]), "push", "-q", "origin", "HEAD");
    }

    private async Task CreateWithReadmeAsync(string fullName, bool isPrivate)
    {
        var name = fullName.Split('/')[1];
        using var api = Api("alice");
        var created = await api.PostAsJsonAsync("/api/v1/user/repos", new { name, @private = isPrivate, auto_init = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private async Task AddCollaboratorAsync(string repo, string user, string permission)
    {
        using var api = Api("alice");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/v1/repos/{repo}/collaborators/{user}", new { permission })).StatusCode);
    }

    [Fact]
    public async Task A_fork_of_a_private_repository_is_private_and_seen_only_by_those_allowed_on_it()
    {
        await CreateWithReadmeAsync("alice/secret", isPrivate: true);
        await AddCollaboratorAsync("alice/secret", "rita", "read");
        await AddCollaboratorAsync("alice/secret", "wendy", "write");

        // Anonymous visitors and strangers cannot even tell the repository exists.
        using (var anonymous = Api(null))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/secret/fork")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/secret/forks")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/v1/repos/alice/secret/forks", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/secret/forks")).StatusCode);
        }
        using (var sam = Api("sam"))
            Assert.Equal(HttpStatusCode.NotFound, (await sam.PostAsJsonAsync("/api/v1/repos/alice/secret/forks", new { name = "secret" })).StatusCode);
        using (var samWeb = await SignInAsync("sam"))
            Assert.Equal(HttpStatusCode.NotFound, (await samWeb.Http.GetAsync("/alice/secret/fork")).StatusCode);

        // A reader may fork: the fork is private, and says « forké depuis alice/secret » to her.
        using var rita = Api("rita");
        var forked = await rita.PostAsJsonAsync("/api/v1/repos/alice/secret/forks", new { name = "secret", @private = false });
        Assert.Equal(HttpStatusCode.Accepted, forked.StatusCode);
        Assert.True(JsonDocument.Parse(await forked.Content.ReadAsStringAsync()).RootElement.GetProperty("private").GetBoolean());
        using var ritaWeb = await SignInAsync("rita");
        Assert.Contains("Forké depuis <a href=\"/alice/secret\">alice/secret</a>", await ritaWeb.GetAsync("/rita/secret"));
        var makePublic = await rita.PatchAsJsonAsync("/api/v1/repos/rita/secret", new { @private = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, makePublic.StatusCode);
        Assert.Contains("fork d’un dépôt privé", await makePublic.Content.ReadAsStringAsync());
        var settings = await ritaWeb.PostFormAsync("/rita/secret/settings", "/rita/secret/settings?handler=Visibility", new Dictionary<string, string> { ["Visibility"] = "public" });
        Assert.Contains("il reste privé tant que sa source l’est", await settings.Content.ReadAsStringAsync());
        Assert.True(JsonDocument.Parse(await rita.GetStringAsync("/api/v1/repos/rita/secret")).RootElement.GetProperty("private").GetBoolean());

        // Neither the source's owner nor its other collaborators see rita's fork unless she adds them.
        foreach (var user in new[] { "alice", "wendy" })
        {
            using var api = Api(user);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/repos/rita/secret")).StatusCode);
            var list = await api.GetAsync("/api/v1/repos/alice/secret/forks");
            Assert.Equal("0", list.Headers.GetValues("X-Total-Count").Single());
            Assert.Equal(0, JsonDocument.Parse(await api.GetStringAsync("/api/v1/repos/alice/secret")).RootElement.GetProperty("forks_count").GetInt32());
            using var web = await SignInAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync("/rita/secret")).StatusCode);
            var forks = await web.GetAsync("/alice/secret/forks");
            Assert.DoesNotContain("rita/secret", forks);
            Assert.Contains("0 fork<", forks);
            Assert.NotEqual(0, (await _git.RunAsync(_tmp.Path, (user, _tokens[user]), "clone", "-q", _server.Url("/rita/secret.git"), Path.Combine(_tmp.Path, "no-" + user))).ExitCode);
        }

        // Once rita may no longer read the source, her fork no longer names it.
        using (var alice = Api("alice"))
            Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repos/alice/secret/collaborators/rita")).StatusCode);
        var page = await ritaWeb.GetAsync("/rita/secret");
        Assert.Contains("Forké depuis un dépôt privé", page);
        Assert.DoesNotContain("alice/secret", page);
        var json = JsonDocument.Parse(await rita.GetStringAsync("/api/v1/repos/rita/secret")).RootElement;
        Assert.True(json.GetProperty("fork").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("parent").ValueKind);
        var sync = await rita.PostAsJsonAsync("/api/v1/repos/rita/secret/merge-upstream", new { branch = "main" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, sync.StatusCode);
        Assert.DoesNotContain("alice", await sync.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_student_never_sees_another_students_private_fork()
    {
        await CreateWithReadmeAsync("alice/exo", isPrivate: false);
        foreach (var student in new[] { "stu1", "stu2" })
        {
            using var web = await SignInAsync(student);
            var created = await web.PostFormAsync("/alice/exo/fork", "/alice/exo/fork", new Dictionary<string, string> { ["Name"] = "exo", ["Private"] = "true" });
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }
        await PushAsync("stu1", "stu1/exo", "reponses.md", "# Mes réponses\n\nLe mot secret est zorglubinette.\n");

        // stu1 finds her own answers once indexed; this also proves the index is up to date for the checks below.
        using var stu1 = Api("stu1");
        await Wait.UntilAsync(async () => (await stu1.GetStringAsync("/api/v1/search/code?q=zorglubinette")).Contains("stu1/exo"), "stu1's fork indexed");
        Assert.Contains("stu1/exo", await stu1.GetStringAsync("/api/v1/search?q=zorglubinette"));

        using var stu2 = Api("stu2");
        using var stu2Web = await SignInAsync("stu2");
        Assert.Equal(HttpStatusCode.NotFound, (await stu2Web.Http.GetAsync("/stu1/exo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stu2Web.Http.GetAsync("/stu1/exo/raw/main/reponses.md")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stu2.GetAsync("/api/v1/repos/stu1/exo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stu2.PostAsJsonAsync("/api/v1/repos/stu1/exo/forks", new { name = "copie" })).StatusCode);
        var list = await stu2Web.GetAsync("/alice/exo/forks");
        Assert.Contains("/stu2/exo", list);
        Assert.DoesNotContain("stu1", list);
        Assert.Contains("1 fork<", await stu2Web.GetAsync("/alice/exo"));
        var apiList = await stu2.GetAsync("/api/v1/repos/alice/exo/forks");
        Assert.Equal("1", apiList.Headers.GetValues("X-Total-Count").Single());
        Assert.DoesNotContain("stu1", await apiList.Content.ReadAsStringAsync());
        Assert.DoesNotContain("stu1", await stu2.GetStringAsync("/api/v1/search?q=zorglubinette"));
        Assert.DoesNotContain("stu1", await stu2.GetStringAsync("/api/v1/search/code?q=zorglubinette"));
        Assert.DoesNotContain("stu1", await stu2.GetStringAsync("/api/v1/repos/search?q=exo"));
        Assert.NotEqual(0, (await _git.RunAsync(_tmp.Path, ("stu2", _tokens["stu2"]), "clone", "-q", _server.Url("/stu1/exo.git"), Path.Combine(_tmp.Path, "stu2-clone"))).ExitCode);

        // Anonymous visitors see no fork at all, and git answers as for a missing repository.
        using var anonymous = Api(null);
        Assert.Contains("0 fork<", await anonymous.GetStringAsync("/alice/exo"));
        Assert.Equal(0, JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/exo")).RootElement.GetProperty("forks_count").GetInt32());
        Assert.DoesNotContain("stu", await anonymous.GetStringAsync("/alice/exo/forks"));
        Assert.DoesNotContain("stu1", await anonymous.GetStringAsync("/api/v1/search?q=zorglubinette"));
        Assert.Equal((await anonymous.GetAsync("/stu1/nothing-here.git/info/refs?service=git-upload-pack")).StatusCode,
            (await anonymous.GetAsync("/stu1/exo.git/info/refs?service=git-upload-pack")).StatusCode);
    }
}
