using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>
/// Browsing a repository with real history — merges, renames, binary files, accented and non-UTF-8 names,
/// symlinks, a submodule, tags and branches with slashes — through every page, as a visitor would.
/// </summary>
public sealed class BrowsingTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private HttpClient _web = null!;
    private string _token = null!;
    private readonly Dictionary<string, string> _commits = [];

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(_token, "cours");
        await _server.CreateRepositoryAsync(_token, "vide");
        await _server.CreateRepositoryAsync(_token, "secret", isPrivate: true);

        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Cours de NSI\n\nVoir [l’introduction](cours/intro.md).\n")
            .Write("cours/intro.md", "# Introduction\n\nPremière version.\n")
            .Write("élève notes.md", "# Notes de l’élève\n")
            .Write("script.py", "def carre(x):\n    \"\"\"Renvoie le carré.\"\"\"\n    return x * x  # simple\n")
            .WriteBytes("images/logo.png", Courses.Png);
        _commits["first"] = repo.Commit("Première version du cours");
        repo.Git("checkout", "-q", "-b", "feature/tri");
        repo.Write("tri.py", "def tri(t):\n    return sorted(t)\n");
        _commits["feature"] = repo.Commit("Ajout du tri");
        repo.Git("checkout", "-q", "main");
        repo.Write("README.md", "# Cours de NSI\n\nVoir [l’introduction](cours/introduction.md).\n");
        _commits["readme"] = repo.Commit("Lien mis à jour");
        repo.Git("merge", "-q", "--no-ff", "-m", "Fusion de feature/tri", "feature/tri");
        _commits["merge"] = repo.Git("rev-parse", "HEAD").Trim();
        repo.Git("mv", "cours/intro.md", "cours/introduction.md");
        _commits["rename"] = repo.Commit("Renommage de l’introduction");
        repo.WriteBytes("images/logo.png", [.. Courses.Png, 0, 1, 2]);
        _commits["binary"] = repo.Commit("Logo retouché");
        repo.Shell("ln -s README.md lien && git add lien");
        repo.Shell("printf '[submodule \"vendor/lib\"]\\n\\tpath = vendor/lib\\n\\turl = https://example.org/lib.git\\n' > .gitmodules && git add .gitmodules"
            + " && git update-index --add --cacheinfo 160000,0123456789abcdef0123456789abcdef01234567,vendor/lib");
        repo.Shell("sha=$(printf 'caf\\351 cr\\350me\\n' | git hash-object -w --stdin) && printf '100644 %s\\tcaf\\351.txt\\n' $sha | git update-index --index-info");
        _commits["odd"] = repo.CommitStaged("Lien, sous-module et nom non UTF-8");
        for (var i = 1; i <= 55; i++) repo.Git("commit", "-q", "--allow-empty", "-m", $"Retouche {i}");
        repo.Git("tag", "-a", "v1", "-m", "Version distribuée en septembre", _commits["odd"]);
        var git = new GitClient(_tmp.Sub("home"));
        await git.MustAsync(repo.Path, ("alice", _token), "push", "-q", _server.Url("/alice/cours.git"), "main", "feature/tri", "v1");
        await git.MustAsync(repo.Path, ("alice", _token), "push", "-q", _server.Url("/alice/secret.git"), "main");
        _web = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _web.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<string> PageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _web.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {response.StatusCode}\n{html[..Math.Min(html.Length, 500)]}");
        return WebUtility.HtmlDecode(html);
    }

    [Fact]
    public async Task History_is_paginated_and_follows_one_path()
    {
        var first = await PageAsync("/alice/cours/commits/main");
        Assert.Contains("Retouche 55", first);
        Assert.DoesNotContain("Première version du cours", first);
        Assert.Contains("href=\"/alice/cours/commits/main?page=2\"", first);
        var second = await PageAsync("/alice/cours/commits/main?page=2");
        Assert.Contains("Première version du cours", second);
        Assert.Contains("Fusion de feature/tri", second);

        var path = await PageAsync("/alice/cours/commits/main/cours/introduction.md");
        Assert.Contains("Renommage de l’introduction", path);
        Assert.DoesNotContain("Logo retouché", path);
        Assert.DoesNotContain("Retouche 1<", path);
        await PageAsync("/alice/cours/commits/main/n-existe-pas.md", HttpStatusCode.NotFound);
        await PageAsync("/alice/cours/commits/branche-inconnue", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Commit_pages_show_parents_renames_binary_files_and_line_diffs()
    {
        var merge = await PageAsync($"/alice/cours/commit/{_commits["merge"]}");
        Assert.Contains("Parents", merge);
        Assert.Contains($"href=\"/alice/cours/commit/{_commits["readme"]}\"", merge);
        Assert.Contains($"href=\"/alice/cours/commit/{_commits["feature"]}\"", merge);

        var rename = await PageAsync($"/alice/cours/commit/{_commits["rename"]}");
        Assert.Contains("cours/intro.md → cours/introduction.md", rename);
        Assert.Contains("renommé", rename);

        var binary = await PageAsync($"/alice/cours/commit/{_commits["binary"]}");
        Assert.Contains("Fichier binaire", binary);

        var readme = await PageAsync($"/alice/cours/commit/{_commits["readme"]}");
        Assert.Contains("Voir [l’introduction](cours/introduction.md).", readme);
        Assert.Matches("<tr class=\"d\"><td class=\"ln\">3</td><td class=\"ln\"></td>", readme);
        Assert.Contains("1 fichier modifié", readme);

        // Short ids redirect to the full id; unknown ids and non-hex input are 404.
        var shortId = await _web.GetAsync($"/alice/cours/commit/{_commits["readme"][..8]}");
        Assert.Equal(HttpStatusCode.Redirect, shortId.StatusCode);
        await PageAsync("/alice/cours/commit/0000000000000000000000000000000000000000", HttpStatusCode.NotFound);
        await PageAsync("/alice/cours/commit/main~1", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Trees_show_every_kind_of_entry_safely_with_their_last_change()
    {
        var root = await PageAsync("/alice/cours");
        Assert.Contains("href=\"/alice/cours/blob/main/%C3%A9l%C3%A8ve%20notes.md\">élève notes.md</a>", root);
        Assert.Contains("(lien symbolique)", root);
        Assert.Contains("(sous-module @ 0123456789)", await PageAsync("/alice/cours/tree/main/vendor"));
        Assert.Contains("caf", root); // the non-UTF-8 name is listed, not an error
        Assert.Contains($"<a href=\"/alice/cours/commit/{_commits["rename"]}\">Renommage de l’introduction</a>", await PageAsync("/alice/cours/tree/main"));
        Assert.Contains($"<a href=\"/alice/cours/commit/{_commits["binary"]}\">Logo retouché</a>", root);

        // A symlink is shown as its target path, never followed.
        Assert.Equal("README.md", await _web.GetStringAsync("/alice/cours/raw/main/lien"));
        var accented = await PageAsync("/alice/cours/blob/main/%C3%A9l%C3%A8ve%20notes.md");
        Assert.Contains("Notes de l’élève", accented);

        // Branches with slashes and tags address every page.
        Assert.Contains("tri.py", await PageAsync("/alice/cours/tree/feature/tri"));
        Assert.Contains("<span class=\"hl-f\">tri</span>", await PageAsync("/alice/cours/blob/feature/tri/tri.py"));
        Assert.StartsWith("def tri(t):", await _web.GetStringAsync("/alice/cours/raw/feature/tri/tri.py"));
        Assert.Contains("vendor", await PageAsync("/alice/cours/tree/v1"));
        Assert.Contains("intro.md", await PageAsync($"/alice/cours/tree/{_commits["first"]}/cours"));
    }

    [Fact]
    public async Task Files_are_highlighted_numbered_and_offer_raw_history_blame_and_permalink()
    {
        var response = await _web.GetAsync("/alice/cours/blob/main/script.py");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<span class=\"hl-k\">def</span>", html);
        Assert.Contains("<span class=\"hl-c\"># simple</span>", html);
        Assert.Contains("<span class=\"hl-s\">&quot;&quot;&quot;Renvoie le carré.&quot;&quot;&quot;</span>", html);
        Assert.Contains("<span id=\"L3\"><a href=\"#L3\">3</a>", html);
        Assert.Contains("href=\"/alice/cours/blame/main/script.py\"", html);
        Assert.Contains("href=\"/alice/cours/commits/main/script.py\"", html);
        var head = (await _web.GetStringAsync("/api/v1/repos/alice/cours")).Contains("\"default_branch\":\"main\"");
        Assert.True(head);
        Assert.Matches("href=\"/alice/cours/blob/[0-9a-f]{40}/script.py\"", html);

        var blame = await PageAsync("/alice/cours/blame/main/script.py");
        Assert.Contains("Première version du cours", blame);
        Assert.Contains("return x * x  # simple", blame);
        var blameReadme = await PageAsync("/alice/cours/blame/main/README.md");
        Assert.Contains("Lien mis à jour", blameReadme);

        // Raw answers 304 to a client that already has the blob.
        var raw = await _web.GetAsync("/alice/cours/raw/main/script.py");
        var request = new HttpRequestMessage(HttpMethod.Get, "/alice/cours/raw/main/script.py");
        request.Headers.IfNoneMatch.Add(raw.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _web.SendAsync(request)).StatusCode);
        // HEAD (curl -I, link checkers) gets the same headers and no body.
        var headOnly = await _web.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/alice/cours/raw/main/script.py"));
        Assert.Equal(HttpStatusCode.OK, headOnly.StatusCode);
        Assert.Equal(raw.Headers.ETag, headOnly.Headers.ETag);
        Assert.Equal(raw.Content.Headers.ContentType, headOnly.Content.Headers.ContentType);
        Assert.Empty(await headOnly.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _web.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/alice/cours/raw/main/absent.py"))).StatusCode);
        Assert.Contains("<img src=\"/alice/cours/thumbnail/main/images/logo.png?w=1280\"", await PageAsync("/alice/cours/blob/main/images/logo.png"));
    }

    [Fact]
    public async Task Branches_tags_and_comparison_pages_list_what_exists()
    {
        var branches = await PageAsync("/alice/cours/branches");
        Assert.Contains(">main</a>", branches);
        Assert.Contains("par défaut", branches);
        Assert.Contains("href=\"/alice/cours/compare/main...feature/tri\"", branches);
        var tags = await PageAsync("/alice/cours/tags");
        Assert.Contains("Version distribuée en septembre", tags);
        Assert.Contains("href=\"/alice/cours/archive/v1.zip\"", tags);

        var compare = await PageAsync($"/alice/cours/compare/{_commits["first"]}...feature/tri");
        Assert.Contains("Ajout du tri", compare);
        Assert.Contains("tri.py", compare);
        var nothing = await PageAsync("/alice/cours/compare/main...feature/tri");
        Assert.Contains("n’apporte aucune modification", nothing);
        var bad = await PageAsync("/alice/cours/compare/main...--output=x", HttpStatusCode.NotFound);
        Assert.Contains("n’est ni une branche", bad);
    }

    [Fact]
    public async Task Archives_are_real_zip_and_tar_gz_files_of_the_requested_version()
    {
        var zip = await _web.GetAsync("/alice/cours/archive/v1.zip");
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        Assert.Contains("cours-v1.zip", zip.Content.Headers.ContentDisposition!.ToString());
        using (var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync()))
        {
            var readme = archive.GetEntry("cours-v1/README.md");
            Assert.NotNull(readme);
            using var reader = new StreamReader(readme.Open());
            Assert.Contains("cours/introduction.md", await reader.ReadToEndAsync());
            Assert.Null(archive.GetEntry("cours-v1/Retouche"));
        }
        var tgz = await _web.GetAsync("/alice/cours/archive/feature/tri.tar.gz");
        Assert.Equal("application/gzip", tgz.Content.Headers.ContentType!.MediaType);
        await using var gunzip = new GZipStream(await tgz.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        await using var tar = new System.Formats.Tar.TarReader(gunzip);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        Assert.Contains("cours-feature-tri/tri.py", names);
        Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync("/alice/cours/archive/main.rar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync("/alice/cours/archive/inconnue.zip")).StatusCode);
    }

    [Fact]
    public async Task An_empty_repository_has_no_history_and_a_private_one_shows_nothing_to_others()
    {
        Assert.Contains("Ce dépôt est vide", await PageAsync("/alice/vide"));
        Assert.Contains("aucune branche", await PageAsync("/alice/vide/branches"));
        Assert.Contains("aucune étiquette", await PageAsync("/alice/vide/tags"));
        await PageAsync("/alice/vide/commits/main", HttpStatusCode.NotFound);

        foreach (var path in new[] { "/alice/secret/commits/main", $"/alice/secret/commit/{_commits["first"]}", "/alice/secret/blame/main/script.py",
                     "/alice/secret/branches", "/alice/secret/tags", "/alice/secret/compare/main...main", "/alice/secret/archive/main.zip",
                     "/alice/secret/tree/main", "/alice/secret/blob/main/script.py" })
            Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync(path)).StatusCode);
        using var owner = _server.Client(_token);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/alice/secret/archive/main.zip")).StatusCode);
        var archive = await owner.GetAsync("/alice/secret/archive/main.zip");
        Assert.Contains("private", archive.Headers.CacheControl!.ToString());
    }
}
