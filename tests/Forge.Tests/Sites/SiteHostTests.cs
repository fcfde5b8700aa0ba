using System.Net;
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
    }
}
