using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// Forge as an OpenID Connect provider, driven over real HTTP like a client application and a user's browser session
/// would: discovery, authorization code with PKCE and consent, tokens used on the API, userinfo, refresh, and the
/// refusals that keep it safe (unregistered redirect URI, public client without PKCE, refused consent).
/// </summary>
public sealed class OpenIdProviderTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("alice");
        await _server.RegisterAsync("outil-classe", isPublic: true);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<WebSession> SignedInAsync(string user = "alice")
    {
        var web = new WebSession(_server);
        await web.SignInAsync(user, "motdepasse-solide");
        return web;
    }

    [Fact]
    public async Task Discovery_document_names_the_endpoints_and_scopes()
    {
        using var http = _server.Client();
        var doc = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var issuer = _server.BaseAddress.ToString();
        Assert.Equal(issuer, doc.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "connect/authorize", doc.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(issuer + "connect/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "connect/userinfo", doc.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(issuer + "connect/device_authorization", doc.GetProperty("device_authorization_endpoint").GetString());
        Assert.Equal(issuer + "connect/revoke", doc.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(issuer + "connect/introspect", doc.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(issuer + "connect/logout", doc.GetProperty("end_session_endpoint").GetString());
        var scopes = doc.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("repo:read", scopes);
        Assert.Contains("repo:write", scopes);
        Assert.Contains("api", scopes);
        Assert.Contains("S256", doc.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(s => s.GetString()));
        var keys = JsonDocument.Parse(await http.GetStringAsync(doc.GetProperty("jwks_uri").GetString())).RootElement.GetProperty("keys");
        Assert.True(keys.GetArrayLength() >= 1);
    }

    [Fact]
    public async Task Code_flow_with_PKCE_asks_consent_once_then_the_token_acts_as_the_user()
    {
        using var web = await SignedInAsync();
        var (verifier, challenge) = Oidc.Pkce();
        var url = Oidc.AuthorizeUrl("outil-classe", "openid profile email offline_access repo:read", challenge);

        var consent = await web.GetAsync(url);
        Assert.Contains("Autoriser « Application outil-classe »", consent);
        Assert.Contains("lire et cloner les dépôts auxquels vous avez accès", consent);
        Assert.Contains("connaître votre adresse électronique", consent);
        var redirect = Oidc.RedirectParameters(await web.AnswerConsentAsync(url, accept: true));
        Assert.Equal("etat-42", redirect["state"]);

        using var http = _server.Client();
        var (status, tokens) = await Oidc.PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = redirect["code"], ["redirect_uri"] = Oidc.Callback,
            ["client_id"] = "outil-classe", ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.True(tokens.TryGetProperty("id_token", out _));
        Assert.True(tokens.TryGetProperty("refresh_token", out _));

        // The API knows the user behind the token.
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var me = JsonDocument.Parse(await api.GetStringAsync("/api/v1/user")).RootElement;
        Assert.Equal("alice", me.GetProperty("login").GetString());

        // userinfo gives what the scopes allow.
        var info = JsonDocument.Parse(await api.GetStringAsync("/connect/userinfo")).RootElement;
        Assert.Equal("alice", info.GetProperty("preferred_username").GetString());
        Assert.Equal("alice@ac-lyon.fr", info.GetProperty("email").GetString());
        Assert.True(info.GetProperty("email_verified").GetBoolean());
        Assert.Equal("user", info.GetProperty("role").GetString());

        // The code is single-use.
        var (again, error) = await Oidc.PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = redirect["code"], ["redirect_uri"] = Oidc.Callback,
            ["client_id"] = "outil-classe", ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());

        // Consent is remembered: the next authorization goes straight back to the client.
        var (_, challenge2) = Oidc.Pkce();
        var second = await web.Http.GetAsync(Oidc.AuthorizeUrl("outil-classe", "openid profile email offline_access repo:read", challenge2));
        Assert.True(Oidc.RedirectParameters(second).ContainsKey("code"));
    }

    [Fact]
    public async Task Refresh_token_gives_a_new_access_token()
    {
        using var web = await SignedInAsync();
        var tokens = await _server.CodeFlowAsync(web, "outil-classe", "openid offline_access repo:read");
        using var http = _server.Client();
        var (status, refreshed) = await Oidc.PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = "outil-classe",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/user")).StatusCode);
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_back()
    {
        using var web = new WebSession(_server);
        var (_, challenge) = Oidc.Pkce();
        var url = Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge);
        var response = await web.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var login = response.Headers.Location!.ToString();
        Assert.StartsWith("/user/login?ReturnUrl=", new Uri(_server.BaseAddress, login).PathAndQuery);
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, login).Query)["ReturnUrl"].ToString();
        Assert.StartsWith("/connect/authorize?", returnUrl);
        // The sign-in page lets its form lead to the client's redirect URI (browsers apply form-action to redirects).
        var loginPage = await web.Http.GetAsync(login);
        Assert.Contains("form-action 'self' http://127.0.0.1:9", loginPage.Headers.GetValues("Content-Security-Policy").Single());
        var signIn = await web.PostFormAsync(login, login, new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice", ["Input.Password"] = "motdepasse-solide", ["ReturnUrl"] = returnUrl,
        });
        Assert.Equal(returnUrl, signIn.Headers.Location!.ToString());
        Assert.Contains("Autoriser « Application outil-classe »", await web.GetAsync(returnUrl));
    }

    [Fact]
    public async Task Refusing_consent_tells_the_client_access_denied_and_issues_nothing()
    {
        using var web = await SignedInAsync();
        var (_, challenge) = Oidc.Pkce();
        var url = Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge);
        var redirect = Oidc.RedirectParameters(await web.AnswerConsentAsync(url, accept: false));
        Assert.Equal("access_denied", redirect["error"]);
        Assert.False(redirect.ContainsKey("code"));
        // Nothing remembered: the next request asks again.
        Assert.Contains("Autoriser « Application outil-classe »", await web.GetAsync(url));
    }

    [Fact]
    public async Task A_consent_posted_without_the_anti_forgery_token_is_refused()
    {
        using var web = await SignedInAsync();
        var (_, challenge) = Oidc.Pkce();
        var url = Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, url).Query)
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).Append(new("decision", "accept"));
        var response = await web.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_decision_in_a_link_is_ignored()
    {
        using var web = await SignedInAsync();
        var (_, challenge) = Oidc.Pkce();
        var response = await web.Http.GetAsync(Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge) + "&decision=accept");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Autoriser « Application outil-classe »", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_is_refused_without_redirecting_to_it()
    {
        using var web = await SignedInAsync();
        var (_, challenge) = Oidc.Pkce();
        foreach (var uri in new[] { "http://evil.example/callback", Oidc.Callback + "/", Oidc.Callback + "?x=1", "http://127.0.0.1:9/CALLBACK" })
        {
            var response = await web.Http.GetAsync(Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge, redirectUri: uri));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_public_client_without_PKCE_is_refused()
    {
        using var web = await SignedInAsync();
        var response = await web.Http.GetAsync(Oidc.AuthorizeUrl("outil-classe", "openid repo:read", challenge: null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("code_challenge", await response.Content.ReadAsStringAsync());
    }
}
