using System.Net;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Api;

/// <summary>Branches, tags, history and git objects through Gitea's API v1, and the OpenAPI description that lists them.</summary>
public sealed class ApiGitTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;
    private TestRepo _work = null!;
    private readonly List<string> _commits = [];

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(_alice, "cours");
        _work = new TestRepo(_tmp.Sub("work"));
        _commits.Add(_work.Write("README.md", "# Cours\n").Write("cours/été/chap 1.md", "Un\n").Commit("Première version"));
        _work.Git("tag", "v1");
        for (var i = 2; i <= 4; i++) _commits.Add(_work.Write($"cours/été/chap {i}.md", $"{i}\n").Commit($"Chapitre {i}"));
        _work.Git("tag", "-a", "v2", "-m", "Version 2");
        _work.Git("checkout", "-q", "-b", "feature/x");
        _commits.Add(_work.Write("README.md", "# Cours de NSI\n").Commit("Titre"));
        _work.Git("checkout", "-q", "main");
        await _git.MustAsync(_work.Path, ("alice", _alice), "push", "-q", "--tags", _server.Url("/alice/cours.git"), "main", "feature/x");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Branches_are_listed_created_and_deleted()
    {
        using var alice = _server.Client(_alice);
        var list = await alice.GetAsync("/api/v1/repos/alice/cours/branches");
        Assert.Equal("2", list.Headers.GetValues("X-Total-Count").Single());
        var branches = await ReadAsync(list);
        Assert.Equal(["main", "feature/x"], branches.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(_commits[3], branches[0].GetProperty("commit").GetProperty("id").GetString());
        Assert.False(branches[0].GetProperty("protected").GetBoolean());
        Assert.True(branches[0].GetProperty("user_can_push").GetBoolean());
        Assert.Equal(_commits[4], (await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/branches/feature%2Fx"))).GetProperty("commit").GetProperty("id").GetString());

        var created = await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "correction/é1", old_ref_name = "v1" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(_commits[0], (await ReadAsync(created)).GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "b2", old_branch_name = "feature/x" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "b2" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "b3", old_ref_name = "main~1" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "-b" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/branches", Json(new { new_branch_name = "a..b" }))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repos/alice/cours/branches/correction%2F%C3%A91")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.DeleteAsync("/api/v1/repos/alice/cours/branches/correction%2F%C3%A91")).StatusCode);
        var (_, remote) = await _git.RunAsync(_tmp.Path, ("alice", _alice), "ls-remote", _server.Url("/alice/cours.git"));
        Assert.Contains($"{_commits[4]}\trefs/heads/b2", remote);
        Assert.DoesNotContain("correction", remote);
    }

    [Fact]
    public async Task Tags_are_listed_created_and_deleted()
    {
        using var alice = _server.Client(_alice);
        var tags = await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/tags"));
        Assert.Equal(["v2", "v1"], tags.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("Version 2", tags[0].GetProperty("message").GetString());
        Assert.Equal(_work.Git("rev-parse", "v2").Trim(), tags[0].GetProperty("id").GetString()); // the tag object
        Assert.Equal(_commits[3], tags[0].GetProperty("commit").GetProperty("sha").GetString());
        Assert.EndsWith("/alice/cours/archive/v2.zip", tags[0].GetProperty("zipball_url").GetString());

        var created = await alice.PostAsync("/api/v1/repos/alice/cours/tags", Json(new { tag_name = "v3", target = "feature/x", message = "Trimestre 3" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var v3 = await ReadAsync(created);
        Assert.Equal(_commits[4], v3.GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal("Trimestre 3", v3.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync("/api/v1/repos/alice/cours/tags", Json(new { tag_name = "v3" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.PostAsync("/api/v1/repos/alice/cours/tags", Json(new { tag_name = "v 4" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync("/api/v1/repos/alice/cours/tags", Json(new { tag_name = "v4", target = "nulle-part" }))).StatusCode);
        Assert.Equal(_commits[4], (await ReadAsync(await alice.GetAsync("/api/v1/repos/alice/cours/tags/v3"))).GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repos/alice/cours/tags/v3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/api/v1/repos/alice/cours/tags/v3")).StatusCode);
    }

    [Fact]
    public async Task History_is_paged_like_Gitea_and_commits_carry_files_and_stats()
    {
        using var client = _server.Client();
        var first = await client.GetAsync("/api/v1/repos/alice/cours/commits?limit=2");
        Assert.Equal("true", first.Headers.GetValues("X-HasMore").Single());
        Assert.Contains("page=2", first.Headers.GetValues("Link").Single());
        var page1 = await ReadAsync(first);
        Assert.Equal([_commits[3], _commits[2]], page1.EnumerateArray().Select(c => c.GetProperty("sha").GetString()));
        Assert.Equal(_commits[2], page1[0].GetProperty("parents")[0].GetProperty("sha").GetString());
        Assert.Equal("Chapitre 4\n", page1[0].GetProperty("commit").GetProperty("message").GetString());
        Assert.Equal("Alice Martin", page1[0].GetProperty("commit").GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("2025-09-01T12:00:00+02:00", page1[0].GetProperty("commit").GetProperty("author").GetProperty("date").GetString());
        var last = await client.GetAsync("/api/v1/repos/alice/cours/commits?limit=2&page=2");
        Assert.Equal("false", last.Headers.GetValues("X-HasMore").Single());
        Assert.Equal([_commits[1], _commits[0]], (await ReadAsync(last)).EnumerateArray().Select(c => c.GetProperty("sha").GetString()));

        var readme = await ReadAsync(await client.GetAsync("/api/v1/repos/alice/cours/commits?sha=feature/x&path=README.md&stat=true"));
        Assert.Equal([_commits[4], _commits[0]], readme.EnumerateArray().Select(c => c.GetProperty("sha").GetString()));
        Assert.Equal("modified", readme[0].GetProperty("files")[0].GetProperty("status").GetString());

        var commit = await ReadAsync(await client.GetAsync($"/api/v1/repos/alice/cours/git/commits/{_commits[0][..10]}"));
        Assert.Equal(_commits[0], commit.GetProperty("sha").GetString());
        Assert.Equal(["README.md", "cours/été/chap 1.md"], commit.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(2, commit.GetProperty("stats").GetProperty("additions").GetInt32());
        Assert.Empty(commit.GetProperty("parents").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/cours/git/commits/main~1")).StatusCode);

        var compare = await ReadAsync(await client.GetAsync("/api/v1/repos/alice/cours/compare/v1...feature/x"));
        Assert.Equal(4, compare.GetProperty("total_commits").GetInt32());
        Assert.Equal(_commits[1], compare.GetProperty("commits")[0].GetProperty("sha").GetString());
        Assert.Equal(4, compare.GetProperty("files").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/cours/compare/v1...--output=x")).StatusCode);
    }

    [Fact]
    public async Task Trees_and_blobs_are_read_by_id()
    {
        using var client = _server.Client();
        var tree = await ReadAsync(await client.GetAsync("/api/v1/repos/alice/cours/git/trees/main?recursive=true&per_page=3"));
        Assert.Equal(_work.Git("rev-parse", "main^{tree}").Trim(), tree.GetProperty("sha").GetString());
        Assert.Equal(7, tree.GetProperty("total_count").GetInt32()); // README.md, cours, cours/été, 4 chapters
        Assert.True(tree.GetProperty("truncated").GetBoolean());
        Assert.Equal(["README.md", "cours", "cours/été"], tree.GetProperty("tree").EnumerateArray().Select(e => e.GetProperty("path").GetString()));
        Assert.Equal("040000", tree.GetProperty("tree")[1].GetProperty("mode").GetString());
        Assert.Equal("tree", tree.GetProperty("tree")[1].GetProperty("type").GetString());
        var sub = await ReadAsync(await client.GetAsync($"/api/v1/repos/alice/cours/git/trees/{tree.GetProperty("tree")[2].GetProperty("sha").GetString()}"));
        Assert.Equal(4, sub.GetProperty("total_count").GetInt32());
        Assert.False(sub.GetProperty("truncated").GetBoolean());

        var readme = tree.GetProperty("tree")[0];
        Assert.Equal("100644", readme.GetProperty("mode").GetString());
        var blob = await ReadAsync(await client.GetAsync(readme.GetProperty("url").GetString()));
        Assert.Equal("# Cours\n", Encoding.UTF8.GetString(Convert.FromBase64String(blob.GetProperty("content").GetString()!)));
        Assert.Equal(8, blob.GetProperty("size").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/repos/alice/cours/git/blobs/{_commits[0]}")).StatusCode); // a commit, not a blob
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/cours/git/blobs/HEAD")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_description_is_served_and_lists_the_API()
    {
        using var client = _server.Client();
        var response = await client.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await ReadAsync(response);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[]
                 {
                     "/api/v1/repos/{owner}/{repo}/contents/{filepath}", "/api/v1/repos/{owner}/{repo}/contents", "/api/v1/repos/{owner}/{repo}/raw/{filepath}",
                     "/api/v1/classes", "/api/v1/classes/join", "/api/v1/classes/{id}/assignments", "/api/v1/assignments/{id}/accept", "/api/v1/assignments/{id}/submissions",
                     "/api/v1/repos/{owner}/{repo}/branches", "/api/v1/repos/{owner}/{repo}/tags/{tag}", "/api/v1/repos/{owner}/{repo}/commits",
                     "/api/v1/repos/{owner}/{repo}/git/trees/{sha}", "/api/v1/repos/{owner}/{repo}/compare/{basehead}",
                     "/api/v1/repos/{owner}/{repo}/blame/{refpath}", "/api/v1/user/repos", "/api/v1/repos/{owner}/{repo}/branch_protections",
                 })
            Assert.True(paths.Contains(path), $"{path} not in {string.Join(", ", paths)}");
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
        var contents = document.GetProperty("paths").GetProperty("/api/v1/repos/{owner}/{repo}/contents/{filepath}");
        Assert.Equal("repoCreateFile", contents.GetProperty("post").GetProperty("operationId").GetString());
    }
}
