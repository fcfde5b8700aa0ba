using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// What the account pages do, through the API: personal access tokens (Gitea's <c>/users/{name}/tokens</c>; creating one
/// takes the password, never a token), web sessions signed out from a script, and the personal-data export.
/// </summary>
public sealed class AccountApiTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private HttpClient WithPassword(string user)
    {
        var client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:motdepasse-solide")));
        return client;
    }

    [Fact]
    public async Task A_token_is_made_with_the_password_listed_without_its_secret_and_revoked_at_once()
    {
        using var alice = WithPassword("alice");
        var created = await alice.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = "script de sauvegarde", scopes = new[] { "repo:read" }, expires_in_days = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = json.GetProperty("sha1").GetString()!;
        Assert.StartsWith("forge_", secret);
        Assert.Equal(["repo:read"], json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        using var script = _server.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/user")).StatusCode);
        // A token cannot make another token: a read-only one may not write through the API at all, and even a token
        // with every right is asked for the password.
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = "plus fort", scopes = new[] { "api" } })).StatusCode);
        var full = (await (await alice.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = "tout", scopes = new[] { "api" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sha1").GetString()!;
        using var fullScript = _server.Client(full);
        var minted = await fullScript.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = "encore", scopes = new[] { "api" } });
        Assert.Equal(HttpStatusCode.Unauthorized, minted.StatusCode);
        Assert.Contains("mot de passe", await minted.Content.ReadAsStringAsync());

        var listed = await alice.GetStringAsync("/api/v1/users/alice/tokens");
        Assert.Contains("script de sauvegarde", listed);
        Assert.Contains(secret[^8..], listed);
        Assert.DoesNotContain(secret, listed);

        // Bob sees and touches none of Alice's tokens.
        using var bob = WithPassword("bob");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/users/alice/tokens")).StatusCode);
        var id = json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync($"/api/v1/users/alice/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v1/users/bob/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/user")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/v1/users/alice/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/user")).StatusCode);

        // Bad input: no name, an unknown scope.
        var unnamed = await alice.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = " " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unnamed.StatusCode);
        Assert.Contains("Donnez un nom au jeton.", await unnamed.Content.ReadAsStringAsync());
        var unknown = await alice.PostAsJsonAsync("/api/v1/users/alice/tokens", new { name = "x", scopes = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("Portée inconnue : « admin »", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_web_session_signed_out_through_the_api_fails_at_its_next_request_and_the_export_holds_no_secret()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.OK, (await web.Http.GetAsync("/user/settings/sessions")).StatusCode);

        using var alice = WithPassword("alice");
        var sessions = await alice.GetFromJsonAsync<JsonElement>("/api/v1/user/sessions");
        var session = Assert.Single(sessions.EnumerateArray());
        var id = session.GetProperty("id").GetString()!;
        using var bob = WithPassword("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v1/user/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.Http.GetAsync("/user/settings/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/v1/user/sessions/{id}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await web.Http.GetAsync("/user/settings/sessions")).StatusCode);

        var export = await alice.GetStringAsync("/api/v1/user/export");
        Assert.Contains("alice@ac-lyon.fr", export);
        Assert.DoesNotContain("PasswordHash", export, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SecurityStamp", export, StringComparison.OrdinalIgnoreCase);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/user/export")).StatusCode);
    }
}
