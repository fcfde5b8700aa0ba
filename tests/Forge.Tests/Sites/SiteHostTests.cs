using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Sites;

/// <summary>
/// Course sites on their own host name (<c>Forge:Sites:Domain</c>): the published site of a public repository at
/// <c>http://alice.sites.forge.example/cours/</c>, requests sent with that Host header to the loopback server. The site
/// host is another origin: only the site and its search, never a cookie accepted or set, private sites, previews, build
/// logs and Forge's own pages absent. One server for all.
/// </summary>
public sealed class SiteHostTests : IAsyncLifetime
{
    private const string Domain = "sites.forge.example";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 1, "--Forge:Sites:Domain", Domain);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task<HttpResponseMessage> OnHostAsync(HttpClient client, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_public_site_is_served_on_its_owners_host_as_an_anonymous_page_and_nothing_else_is()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(alice, "cours");
        await _server.CreateRepositoryAsync(alice, "prive", isPrivate: true);
        var git = new GitClient(_tmp.Sub("home"));
        foreach (var name in new[] { "cours", "prive" })
        {
            var work = new TestRepo(_tmp.Sub(name));
            work.Write("docs/index.md", $"# Accueil {name}\n\nBienvenue dans le cours sur les suites.\n")
                .Write("docs/chap1.md", "# Chapitre 1\n\nLes suites géométriques.\n");
            work.Commit("Site");
            await git.MustAsync(work.Path, ("alice", alice), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
        }
        using var session = new WebSession(_server);
        await session.SignInAsync("alice", "motdepasse-solide");
        await Wait.UntilAsync(async () => (await session.GetAsync("/alice/prive/site/")).Contains("Accueil prive")
                                         && (await session.GetAsync("/alice/cours/site/")).Contains("Accueil cours"), "both sites are built", 60);

        var client = _server.Client();
        const string host = "alice." + Domain;
        using (var home = await OnHostAsync(client, host, "/cours/"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            var html = await home.Content.ReadAsStringAsync();
            Assert.Contains("Accueil cours", html);
            Assert.Contains("href=\"chap1/\"", html);
            Assert.Contains("action=\"/cours/-/search\"", html);
            // Only the site: none of Forge's header, account links or forms.
            Assert.DoesNotContain("/user/login", html);
            Assert.DoesNotContain("__csrf", html);
            Assert.False(home.Headers.Contains("Set-Cookie"));
        }
        Assert.Contains("Les suites géométriques", await (await OnHostAsync(client, host, "/cours/chap1/")).Content.ReadAsStringAsync());
        using (var bare = await OnHostAsync(client, host, "/cours"))
            Assert.Equal("/cours/", bare.Headers.Location!.OriginalString);
        using (var search = await OnHostAsync(client, host, "/cours/-/search?q=g%C3%A9om%C3%A9triques"))
        {
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            Assert.Contains("href=\"/cours/chap1/\"", await search.Content.ReadAsStringAsync());
        }
        using (var css = await OnHostAsync(client, host, "/assets/course-site.css"))
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);

        // The same session that opens the private site on Forge's host is nobody on the site host: cookies are dropped.
        var cookies = session.Cookies.GetCookieHeader(_server.BaseAddress);
        Assert.Contains("Accueil prive", await session.GetAsync("/alice/prive/site/"));
        foreach (var path in new[] { "/prive/", "/cours/-/builds", "/cours/-/preview/main/", "/", "/user/login", "/alice/cours" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            request.Headers.Add("Cookie", cookies);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on the site host: {(int)response.StatusCode}");
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} sets a cookie on the site host");
            Assert.DoesNotContain("Accueil prive", await response.Content.ReadAsStringAsync());
        }
        using (var token = await OnHostAsync(_server.Client(alice), host, "/prive/"))
            Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        using (var post = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/cours/") { Headers = { Host = host } }))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        // Another owner's host, the bare domain, and Forge's own host are unaffected.
        Assert.Equal(HttpStatusCode.NotFound, (await OnHostAsync(client, "bob." + Domain, "/cours/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await OnHostAsync(client, Domain, "/cours/")).StatusCode);
        Assert.Contains("Accueil cours", await client.GetStringAsync("/alice/cours/site/"));

        // A host name of its own, chosen by a maintainer in the site settings (no DNS here: the name only routes requests).
        var settings = await session.GetAsync("/alice/cours/settings/site");
        Assert.Contains("http://alice." + Domain + "/cours/", settings);
        using (var saved = await session.PostFormAsync("/alice/cours/settings/site", "/alice/cours/settings/site", new Dictionary<string, string> { ["Host"] = " Cours.Lycee-X.fr. " }))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("value=\"cours.lycee-x.fr\"", await session.GetAsync("/alice/cours/settings/site"));
        Assert.Contains("Accueil cours", await (await OnHostAsync(client, "cours.lycee-x.fr", "/")).Content.ReadAsStringAsync());
        using (var search = await OnHostAsync(client, "cours.lycee-x.fr", "/-/search?q=suites"))
            Assert.Contains("href=\"/chap1/\"", await search.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await OnHostAsync(client, "cours.lycee-x.fr", "/-/builds")).StatusCode);
        // Refusals, with the reason next to the field, nothing saved.
        foreach (var (bad, reason) in new[] { ("pas un nom", "n’est pas un nom d’hôte valide"), ("x." + Domain, "est un nom de Forge"), ("127.0.0.1", "n’est pas un nom d’hôte valide") })
        {
            using var refused = await session.PostFormAsync("/alice/cours/settings/site", "/alice/cours/settings/site", new Dictionary<string, string> { ["Host"] = bad });
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Contains(reason, page);
            Assert.Contains("aria-describedby=\"host-hint host-error\"", page);
        }
        Assert.Contains("value=\"cours.lycee-x.fr\"", await session.GetAsync("/alice/cours/settings/site"));
        // Through the API: one repository per name; a private repository's name serves nothing; strangers may not choose.
        using var api = _server.Client(alice);
        using (var taken = await api.PutAsJsonAsync("/api/v1/repos/alice/prive/site/host", new { host = "cours.lycee-x.fr" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
            Assert.Contains("déjà celui du site d’un autre dépôt", await taken.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/repos/alice/prive/site/host", new { host = "prive.lycee-x.fr" })).StatusCode);
        Assert.Contains("prive.lycee-x.fr", await api.GetStringAsync("/api/v1/repos/alice/prive/site/host"));
        Assert.Contains("/api/v1/repos/{owner}/{repo}/site/host", await client.GetStringAsync("/api/v1/openapi.json"));
        Assert.Equal(HttpStatusCode.NotFound, (await OnHostAsync(client, "prive.lycee-x.fr", "/")).StatusCode);
        var (_, bob) = await _server.CreateUserAsync("bob");
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.Client(bob).PutAsJsonAsync("/api/v1/repos/alice/cours/site/host", new { host = "pirate.example.org" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client(bob).GetAsync("/alice/cours/settings/site")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/repos/alice/cours/site/host")).StatusCode);
        Assert.DoesNotContain("Accueil cours", await (await OnHostAsync(client, "cours.lycee-x.fr", "/")).Content.ReadAsStringAsync());
    }
}
