using System.Net;
using Forge.Tests.Support;
using Forge.Web.Federation;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Forge.Tests.Federation;

/// <summary>
/// Provider configuration, names made from what a provider says, and the ugly paths that need no provider at all:
/// an unknown provider, one that does not answer, a callback nobody started.
/// </summary>
public sealed class FederationConfigTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0,
            // Nothing listens on that port: the provider is down.
            ProviderArgs.For("acad", "Académie de Lyon", $"http://127.0.0.1:{ForgeProcess.FreePort()}/", "forge"));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static FederationProviders Parse(params (string Key, string Value)[] values) =>
        FederationProviders.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Forge:Federation:Providers:0:" + v.Key, v.Value))).Build());

    [Theory]
    [InlineData("Éloïse Martin", "Eloise-Martin")]
    [InlineData("jean.dupont", "jean-dupont")]
    [InlineData("  --françois__ ", "francois")]
    [InlineData("admin", "admin-1")]
    [InlineData("用户", null)]
    [InlineData("", null)]
    public void A_provider_name_becomes_a_valid_forge_user_name(string given, string? expected) =>
        Assert.Equal(expected, FederationService.UserNameFrom(given));

    [Fact]
    public void A_long_name_is_cut_to_39_characters_and_stays_valid()
    {
        var name = FederationService.UserNameFrom(new string('a', 30) + " " + new string('b', 30));
        Assert.NotNull(name);
        Assert.Equal(39, name.Length);
        Assert.Null(Forge.Core.Naming.NameRules.ValidateUserName(name));
    }

    [Fact]
    public void Configuration_is_read_with_defaults_and_role_mapping()
    {
        var provider = Assert.Single(Parse(("Name", "ac-lyon"), ("Issuer", "https://idp.ac-lyon.fr/realms/agents"), ("ClientId", "forge"),
            ("Scopes", "profile email"), ("RoleClaim", "fonction"), ("RoleMapping:enseignant", "teacher"), ("RoleMapping:eleve", "student"),
            ("DisableLocalPassword", "true")).All);
        Assert.Equal("ac-lyon", provider.DisplayName);
        Assert.Equal(["openid", "profile", "email"], provider.Scopes);
        Assert.Equal("preferred_username", provider.UserNameClaim);
        Assert.Equal("teacher", provider.MapRole(["documentaliste", "Enseignant"]));
        Assert.Null(provider.MapRole(["documentaliste"]));
        Assert.True(provider.DisableLocalPassword);
        Assert.Equal("/signin-oidc/ac-lyon", provider.CallbackPath);
    }

    [Theory]
    [InlineData("http://idp.ac-lyon.fr/", "Issuer", "https")]
    [InlineData("idp.ac-lyon.fr", "Issuer", "adresse absolue")]
    [InlineData("ftp://127.0.0.1/", "Issuer", "adresse absolue")]
    public void A_plain_http_or_malformed_issuer_is_refused_at_start(string issuer, string key, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("Name", "acad"), ("Issuer", issuer), ("ClientId", "forge")));
        Assert.Contains(key, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Académie")]
    [InlineData("error")]
    [InlineData("")]
    public void A_provider_name_that_cannot_be_a_url_segment_is_refused(string name)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("Name", name), ("Issuer", "https://idp.example/"), ("ClientId", "forge")));
        Assert.Contains("nom de fournisseur", error.Message);
    }

    [Fact]
    public void Plain_http_is_accepted_on_loopback_only() =>
        Assert.Equal("http://127.0.0.2:8080/", Parse(("Name", "a"), ("Issuer", "http://127.0.0.2:8080/"), ("ClientId", "forge")).All[0].Issuer.ToString());

    [Fact]
    public async Task The_login_page_offers_each_provider_as_a_form_with_its_token_and_allows_its_origin()
    {
        using var client = _server.Client();
        var response = await client.GetAsync("/user/login?ReturnUrl=%2Fexplore");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/user/login/external/acad\"", html);
        Assert.Contains("Se connecter avec Académie de Lyon", html);
        Assert.Contains("name=\"ReturnUrl\" value=\"/explore\"", html);
        // The redirection to the provider follows a form submission: the page's CSP must let it through.
        Assert.Contains("form-action 'self' http://127.0.0.1:", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task An_unknown_provider_is_404_and_a_get_does_not_start_a_flow()
    {
        using var web = new WebSession(_server);
        var unknown = await web.PostFormAsync("/user/login", "/user/login/external/inconnu", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync("/signin-oidc/inconnu?code=x&state=y")).StatusCode);
        var get = await web.Http.GetAsync("/user/login/external/acad");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Equal("/user/login", get.Headers.Location!.ToString());
        // Without the anti-forgery token, nothing starts either.
        var forged = await web.Http.PostAsync("/user/login/external/acad", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_ends_on_a_french_explanation()
    {
        using var web = new WebSession(_server);
        var started = await web.PostFormAsync("/user/login", "/user/login/external/acad", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal("/user/login/external/error?provider=acad&reason=injoignable", started.Headers.Location!.ToString());
        var page = await web.Http.GetAsync(started.Headers.Location);
        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Connexion avec Académie de Lyon impossible", html);
        Assert.Contains("« Académie de Lyon » ne répond pas pour le moment", html);
    }

    [Fact]
    public async Task A_callback_nobody_started_is_refused_with_a_french_explanation()
    {
        using var web = new WebSession(_server);
        var callback = await web.Http.GetAsync("/signin-oidc/acad?code=abc&state=forged");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/user/login/external/error?provider=acad&reason=session", callback.Headers.Location!.ToString());
        var html = await web.GetAsync(callback.Headers.Location.ToString());
        Assert.Contains("La demande de connexion a expiré ou ne vient pas de ce navigateur", html);
        Assert.Contains("Connexion avec Académie de Lyon impossible", html);
    }

    [Fact]
    public async Task The_admin_page_lists_providers_with_their_callback_url_and_is_hidden_from_others()
    {
        await _server.CreateUserAsync("root", admin: true);
        await _server.CreateUserAsync("bob");
        using var admin = new WebSession(_server);
        await admin.SignInAsync("root", "motdepasse-solide");
        var html = await admin.GetAsync("/admin/federation");
        Assert.Contains("Académie de Lyon", html);
        Assert.Contains(_server.Url("/signin-oidc/acad"), html);
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync("/admin/federation")).StatusCode);
    }
}
