using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Modules;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repos;

/// <summary>
/// A deleted repository leaves nothing behind (many of its authors are minors): one server. A public course repository gets
/// a module export and a course site (on the owner's host and on a host name of its own); made private, none of them is
/// served to anyone else any more; deleted through the settings form, every folder Forge wrote for it is gone and every URL
/// answers 404; the same when its owner deletes their account, and through the API; and folders left by an older version or a
/// crash are removed at the next start.
/// </summary>
public sealed class RepositoryDeletionTests : IAsyncLifetime
{
    private const string Domain = "sites.forge.example";
    private const string Password = "motdepasse-solide";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 1, "--Forge:Sites:Domain", Domain, "--Forge:PublicUrl", "http://forge.lycee-x.fr/");
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> BodyAsync(HttpClient client, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Pushes a module with a course site (a docs folder) and tag v1.0; waits for the site and the tag's exports.</summary>
    private async Task<long> PublishAsync(string owner, string token, string repo)
    {
        var created = await _server.CreateRepositoryAsync(token, repo);
        var work = new TestRepo(_tmp.Sub(owner + "-" + repo));
        foreach (var (path, bytes) in ExportSample.Files) work.WriteBytes(path, bytes);
        work.Write("docs/index.md", "# Accueil du cours\n\nLes boucles en Python.\n");
        work.Commit("Module et site");
        work.Git("tag", "v1.0");
        await _git.MustAsync(work.Path, (owner, token), "push", "-q", _server.Url($"/{owner}/{repo}.git"), "main", "v1.0");
        using var anonymous = _server.Client();
        await Wait.UntilAsync(async () => (await BodyAsync(anonymous, $"/{owner}/{repo}/site/")).Contains("Accueil du cours"), "the site is built", 120);
        await Wait.UntilAsync(async () => await StatusAsync(anonymous, $"/{owner}/{repo}/export/scorm/v1.0.zip") == HttpStatusCode.OK, "the SCORM export is built", 120);
        return created.GetProperty("id").GetInt64();
    }

    private string Sites(long id) => Path.Combine(_server.DataPath, "sites", id.ToString());
    private string Exports(long id) => Path.Combine(_server.DataPath, "exports", id.ToString());
    private string Git(long id) => Path.Combine(_server.DataPath, "repos", (id % 100).ToString("00"), $"{id}.git");

    /// <summary>Everything that answered for the repository before: each must now be 404 (host: null is Forge's own host).</summary>
    private static (string Path, string? Host)[] Urls(string owner, string repo, string? ownHost) =>
    [
        ($"/{owner}/{repo}", null), ($"/{owner}/{repo}/site/", null), ($"/{owner}/{repo}/site/-/search?q=boucles", null),
        ($"/{owner}/{repo}/export/scorm/v1.0.zip", null), ($"/{owner}/{repo}/export/html/v1.0.zip", null), ($"/{owner}/{repo}/export", null),
        ($"/{owner}/{repo}/raw/main/module.yml", null), ($"/{owner}/{repo}/archive/main.zip", null),
        ($"/api/v1/repos/{owner}/{repo}", null), ($"/api/v1/repos/{owner}/{repo}/module/exports", null), ($"/api/v1/repos/{owner}/{repo}/site/builds", null),
        ($"/{repo}/", $"{owner}.{Domain}"), ($"/{repo}/-/search?q=boucles", $"{owner}.{Domain}"),
        .. ownHost is null ? Array.Empty<(string, string?)>() : [("/", ownHost)],
    ];

    [Fact]
    public async Task Deleting_a_repository_or_its_owner_removes_its_sites_and_exports_from_disk_and_every_url_answers_404()
    {
        var (_, alice) = await _server.CreateUserAsync("alice", Password);
        var id = await PublishAsync("alice", alice, "cours");
        using var api = _server.Client(alice);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/repos/alice/cours/site/host", new { host = "cours.lycee-x.fr" })).StatusCode);
        using var anonymous = _server.Client();
        foreach (var (path, host) in Urls("alice", "cours", "cours.lycee-x.fr"))
            Assert.True(await StatusAsync(anonymous, path, host) == HttpStatusCode.OK, $"{host}{path} answers before: {await BodyAsync(anonymous, path, host)}");
        // Forge's own host name (Forge:PublicUrl) is never taken for a site's.
        Assert.DoesNotContain("Accueil du cours", await BodyAsync(anonymous, "/", "forge.lycee-x.fr"));
        Assert.Contains("Accueil du cours", await BodyAsync(anonymous, "/alice/cours/site/", "forge.lycee-x.fr"));
        // A thumbnail of its image (named by blob id, outside the repository's folders).
        var thumbs = Path.Combine(_server.DataPath, "thumbs");
        bool Made() => Directory.Exists(thumbs) && Directory.EnumerateFiles(thumbs, "*", SearchOption.AllDirectories).Any(f => f.EndsWith(".json") || f.EndsWith(".refused"));
        await Wait.UntilAsync(async () =>
        {
            using var shown = await anonymous.GetAsync("/alice/cours/thumbnail/main/cours/images/sch%C3%A9ma%20boucle.png?w=320");
            return Made();
        }, "the image's thumbnail is made (or refused)", 60);

        // Made private: the site (on every host), the exports and the rest are nobody else's any more.
        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true })).StatusCode);
        var (_, bob) = await _server.CreateUserAsync("bob", Password);
        using var stranger = _server.Client(bob);
        foreach (var client in new[] { anonymous, stranger })
        foreach (var (path, host) in Urls("alice", "cours", "cours.lycee-x.fr"))
            Assert.True(await StatusAsync(client, path, host) == HttpStatusCode.NotFound, $"{host}{path} of a private repository: {await BodyAsync(client, path, host)}");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/alice/cours/export/scorm/v1.0.zip"));
        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(anonymous, "/", "cours.lycee-x.fr"));

        // Deleted through the settings form: nothing on disk, nothing served, on any host.
        foreach (var folder in new[] { Sites(id), Exports(id), Git(id) }) Assert.True(Directory.Exists(folder), $"{folder} exists before");
        using (var web = new WebSession(_server))
        {
            await web.SignInAsync("alice", Password);
            using var wrong = await web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "cours" });
            Assert.Contains("Pour confirmer, tapez exactement « alice/cours »", await wrong.Content.ReadAsStringAsync());
            Assert.True(Directory.Exists(Sites(id)), "a refused deletion removes nothing");
            using var deleted = await web.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=Delete", new Dictionary<string, string> { ["Confirm"] = "alice/cours" });
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }
        foreach (var folder in new[] { Sites(id), Exports(id), Git(id) }) Assert.False(Directory.Exists(folder), $"{folder} is left behind");
        Assert.Empty(Directory.EnumerateFiles(thumbs, "*", SearchOption.AllDirectories));
        foreach (var client in new[] { anonymous, api })
        foreach (var (path, host) in Urls("alice", "cours", null))
            Assert.True(await StatusAsync(client, path, host) == HttpStatusCode.NotFound, $"{host}{path} after deletion: {await BodyAsync(client, path, host)}");
        // Its own host name is no site's any more: whatever answers there (Forge itself, as for any unknown name), not the site.
        Assert.DoesNotContain("Accueil du cours", await BodyAsync(anonymous, "/", "cours.lycee-x.fr"));
        Assert.DoesNotContain("Les boucles", await BodyAsync(anonymous, "/-/search?q=boucles", "cours.lycee-x.fr"));

        // A new repository of the same name is not the old one: nothing of the old site or exports comes back.
        await _server.CreateRepositoryAsync(alice, "cours");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(anonymous, "/alice/cours/site/"));
        Assert.DoesNotContain("Accueil du cours", await BodyAsync(anonymous, "/", "cours.lycee-x.fr"));
        Assert.False(Directory.Exists(Sites(id)));

        // An account deleted by its owner takes its repositories' sites and exports with it.
        var (_, carol) = await _server.CreateUserAsync("carol", Password);
        var carols = await PublishAsync("carol", carol, "notes");
        using (var web = new WebSession(_server))
        {
            await web.SignInAsync("carol", Password);
            using var deleted = await web.PostFormAsync("/user/settings/account", "/user/settings/account?handler=Delete",
                new Dictionary<string, string> { ["ConfirmName"] = "carol", ["Password"] = Password });
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }
        foreach (var folder in new[] { Sites(carols), Exports(carols), Git(carols) }) Assert.False(Directory.Exists(folder), $"{folder} is left behind by the account's deletion");
        foreach (var (path, host) in Urls("carol", "notes", null))
            Assert.True(await StatusAsync(anonymous, path, host) == HttpStatusCode.NotFound, $"{host}{path} after the account's deletion: {await BodyAsync(anonymous, path, host)}");

        // Folders of repositories deleted before this version (or by a crash mid-way) go at the next start; a live repository's stay.
        var live = await PublishAsync("bob", bob, "tp");
        foreach (var folder in new[] { Sites(987654), Exports(987654) }) Directory.CreateDirectory(Path.Combine(folder, "vieux"));
        await _server.RestartAsync();
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(Sites(987654)) && !Directory.Exists(Exports(987654))), "orphan folders are swept at start", 60);
        Assert.True(Directory.Exists(Sites(live)) && Directory.Exists(Exports(live)), "a live repository's site and exports are kept");
        using var again = _server.Client();
        Assert.Contains("Accueil du cours", await BodyAsync(again, "/bob/tp/site/"));

        // Through the API, the same.
        using var bobs = _server.Client(bob);
        Assert.Equal(HttpStatusCode.NoContent, (await bobs.DeleteAsync("/api/v1/repos/bob/tp")).StatusCode);
        foreach (var folder in new[] { Sites(live), Exports(live), Git(live) }) Assert.False(Directory.Exists(folder), $"{folder} is left behind by the API's deletion");
        foreach (var (path, host) in Urls("bob", "tp", null))
            Assert.True(await StatusAsync(again, path, host) == HttpStatusCode.NotFound, $"{host}{path} after the API's deletion: {await BodyAsync(again, path, host)}");
    }
}
