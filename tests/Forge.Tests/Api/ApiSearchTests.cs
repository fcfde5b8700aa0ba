using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Api;

/// <summary>One server with three pushed repositories, shared by the tests of <see cref="ApiSearchTests"/>.</summary>
public sealed class SearchServerFixture : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _alice = null!;

    public ForgeServer Server => _server;
    public string AliceToken => _alice;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _alice) = await _server.CreateUserAsync("alice");
        var git = new GitClient(_tmp.Sub("home"));
        await PublishAsync(git, "tris-terminale", isPrivate: false,
            ("resource.yml", "title: Algorithmes de tri\ndisciplines: [nsi]\ngrades: [tle]\ntype: cours\nduration_minutes: 55\n"),
            ("README.md", "# Tris\n\nLe tri fusion et le tri par sélection.\n"),
            ("fusion.py", "def tri_fusion(liste):\n    return liste\n"));
        await PublishAsync(git, "booleens", isPrivate: false,
            ("resource.yml", "title: Booléens\ndisciplines: [nsi]\ngrades: [1re]\ntype: exercice\n"),
            ("README.md", "# Booléens\n\nTables de vérité, algorithme de calcul.\n"));
        await PublishAsync(git, "brouillon-tri", isPrivate: true,
            ("resource.yml", "title: Brouillon de tri secret\ndisciplines: [nsi]\ngrades: [tle]\ntype: evaluation\n"),
            ("secret.py", "def tri_fusion(x):\n    return x\n"));
        using var api = _server.Client(_alice);
        await Wait.UntilAsync(async () => (await api.GetStringAsync("/api/v1/search")).Contains("\"total\":3"), "three repositories indexed");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task PublishAsync(GitClient git, string name, bool isPrivate, params (string Path, string Content)[] files)
    {
        await _server.CreateRepositoryAsync(_alice, name, isPrivate);
        var dir = _tmp.Sub("work-" + name);
        foreach (var (path, content) in files) File.WriteAllText(Path.Combine(dir, path), content);
        await git.MustAsync(dir, null, "init", "-q", "-b", "main");
        await git.MustAsync(dir, null, "add", ".");
        await git.MustAsync(dir, null, "commit", "-q", "-m", "v1");
        await git.MustAsync(dir, ("alice", _alice), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
    }

}

/// <summary>Search over the API as a script uses it: real server, real pushes, the index built by the real job.</summary>
public sealed class ApiSearchTests(SearchServerFixture fixture) : IClassFixture<SearchServerFixture>
{
    private readonly ForgeServer _server = fixture.Server;
    private readonly string _alice = fixture.AliceToken;

    private static async Task<JsonElement> SearchAsync(HttpClient client, string query, string path = "/api/v1/search")
    {
        var response = await client.GetAsync($"{path}?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Dictionary<string, int> Facet(JsonElement result, string name) =>
        result.GetProperty("facets").GetProperty(name).EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("count").GetInt32());

    [Fact]
    public async Task Resource_search_with_facets_typos_and_permissions()
    {
        using var anonymous = _server.Client();
        using var alice = _server.Client(_alice);

        var r = await SearchAsync(anonymous, "q=algoritme");
        Assert.Equal("algorithme", r.GetProperty("spelling_note").GetString());
        Assert.Equal(["alice/booleens", "alice/tris-terminale"], r.GetProperty("hits").EnumerateArray()
            .Select(h => h.GetProperty("repository").GetProperty("full_name").GetString()).Order());

        var all = await SearchAsync(anonymous, "grade=tle&grade=1re");
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 2 }, Facet(all, "discipline"));
        Assert.Equal(new Dictionary<string, int> { ["tle"] = 1, ["1re"] = 1 }, Facet(all, "grade"));
        Assert.DoesNotContain("evaluation", Facet(all, "type").Keys);
        var labelled = all.GetProperty("facets").GetProperty("grade").EnumerateArray().First(c => c.GetProperty("value").GetString() == "tle");
        Assert.Equal("Terminale", labelled.GetProperty("label").GetString());

