using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Forge.Web.Auth;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// Scopes on every path, with the real git client: a <c>repo:read</c> token (personal or from the OpenID Connect server)
/// clones and reads the API but cannot push nor write; <c>repo:write</c> pushes; a revoked token stops at the very next
/// request, for git and the API.
/// </summary>
public sealed class TokenScopeTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private ForgeUser _alice = null!;
    private string _full = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        _git = new GitClient(_tmp.Sub("home"));
        (_alice, _full) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(_full, "cours", isPrivate: true);
        var work = new TestRepo(_tmp.Sub("work"));
        work.Write("README.md", "# Cours\n").Commit("Première version");
        await _git.MustAsync(work.Path, ("alice", _full), "push", "-q", _server.Url("/alice/cours.git"), "main");
        await _server.RegisterAsync("outil-classe", isPublic: true, scopes: Forge.Web.OpenId.ForgeScopes.ServerScopes);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<string> PatAsync(params string[] scopes)
    {
        using var scope = _server.Services.CreateScope();
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<AccessTokenService>().CreateAsync(_alice.Id, "essai", default, scopes);
        return secret;
    }

    private async Task<string> OidcTokenAsync(string scope)
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        return (await _server.CodeFlowAsync(web, "outil-classe", scope)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Clones, then commits and pushes a change: the clone's result and the push's.</summary>
    private async Task<((int Code, string Output) Clone, (int Code, string Output) Push)> CloneAndPushAsync(string secret, string name)
    {
        var dir = Path.Combine(_tmp.Path, "clone-" + name);
        var clone = await _git.RunAsync(_tmp.Path, ("alice", secret), "clone", "-q", _server.Url("/alice/cours.git"), dir);
        if (clone.ExitCode != 0) return (clone, (-1, ""));
        new TestRepo(dir).Write($"{name}.md", name).Commit($"Ajout {name}");
        return (clone, await _git.RunAsync(dir, ("alice", secret), "push", "-q", "origin", "main"));
    }

    private HttpClient Api(string scheme, string secret)
    {
        var http = _server.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, secret);
        return http;
    }

    [Theory]
    [InlineData("pat")]
    [InlineData("oidc")]
    public async Task Read_only_token_clones_and_reads_but_cannot_push_nor_write(string kind)
    {
        var token = kind == "pat" ? await PatAsync("repo:read") : await OidcTokenAsync("openid repo:read");
        var (clone, push) = await CloneAndPushAsync(token, "lecture-" + kind);
        Assert.Equal(0, clone.Code);
        Assert.NotEqual(0, push.Code);
        Assert.Contains("403", push.Output);

        using var api = Api("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);
        var create = await api.PostAsJsonAsync("/api/v1/user/repos", new { name = "nouveau" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("il faut la portée « api »", await create.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.DeleteAsync("/api/v1/repos/alice/cours")).StatusCode);

        // git's own message for the refused push.
        using var raw = Api("Bearer", token);
        var refs = await raw.GetAsync("/alice/cours.git/info/refs?service=git-receive-pack");
        Assert.Equal(HttpStatusCode.Forbidden, refs.StatusCode);
        Assert.Contains("il faut la portée repo:write", await refs.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("pat")]
    [InlineData("oidc")]
    public async Task Write_token_pushes_but_cannot_write_through_the_API(string kind)
    {
        var token = kind == "pat" ? await PatAsync("repo:write") : await OidcTokenAsync("openid repo:write");
        var (clone, push) = await CloneAndPushAsync(token, "ecriture-" + kind);
        Assert.Equal(0, clone.Code);
        Assert.True(push.Code == 0, push.Output);
        using var api = Api("token", _full);
        var readme = await api.GetAsync($"/api/v1/repos/alice/cours/contents/ecriture-{kind}.md");
        Assert.Equal(HttpStatusCode.OK, readme.StatusCode);
        using var limited = Api("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.PostAsJsonAsync("/api/v1/user/repos", new { name = "autre" })).StatusCode);
    }

    [Fact]
    public async Task Api_scope_and_old_all_tokens_do_everything_the_user_can()
    {
        foreach (var token in new[] { await PatAsync("api"), _full, await OidcTokenAsync("openid api") })
        {
            using var api = Api("Bearer", token);
            var name = "depot-" + Guid.NewGuid().ToString("N")[..8];
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/user/repos", new { name })).StatusCode);
        }
        var (_, push) = await CloneAndPushAsync(await OidcTokenAsync("openid api"), "api");
        Assert.Equal(0, push.Code);
    }

    [Fact]
    public async Task A_token_for_sign_in_only_opens_nothing()
    {
        var token = await OidcTokenAsync("openid profile");
        using var api = Api("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);
        var (clone, _) = await CloneAndPushAsync(token, "connexion");
        Assert.NotEqual(0, clone.Code);
        // …but userinfo answers: that is what it is for.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/connect/userinfo")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_personal_token_stops_at_the_next_fetch_and_API_call()
    {
        var token = await PatAsync("repo:write");
        var (clone, _) = await CloneAndPushAsync(token, "revocation-pat");
        Assert.Equal(0, clone.Code);
        var dir = Path.Combine(_tmp.Path, "clone-revocation-pat");
        Assert.Equal(0, (await _git.RunAsync(dir, ("alice", token), "fetch", "-q", "origin")).ExitCode);
        using var api = Api("token", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);

        using (var scope = _server.Services.CreateScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<AccessTokenService>();
            var id = (await tokens.ListAsync(_alice.Id)).First(t => t.Name == "essai").Id;
            Assert.True(await tokens.RevokeAsync(_alice.Id, id));
        }
        var fetch = await _git.RunAsync(dir, ("alice", token), "fetch", "-q", "origin");
        Assert.NotEqual(0, fetch.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_access_token_stops_at_the_next_fetch_and_API_call()
    {
        var token = await OidcTokenAsync("openid repo:write");
        var (clone, _) = await CloneAndPushAsync(token, "revocation-oidc");
        Assert.Equal(0, clone.Code);
        var dir = Path.Combine(_tmp.Path, "clone-revocation-oidc");
        using var api = Api("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);

        using var http = _server.Client();
        var revoke = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["token_type_hint"] = "access_token", ["client_id"] = "outil-classe",
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        Assert.NotEqual(0, (await _git.RunAsync(dir, ("alice", token), "fetch", "-q", "origin")).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);
    }

    [Fact]
    public async Task An_expired_personal_token_is_refused()
    {
        using (var scope = _server.Services.CreateScope())
        {
            var (token, secret) = await scope.ServiceProvider.GetRequiredService<AccessTokenService>().CreateAsync(_alice.Id, "court", default, ["repo:read"], 1);
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            // Moved into the past rather than waiting a day.
            token.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
            using var api = Api("token", secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/repos/alice/cours")).StatusCode);
        }
    }

    [Fact]
    public async Task A_git_credential_helper_may_send_the_access_token_as_password_or_as_Bearer()
    {
        var token = await OidcTokenAsync("openid repo:read");
        var dir = Path.Combine(_tmp.Path, "clone-bearer");
        var (code, output) = await _git.RunAsync(_tmp.Path, null, "-c", $"http.extraHeader=Authorization: Bearer {token}", "clone", "-q", _server.Url("/alice/cours.git"), dir);
        Assert.True(code == 0, output);
        // A token is someone's: given with another user name, it is refused.
        var other = await _git.RunAsync(_tmp.Path, ("bob", token), "clone", "-q", _server.Url("/alice/cours.git"), Path.Combine(_tmp.Path, "clone-bob"));
        Assert.NotEqual(0, other.ExitCode);
    }
}
