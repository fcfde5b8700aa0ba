using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.EndToEnd;

/// <summary>Bad input gets a clear, specific answer and loses nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _aliceToken = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _aliceToken) = await _server.CreateUserAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Theory]
    [InlineData("api", "réservé")]
    [InlineData("admin", "réservé")]
    [InlineData("search", "réservé")]
    [InlineData("a..b", "« .. »")]
    [InlineData("cours/nsi", "pas d’espace ni de « / »")]
    [InlineData("-cours", "commencer par « - »")]
    [InlineData(".cours", "commencer par « - » ni par « . »")]
    [InlineData("cours.git", "« .git »")]
    [InlineData("cours nsi", "pas d’espace")]
    [InlineData("", "obligatoire")]
    public async Task The_api_refuses_an_invalid_repository_name_with_a_specific_message(string name, string expected)
    {
        using var api = _server.Client(_aliceToken);
        var response = await api.PostAsync("/api/v1/user/repos", new StringContent(JsonSerializer.Serialize(new { name }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();
        Assert.Contains(expected, message);
        Assert.False(Directory.EnumerateDirectories(Path.Combine(_server.DataPath, "repos"), "*.git", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task A_duplicate_name_is_refused_by_the_api_and_by_the_form_which_keeps_what_was_typed()
    {
        await _server.CreateRepositoryAsync(_aliceToken, "Cours-NSI");
        using var api = _server.Client(_aliceToken);
        var again = await api.PostAsync("/api/v1/user/repos", new StringContent("{\"name\":\"cours-nsi\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("déjà un dépôt nommé", await again.Content.ReadAsStringAsync());

        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var form = await web.PostFormAsync("/repo/create", "/repo/create", new Dictionary<string, string>
        {
            ["Input.Name"] = "cours-nsi", ["Input.Description"] = "Ma description soigneusement rédigée", ["Input.Visibility"] = "private",
        });
        var html = await form.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Vous avez déjà un dépôt nommé « cours-nsi »", html);
        Assert.Contains("href=\"#Input_Name\"", html); // the error is linked to its field
        Assert.Contains("Ma description soigneusement rédigée</textarea>", html);
        Assert.Matches("id=\"vis-private\"[^>]*checked", html);

        var reserved = await web.PostFormAsync("/repo/create", "/repo/create", new Dictionary<string, string> { ["Input.Name"] = "admin" });
        Assert.Contains("« admin » est un nom réservé", await reserved.Content.ReadAsStringAsync());

        var ok = await web.PostFormAsync("/repo/create", "/repo/create", new Dictionary<string, string> { ["Input.Name"] = "projet-snt" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/alice/projet-snt", ok.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var response = await web.Http.PostAsync("/repo/create", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Name"] = "csrf" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var api = _server.Client(_aliceToken);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/repos/alice/csrf")).StatusCode);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_for_git_api_and_login()
    {
        await _server.CreateRepositoryAsync(_aliceToken, "cours");
        var work = _tmp.Sub("work");
        File.WriteAllText(Path.Combine(work, "README.md"), "# Cours\n");
        await _git.MustAsync(work, null, "init", "-q");
        await _git.MustAsync(work, null, "add", ".");
        await _git.MustAsync(work, null, "commit", "-q", "-m", "x");

        var (code, output) = await _git.RunAsync(work, ("alice", "forge_0000000000000000000000000000000000000000"), "push", _server.Url("/alice/cours.git"), "main");
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output);
        (code, output) = await _git.RunAsync(work, ("alice", "mauvais-mot-de-passe"), "push", _server.Url("/alice/cours.git"), "main");
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output);

        using var badApi = _server.Client("forge_not-a-real-token");
        var response = await badApi.GetAsync("/api/v1/user");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Jeton ou identifiants invalides", await response.Content.ReadAsStringAsync());

        using var web = new WebSession(_server);
        var login = await web.PostFormAsync("/user/login", "/user/login",
            new Dictionary<string, string> { ["Input.UserName"] = "alice", ["Input.Password"] = "faux" });
        Assert.Contains("Nom d’utilisateur ou mot de passe incorrect", await login.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_push_to_a_repository_one_cannot_write_is_refused_and_changes_nothing()
    {
        var (_, bob) = await _server.CreateUserAsync("bob");
        await _server.CreateRepositoryAsync(_aliceToken, "commun");
        var work = _tmp.Sub("alice-work");
        File.WriteAllText(Path.Combine(work, "README.md"), "# Commun\n");
        await _git.MustAsync(work, null, "init", "-q");
        await _git.MustAsync(work, null, "add", ".");
        await _git.MustAsync(work, null, "commit", "-q", "-m", "alice");
        await _git.MustAsync(work, ("alice", _aliceToken), "push", "-q", _server.Url("/alice/commun.git"), "main");
        var before = await _git.MustAsync(work, null, "ls-remote", _server.Url("/alice/commun.git"));

        File.WriteAllText(Path.Combine(work, "README.md"), "# Vandalisé\n");
        await _git.MustAsync(work, null, "commit", "-q", "-am", "bob");
        var (code, output) = await _git.RunAsync(work, ("bob", bob), "push", _server.Url("/alice/commun.git"), "main");
        Assert.NotEqual(0, code);
        Assert.Contains("403", output);
        var (anonCode, anonOutput) = await _git.RunAsync(work, null, "push", _server.Url("/alice/commun.git"), "main");
        Assert.NotEqual(0, anonCode);
        Assert.Contains("could not read Username", anonOutput);

        Assert.Equal(before, await _git.MustAsync(work, null, "ls-remote", _server.Url("/alice/commun.git")));
    }

    [Theory]
    [InlineData("/alice/cours/raw/main/../../../../etc/passwd", 404)]
    [InlineData("/alice/cours/raw/main/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404)]
    [InlineData("/alice/cours/raw/main/..%2f..%2f..%2fetc%2fpasswd", 404)]
    [InlineData("/alice/cours/blob/main/..%2F..%2F..%2F..%2Fetc%2Fpasswd", 404)]
    [InlineData("/alice/cours/raw/main/..%5c..%5cetc%5cpasswd", 404)]
    [InlineData("/alice/cours/raw/--upload-pack=touch%20pwned/README.md", 404)]
    [InlineData("/alice/cours/raw/main%00/README.md", 400)]
    [InlineData("/alice/cours/blob/HEAD~1/README.md", 404)]
    [InlineData("/alice/cours/raw/main@{0}/README.md", 404)]
    [InlineData("/alice/cours/tree/main/%2e%2e/%2e%2e", 200)] // normalised by the server to the repository page itself
    public async Task Path_traversal_and_ref_injection_in_urls_find_nothing(string url, int expected)
    {
        await EnsurePushedCourseAsync();
        var (status, body) = await RawRequestAsync(url);
        Assert.Equal(expected, status);
        Assert.DoesNotContain("root:x:0", body);
        Assert.False(File.Exists(Path.Combine(_server.DataPath, "pwned")));
        Assert.False(File.Exists(Path.Combine(_server.DataPath, "git-home", "pwned")));
    }

    private async Task EnsurePushedCourseAsync()
    {
        await _server.CreateRepositoryAsync(_aliceToken, "cours");
        var work = _tmp.Sub("course");
        File.WriteAllText(Path.Combine(work, "README.md"), "# Cours\n");
        await _git.MustAsync(work, null, "init", "-q");
        await _git.MustAsync(work, null, "add", ".");
        await _git.MustAsync(work, null, "commit", "-q", "-m", "x");
        await _git.MustAsync(work, ("alice", _aliceToken), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var client = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alice/cours/raw/main/README.md")).StatusCode);
    }

    /// <summary>Sends the request line exactly as written (HttpClient would normalise dot segments).</summary>
    private async Task<(int Status, string Body)> RawRequestAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1]);
        return (status, response);
    }
}