        var mine = await SearchAsync(alice, "grade=tle&discipline=nsi");
        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        Assert.Equal(1, Facet(mine, "type")["evaluation"]);
        Assert.Equal(new Dictionary<string, int> { ["tle"] = 2, ["1re"] = 1 }, Facet(mine, "grade")); // multi-select: own filter left out

        var sorted = await SearchAsync(anonymous, "q=tri&duration=30-60&sort=recent&limit=1");
        var hit = Assert.Single(sorted.GetProperty("hits").EnumerateArray());
        Assert.Equal("Algorithmes de tri", hit.GetProperty("title").GetString());
        Assert.Contains("<mark>", hit.GetProperty("snippet_html").GetString());
        Assert.EndsWith("/alice/tris-terminale", hit.GetProperty("html_url").GetString());

        // Made private: gone from anonymous results and counts at once, before any job ran.
        var patch = await alice.PatchAsJsonAsync("/api/v1/repos/alice/booleens", new { @private = true });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var after = await SearchAsync(anonymous, "");
        Assert.Equal(1, after.GetProperty("total").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["tle"] = 1 }, Facet(after, "grade"));
        Assert.Equal(3, (await SearchAsync(alice, "")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Code_search_shows_paths_and_lines_and_hides_private_files()
    {
        using var anonymous = _server.Client();
        using var alice = _server.Client(_alice);
        var r = await SearchAsync(anonymous, "q=def+tri_fusion", "/api/v1/search/code");
        var hit = Assert.Single(r.GetProperty("hits").EnumerateArray());
        Assert.Equal("fusion.py", hit.GetProperty("path").GetString());
        var line = Assert.Single(hit.GetProperty("lines").EnumerateArray());
        Assert.Equal(1, line.GetProperty("number").GetInt32());
        Assert.Equal("<mark>def</mark> <mark>tri_fusion</mark>(liste):", line.GetProperty("html").GetString());
        Assert.EndsWith("/alice/tris-terminale/blob/main/fusion.py#L1", line.GetProperty("html_url").GetString());

        // Alice also reads her private file; the README's prose "tri fusion" matches the identifier's parts.
        Assert.Equal(["README.md", "fusion.py", "secret.py"], (await SearchAsync(alice, "q=tri_fusion", "/api/v1/search/code")).GetProperty("hits")
            .EnumerateArray().Select(h => h.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("secret.py", (await SearchAsync(alice, "q=tri_fusion&repo=alice/brouillon-tri", "/api/v1/search/code"))
            .GetProperty("hits")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/search/code?q=tri_fusion&repo=alice/brouillon-tri")).StatusCode);
        Assert.Equal(0, (await SearchAsync(anonymous, "q=tri_fusion&language=java", "/api/v1/search/code")).GetProperty("total").GetInt32());
        Assert.Equal("README.md", (await SearchAsync(anonymous, "q=tri_fusion&language=markdown", "/api/v1/search/code"))
            .GetProperty("hits")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Gitea_repository_search_answers_in_giteas_shape()
    {
        using var anonymous = _server.Client();
        using var alice = _server.Client(_alice);
        var response = await anonymous.GetAsync("/api/v1/repos/search?q=TRI");
        Assert.Equal("1", response.Headers.GetValues("X-Total-Count").Single());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("alice/tris-terminale", Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("full_name").GetString());
        var mine = JsonDocument.Parse(await alice.GetStringAsync("/api/v1/repos/search?q=tri&sort=alpha&order=desc")).RootElement;
        Assert.Equal(["tris-terminale", "brouillon-tri"], mine.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        Assert.Contains("\"/api/v1/search\"", openapi);
        Assert.Contains("\"/api/v1/search/code\"", openapi);
        Assert.Contains("\"/api/v1/repos/search\"", openapi);
    }
}
