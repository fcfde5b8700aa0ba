using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>The whole-page cache for anonymous visitors never shows stale or private content.</summary>
public sealed class PublicPageCacheTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task A_push_a_new_description_and_a_switch_to_private_are_seen_at_once_by_anonymous_visitors()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours", description: "Première description");
        var git = new GitClient(_tmp.Sub("home"));
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Version un\n").Commit("un");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var anonymous = _server.Client();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            Assert.Contains("Version un", await anonymous.GetStringAsync("/alice/cours"));
            Assert.Contains("Version un", await anonymous.GetStringAsync("/alice/cours/blob/main/README.md"));
        }

        repo.Write("README.md", "# Version deux\n").Commit("deux");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        Assert.Contains("Version deux", await anonymous.GetStringAsync("/alice/cours"));
        Assert.Contains("Version deux", await anonymous.GetStringAsync("/alice/cours/blob/main/README.md"));
        Assert.Equal("# Version deux\n", await anonymous.GetStringAsync("/alice/cours/raw/main/README.md"));

        using var api = _server.Client(token);
        var patch = await api.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { description = "Nouvelle description" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Contains("Nouvelle description", await anonymous.GetStringAsync("/alice/cours"));

        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true })).StatusCode);
        foreach (var path in new[] { "/alice/cours", "/alice/cours/blob/main/README.md", "/alice/cours/raw/main/README.md" })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Signed_in_visitors_get_their_own_page_not_the_anonymous_copy()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours");
        var git = new GitClient(_tmp.Sub("home"));
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Cours\n").Commit("un");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var anonymous = _server.Client();
        Assert.Contains("Se connecter", await anonymous.GetStringAsync("/alice/cours"));
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var mine = await web.GetAsync("/alice/cours");
        Assert.Contains("Se déconnecter", mine);
        Assert.Contains("Nouveau fichier", mine);
    }

    [Fact]
    public async Task Anonymous_browsers_revalidate_public_pages_and_get_304_until_the_repository_changes()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours");
        var git = new GitClient(_tmp.Sub("home"));
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Un\n").Commit("un");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var anonymous = _server.Client();

        async Task<HttpResponseMessage> GetAsync(string path, string? etag)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            return await anonymous.SendAsync(request);
        }

        var first = await GetAsync("/alice/cours/blob/main/README.md", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, no-cache", first.Headers.CacheControl!.ToString());
        var etag = first.Headers.ETag!.ToString();
        var again = await GetAsync("/alice/cours/blob/main/README.md", etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        // Another page, or the same page with another query, has its own tag.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/alice/cours", etag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/alice/cours/blob/main/README.md?plain=1", etag)).StatusCode);

        repo.Write("README.md", "# Deux\n").Commit("deux");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        var changed = await GetAsync("/alice/cours/blob/main/README.md", etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());

        // Signed-in pages and private repositories are never shared nor tagged.
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var mine = await web.Http.GetAsync("/alice/cours/blob/main/README.md");
        Assert.Null(mine.Headers.ETag);
        Assert.Contains("no-store", mine.Headers.CacheControl!.ToString());
        using var api = _server.Client(token);
        await api.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true });
        var hidden = await GetAsync("/alice/cours/blob/main/README.md", changed.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
