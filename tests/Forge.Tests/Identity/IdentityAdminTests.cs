using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// The operator's commands (<c>forge admin client create</c>, <c>token create --scopes</c>, <c>user reset-password</c>) run
/// as a separate process on a running server's data, and the user's « Jetons d’accès » page (scopes, expiry, authorized
/// applications whose access can be withdrawn).
/// </summary>
public sealed class IdentityAdminTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task<(int Code, string Output)> AdminAsync(params string[] args) => ForgeProcess.AdminAsync(null, [.. args, "--data", _server.DataPath]);

    private static string LastLine(string output) => output.Trim().Split('\n')[^1].Trim();

    [Fact]
    public async Task Client_create_registers_a_confidential_client_whose_generated_secret_is_printed_once()
    {
        var (code, output) = await AdminAsync("client", "create", "moodle", "--name", "Moodle du lycée", "--redirect-uri", "https://moodle.lycee.fr/auth/oidc/",
            "--redirect-uri", "https://moodle.lycee.fr/retour", "--scopes", "openid,profile,email,repo:read");
        Assert.True(code == 0, output);
        Assert.Contains("Application « moodle » enregistrée (confidentielle)", output);
        var secret = LastLine(output);
        Assert.True(secret.Length >= 40, output);

        // The secret works at once against the running server (client credentials).
        using var http = _server.Client();
        var (status, _) = await Oidc.PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "moodle", ["client_secret"] = secret, ["scope"] = "repo:read",
        });
        Assert.Equal(HttpStatusCode.OK, status);

        (code, output) = await AdminAsync("client", "list");
        Assert.Contains("moodle\tconfidentielle", output);
        Assert.Contains("https://moodle.lycee.fr/auth/oidc/ https://moodle.lycee.fr/retour", output);
        Assert.DoesNotContain(secret, output);

        (code, output) = await AdminAsync("client", "create", "moodle", "--redirect-uri", "https://x.fr/");
        Assert.Equal(1, code);
        Assert.Contains("Une application « moodle » existe déjà.", output);
        (code, output) = await AdminAsync("client", "create", "outil", "--public", "--secret", "un-secret-assez-long", "--redirect-uri", "pas une adresse", "--scopes", "tout");
        Assert.Equal(1, code);
        Assert.Contains("Une application publique n’a pas de secret.", output);
        Assert.Contains("« pas une adresse » n’est pas une adresse de retour valide", output);
        Assert.Contains("Portée inconnue : « tout »", output);
        (code, output) = await AdminAsync("client", "list");
        Assert.DoesNotContain("outil", output);
    }

    [Fact]
    public async Task A_public_client_from_the_command_line_runs_the_PKCE_flow_and_deleting_it_stops_its_tokens()
    {
        var (code, output) = await AdminAsync("client", "create", "appli-mobile", "--public", "--redirect-uri", Oidc.Callback, "--scopes", "openid repo:read");
        Assert.True(code == 0, output);
        Assert.Contains("publique : PKCE obligatoire", output);
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var token = (await _server.CodeFlowAsync(web, "appli-mobile", "openid repo:read")).GetProperty("access_token").GetString();
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/user")).StatusCode);

        (code, output) = await AdminAsync("client", "delete", "appli-mobile");
        Assert.True(code == 0, output);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/user")).StatusCode);
    }

    [Fact]
    public async Task Token_create_with_scopes_and_expiry()
    {
        await _server.CreateRepositoryAsync((await _server.CreateUserAsync("bob")).Token, "cours");
        var (code, output) = await AdminAsync("token", "create", "bob", "--name", "sauvegarde", "--scopes", "repo:read", "--expires-days", "30");
        Assert.True(code == 0, output);
        Assert.Contains("portées : repo:read, expire le", output);
        using var api = _server.Client(LastLine(output));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/bob/cours")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/user/repos", new { name = "autre" })).StatusCode);

        (code, output) = await AdminAsync("token", "create", "bob", "--scopes", "repo:lire");
        Assert.Equal(1, code);
        Assert.Contains("Portée inconnue : « repo:lire »", output);
        (code, output) = await AdminAsync("token", "create", "bob", "--expires-days", "zéro");
        Assert.Equal(1, code);
        Assert.Contains("--expires-days attend un nombre de jours", output);
    }

    [Fact]
    public async Task Reset_password_prints_a_new_one_and_lifts_the_lockout_of_web_login_and_git()
    {
        using var web = new WebSession(_server);
        // Lockout after 5 failed attempts (web sign-in and git Basic count together).
        for (var i = 0; i < 5; i++)
            await web.PostFormAsync("/user/login", "/user/login", new Dictionary<string, string> { ["Input.UserName"] = "alice", ["Input.Password"] = "mauvais-" + i });
        var locked = await web.PostFormAsync("/user/login", "/user/login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice", ["Input.Password"] = "motdepasse-solide",
        });
        Assert.Contains("ce compte est verrouillé jusqu’à", await locked.Content.ReadAsStringAsync());
        using var basic = _server.Client();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:motdepasse-solide"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("/api/v1/user")).StatusCode);

        var (code, output) = await AdminAsync("user", "reset-password", "alice");
        Assert.True(code == 0, output);
        Assert.Contains("le compte est débloqué", output);
        var password = LastLine(output);
        Assert.True(password.Length >= 16);
        await web.SignInAsync("alice", password);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + password)));
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync("/api/v1/user")).StatusCode);

        (code, output) = await AdminAsync("user", "reset-password", "alice", "--password", "court");
        Assert.Equal(1, code);
        Assert.Contains("au moins 8 caractères", output);
        (code, output) = await AdminAsync("user", "reset-password", "personne");
        Assert.Equal(1, code);
        Assert.Contains("Utilisateur « personne » introuvable.", output);
    }

    [Fact]
    public async Task Tokens_page_chooses_scopes_and_expiry_and_withdraws_an_application()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var page = await web.GetAsync("/user/settings/applications");
        Assert.Contains("<legend>Ce que le jeton permet</legend>", page);

        var refused = await web.PostFormAsync("/user/settings/applications", "/user/settings/applications?handler=Create",
            new Dictionary<string, string> { ["Name"] = "sans portée", ["ExpiresInDays"] = "30" });
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Choisissez au moins une portée.", refusedHtml);
        Assert.Contains("value=\"sans portée\"", refusedHtml);

        var (csrf, _) = await web.FormAsync("/user/settings/applications");
        var created = await web.Http.PostAsync("/user/settings/applications?handler=Create", new FormUrlEncodedContent(
        [
            new("Name", "ordinateur du lycée"), new("Scopes", "repo:read"), new("Scopes", "repo:write"), new("ExpiresInDays", "30"), new("__csrf", csrf),
        ]));
        var html = await created.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "value=\"(forge_[0-9a-f]{40})\"").Groups[1].Value;
        Assert.NotEmpty(secret);
        Assert.Contains("<td>repo:read repo:write</td>", html);
        Assert.Contains(DateTime.UtcNow.AddDays(30).Year.ToString(), html);
        using var api = _server.Client(secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/user/repos", new { name = "x" })).StatusCode);

        // An application alice authorized is listed; withdrawing it stops its tokens at once.
        await _server.RegisterAsync("outil-classe", isPublic: true);
        var token = (await _server.CodeFlowAsync(web, "outil-classe", "openid repo:read")).GetProperty("access_token").GetString();
        using var app = _server.Client();
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/api/v1/user")).StatusCode);
        Assert.Contains("Application outil-classe", await web.GetAsync("/user/settings/applications"));
        var withdraw = await web.PostFormAsync("/user/settings/applications", "/user/settings/applications?handler=RevokeApplication",
            new Dictionary<string, string> { ["client"] = "outil-classe" });
        Assert.Equal(HttpStatusCode.Redirect, withdraw.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/v1/user")).StatusCode);
        Assert.DoesNotContain("Application outil-classe", await web.GetAsync("/user/settings/applications"));
    }

    [Fact]
    public async Task Administrators_register_and_delete_applications_on_admin_applications()
    {
        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync("/admin/applications")).StatusCode);

        await _server.CreateUserAsync("direction", admin: true);
        using var admin = new WebSession(_server);
        await admin.SignInAsync("direction", "motdepasse-solide");
        Assert.Contains("Aucune application n’est enregistrée.", await admin.GetAsync("/admin/applications"));

        var bad = await admin.PostFormAsync("/admin/applications", "/admin/applications?handler=Create", new Dictionary<string, string>
        {
            ["ClientId"] = "ent lycée", ["DisplayName"] = "ENT du lycée", ["RedirectUris"] = "https://ent.lycee.fr/retour#x", ["Scopes"] = "openid",
        });
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("L’identifiant doit faire de 1 à 100 caractères", badHtml);
        Assert.Contains("ne doit pas contenir de fragment", badHtml);
        Assert.Contains("aria-describedby=\"ClientId-error\"", badHtml);
        Assert.Contains("value=\"ENT du lycée\"", badHtml);

        var (csrf, _) = await admin.FormAsync("/admin/applications");
        var created = await admin.Http.PostAsync("/admin/applications?handler=Create", new FormUrlEncodedContent(
        [
            new("ClientId", "ent"), new("DisplayName", "ENT du lycée"), new("RedirectUris", "https://ent.lycee.fr/retour\nhttps://ent.lycee.fr/autre"),
            new("Scopes", "openid"), new("Scopes", "profile"), new("Scopes", "repo:read"), new("__csrf", csrf),
        ]));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Contains("Application « ent » enregistrée", html);
        var secret = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-secret\" class=\"mono\" readonly value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(secret);
        using var http = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await Oidc.PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ent", ["client_secret"] = secret, ["scope"] = "repo:read",
        })).Status);
        var list = await admin.GetAsync("/admin/applications");
        Assert.Contains("<code>https://ent.lycee.fr/autre</code>", list);
        Assert.DoesNotContain(secret, list);

        // Only an administrator may delete, and then the client is gone.
        var refused = await alice.PostFormAsync("/user/settings/applications", "/admin/applications?handler=Delete", new Dictionary<string, string> { ["client"] = "ent" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await admin.PostFormAsync("/admin/applications", "/admin/applications?handler=Delete", new Dictionary<string, string> { ["client"] = "ent" });
        Assert.Contains("Aucune application n’est enregistrée.", await admin.GetAsync("/admin/applications"));
    }
}
