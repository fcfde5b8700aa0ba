using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Sites;

/// <summary>
/// Teacher-only files (<c>teacher_only:</c> of <c>resource.yml</c>) of a public repository of a group, pushed with real git:
/// anonymous visitors, a signed-in stranger and a student of the group find no trace of them on any path (tree, blob, raw,
/// blame, history, thumbnails, zip and tar.gz archives, the API, commit and compare diffs, an old commit from before the
/// patterns, search and code search); the group's owner, a maintainer and a teacher reading the group see everything; and
/// <c>git clone</c> still has every file (what the README says git cannot hide). One server for all.
/// </summary>
public sealed class TeacherOnlyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "motdepasse-solide";
    private const string Secret = "REPONSE_SECRETE_42";
    private const string ProfNote = "NOTE_DU_PROFESSEUR";

    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Teacher_only_files_leave_no_trace_for_pupils_and_strangers_on_any_path_but_git_itself()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, mona) = await _server.CreateUserAsync("mona");
        var (_, paul) = await _server.CreateUserAsync("paul");
        var (_, eleve) = await _server.CreateUserAsync("eleve");
        var (_, inconnu) = await _server.CreateUserAsync("inconnu");
        using (var scope = _server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            var student = await db.Users.SingleAsync(u => u.UserName == "eleve");
            student.Role = InstanceRole.Student;
            await db.SaveChangesAsync();
        }
        using var aliceApi = _server.Client(alice);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "lycee", visibility = "public" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/orgs/lycee/repos", new { name = "cours", @private = false })).StatusCode);
        foreach (var (who, role) in new[] { ("mona", "maintainer"), ("paul", "reader"), ("eleve", "reader") })
            Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.PutAsJsonAsync($"/api/v1/orgs/lycee/members/{who}", new { role })).StatusCode);

        // First the course without patterns, then the patterns: the old commit must not reveal what the new ones hide.
        var work = new TestRepo(_tmp.Sub("cours"));
        var start = work.Write("README.md", "# Cours de suites\n").Commit("Début");
        var before = work.Write("resource.yml", "title: Suites\n")
            .Write("cours/chap1.md", "# Chapitre 1\n\nLes suites arithmétiques.\n")
            .Write("cours/chap1.py", "def suite_visible(n):\n    return 2 * n\n")
            .Write("cours/exo1.prof.md", $"# Exercice 1\n\n{ProfNote} : insister sur l’initialisation.\n")
            .Write("corrections/README.md", $"# Corrections\n\n{Secret}\n")
            .Write("corrections/corrige.md", $"# Corrigé\n\nRéponse : {Secret}.\n")
            .Write("corrections/solution.py", $"def solution_secrete():\n    return \"{Secret}\"\n")
            .WriteBytes("corrections/figure.png", Png)
            .Commit("Cours et corrigés");
        var after = work.Write("resource.yml", "title: Suites\nteacher_only:\n  - corrections/\n  - \"**/*.prof.md\"\n").Commit("Corrigés réservés aux enseignants");
        await _git.MustAsync(work.Path, ("alice", alice), "push", "-q", _server.Url("/lycee/cours.git"), "main");

        // Search holds the course (the positive control) and never the teacher-only files, even for the owner.
        using var anonymous = _server.Client();
        await Wait.UntilAsync(async () => (await aliceApi.GetStringAsync("/api/v1/search/code?q=suite_visible")).Contains("chap1.py"),
            "the course is indexed", 60);

        var sessions = new Dictionary<string, HttpClient> { ["anonyme"] = anonymous };
        var owned = new List<IDisposable>();
        foreach (var name in new[] { "inconnu", "eleve", "alice", "mona", "paul" })
        {
            var session = new WebSession(_server);
            await session.SignInAsync(name, Password);
            owned.Add(session);
            sessions[name] = session.Http;
        }
        var tokens = new Dictionary<string, HttpClient>
        {
            ["anonyme"] = anonymous, ["inconnu"] = _server.Client(inconnu), ["eleve"] = _server.Client(eleve),
            ["alice"] = aliceApi, ["mona"] = _server.Client(mona), ["paul"] = _server.Client(paul),
        };
        try
        {
            foreach (var name in new[] { "anonyme", "inconnu", "eleve" })
                await SeesNoTraceAsync(name, sessions[name], tokens[name], start, before);
            foreach (var name in new[] { "alice", "mona", "paul" })
                await SeesEverythingAsync(name, sessions[name], tokens[name], start, before);
            // Teacher-only files are not indexed at all (so no hit, count or snippet can leak), not even for teachers.
            foreach (var name in sessions.Keys)
            {
                Assert.Contains("chap1.py", await OkAsync(tokens[name], "/api/v1/search/code?q=suite_visible", name));
                Assert.DoesNotContain("solution.py", await OkAsync(tokens[name], "/api/v1/search/code?q=solution_secrete", name));
                Assert.DoesNotContain("solution.py", await OkAsync(sessions[name], "/search/code?q=solution_secrete", name));
                Assert.Contains("\"title\":\"Suites\"", await OkAsync(tokens[name], "/api/v1/search?q=arithmétiques", name));
                Assert.DoesNotContain(Secret, await OkAsync(tokens[name], "/api/v1/search?q=" + Secret, name));
                Assert.DoesNotContain(ProfNote, await OkAsync(tokens[name], "/api/v1/search?q=initialisation", name));
            }
        }
        finally
        {
            foreach (var o in owned) o.Dispose();
        }

        // Git itself cannot hide part of a repository: an anonymous clone of the public repository has every file.
        var clone = _tmp.Sub("clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/lycee/cours.git"), clone);
        Assert.Contains(Secret, await File.ReadAllTextAsync(Path.Combine(clone, "corrections", "corrige.md")));
        Assert.True(File.Exists(Path.Combine(clone, "cours", "exo1.prof.md")));
        output.WriteLine($"commits: {start[..7]} {before[..7]} {after[..7]}");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    private static async Task<string> OkAsync(HttpClient client, string url, string who)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: {url} → {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private static readonly string[] HiddenPages =
    [
        "/lycee/cours/tree/main/corrections", "/lycee/cours/blob/main/corrections/corrige.md", "/lycee/cours/blob/main/cours/exo1.prof.md",
        "/lycee/cours/raw/main/corrections/corrige.md", "/lycee/cours/raw/main/cours/exo1.prof.md", "/lycee/cours/blame/main/corrections/corrige.md",
        "/lycee/cours/commits/main/corrections", "/lycee/cours/commits/main/cours/exo1.prof.md", "/lycee/cours/thumbnail/main/corrections/figure.png?w=320",
        "/lycee/cours/blob/main/corrections/solution.py?plain=1",
        "/api/v1/repos/lycee/cours/contents/corrections", "/api/v1/repos/lycee/cours/contents/corrections/corrige.md",
        "/api/v1/repos/lycee/cours/contents/cours/exo1.prof.md", "/api/v1/repos/lycee/cours/raw/corrections/corrige.md",
        "/api/v1/repos/lycee/cours/raw/main/cours/exo1.prof.md", "/api/v1/repos/lycee/cours/media/corrections/figure.png",
        "/api/v1/repos/lycee/cours/blame/main/corrections/corrige.md", "/api/v1/repos/lycee/cours/commits?path=corrections",
    ];

    private async Task SeesNoTraceAsync(string who, HttpClient web, HttpClient api, string start, string before)
    {
        foreach (var url in HiddenPages)
            Assert.True(await StatusAsync(url.StartsWith("/api/") ? api : web, url) == HttpStatusCode.NotFound, $"{who}: {url} is not 404");
        // An old commit, from before the patterns were written, reveals nothing either.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(web, $"/lycee/cours/tree/{before}/corrections"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(web, $"/lycee/cours/raw/{before}/corrections/corrige.md"));

        var home = await OkAsync(web, "/lycee/cours", who);
        Assert.DoesNotContain("/tree/main/corrections", home);
        Assert.Contains("/tree/main/cours", home);
        var folder = await OkAsync(web, "/lycee/cours/tree/main/cours", who);
        Assert.Contains("chap1.md", folder);
        Assert.DoesNotContain("exo1.prof.md", folder);
        var root = await OkAsync(api, "/api/v1/repos/lycee/cours/contents", who);
        Assert.Contains("\"cours\"", root);
        Assert.DoesNotContain("corrections", root);
        Assert.DoesNotContain("exo1.prof.md", await OkAsync(api, "/api/v1/repos/lycee/cours/contents/cours", who));
        var tree = await OkAsync(api, "/api/v1/repos/lycee/cours/git/trees/main?recursive=true", who);
        Assert.Contains("cours/chap1.md", tree);
        Assert.DoesNotContain("corrections", tree);
        Assert.DoesNotContain("exo1.prof.md", tree);

        // Diffs: the file is named, its content replaced by a notice.
        foreach (var url in new[] { $"/lycee/cours/commit/{before}", $"/lycee/cours/compare/{start}...main" })
        {
            var page = await OkAsync(web, url, who);
            Assert.Contains("Fichier réservé aux enseignants", page);
            Assert.DoesNotContain(Secret, page);
            Assert.DoesNotContain(ProfNote, page);
            Assert.Contains("Les suites arithmétiques", page);
        }
        foreach (var url in new[] { $"/api/v1/repos/lycee/cours/git/commits/{before}", $"/api/v1/repos/lycee/cours/compare/{start}...main",
                     $"/api/v1/repos/lycee/cours/commits?sha=main&files=true" })
        {
            var json = await OkAsync(api, url, who);
            Assert.DoesNotContain(Secret, json);
            Assert.DoesNotContain(ProfNote, json);
        }

        var (zip, tar) = await ArchivesAsync(web, who);
        foreach (var entries in new[] { zip, tar })
        {
            Assert.Contains(entries, e => e.EndsWith("cours/chap1.md", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.Contains("corrections", StringComparison.Ordinal) || e.EndsWith(".prof.md", StringComparison.Ordinal));
        }
        var apiZip = await ZipEntriesAsync(api, "/api/v1/repos/lycee/cours/archive/main.zip", who);
        Assert.DoesNotContain(apiZip, e => e.Contains("corrections", StringComparison.Ordinal));
    }

    private async Task SeesEverythingAsync(string who, HttpClient web, HttpClient api, string start, string before)
    {
        foreach (var url in HiddenPages.Where(u => !u.Contains("thumbnail") && !u.Contains("/media/")))
            Assert.True(await StatusAsync(url.StartsWith("/api/") ? api : web, url) == HttpStatusCode.OK, $"{who}: {url} is not 200");
        Assert.Contains(Secret, await OkAsync(web, "/lycee/cours/raw/main/corrections/corrige.md", who));
        Assert.Contains("/tree/main/corrections", await OkAsync(web, "/lycee/cours", who));
        Assert.Contains(Secret, await OkAsync(web, $"/lycee/cours/commit/{before}", who));
        Assert.Contains(ProfNote, await OkAsync(web, $"/lycee/cours/compare/{start}...main", who));
        Assert.Contains("corrections/corrige.md", await OkAsync(api, "/api/v1/repos/lycee/cours/git/trees/main?recursive=true", who));
        var (zip, tar) = await ArchivesAsync(web, who);
        Assert.Contains(zip, e => e.EndsWith("corrections/corrige.md", StringComparison.Ordinal));
        Assert.Contains(tar, e => e.EndsWith("cours/exo1.prof.md", StringComparison.Ordinal));
    }

    private static async Task<(List<string> Zip, List<string> Tar)> ArchivesAsync(HttpClient client, string who)
    {
        var zip = await ZipEntriesAsync(client, "/lycee/cours/archive/main.zip", who);
        using var response = await client.GetAsync("/lycee/cours/archive/main.tar.gz");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: tar.gz → {(int)response.StatusCode}");
        Assert.Contains("private", response.Headers.CacheControl!.ToString());
        var tar = new List<string>();
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync() is { } entry) tar.Add(entry.Name);
        return (zip, tar);
    }

    private static async Task<List<string>> ZipEntriesAsync(HttpClient client, string url, string who)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: {url} → {(int)response.StatusCode}");
        using var archive = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        return archive.Entries.Select(e => e.FullName).ToList();
    }
}
