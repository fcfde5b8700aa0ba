using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Checks;

/// <summary>
/// Automatic checks end to end, with real git and the real sandbox: a teacher enables them in the settings, pushes a wrong
/// then a right solution, and each commit gets its <c>forge/tests</c> status (API, commit page, history, home, run page);
/// writers post their own statuses; nobody else reads any of it.
/// </summary>
public sealed class ChecksEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);

    private const string Tests = """
        from somme import somme

        def test_positifs():
            assert somme(2, 3) == 5, "somme(2, 3) doit valoir 5"

        def test_zero():
            assert somme(0, 0) == 0
        """;

    [Fact]
    public async Task Enabled_checks_turn_each_pushed_commit_into_a_status_with_its_tests()
    {
        var (_, aliceToken) = await _server.CreateUserAsync("alice");
        var (_, bobToken) = await _server.CreateUserAsync("bob");
        var repositoryId = (await _server.CreateRepositoryAsync(aliceToken, "exercice-somme", isPrivate: true)).GetProperty("id").GetInt64();
        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        using var api = _server.Client(aliceToken);
        using var bob = _server.Client(bobToken);

        // A folder outside the repository is refused with the reason, and nothing is enabled.
        var refused = await alice.PostFormAsync("/alice/exercice-somme/settings/checks", "/alice/exercice-somme/settings/checks",
            new Dictionary<string, string> { ["Enabled"] = "true", ["Folder"] = "../etc" });
        var refusedPage = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Le dossier des tests doit être un chemin relatif du dépôt", refusedPage);
        Assert.Contains("aria-describedby=\"folder-hint folder-error\"", refusedPage);
        Assert.DoesNotContain("checked", (await alice.GetAsync("/alice/exercice-somme/settings/checks")).Split("id=\"Enabled\"")[1][..80]);
        var saved = await alice.PostFormAsync("/alice/exercice-somme/settings/checks", "/alice/exercice-somme/settings/checks",
            new Dictionary<string, string> { ["Enabled"] = "true", ["Folder"] = "tests" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/alice/exercice-somme/settings/checks")).StatusCode);

        // A wrong solution, then the right one, each pushed with git.
        var git = new GitClient(_tmp.Sub("home"));
        var ws = await Workspace.InitAsync(git, _tmp.Sub("work"), ("alice", aliceToken));
        await ws.CommitAsync("tests/test_somme.py", Tests, "Tests");
        await ws.CommitAsync("somme.py", "def somme(a, b):\n    return a * b\n", "Première tentative");
        var wrong = await ws.HeadAsync();
        await ws.MustAsync("push", "-q", _server.Url("/alice/exercice-somme.git"), "main");
        var wrongStatus = await SettledStatusAsync(api, wrong);
        await ws.CommitAsync("somme.py", "def somme(a, b):\n    return a + b\n", "Correction");
        var right = await ws.HeadAsync();
        await ws.MustAsync("push", "-q", _server.Url("/alice/exercice-somme.git"), "main");
        var rightStatus = await SettledStatusAsync(api, "main");

        Assert.Equal("failure", wrongStatus.GetProperty("state").GetString());
        var wrongCheck = wrongStatus.GetProperty("statuses")[0];
        Assert.Equal("forge/tests", wrongCheck.GetProperty("context").GetString());
        Assert.Equal("1 test réussi sur 2", wrongCheck.GetProperty("description").GetString());
        var runUrl = new Uri(wrongCheck.GetProperty("target_url").GetString()!);
        Assert.Matches("^/alice/exercice-somme/checks/[0-9]+$", runUrl.AbsolutePath);
        Assert.Equal("success", rightStatus.GetProperty("state").GetString());
        Assert.Equal(right, rightStatus.GetProperty("sha").GetString());
        Assert.Equal("2 tests réussis sur 2", rightStatus.GetProperty("statuses")[0].GetProperty("description").GetString());
        // The history of the status: queued, running, then the result.
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}");
        Assert.Equal(["failure", "pending", "pending"], history.EnumerateArray().Select(s => s.GetProperty("status").GetString()));

        // What a dashboard reads: the latest run of each repository, in one call.
        using (var scope = _server.Services.CreateScope())
        {
            var latest = await scope.ServiceProvider.GetRequiredService<Forge.Web.Checks.CheckSettingsService>().LatestRunsAsync([repositoryId, repositoryId + 1000]);
            Assert.Equal([repositoryId], latest.Keys);
            Assert.Equal(("success", right), (latest[repositoryId].State, latest[repositoryId].CommitSha));
        }

        // The pages: the run with each test, the commit, the history and the home page, in words and symbols.
        var run = WebUtility.HtmlDecode(await alice.GetAsync(runUrl.AbsolutePath));
        Assert.Contains("test_positifs", run);
        Assert.Contains("somme(2, 3) doit valoir 5", run);
        Assert.Contains("test_zero", run);
        var commit = WebUtility.HtmlDecode(await alice.GetAsync($"/alice/exercice-somme/commit/{wrong}"));
        Assert.Contains("Vérifications : échec", commit);
        Assert.Contains("1 test réussi sur 2", commit);
        var commits = WebUtility.HtmlDecode(await alice.GetAsync("/alice/exercice-somme/commits/main"));
        Assert.Contains("Vérifications : réussi", commits);
        Assert.Contains("Vérifications : échec", commits);
        Assert.Contains("Vérifications : réussi", WebUtility.HtmlDecode(await alice.GetAsync("/alice/exercice-somme")));

        // Writers post their own statuses (an external CI); Forge's context stays Forge's; bad input is explained.
        var posted = await api.PostAsJsonAsync($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}",
            new { state = "success", context = "ci/externe", description = "Lint OK", target_url = "https://ci.example.fr/1" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal("alice", (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("creator").GetProperty("login").GetString());
        var combined = await api.GetFromJsonAsync<JsonElement>($"/api/v1/repos/alice/exercice-somme/commits/{wrong}/status");
        Assert.Equal("failure", combined.GetProperty("state").GetString()); // the worst state wins
        Assert.Equal(2, combined.GetProperty("total_count").GetInt32());
        var forged = await api.PostAsJsonAsync($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}", new { state = "success", context = "forge/tests" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Contains("réservés aux vérifications de Forge", await forged.Content.ReadAsStringAsync());
        var badState = await api.PostAsJsonAsync($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}", new { state = "parfait" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badState.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/repos/alice/exercice-somme/statuses/main-inconnue", new { state = "success" })).StatusCode);

        // Someone who cannot read the repository learns nothing, by API or page.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/repos/alice/exercice-somme/commits/{wrong}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync($"/api/v1/repos/alice/exercice-somme/statuses/{wrong}", new { state = "success" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(runUrl.AbsolutePath)).StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(runUrl.AbsolutePath)).StatusCode);

        // The OpenAPI description lists the endpoints.
        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        Assert.Contains("/api/v1/repos/{owner}/{repo}/commits/{ref}/status", openapi);
        Assert.Contains("/api/v1/repos/{owner}/{repo}/statuses/{sha}", openapi);
    }

    /// <summary>The combined status of <paramref name="reference"/> once its check has finished (the job runs in the background).</summary>
    private async Task<JsonElement> SettledStatusAsync(HttpClient api, string reference)
    {
        JsonElement status = default;
        await Wait.UntilAsync(async () =>
        {
            status = await api.GetFromJsonAsync<JsonElement>($"/api/v1/repos/alice/exercice-somme/commits/{reference}/status");
            return status.GetProperty("state").GetString() is "success" or "failure" or "error";
        }, $"the checks of {reference} finish", 90);
        output.WriteLine(status.ToString());
        return status;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }
}
