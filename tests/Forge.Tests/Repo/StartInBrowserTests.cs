using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>A teacher who has never used git starts a repository from the browser (or a tool through the API).</summary>
public sealed class StartInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private WebSession _alice = null!;
    private GitClient _git = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice");
        _git = new GitClient(_tmp.Sub("home"));
        _alice = new WebSession(_server);
        await _alice.SignInAsync("alice", "motdepasse-solide");
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task<HttpResponseMessage> PostFormAsync(string page, Dictionary<string, string> fields) => _alice.PostFormAsync(page, page, fields);

    private async Task<string> CloneAsync(string repo)
    {
        var dir = _tmp.Sub("clone-" + repo);
        await _git.MustAsync(_tmp.Path, ("alice", _token), "clone", "-q", _server.Url($"/alice/{repo}.git"), dir);
        return dir;
    }

    [Fact]
    public async Task The_create_form_offers_a_README_and_the_repository_starts_with_one_commit()
    {
        Assert.Contains("name=\"Input.Initialize\" value=\"true\" checked=\"checked\"", await _alice.GetAsync("/repo/create"));
        var created = await PostFormAsync("/repo/create", new()
        {
            ["Input.Name"] = "algo-1re", ["Input.Description"] = "Algorithmique en première", ["Input.Visibility"] = "public",
            ["Input.Initialize"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var home = await _alice.GetAsync("/alice/algo-1re");
        Assert.DoesNotContain("Ce dépôt est vide", home);
        Assert.Contains("Algorithmique en première", home);

        var dir = await CloneAsync("algo-1re");
        Assert.Equal("# algo-1re\n\nAlgorithmique en première\n", File.ReadAllText(Path.Combine(dir, "README.md")));
        var log = await _git.MustAsync(dir, null, "log", "--format=%an|%s");
        Assert.Equal("alice|Création du dépôt", log.Trim());
    }

    [Fact]
    public async Task An_empty_repository_gets_its_first_file_from_the_browser_and_a_stale_first_commit_is_refused()
    {
        await PostFormAsync("/repo/create", new() { ["Input.Name"] = "vide", ["Input.Visibility"] = "public", ["Input.Initialize"] = "false" });
        var home = await _alice.GetAsync("/alice/vide");
        Assert.Contains("Ce dépôt est vide", home);
        Assert.Contains("href=\"/alice/vide/new/main\"", home);
        Assert.Contains("href=\"/alice/vide/upload/main\"", home);
        Assert.Equal(HttpStatusCode.OK, (await _alice.Http.GetAsync("/alice/vide/upload/main")).StatusCode);

        var form = await _alice.GetAsync("/alice/vide/new/main");
        Assert.Contains("première version du dépôt", form);
        Assert.DoesNotContain("Créer une nouvelle branche", form);
        var fields = new Dictionary<string, string>
        {
            ["Form.FilePath"] = "cours/intro.md", ["Form.Content"] = "# Introduction\n", ["Form.Message"] = "",
            ["Form.ExpectedTip"] = new string('0', 40), ["Form.Target"] = "branch",
        };
        var first = await PostFormAsync("/alice/vide/new/main", fields);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/alice/vide/blob/main/cours/intro.md", first.Headers.Location!.ToString());

        // A second tab still believes the repository is empty: refused, and the text is kept.
        fields["Form.FilePath"] = "autre.md";
        fields["Form.Content"] = "Texte du second onglet";
        var stale = await PostFormAsync("/alice/vide/new/main", fields);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var page = await stale.Content.ReadAsStringAsync();
        Assert.Contains("a été modifiée depuis que vous avez ouvert cette page", page);
        Assert.Contains("Texte du second onglet", page);

        var dir = await CloneAsync("vide");
        Assert.Equal("# Introduction\n", File.ReadAllText(Path.Combine(dir, "cours", "intro.md")));
        Assert.False(File.Exists(Path.Combine(dir, "autre.md")));
    }

    [Fact]
    public async Task The_API_honours_auto_init_and_default_branch_with_Gitea_field_names()
    {
        using var client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", _token);
        var response = await client.PostAsync("/api/v1/user/repos", new StringContent(
            """{"name":"exos","description":"Exercices","auto_init":true,"default_branch":"principale","private":false}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("principale", json.RootElement.GetProperty("default_branch").GetString());
        Assert.False(json.RootElement.GetProperty("empty").GetBoolean());
        Assert.Equal("# exos\n\nExercices\n", await client.GetStringAsync("/alice/exos/raw/principale/README.md"));

        var bad = await client.PostAsync("/api/v1/user/repos", new StringContent(
            """{"name":"autre","default_branch":"-x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("nom de branche valide", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/autre")).StatusCode);
    }
}
