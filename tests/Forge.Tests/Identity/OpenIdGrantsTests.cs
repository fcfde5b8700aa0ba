using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// The other ways to get a token from Forge, over real HTTP: a command-line tool through the device flow (the user types
/// its code on /connect/device), a service acting as itself (client credentials), introspection, end of session; and
/// tokens that outlive a restart of the server (keys kept in data/keys).
/// </summary>
public sealed class OpenIdGrantsTests : IAsyncLifetime
{
    private const string PublicUrl = "https://forge.ac-exemple.fr/";
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _serviceSecret = null!;

    public async Task InitializeAsync()
    {
        // A public URL names the issuer, whatever port the server gets after a restart.
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0, "--Forge:PublicUrl", PublicUrl);
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "public");
        await _server.CreateRepositoryAsync(token, "prive", isPrivate: true);
        await _server.RegisterAsync("forge-cli", isPublic: true, redirectUris: []);
        _serviceSecret = (await _server.RegisterAsync("catalogue", isPublic: false, scopes: ["repo:read"], redirectUris: []))!;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, Dictionary<string, string> form)
    {
        var http = _server.Client();
        return Oidc.PostAsync(http, path, form);
    }

    [Fact]
    public async Task Device_flow_a_command_line_tool_gets_a_token_once_the_user_typed_its_code()
    {
        var (status, device) = await PostAsync("/connect/device_authorization", new() { ["client_id"] = "forge-cli", ["scope"] = "openid repo:read" });
        Assert.Equal(HttpStatusCode.OK, status);
        var userCode = device.GetProperty("user_code").GetString()!;
        var deviceCode = device.GetProperty("device_code").GetString()!;
        Assert.EndsWith("/connect/device", device.GetProperty("verification_uri").GetString());

        Dictionary<string, string> Poll() => new() { ["grant_type"] = DeviceGrant, ["device_code"] = deviceCode, ["client_id"] = "forge-cli" };
        var (pending, error) = await PostAsync("/connect/token", Poll());
        Assert.Equal(HttpStatusCode.BadRequest, pending);
        Assert.Equal("authorization_pending", error.GetProperty("error").GetString());

        using var web = new WebSession(_server);
        // Signed out, the page sends to the sign-in form first.
        Assert.Equal(HttpStatusCode.Redirect, (await web.Http.GetAsync("/connect/device")).StatusCode);
        await web.SignInAsync("alice", "motdepasse-solide");
        var form = await web.GetAsync("/connect/device");
        Assert.Contains("<label for=\"user_code\">Code affiché par l’application</label>", form);

        var wrong = await web.GetAsync("/connect/device?user_code=ABCD-EFGH");
        Assert.Contains("Le code « ABCD-EFGH » n’est pas valide ou a expiré", wrong);
        Assert.Contains("aria-describedby=\"user_code-error\"", wrong);

        var consentUrl = "/connect/device?user_code=" + Uri.EscapeDataString(userCode);
        var consent = await web.GetAsync(consentUrl);
        Assert.Contains("L’application « Application forge-cli » demande à accéder à votre compte", consent);
        Assert.Contains("lire et cloner les dépôts", consent);
        var (csrf, _) = await web.FormAsync(consentUrl);
        var answer = await web.Http.PostAsync("/connect/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = userCode, ["decision"] = "accept", ["__csrf"] = csrf,
        }));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Contains("C’est fait : l’application est autorisée", await web.GetAsync(answer.Headers.Location!.ToString()));

        var (ok, tokens) = await PostAsync("/connect/token", Poll());
        Assert.Equal(HttpStatusCode.OK, ok);
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal("alice", JsonDocument.Parse(await api.GetStringAsync("/api/v1/user")).RootElement.GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/alice/prive")).StatusCode);

        // The device code is spent.
        var (again, _) = await PostAsync("/connect/token", Poll());
        Assert.Equal(HttpStatusCode.BadRequest, again);
    }

    [Fact]
    public async Task Device_flow_refused_by_the_user_gives_access_denied()
    {
        var (_, device) = await PostAsync("/connect/device_authorization", new() { ["client_id"] = "forge-cli", ["scope"] = "repo:read" });
        var userCode = device.GetProperty("user_code").GetString()!;
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var (csrf, _) = await web.FormAsync("/connect/device?user_code=" + Uri.EscapeDataString(userCode));
        var answer = await web.Http.PostAsync("/connect/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = userCode, ["decision"] = "deny", ["__csrf"] = csrf,
        }));
        Assert.Contains("Vous avez refusé", await web.GetAsync(answer.Headers.Location!.ToString()));
        var (status, error) = await PostAsync("/connect/token", new()
        {
            ["grant_type"] = DeviceGrant, ["device_code"] = device.GetProperty("device_code").GetString()!, ["client_id"] = "forge-cli",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("access_denied", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Client_credentials_a_service_reads_public_data_only_and_can_introspect_its_token()
    {
        var (status, tokens) = await PostAsync("/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "catalogue", ["client_secret"] = _serviceSecret, ["scope"] = "repo:read",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var access = tokens.GetProperty("access_token").GetString()!;
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/alice/public")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/repos/alice/prive")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/user")).StatusCode);

        // A wrong secret gets nothing.
        var (refused, _) = await PostAsync("/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "catalogue", ["client_secret"] = "pas-le-bon-secret-du-tout", ["scope"] = "repo:read",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        // A scope the client was not given is refused.
        var (wider, _) = await PostAsync("/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "catalogue", ["client_secret"] = _serviceSecret, ["scope"] = "api",
        });
        Assert.Equal(HttpStatusCode.BadRequest, wider);

        Dictionary<string, string> Introspect() => new() { ["token"] = access, ["client_id"] = "catalogue", ["client_secret"] = _serviceSecret };
        var (_, active) = await PostAsync("/connect/introspect", Introspect());
        Assert.True(active.GetProperty("active").GetBoolean(), active.ToString());
        Assert.Equal("client:catalogue", active.GetProperty("sub").GetString());
        Assert.Equal("catalogue", active.GetProperty("client_id").GetString());

        var (revoked, _) = await PostAsync("/connect/revoke", new() { ["token"] = access, ["client_id"] = "catalogue", ["client_secret"] = _serviceSecret });
        Assert.Equal(HttpStatusCode.OK, revoked);
        var (_, inactive) = await PostAsync("/connect/introspect", Introspect());
        Assert.False(inactive.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/repos/alice/public")).StatusCode);
    }

    [Fact]
    public async Task Tokens_survive_a_restart_and_the_end_session_asks_before_signing_out()
    {
        await _server.RegisterAsync("outil-web", isPublic: true);
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var tokens = await _server.CodeFlowAsync(web, "outil-web", "openid repo:read offline_access");
        var keys = Directory.GetFiles(Path.Combine(_server.DataPath, "keys"), "oidc-*.pfx").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["oidc-encryption.pfx", "oidc-signing.pfx"], keys);

        await _server.RestartAsync(workers: 0);
        web.Reconnect(_server);
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/user")).StatusCode);

        // End session: a page that asks, then the Forge session ends and the browser goes back to the client.
        var logoutUrl = "/connect/logout?id_token_hint=" + tokens.GetProperty("id_token").GetString()
            + "&post_logout_redirect_uri=" + Uri.EscapeDataString(Oidc.Callback) + "&state=fin";
        var page = await web.GetAsync(logoutUrl);
        Assert.Contains("Se déconnecter de Forge ?", page);
        Assert.Contains("<a", await web.GetAsync("/user/settings/applications")); // still signed in: a GET changed nothing
        var (csrf, html) = await web.FormAsync(logoutUrl);
        var fields = System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).Where(p => p.Key != "__csrf").ToList();
        fields.Add(new("__csrf", csrf));
        var answer = await web.Http.PostAsync("/connect/logout", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal(Oidc.Callback + "?state=fin", answer.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await web.Http.GetAsync("/user/settings/applications")).StatusCode);
    }
}
