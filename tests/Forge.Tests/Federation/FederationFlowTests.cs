using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Forge.Tests.Identity;
using Forge.Tests.Support;
using Forge.Web.Data;
using Forge.Web.Federation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Federation;

/// <summary>
/// Two real Forges over HTTP, without a browser: A (127.0.0.1) is the OpenID Connect provider, B (127.0.0.2, cookies
/// apart as another site's) is configured with A as provider « a ». Every step goes through the real endpoints:
/// B's login form, A's sign-in and consent, B's callback.
/// </summary>
public sealed class FederationFlowTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _a = null!;
    private ForgeServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await ForgeServer.StartAsync(_tmp.Sub("a"), workers: 0);
        _b = await ForgeServer.StartAsync(_tmp.Sub("b"), workers: 0,
            // New accounts on B are pupils unless the provider says otherwise: A's « user » maps to teacher.
            ["--urls", "http://127.0.0.2:0", "--Forge:Registration:DefaultRole", "student", .. ProviderArgs.For("a", "Forge A", _a.BaseAddress.ToString(), "forge-b", "secret-de-forge-b-assez-long",
                ("RoleClaim", "role"), ("RoleMapping:user", "teacher"), ("DisableLocalPassword", "true"))]);
        await _a.RegisterAsync("forge-b", isPublic: false, secret: "secret-de-forge-b-assez-long", redirectUris: [_b.Url("/signin-oidc/a")]);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>From B's login page to A and back: signs in on A when asked, consents when asked; ends where B sends.</summary>
    private async Task SignInThroughAAsync(CrossSiteSession browser, string user, bool consent = true, string start = "/user/login")
    {
        await browser.GoAsync(_b.Url(start));
        await browser.SubmitAsync("/user/login/external/a");
        if (browser.Url.AbsolutePath == "/user/login" && browser.Url.Authority == _a.BaseAddress.Authority)
            await browser.SubmitAsync("Input.Password", new Dictionary<string, string> { ["Input.UserName"] = user, ["Input.Password"] = "motdepasse-solide" });
        if (browser.Url.AbsolutePath == "/connect/authorize" && browser.Status == HttpStatusCode.OK)
            await browser.SubmitAsync("/connect/authorize", button: consent ? "accept" : "deny");
        // Whatever happens, the flow ends back on B: A never keeps the browser on an error of its own.
        Assert.True(browser.Url.Authority == _b.BaseAddress.Authority, $"stopped on {browser.Url} ({(int)browser.Status}):\n{string.Join("\n", browser.Trail)}");
    }

    private async Task<T> OnBAsync<T>(Func<UserManager<ForgeUser>, Task<T>> query)
    {
        using var scope = _b.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>());
    }

    private async Task<HttpStatusCode> BasicAsync(string user, string secret)
    {
        using var client = _b.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        return (await client.GetAsync("/api/v1/user")).StatusCode;
    }

    [Fact]
    public async Task First_sign_in_creates_a_federated_account_with_a_free_name_and_the_next_finds_it_by_subject()
    {
        await _a.CreateUserAsync("alice");
        // B already has another « alice » (another person, another address): the new account gets the next free name.
        using (var scope = _b.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>()
                .CreateAsync(new ForgeUser { UserName = "alice", Email = "alice@autre-academie.fr" }, "motdepasse-solide");

        using var browser = new CrossSiteSession();
        await SignInThroughAAsync(browser, "alice");
        Assert.True(_b.Url("/") == browser.Url.ToString(), string.Join("\n", browser.Trail));
        Assert.Contains("href=\"/alice-2\"", browser.Html); // signed in on B under her new account

        var (created, logins, hasPassword, role) = await OnBAsync(async users =>
        {
            var u = (await users.FindByNameAsync("alice-2"))!;
            return (u, await users.GetLoginsAsync(u), await users.HasPasswordAsync(u), (await users.GetClaimsAsync(u)).Single(c => c.Type == FederationService.RoleClaimType).Value);
        });
        Assert.Equal("alice@ac-lyon.fr", created.Email);
        Assert.True(created.EmailConfirmed);
        Assert.False(hasPassword);
        Assert.Equal("teacher", role); // A says « user », the configuration maps it to Forge's teacher
        Assert.Equal(InstanceRole.Teacher, created.Role); // the mapping wins over B's default role (student)
        Assert.False(created.IsAdmin);
        var login = Assert.Single(logins);
        Assert.Equal("a", login.LoginProvider);
        Assert.Equal((await OnAAsync(u => u.FindByNameAsync("alice")))!.Id.ToString(), login.ProviderKey);

        // Signed out of B, she signs in again: no consent asked (A remembers it), same account, no new one.
        await browser.GoAsync(_b.Url("/user/login"));
        await browser.SubmitAsync("/user/logout");
        await SignInThroughAAsync(browser, "alice");
        Assert.Contains("href=\"/alice-2\"", browser.Html);
        Assert.Equal(2, await OnBAsync(users => users.Users.CountAsync())); // the other alice, and alice-2: nothing more

        // Her only way in is A (no password): unlinking it is refused, with the reason.
        await browser.GoAsync(_b.Url("/user/settings/linked"));
        Assert.Contains("Forge A", browser.Html);
        await browser.SubmitAsync("Unlink");
        Assert.Equal(HttpStatusCode.Conflict, browser.Status);
        Assert.Contains("ce serait votre seul moyen de vous connecter", browser.Html);
        Assert.Single(await OnBAsync(async users => await users.GetLoginsAsync((await users.FindByNameAsync("alice-2"))!)));
    }

    [Fact]
    public async Task A_verified_address_of_a_local_account_is_linked_only_with_that_account_s_password()
    {
        await _a.CreateUserAsync("carole");
        await _b.CreateUserAsync("carole"); // same address carole@ac-lyon.fr, her own password on B

        using var browser = new CrossSiteSession();
        await SignInThroughAAsync(browser, "carole");
        Assert.Equal(_b.Url("/user/login/external/link"), browser.Url.ToString());
        Assert.Contains("Un compte Forge existe déjà avec l’adresse <strong>carole@ac-lyon.fr</strong>", browser.Html);
        Assert.Contains("autocomplete=\"current-password\"", browser.Html);

        await browser.SubmitAsync("Password", new Dictionary<string, string> { ["Password"] = "pas-le-bon-mot" });
        Assert.Contains("Mot de passe incorrect : le compte n’a pas été lié.", browser.Html);
        Assert.Contains("aria-describedby=\"Password-error\"", browser.Html);
        Assert.Empty(await OnBAsync(async users => await users.GetLoginsAsync((await users.FindByNameAsync("carole"))!)));

        await browser.SubmitAsync("Password", new Dictionary<string, string> { ["Password"] = "motdepasse-solide" });
        Assert.Equal(_b.Url("/"), browser.Url.ToString());
        Assert.Contains("href=\"/carole\"", browser.Html);
        Assert.Equal("a", Assert.Single(await OnBAsync(async users => await users.GetLoginsAsync((await users.FindByNameAsync("carole"))!))).LoginProvider);
        Assert.Equal(1, await OnBAsync(users => users.Users.CountAsync())); // linked, not duplicated
    }

    [Fact]
    public async Task An_unverified_address_is_never_linked_to_the_local_account_that_has_it()
    {
        // On A, someone registered with dan's address without proving it (not confirmed).
        await OnAAsync(users => users.CreateAsync(new ForgeUser { UserName = "mallory", Email = "dan@ac-lyon.fr", EmailConfirmed = false }, "motdepasse-solide"));
        await _b.CreateUserAsync("dan");

        using var browser = new CrossSiteSession();
        await SignInThroughAAsync(browser, "mallory");
        Assert.Equal("/user/login/external/error", browser.Url.AbsolutePath);
        Assert.Contains("ne la garantit pas vérifiée", browser.Html);
        Assert.Empty(await OnBAsync(async users => await users.GetLoginsAsync((await users.FindByNameAsync("dan"))!)));
        Assert.Equal(1, await OnBAsync(users => users.Users.CountAsync()));
    }

    [Fact]
    public async Task Once_linked_to_a_provider_that_disables_passwords_the_password_no_longer_opens_the_web_nor_git()
    {
        await _a.CreateUserAsync("eve");
        var (_, token) = await _b.CreateUserAsync("bob");
        Assert.Equal(HttpStatusCode.OK, await BasicAsync("bob", "motdepasse-solide")); // remembered as verified for git…

        // Signed in on B with his password, bob links his account on A from « Comptes liés ».
        using var browser = new CrossSiteSession();
        await browser.GoAsync(_b.Url("/user/login"));
        await browser.SubmitAsync("Input.Password", new Dictionary<string, string> { ["Input.UserName"] = "bob", ["Input.Password"] = "motdepasse-solide" });
        await SignInThroughAAsync(browser, "eve", start: "/user/settings/linked");
        Assert.Equal(_b.Url("/user/settings/linked?linked=a"), browser.Url.ToString());
        Assert.Contains("« Forge A » est maintenant lié à votre compte.", browser.Html);
        Assert.Contains("son mot de passe ne sert plus", browser.Html);

        // …but the link ends it at once: git and the API take his token only, the login form says why.
        Assert.Equal(HttpStatusCode.Unauthorized, await BasicAsync("bob", "motdepasse-solide"));
        Assert.Equal(HttpStatusCode.OK, await BasicAsync("bob", token));
        using var web = new WebSession(_b);
        var refused = await web.PostFormAsync("/user/login", "/user/login",
            new Dictionary<string, string> { ["Input.UserName"] = "bob", ["Input.Password"] = "motdepasse-solide" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Ce compte se connecte avec « Forge A » : son mot de passe n’est pas accepté.", await refused.Content.ReadAsStringAsync());
        await browser.GoAsync(_b.Url("/user/settings/applications"));
        Assert.Contains("federated-token-notice", browser.Html);

        // His password would be a way in again without A: unlinking is allowed, and the password works again.
        await browser.GoAsync(_b.Url("/user/settings/linked"));
        await browser.SubmitAsync("Unlink");
        Assert.Contains("Aucun fournisseur n’est lié à ce compte.", browser.Html);
        Assert.Equal(HttpStatusCode.OK, await BasicAsync("bob", "motdepasse-solide"));
    }

    [Fact]
    public async Task Refusing_at_a_s_consent_comes_back_to_b_as_a_french_explanation()
    {
        await _a.CreateUserAsync("fanny");
        using var browser = new CrossSiteSession();
        await SignInThroughAAsync(browser, "fanny", consent: false);
        Assert.Equal("/user/login/external/error", browser.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("Vous avez refusé de transmettre votre identité à Forge depuis « Forge A »", browser.Html);
        Assert.Equal(0, await OnBAsync(users => users.Users.CountAsync()));
    }

    private async Task<T> OnAAsync<T>(Func<UserManager<ForgeUser>, Task<T>> query)
    {
        using var scope = _a.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>());
    }
}
