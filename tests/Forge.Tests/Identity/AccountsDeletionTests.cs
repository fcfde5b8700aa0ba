using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>Personal-data export (everything, never a secret) and account deletion (password, sole-owned groups, forks kept).</summary>
public sealed class AccountsDeletionTests : IAsyncLifetime
{
    private const string Password = "la phrase de gaby";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _gaby = null!;
    private string _hugo = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        (_, _gaby) = await _server.CreateUserAsync("gaby", Password);
        (_, _hugo) = await _server.CreateUserAsync("hugo");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task MustAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    [Fact]
    public async Task The_export_holds_everything_but_secrets_and_deletion_keeps_other_peoples_forks_working()
    {
        using var gaby = _server.Client(_gaby);
        using var hugo = _server.Client(_hugo);
        await MustAsync(await gaby.PostAsJsonAsync("/api/v1/user/repos", new { name = "cours", auto_init = true, description = "Mon cours de SNT" }), HttpStatusCode.Created);
        await MustAsync(await hugo.PostAsJsonAsync("/api/v1/repos/gaby/cours/forks", new { }), HttpStatusCode.Accepted);
        await MustAsync(await hugo.PostAsJsonAsync("/api/v1/user/repos", new { name = "exos", auto_init = true }), HttpStatusCode.Created);
        await MustAsync(await gaby.PostAsJsonAsync("/api/v1/repos/hugo/exos/resource/reviews", new { rating = 4, opinion = "Très utile en seconde." }), HttpStatusCode.Created);
        await MustAsync(await gaby.PostAsJsonAsync("/api/v1/orgs", new { username = "equipe-snt" }), HttpStatusCode.Created);

        using var web = new WebSession(_server);
        await web.SignInAsync("gaby", Password);
        var export = await web.Http.GetAsync("/user/settings/account?handler=Export");
        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal("forge-gaby-donnees.json", export.Content.Headers.ContentDisposition!.FileNameStar ?? export.Content.Headers.ContentDisposition.FileName);
        var json = await export.Content.ReadAsStringAsync();
        var data = JsonDocument.Parse(json).RootElement;
        Assert.Equal("gaby", data.GetProperty("profile").GetProperty("user_name").GetString());
        Assert.Equal("gaby@ac-lyon.fr", data.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("teacher", data.GetProperty("profile").GetProperty("role").GetString());
        Assert.Equal("cours", data.GetProperty("repositories")[0].GetProperty("name").GetString());
        Assert.Equal("Très utile en seconde.", data.GetProperty("reviews")[0].GetProperty("opinion").GetString());
        Assert.Equal("hugo/exos", data.GetProperty("reviews")[0].GetProperty("repository").GetString());
        Assert.Equal("equipe-snt", data.GetProperty("memberships")[0].GetProperty("group").GetString());
        Assert.Equal("owner", data.GetProperty("memberships")[0].GetProperty("role").GetString());
        Assert.True(data.GetProperty("sessions").GetArrayLength() >= 1);
        var token = data.GetProperty("access_tokens")[0];
        Assert.Equal("tests", token.GetProperty("name").GetString());
        Assert.Equal(_gaby[^8..], token.GetProperty("ends_with").GetString());
        // Never a secret, a hash or a security stamp.
        Assert.DoesNotContain(_gaby, json);
        Assert.DoesNotContain("hash", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", json, StringComparison.OrdinalIgnoreCase);

        // Wrong password or name: nothing happens, and the page says why.
        var wrong = await web.PostFormAsync("/user/settings/account", "/user/settings/account?handler=Delete",
            new Dictionary<string, string> { ["ConfirmName"] = "gaby", ["Password"] = "pas la bonne" });
        Assert.Contains("Mot de passe incorrect : le compte n’a pas été supprimé.", AccountsSupport.Text(await wrong.Content.ReadAsStringAsync()));
        var wrongName = await web.PostFormAsync("/user/settings/account", "/user/settings/account?handler=Delete",
            new Dictionary<string, string> { ["ConfirmName"] = "Gaby", ["Password"] = Password });
        Assert.Contains("Saisissez exactement votre nom d’utilisateur, « gaby »", AccountsSupport.Text(await wrongName.Content.ReadAsStringAsync()));

        // The only owner of a group cannot leave it ownerless.
        var page = AccountsSupport.Text(await web.GetAsync("/user/settings/account"));
        Assert.Contains("Vous êtes le seul propriétaire de ces groupes", page);
        Assert.Contains("equipe-snt", page);
        var blocked = await web.PostFormAsync("/user/settings/account", "/user/settings/account?handler=Delete",
            new Dictionary<string, string> { ["ConfirmName"] = "gaby", ["Password"] = Password });
        Assert.Contains("Vous êtes le seul propriétaire de ces groupes : equipe-snt.", AccountsSupport.Text(await blocked.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await gaby.GetAsync("/api/v1/user")).StatusCode);

        // Hugo becomes an owner too: now it goes.
        await MustAsync(await gaby.PutAsJsonAsync("/api/v1/orgs/equipe-snt/members/hugo", new { role = "owner" }), HttpStatusCode.NoContent);
        var deleted = await web.PostFormAsync("/user/settings/account", "/user/settings/account?handler=Delete",
            new Dictionary<string, string> { ["ConfirmName"] = "gaby", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gaby.GetAsync("/api/v1/user")).StatusCode);
        Assert.False(await web.IsSignedInAsync());
        using (var again = new WebSession(_server))
            Assert.Equal(HttpStatusCode.OK, (await again.LoginAsync("gaby", Password)).StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/gaby/cours")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/gaby")).StatusCode);
        // Her review no longer counts; hugo's fork is an original now, whole, and clones.
        var exos = JsonDocument.Parse(await hugo.GetStringAsync("/api/v1/repos/hugo/exos/resource/reviews")).RootElement;
        Assert.Equal(0, exos.GetProperty("count").GetInt32());
        Assert.Equal(0, exos.GetProperty("reviews").GetArrayLength());
        var fork = JsonDocument.Parse(await hugo.GetStringAsync("/api/v1/repos/hugo/cours")).RootElement;
        Assert.False(fork.GetProperty("fork").GetBoolean());
        var git = new GitClient(_tmp.Sub("home"));
        await git.MustAsync(_tmp.Path, ("hugo", _hugo), "clone", "-q", _server.Url("/hugo/cours.git"), _tmp.Sub("clone"));
        await git.MustAsync(_tmp.Sub("clone"), null, "fsck", "--no-progress");
        Assert.True(File.Exists(Path.Combine(_tmp.Sub("clone"), "README.md")));
    }
}
