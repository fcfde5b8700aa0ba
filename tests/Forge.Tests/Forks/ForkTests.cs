using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Git;
using Forge.Jobs;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Forks;

/// <summary>
/// Forks with real git: a fork borrows its source's objects (cheap on disk), lives its own life, survives the deletion of
/// its source and the source's maintenance, and catches up with its source by fast-forward.
/// </summary>
public sealed class ForkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;
    private string _bob = null!;
    private WebSession _bobWeb = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        _git = new GitClient(_tmp.Sub("home"));
        _bobWeb = new WebSession(_server);
        await _bobWeb.SignInAsync("bob", "motdepasse-solide");
    }

    public async Task DisposeAsync()
    {
        _bobWeb.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>alice/cours with <paramref name="commits"/> commits of <paramref name="filesPerCommit"/> incompressible files each.</summary>
    private async Task<TestRepo> SourceAsync(string name = "cours", int commits = 2, int filesPerCommit = 2, int fileBytes = 2_000)
    {
        await _server.CreateRepositoryAsync(_alice, name);
        var work = new TestRepo(_tmp.Sub("work-" + name));
        var random = new Random(42);
        for (var c = 0; c < commits; c++)
        {
            work.Write("README.md", $"# Cours\n\nVersion {c}.\n");
            for (var f = 0; f < filesPerCommit; f++)
            {
                var bytes = new byte[fileBytes];
                random.NextBytes(bytes);
                work.Write($"chapitres/{c:000}-{f:000}.txt", Convert.ToBase64String(bytes));
            }
            work.Commit($"Version {c}");
        }
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
        return work;
    }

    private async Task<HttpResponseMessage> ForkInBrowserAsync(WebSession session, string source, string name, bool makePrivate = false)
    {
        var fields = new Dictionary<string, string> { ["Name"] = name };
        if (makePrivate) fields["Private"] = "true";
        return await session.PostFormAsync($"/{source}/fork", $"/{source}/fork", fields);
    }

    private string GitPath(long id) => _server.Services.GetRequiredService<RepositoryStore>().PathOf(id);

    private async Task<long> IdAsync(string token, string fullName)
    {
        using var client = _server.Client(token);
        var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/repos/{fullName}")).RootElement;
        return json.GetProperty("id").GetInt64();
    }

    private static long DiskBytes(string path) => new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary><c>git fsck --connectivity-only</c> in a bare repository, with the system's git; true when complete.</summary>
    private async Task<bool> FsckAsync(string bare) => (await _git.RunAsync(bare, null, "fsck", "--connectivity-only")).ExitCode == 0;

    [Fact]
    public async Task A_fork_borrows_its_source_objects_has_its_whole_history_and_lives_its_own_life()
    {
        // A sizeable course: 40 commits of 25 incompressible files of 8 KB (about 8 MB of content).
        var source = await SourceAsync(commits: 40, filesPerCommit: 25, fileBytes: 6_000);
        var created = await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/bob/cours", created.Headers.Location!.ToString());

        var sourcePath = GitPath(await IdAsync(_alice, "alice/cours"));
        var forkPath = GitPath(await IdAsync(_bob, "bob/cours"));
        var alternates = await File.ReadAllTextAsync(Path.Combine(forkPath, "objects", "info", "alternates"));
        Assert.False(Path.IsPathRooted(alternates.Trim()), "the alternates path is relative, so the data folder can move");
        long sourceBytes = DiskBytes(sourcePath), forkBytes = DiskBytes(forkPath);
        output.WriteLine($"source {sourceBytes:N0} bytes on disk, fork {forkBytes:N0} bytes ({100.0 * forkBytes / sourceBytes:F2} %)");
        Assert.True(forkBytes * 20 < sourceBytes, $"the fork takes {forkBytes} bytes, the source {sourceBytes}");

        // The fork page says where it comes from; the source counts and lists it.
        var forkPage = await _bobWeb.GetAsync("/bob/cours");
        Assert.Contains("Forké depuis <a href=\"/alice/cours\">alice/cours</a>", forkPage);
        using var anonymous = _server.Client();
        Assert.Contains("1 fork<", await anonymous.GetStringAsync("/alice/cours"));
        Assert.Contains("/bob/cours", await anonymous.GetStringAsync("/alice/cours/forks"));

        // A clone of the fork has the whole history.
        var clone = Path.Combine(_tmp.Sub("clones"), "fork");
        await _git.MustAsync(_tmp.Path, ("bob", _bob), "clone", "-q", _server.Url("/bob/cours.git"), clone);
        Assert.Equal("40", (await _git.MustAsync(clone, null, "rev-list", "--count", "HEAD")).Trim());
        Assert.Equal(source.Git("rev-parse", "HEAD").Trim(), (await _git.MustAsync(clone, null, "rev-parse", "HEAD")).Trim());

        // Bob's push goes to his fork only.
        await File.WriteAllTextAsync(Path.Combine(clone, "exercice-bob.md"), "# Mon exercice\n");
        await _git.MustAsync(clone, null, "add", "-A");
        await _git.MustAsync(clone, null, "-c", "user.name=Bob", "-c", "user.email=bob@ac-lyon.fr", "commit", "-q", "-m", "Exercice de Bob");
        await _git.MustAsync(clone, ("bob", _bob), "push", "-q", "origin", "main");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/bob/cours/raw/main/exercice-bob.md")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/cours/raw/main/exercice-bob.md")).StatusCode);
        Assert.Equal(source.Git("rev-parse", "HEAD").Trim(), _server.Services.GetRequiredService<GitReader>().BranchTip(sourcePath, "main"));
        Assert.True(await FsckAsync(forkPath));
        output.WriteLine($"fork after a push of one commit: {DiskBytes(forkPath):N0} bytes");
        Assert.True(DiskBytes(forkPath) * 20 < sourceBytes, "a push to the fork sends only what the source lacks");
    }

    [Fact]
    public async Task Deleting_the_source_gives_its_forks_their_own_objects_and_clears_the_link()
    {
        await SourceAsync(commits: 3);
        Assert.Equal(HttpStatusCode.Redirect, (await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours")).StatusCode);
        // A fork of the fork borrows through it.
        var (_, carol) = await _server.CreateUserAsync("carol");
        using var carolApi = _server.Client(carol);
        Assert.Equal(HttpStatusCode.Accepted, (await carolApi.PostAsJsonAsync("/api/v1/repos/bob/cours/forks", new { name = "cours-carol" })).StatusCode);
        var bobPath = GitPath(await IdAsync(_bob, "bob/cours"));
        var carolPath = GitPath(await IdAsync(carol, "carol/cours-carol"));

        using var aliceApi = _server.Client(_alice);
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.DeleteAsync("/api/v1/repos/alice/cours")).StatusCode);

        foreach (var path in new[] { bobPath, carolPath })
        {
            Assert.False(File.Exists(Path.Combine(path, "objects", "info", "alternates")), $"{path} still borrows from the deleted source");
            Assert.True(await FsckAsync(path), $"{path} is incomplete");
        }
        var clone = Path.Combine(_tmp.Sub("clones"), "fork");
        await _git.MustAsync(_tmp.Path, ("bob", _bob), "clone", "-q", _server.Url("/bob/cours.git"), clone);
        Assert.Equal("3", (await _git.MustAsync(clone, null, "rev-list", "--count", "HEAD")).Trim());
        await _git.MustAsync(_tmp.Path, ("carol", carol), "clone", "-q", _server.Url("/carol/cours-carol.git"), Path.Combine(_tmp.Path, "clones", "carol"));

        using var bobApi = _server.Client(_bob);
        var json = JsonDocument.Parse(await bobApi.GetStringAsync("/api/v1/repos/bob/cours")).RootElement;
        Assert.False(json.GetProperty("fork").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("parent").ValueKind);
        Assert.DoesNotContain("Forké depuis", await _bobWeb.GetAsync("/bob/cours"));
        // carol's fork still names bob's, which still exists.
        var carolJson = JsonDocument.Parse(await carolApi.GetStringAsync("/api/v1/repos/carol/cours-carol")).RootElement;
        Assert.Equal("bob/cours", carolJson.GetProperty("parent").GetProperty("full_name").GetString());
    }

    [Fact]
    public async Task The_source_maintenance_never_prunes_what_a_fork_still_needs()
    {
        var source = await SourceAsync(commits: 2);
        source.Git("checkout", "-q", "-b", "brouillon");
        source.Write("brouillon.md", "# Brouillon\n");
        var draft = source.Commit("Brouillon");
        await _git.MustAsync(source.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "brouillon");
        Assert.Equal(HttpStatusCode.Redirect, (await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours")).StatusCode);
        // The source drops the branch; its commit is now reachable from the fork only.
        await _git.MustAsync(source.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "--delete", "brouillon");

        var sourceId = await IdAsync(_alice, "alice/cours");
        var sourcePath = GitPath(sourceId);
        // Make every object of the source look old enough for git to prune it, then run the maintenance (the job, and the
        // `git gc` it runs when the repository needs repacking, with Forge's own git environment).
        foreach (var file in Directory.EnumerateFiles(Path.Combine(sourcePath, "objects"), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-60));
        using (var scope = _server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<MaintainRepositoryJob>().RunAsync(sourceId, CancellationToken.None);
        (await _server.Services.GetRequiredService<GitCli>().Command("gc").Option("--quiet").In(sourcePath).RunAsync()).EnsureSuccess();

        var forkPath = GitPath(await IdAsync(_bob, "bob/cours"));
        Assert.True(await FsckAsync(forkPath), "the fork lost objects to the source's gc");
        var clone = Path.Combine(_tmp.Sub("clones"), "fork");
        await _git.MustAsync(_tmp.Path, ("bob", _bob), "clone", "-q", "-b", "brouillon", _server.Url("/bob/cours.git"), clone);
        Assert.Equal(draft, (await _git.MustAsync(clone, null, "rev-parse", "HEAD")).Trim());

        // Once its only fork is deleted, the source prunes again like any repository.
        Assert.Equal("never", (await _git.MustAsync(sourcePath, null, "config", "gc.pruneExpire")).Trim());
        using var bobApi = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.NoContent, (await bobApi.DeleteAsync("/api/v1/repos/bob/cours")).StatusCode);
        Assert.NotEqual(0, (await _git.RunAsync(sourcePath, null, "config", "gc.pruneExpire")).ExitCode);
    }

    [Fact]
    public async Task Sync_fast_forwards_the_fork_and_explains_when_it_cannot()
    {
        var source = await SourceAsync(commits: 1);
        Assert.Equal(HttpStatusCode.Redirect, (await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours")).StatusCode);
        using var bobApi = _server.Client(_bob);
        var upToDate = await bobApi.PostAsJsonAsync("/api/v1/repos/bob/cours/merge-upstream", new { branch = "main" });
        Assert.Equal(HttpStatusCode.OK, upToDate.StatusCode);
        var upToDateJson = JsonDocument.Parse(await upToDate.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("", upToDateJson.GetProperty("merge_type").GetString());
        Assert.Contains("déjà à jour", upToDateJson.GetProperty("message").GetString());
        Assert.DoesNotContain("Synchroniser avec la source</button>", await _bobWeb.GetAsync("/bob/cours"));

        // The source moves ahead: the fork's header offers the sync, which fast-forwards.
        source.Write("chapitre-2.md", "# Chapitre 2\n");
        var second = source.Commit("Chapitre 2");
        await _git.MustAsync(source.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        var page = await _bobWeb.GetAsync("/bob/cours");
        Assert.Contains("La source a 1 nouveau commit.", page);
        Assert.Contains("Synchroniser avec la source</button>", page);
        string UpdatedAt(string json) => JsonDocument.Parse(json).RootElement.GetProperty("updated_at").GetString()!;
        var before = UpdatedAt(await bobApi.GetStringAsync("/api/v1/repos/bob/cours"));
        await Task.Delay(1100); // the API gives updated_at to the second: the sync must fall in a later second to be seen
        var synced = await _bobWeb.PostFormAsync("/bob/cours", "/bob/cours/sync", new Dictionary<string, string> { ["returnUrl"] = "/bob/cours" });
        Assert.Equal(HttpStatusCode.Redirect, synced.StatusCode);
        Assert.Equal("/bob/cours", synced.Headers.Location!.ToString());
        Assert.Contains("La branche « main » est synchronisée avec alice/cours : 1 commit récupéré.", await _bobWeb.GetAsync("/bob/cours"));
        var forkPath = GitPath(await IdAsync(_bob, "bob/cours"));
        Assert.Equal(second, _server.Services.GetRequiredService<GitReader>().BranchTip(forkPath, "main"));
        // Recorded as a push (which queues the after-push jobs: index, browsing data, licences).
        Assert.NotEqual(before, UpdatedAt(await bobApi.GetStringAsync("/api/v1/repos/bob/cours")));
        // A third party cannot sync bob's fork.
        var (_, carol) = await _server.CreateUserAsync("carol");
        using var carolApi = _server.Client(carol);
        Assert.Equal(HttpStatusCode.Forbidden, (await carolApi.PostAsJsonAsync("/api/v1/repos/bob/cours/merge-upstream", new { branch = "main" })).StatusCode);

        // Through the API too.
        source.Write("chapitre-3.md", "# Chapitre 3\n");
        var third = source.Commit("Chapitre 3");
        await _git.MustAsync(source.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        var api = await bobApi.PostAsJsonAsync("/api/v1/repos/bob/cours/merge-upstream", new { branch = "main" });
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("fast-forward", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("merge_type").GetString());
        Assert.Equal(third, _server.Services.GetRequiredService<GitReader>().BranchTip(forkPath, "main"));

        // Both sides move: no automatic sync, and a clear message; the fork is untouched.
        var clone = Path.Combine(_tmp.Sub("clones"), "fork");
        await _git.MustAsync(_tmp.Path, ("bob", _bob), "clone", "-q", _server.Url("/bob/cours.git"), clone);
        await File.WriteAllTextAsync(Path.Combine(clone, "bob.md"), "# Bob\n");
        await _git.MustAsync(clone, null, "add", "-A");
        await _git.MustAsync(clone, null, "-c", "user.name=Bob", "-c", "user.email=bob@ac-lyon.fr", "commit", "-q", "-m", "Bob");
        await _git.MustAsync(clone, ("bob", _bob), "push", "-q", "origin", "main");
        var bobTip = (await _git.MustAsync(clone, null, "rev-parse", "HEAD")).Trim();
        source.Write("chapitre-4.md", "# Chapitre 4\n");
        source.Commit("Chapitre 4");
        await _git.MustAsync(source.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");

        Assert.Contains("voir comment synchroniser", await _bobWeb.GetAsync("/bob/cours"));
        var diverged = await _bobWeb.PostFormAsync("/bob/cours/sync", "/bob/cours/sync", new Dictionary<string, string>());
        Assert.Equal("/bob/cours/sync", diverged.Headers.Location!.ToString());
        var explained = await _bobWeb.GetAsync("/bob/cours/sync");
        Assert.Contains("Votre branche « main » a des commits que la source n’a pas (1 commit), et la source en a 1 commit que votre branche n’a pas : la synchronisation automatique est impossible.", explained);
        Assert.Equal(bobTip, _server.Services.GetRequiredService<GitReader>().BranchTip(forkPath, "main"));
        var conflict = await bobApi.PostAsJsonAsync("/api/v1/repos/bob/cours/merge-upstream", new { branch = "main" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("la synchronisation automatique est impossible", await conflict.Content.ReadAsStringAsync());
        var missing = await bobApi.PostAsJsonAsync("/api/v1/repos/bob/cours/merge-upstream", new { branch = "inexistante" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }

    [Fact]
    public async Task Fork_names_are_checked_and_explained_in_French()
    {
        await SourceAsync(commits: 1);
        Assert.Equal(HttpStatusCode.Redirect, (await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours")).StatusCode);
        var again = await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var html = await again.Content.ReadAsStringAsync();
        Assert.Contains("Vous avez déjà un dépôt nommé « cours ».", html);
        Assert.Contains("aria-describedby=\"name-hint name-error\"", html);
        Assert.Contains("Vous avez déjà forké ce dépôt", html);
        var invalid = await ForkInBrowserAsync(_bobWeb, "alice/cours", "mon cours/");
        Assert.Contains("class=\"error\"", await invalid.Content.ReadAsStringAsync());

        using var bobApi = _server.Client(_bob);
        var conflict = await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { name = "cours" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Vous avez déjà un dépôt nommé « cours ».", await conflict.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { name = "../x" })).StatusCode);
        var group = await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { name = "autre", organization = "nsi-lyon" });
        Assert.Equal(HttpStatusCode.NotFound, group.StatusCode);
        Assert.Contains("Le groupe « nsi-lyon » n’existe pas.", await group.Content.ReadAsStringAsync());
        // With an empty body (as Gitea allows), the fork takes the source's name: taken here.
        var noBody = await bobApi.PostAsync("/api/v1/repos/alice/cours/forks", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, noBody.StatusCode);
        var second = await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { name = "cours-2", organization = "bob" });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.True(json.GetProperty("fork").GetBoolean());
        Assert.Equal("alice/cours", json.GetProperty("parent").GetProperty("full_name").GetString());
        Assert.False(json.GetProperty("private").GetBoolean());
        using var anonymous = _server.Client();
        var list = await anonymous.GetAsync("/api/v1/repos/alice/cours/forks");
        Assert.Equal("2", list.Headers.GetValues("X-Total-Count").Single());
        var source = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/cours")).RootElement;
        Assert.Equal(2, source.GetProperty("forks_count").GetInt32());
        Assert.False(source.GetProperty("fork").GetBoolean());

        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        Assert.Contains("/api/v1/repos/{owner}/{repo}/forks", openapi);
        Assert.Contains("/api/v1/repos/{owner}/{repo}/merge-upstream", openapi);
    }

    [Fact]
    public async Task A_cached_public_fork_page_stops_naming_its_source_when_the_source_becomes_private()
    {
        await SourceAsync(commits: 1);
        Assert.Equal(HttpStatusCode.Redirect, (await ForkInBrowserAsync(_bobWeb, "alice/cours", "cours")).StatusCode);
        using var anonymous = _server.Client();
        var first = await anonymous.GetAsync("/bob/cours");
        Assert.Equal("public, no-cache", first.Headers.CacheControl!.ToString());
        Assert.Contains("Forké depuis <a href=\"/alice/cours\">alice/cours</a>", await first.Content.ReadAsStringAsync());
        var sourcePage = await anonymous.GetAsync("/alice/cours");
        Assert.Contains("1 fork<", await sourcePage.Content.ReadAsStringAsync());

        using var aliceApi = _server.Client(_alice);
        Assert.Equal(HttpStatusCode.OK, (await aliceApi.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true })).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, "/bob/cours");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var after = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var html = await after.Content.ReadAsStringAsync();
        Assert.Contains("Forké depuis un dépôt privé", html);
        Assert.DoesNotContain("alice/cours", html);

        // And a public fork made private leaves the source's anonymous count at once.
        using var bobApi = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.OK, (await aliceApi.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = false })).StatusCode);
        Assert.Contains("1 fork<", await anonymous.GetStringAsync("/alice/cours"));
        Assert.Equal(HttpStatusCode.OK, (await bobApi.PatchAsJsonAsync("/api/v1/repos/bob/cours", new { @private = true })).StatusCode);
        Assert.Contains("0 fork<", await anonymous.GetStringAsync("/alice/cours"));
    }

    [Fact]
    public async Task A_fork_too_deep_in_a_chain_of_forks_gets_its_own_objects()
    {
        await SourceAsync(commits: 2);
        var previous = "alice/cours";
        var paths = new List<string>();
        foreach (var user in new[] { "u1", "u2", "u3", "u4" })
        {
            var (_, token) = await _server.CreateUserAsync(user);
            using var api = _server.Client(token);
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync($"/api/v1/repos/{previous}/forks", new { })).StatusCode);
            previous = $"{user}/cours";
            paths.Add(GitPath(await IdAsync(token, previous)));
        }
        // Three levels borrow (git follows at most five); the fourth has its own copy, complete.
        Assert.All(paths.Take(3), p => Assert.True(File.Exists(Path.Combine(p, "objects", "info", "alternates"))));
        Assert.False(File.Exists(Path.Combine(paths[3], "objects", "info", "alternates")));
        foreach (var p in paths) Assert.True(await FsckAsync(p), p);
    }
}
