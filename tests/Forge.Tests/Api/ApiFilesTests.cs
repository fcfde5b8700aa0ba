using System.Net;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Api;

/// <summary>
/// A script (or a Gitea client) reads and writes a teacher's course through Gitea's <c>contents</c> API: the same rights,
/// branch protection and no-silent-overwrite rule as the web editor, and the commits are real ones that <c>git clone</c> sees.
/// </summary>
public sealed class ApiFilesTests : IAsyncLifetime
{
    private const string Ugly = "cours/l’été #1/chapitre 1?.md";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!, _bob = null!, _carole = null!, _dan = null!;
    private TestRepo _work = null!;

    public async Task InitializeAsync()
    {
        // A small file quota so the size limit can be tested without sending 50 MB.
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0, "--quota:max_file_bytes", "200000");
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        (_, _carole) = await _server.CreateUserAsync("carole");
        (_, _dan) = await _server.CreateUserAsync("dan");
        await _server.CreateRepositoryAsync(_alice, "cours");
        await _server.CreateRepositoryAsync(_alice, "secret", isPrivate: true);
        _work = new TestRepo(_tmp.Sub("work"));
        _work.Write("README.md", "# Cours\n").Write(Ugly, "# Chapitre 1\n\nTexte.\n").WriteBytes("img/logo.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2]);
        _work.Commit("Première version");
        _work.Git("tag", "-a", "v1", "-m", "Version 1");
        _work.Git("checkout", "-q", "-b", "feature/x");
        _work.Write("cours/nouveau.md", "Nouveau\n").Commit("Nouveau chapitre");
        _work.Git("checkout", "-q", "main");
        foreach (var repo in new[] { "cours", "secret" })
            await _git.MustAsync(_work.Path, ("alice", _alice), "push", "-q", "--tags", _server.Url($"/alice/{repo}.git"), "main", "feature/x");
        using var alice = _server.Client(_alice);
        foreach (var (user, permission) in new[] { ("bob", "write"), ("carole", "read") })
            foreach (var repo in new[] { "cours", "secret" })
                Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/v1/repos/alice/{repo}/collaborators/{user}", Json(new { permission }))).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Escaped(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A URI sent exactly as written: <see cref="Uri"/> would otherwise resolve <c>..</c> segments before sending.</summary>
    private Uri Verbatim(string path) =>
        new(_server.BaseAddress + path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    private static HttpRequestMessage Delete(string url, object body) => new(HttpMethod.Delete, url) { Content = Json(body) };

    private async Task<string> ContentOfAsync(HttpClient client, string path, string? refName = null)
    {
        var response = await client.GetAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}" + (refName is null ? "" : $"?ref={Uri.EscapeDataString(refName)}"));
        if (response.StatusCode != HttpStatusCode.OK) return $"<{(int)response.StatusCode}>";
        return Encoding.UTF8.GetString(Convert.FromBase64String((await ReadAsync(response)).GetProperty("content").GetString()!));
    }

    [Fact]
    public async Task A_file_and_a_folder_are_described_with_Gitea_fields()
    {
        using var anonymous = _server.Client();
        var file = await ReadAsync(await anonymous.GetAsync($"/api/v1/repos/alice/cours/contents/{Escaped(Ugly)}"));
        Assert.Equal("file", file.GetProperty("type").GetString());
        Assert.Equal("chapitre 1?.md", file.GetProperty("name").GetString());
        Assert.Equal(Ugly, file.GetProperty("path").GetString());
        Assert.Equal("base64", file.GetProperty("encoding").GetString());
        Assert.Equal("# Chapitre 1\n\nTexte.\n", Encoding.UTF8.GetString(Convert.FromBase64String(file.GetProperty("content").GetString()!)));
        Assert.Equal(_work.Git("rev-parse", $"main:{Ugly}").Trim(), file.GetProperty("sha").GetString());
        Assert.Equal(_work.Git("rev-parse", "main").Trim(), file.GetProperty("last_commit_sha").GetString());
        Assert.Equal(21, file.GetProperty("size").GetInt64());
        foreach (var field in new[] { "url", "html_url", "git_url", "download_url" })
            Assert.StartsWith(_server.BaseAddress.ToString(), file.GetProperty(field).GetString());
        Assert.True(file.TryGetProperty("_links", out _));
        // download_url really downloads it.
        var download = await anonymous.GetAsync(file.GetProperty("download_url").GetString());
        Assert.Equal("# Chapitre 1\n\nTexte.\n", await download.Content.ReadAsStringAsync());

        var root = await ReadAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/contents"));
        Assert.Equal(["cours", "img", "README.md"], root.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("dir", root[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, root[2].GetProperty("content").ValueKind);
        var folder = await ReadAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/contents/cours?ref=feature/x"));
        Assert.Equal(["l’été #1", "nouveau.md"], folder.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("Nouveau\n", await ContentOfAsync(anonymous, "cours/nouveau.md", "refs/heads/feature/x"));
        Assert.Equal("# Cours\n", await ContentOfAsync(anonymous, "README.md", "v1"));
        Assert.Equal("<404>", await ContentOfAsync(anonymous, "cours/nouveau.md"));

        // Traversal, revision syntax and option-like refs name nothing.
        // Kestrel resolves dot segments (even %2E%2E) before routing: such a URL is just another path inside the repository,
        // and one that climbs past the repository lands on another route, checked on its own.
        Assert.Equal("README.md", (await ReadAsync(await anonymous.GetAsync(Verbatim("/api/v1/repos/alice/cours/contents/cours/%2E%2E/README.md")))).GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(Verbatim("/api/v1/repos/alice/cours/contents/../../secret/contents/README.md"))).StatusCode);
        foreach (var url in new[] { "contents/a%5Cb", "contents/README.md?ref=main~1", "contents/README.md?ref=-main",
                     "contents/README.md?ref=main%5E", "contents/README.md?ref=..", "raw/README.md?ref=main@{1}", "raw/README.md?ref=refs/remotes/x", "contents/nulle-part" })
        {
            var response = await anonymous.GetAsync(Verbatim("/api/v1/repos/alice/cours/" + url));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, url);
            Assert.True((await ReadAsync(response)).TryGetProperty("message", out _), url);
        }
    }

    [Fact]
    public async Task Raw_media_blame_and_archive_serve_files_safely()
    {
        using var anonymous = _server.Client();
        var raw = await anonymous.GetAsync($"/api/v1/repos/alice/cours/raw/{Escaped(Ugly)}?ref=v1");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("text/plain", raw.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", raw.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("# Cours\n", await (await anonymous.GetAsync("/api/v1/repos/alice/cours/raw/main/README.md")).Content.ReadAsStringAsync()); // Gitea's ref-in-path form
        Assert.Equal("Nouveau\n", await (await anonymous.GetAsync("/api/v1/repos/alice/cours/media/feature/x/cours/nouveau.md")).Content.ReadAsStringAsync());
        var png = await anonymous.GetByteArrayAsync("/api/v1/repos/alice/cours/media/img/logo.png");
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2], png);

        var blame = await ReadAsync(await anonymous.GetAsync($"/api/v1/repos/alice/cours/blame/main/{Escaped(Ugly)}"));
        var hunk = Assert.Single(blame.GetProperty("hunks").EnumerateArray());
        Assert.Equal(_work.Git("rev-parse", "main").Trim(), hunk.GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal("Alice Martin", hunk.GetProperty("commit").GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(1, hunk.GetProperty("start_line").GetInt32());
        Assert.Equal(["# Chapitre 1", "", "Texte."], hunk.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));

        var zip = await anonymous.GetAsync("/api/v1/repos/alice/cours/archive/feature/x.zip");
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        using (var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync()))
            Assert.Contains(archive.Entries, e => e.FullName == "cours-feature-x/cours/nouveau.md");
        var tgz = await anonymous.GetAsync("/api/v1/repos/alice/cours/archive/v1.tar.gz");
        Assert.Equal(HttpStatusCode.OK, tgz.StatusCode);
        Assert.Equal(0x1f, (await tgz.Content.ReadAsByteArrayAsync())[0]);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/cours/archive/main.rar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/cours/archive/-main.zip")).StatusCode);
    }

    [Fact]
    public async Task A_Gitea_client_creates_updates_renames_and_deletes_files_and_git_sees_each_commit()
    {
        using var alice = _server.Client(_alice);
        const string path = "exercices/énoncé 2 #b.md";
        var created = await alice.PostAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}",
            Json(new { content = B64("Énoncé\n"), message = "Ajout de l’énoncé", author = new { name = "Ignoré", email = "x@y.z" } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadAsync(created);
        var sha = body.GetProperty("content").GetProperty("sha").GetString()!;
        var commit = body.GetProperty("commit");
        Assert.Equal("Ajout de l’énoncé\n", commit.GetProperty("message").GetString());
        Assert.Equal(_work.Git("rev-parse", "main").Trim(), commit.GetProperty("parents")[0].GetProperty("sha").GetString());
        Assert.Equal("alice", commit.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("Énoncé\n", await ContentOfAsync(alice, path));

        // Creating it again is refused, and so is replacing a version one has not seen.
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await alice.PostAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}", Json(new { content = B64("Autre\n") }))).StatusCode);
        var stale = await alice.PutAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}",
            Json(new { content = B64("Écrasé\n"), sha = _work.Git("rev-parse", "main:README.md").Trim() }));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(sha, (await ReadAsync(stale)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await alice.PutAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}", Json(new { content = B64("Sans sha\n") }))).StatusCode);
        Assert.Equal("Énoncé\n", await ContentOfAsync(alice, path));

        var updated = await alice.PutAsync($"/api/v1/repos/alice/cours/contents/{Escaped(path)}", Json(new { content = B64("Énoncé corrigé\n"), sha }));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        sha = (await ReadAsync(updated)).GetProperty("content").GetProperty("sha").GetString()!;
        var renamed = await alice.PutAsync("/api/v1/repos/alice/cours/contents/exercices/enonce-2.md",
            Json(new { content = B64("Énoncé final\n"), sha, from_path = path, new_branch = "correction" }));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Énoncé final\n", await ContentOfAsync(alice, "exercices/enonce-2.md", "correction"));
        Assert.Equal("<404>", await ContentOfAsync(alice, path, "correction"));
        Assert.Equal("Énoncé corrigé\n", await ContentOfAsync(alice, path));

        var deleted = await alice.SendAsync(Delete($"/api/v1/repos/alice/cours/contents/{Escaped(path)}", new { sha, message = "Ménage" }));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var deletedBody = await ReadAsync(deleted);
        Assert.Equal(JsonValueKind.Null, deletedBody.GetProperty("content").ValueKind);
        var deleteCommit = deletedBody.GetProperty("commit").GetProperty("sha").GetString()!;
        Assert.Equal("<404>", await ContentOfAsync(alice, path));

        // Several files in one commit.
        var many = await alice.PostAsync("/api/v1/repos/alice/cours/contents", Json(new
        {
            message = "Deux fichiers",
            files = new object[]
            {
                new { operation = "create", path = "a.md", content = B64("A\n") },
                new { operation = "update", path = "README.md", content = B64("# Cours de NSI\n"), sha = _work.Git("rev-parse", "main:README.md").Trim() },
            },
        }));
        Assert.Equal(HttpStatusCode.Created, many.StatusCode);
        var manyBody = await ReadAsync(many);
        Assert.Equal(2, manyBody.GetProperty("files").GetArrayLength());
        Assert.Equal(deleteCommit, manyBody.GetProperty("commit").GetProperty("parents")[0].GetProperty("sha").GetString());

        var clone = await Workspace.CloneAsync(_git, _tmp.Path, _server.Url("/alice/cours.git"), ("alice", _alice));
        Assert.Equal("# Cours de NSI\n", File.ReadAllText(Path.Combine(clone.Dir, "README.md")));
        Assert.Equal("A\n", File.ReadAllText(Path.Combine(clone.Dir, "a.md")));
        var log = await clone.MustAsync("log", "--format=%s", "main");
        Assert.Equal(["Deux fichiers", "Ménage", "Mise à jour de exercices/énoncé 2 #b.md", "Ajout de l’énoncé", "Première version"],
            log.Trim().Split('\n'));
    }

    [Fact]
    public async Task Bad_paths_bad_content_and_oversized_files_are_refused_and_nothing_is_committed()
    {
        using var alice = _server.Client(_alice);
        var tip = _work.Git("rev-parse", "main").Trim();
        foreach (var path in new[] { ".git/config", ".GIT/hooks/x", "a/.git/b", "a//b.md", "a%5Cb.md", "a%00b.md", "a%0Ab.md" })
            Assert.True((await alice.PostAsync(Verbatim($"/api/v1/repos/alice/cours/contents/{path}"), Json(new { content = B64("x") }))).StatusCode
                is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest, path);
        var traversal = await alice.PostAsync("/api/v1/repos/alice/cours/contents", Json(new { files = new[] { new { operation = "create", path = "../b.md", content = B64("x") } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = "pas du base64 !" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/contents/x.md", new StringContent("{", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x"), branch = "nulle-part" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x"), new_branch = "-x" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x"), new_branch = "feature/x" }))).StatusCode);
        var big = await alice.PostAsync("/api/v1/repos/alice/cours/contents/gros.bin", Json(new { content = Convert.ToBase64String(new byte[300_000]) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("taille", (await ReadAsync(big)).GetProperty("message").GetString());
        var branch = await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/branches/main"));
        Assert.Equal(tip, branch.GetProperty("commit").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Readers_strangers_anonymous_and_bad_tokens_are_answered_as_on_the_web()
    {
        using var anonymous = _server.Client();
        using var dan = _server.Client(_dan);
        using var carole = _server.Client(_carole);
        using var forged = _server.Client("0000000000000000000000000000000000000000");
        foreach (var url in new[] { "contents", "contents/README.md", "raw/README.md", "media/README.md", "archive/main.zip", "blame/main/README.md",
                     "branches", "branches/main", "tags", "tags/v1", "commits", "git/commits/main", "git/trees/main", "compare/main...feature/x" })
        {
            Assert.True(HttpStatusCode.NotFound == (await anonymous.GetAsync("/api/v1/repos/alice/secret/" + url)).StatusCode, url);
            Assert.True(HttpStatusCode.NotFound == (await dan.GetAsync("/api/v1/repos/alice/secret/" + url)).StatusCode, url);
            Assert.True(HttpStatusCode.OK == (await carole.GetAsync("/api/v1/repos/alice/secret/" + url)).StatusCode, url);
        }
        var raw = await carole.GetAsync("/api/v1/repos/alice/secret/raw/README.md");
        Assert.Contains("no-store", raw.Headers.CacheControl!.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await dan.PostAsync("/api/v1/repos/alice/secret/contents/x.md", Json(new { content = B64("x") }))).StatusCode);
        var reader = await carole.PostAsync("/api/v1/repos/alice/secret/contents/x.md", Json(new { content = B64("x") }));
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Contains("pas le modifier", (await ReadAsync(reader)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.PostAsync("/api/v1/repos/alice/secret/branches", Json(new { new_branch_name = "b" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.DeleteAsync("/api/v1/repos/alice/secret/tags/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dan.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x") }))).StatusCode);
        var anon = await anonymous.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x") }));
        Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
        Assert.NotEmpty(anon.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/repos/alice/cours/contents/README.md")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsync("/api/v1/repos/alice/cours/contents/x.md", Json(new { content = B64("x") }))).StatusCode);
        Assert.Equal("<404>", await ContentOfAsync(anonymous, "x.md"));
    }

    [Fact]
    public async Task Branch_protection_applies_to_API_writes()
    {
        using var alice = _server.Client(_alice);
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/v1/repos/alice/cours/branch_protections",
            Json(new { rule_name = "main", enable_push = true, enable_push_whitelist = true }))).StatusCode);
        var refused = await bob.PostAsync("/api/v1/repos/alice/cours/contents/bob.md", Json(new { content = B64("Bob\n") }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("protégée", (await ReadAsync(refused)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync("/api/v1/repos/alice/cours/branches/main")).StatusCode);
        var main = await ReadAsync(await bob.GetAsync("/api/v1/repos/alice/cours/branches/main"));
        Assert.True(main.GetProperty("protected").GetBoolean());
        Assert.False(main.GetProperty("user_can_push").GetBoolean());
        Assert.True((await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/branches/main"))).GetProperty("user_can_push").GetBoolean());

        // Bob proposes his change on a new branch instead, which the rule does not cover.
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsync("/api/v1/repos/alice/cours/contents/bob.md",
            Json(new { content = B64("Bob\n"), new_branch = "propositions/bob" }))).StatusCode);
        Assert.Equal("Bob\n", await ContentOfAsync(bob, "bob.md", "propositions/bob"));
        Assert.Equal("<404>", await ContentOfAsync(bob, "bob.md"));

        // The default branch is never deleted, even by its owner.
        var defaultBranch = await alice.DeleteAsync("/api/v1/repos/alice/cours/branches/main");
        Assert.Equal(HttpStatusCode.Forbidden, defaultBranch.StatusCode);
        Assert.Contains("par défaut", (await ReadAsync(defaultBranch)).GetProperty("message").GetString());
    }
}
