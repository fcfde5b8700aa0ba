using System.Net;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.EndToEnd;

/// <summary>
/// The walking skeleton end to end: a teacher creates a repository, pushes a course with the real git client,
/// clones it back, and finds it through search; a private repository stays invisible to everyone else.
/// </summary>
public sealed class TeacherPublishesCourseTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task PushCourseAsync(string owner, string token, string repo, Action<string> write)
    {
        var work = _tmp.Sub($"work-{repo}");
        write(work);
        await _git.MustAsync(work, null, "init", "-q", "-b", "main");
        await _git.MustAsync(work, null, "add", ".");
        await _git.MustAsync(work, null, "commit", "-q", "-m", "Première version du cours");
        await _git.MustAsync(work, (owner, token), "push", _server.Url($"/{owner}/{repo}.git"), "main");
    }

    private async Task<string> SearchAsync(HttpClient client, string q) =>
        await (await client.GetAsync("/search?q=" + Uri.EscapeDataString(q))).Content.ReadAsStringAsync();

    [Fact]
    public async Task A_pushed_course_is_rendered_clones_back_identical_and_is_found_by_stemmed_french_words()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        var created = await _server.CreateRepositoryAsync(token, "nsi-terminale", description: "Cours de NSI");
        Assert.Equal("alice/nsi-terminale", created.GetProperty("full_name").GetString());
        Assert.Equal(_server.Url("/alice/nsi-terminale.git"), created.GetProperty("clone_url").GetString());

        // The empty repository explains how to push.
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var empty = await web.GetAsync("/alice/nsi-terminale");
        Assert.Contains("Ce dépôt est vide", empty);
        Assert.Contains($"git remote add origin {_server.Url("/alice/nsi-terminale.git")}", empty);

        await PushCourseAsync("alice", token, "nsi-terminale", d => Courses.WriteNsiCourse(d));

        // Anyone clones a public repository without credentials, byte for byte.
        var clone = Path.Combine(_tmp.Path, "clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/nsi-terminale.git"), clone);
        var original = _tmp.Sub("work-nsi-terminale");
        foreach (var file in Directory.EnumerateFiles(original, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/")))
        {
            var relative = Path.GetRelativePath(original, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(clone, relative)));
        }

        // Protocol v0 (older clients) works as well as v2.
        await _git.MustAsync(_tmp.Path, null, "-c", "protocol.version=0", "clone", "-q", _server.Url("/alice/nsi-terminale.git"), Path.Combine(_tmp.Path, "clone-v0"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(original, "README.md")), File.ReadAllBytes(Path.Combine(_tmp.Path, "clone-v0", "README.md")));

        using var anonymous = _server.Client();
        var home = await (await anonymous.GetAsync("/alice/nsi-terminale")).Content.ReadAsStringAsync();
        Assert.Matches("<h1 id=\"nsi-terminale-+algorithmes-de-tri\">NSI terminale — algorithmes de tri</h1>", home);
        Assert.Contains("href=\"/alice/nsi-terminale/blob/main/chapitres/tris/insertion.md\"", home);
        Assert.Contains("src=\"/alice/nsi-terminale/thumbnail/main/images/schema.png?w=1280\"", home);
        Assert.Contains("Terminale", home); // resource.yml shown
        Assert.Contains("Cycles</dt><dd>Lycée (déduits des niveaux)", home);

        var tree = await (await anonymous.GetAsync("/alice/nsi-terminale/tree/main/chapitres/tris")).Content.ReadAsStringAsync();
        Assert.Contains("href=\"/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py\"", tree);

        var blob = await anonymous.GetAsync("/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py");
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Contains("<span class=\"hl-k\">def</span> <span class=\"hl-f\">tri_insertion</span>", await blob.Content.ReadAsStringAsync());

        var raw = await anonymous.GetAsync("/alice/nsi-terminale/raw/main/chapitres/tris/insertion.py");
        Assert.Equal("text/plain", raw.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("def tri_insertion(t):", await raw.Content.ReadAsStringAsync());
        var image = await anonymous.GetAsync("/alice/nsi-terminale/raw/main/images/schema.png");
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Courses.Png, await image.Content.ReadAsByteArrayAsync());
        var imagePage = await (await anonymous.GetAsync("/alice/nsi-terminale/blob/main/images/schema.png")).Content.ReadAsStringAsync();
        Assert.Contains("<img src=\"/alice/nsi-terminale/thumbnail/main/images/schema.png?w=1280\"", imagePage);
        // Until its thumbnails exist (and for an image smaller than them), the thumbnail URL leads to the file itself.
        var thumbnail = await anonymous.GetAsync("/alice/nsi-terminale/thumbnail/main/images/schema.png?w=640");
        Assert.Equal(HttpStatusCode.Redirect, thumbnail.StatusCode);
        Assert.Equal("/alice/nsi-terminale/raw/main/images/schema.png", thumbnail.Headers.Location!.ToString());

        // The push queued an index job: within seconds, French stemming and accent folding find the course.
        await Wait.UntilAsync(async () => (await SearchAsync(anonymous, "eleve")).Contains("href=\"/alice/nsi-terminale\""), "search finds 'eleve'");
        Assert.Contains("href=\"/alice/nsi-terminale\"", await SearchAsync(anonymous, "exercice"));   // README says "exercices"
        Assert.Contains("href=\"/alice/nsi-terminale\"", await SearchAsync(anonymous, "quadratiques")); // a Markdown page says "quadratique"
        Assert.Contains("href=\"/alice/nsi-terminale\"", await SearchAsync(anonymous, "corrigé"));      // resource.yml says "corrigés"
        Assert.Contains("<mark>", await SearchAsync(anonymous, "eleve"));
        Assert.DoesNotContain("href=\"/alice/nsi-terminale\"", await SearchAsync(anonymous, "photosynthèse"));
    }

    [Fact]
    public async Task A_private_repository_is_invisible_to_other_users_and_to_anonymous_visitors_everywhere()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, bob) = await _server.CreateUserAsync("bob");
        await _server.CreateRepositoryAsync(alice, "conseil-de-classe", isPrivate: true);
        await PushCourseAsync("alice", alice, "conseil-de-classe", d => File.WriteAllText(Path.Combine(d, "README.md"), "# Notes confidentielles\n\nAppréciations zoologiques.\n"));

        // Alice herself finds it once indexed (so its absence for others below is the permission filter, not a lag).
        using var aliceWeb = new WebSession(_server);
        await aliceWeb.SignInAsync("alice", "motdepasse-solide");
        await Wait.UntilAsync(async () => (await aliceWeb.GetAsync("/search?q=zoologique")).Contains("/alice/conseil-de-classe"), "alice finds her private repository");

        using var bobWeb = new WebSession(_server);
        await bobWeb.SignInAsync("bob", "motdepasse-solide");
        using var anonymous = _server.Client();
        using var bobApi = _server.Client(bob);
        foreach (var client in new[] { anonymous, bobWeb.Http, bobApi })
        {
            foreach (var path in new[] { "/alice/conseil-de-classe", "/alice/conseil-de-classe/tree/main", "/alice/conseil-de-classe/blob/main/README.md",
                         "/alice/conseil-de-classe/raw/main/README.md", "/api/v1/repos/alice/conseil-de-classe" })
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
            var search = await (await client.GetAsync("/search?q=zoologique")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("conseil-de-classe", search);
            Assert.Contains("0 ressource", search);
            Assert.DoesNotContain("conseil-de-classe", await (await client.GetAsync("/alice")).Content.ReadAsStringAsync());
            Assert.DoesNotContain("conseil-de-classe", await (await client.GetAsync("/")).Content.ReadAsStringAsync());
        }
        // A missing repository looks exactly the same as a private one.
        Assert.Equal(HttpStatusCode.NotFound, (await bobApi.GetAsync("/api/v1/repos/alice/n-existe-pas")).StatusCode);

        // Clone: anonymous gets the same challenge as for a repository that does not exist; bob gets "not found".
        var (anonCode, anonOut) = await _git.RunAsync(_tmp.Path, null, "clone", _server.Url("/alice/conseil-de-classe.git"), Path.Combine(_tmp.Path, "c1"));
        Assert.NotEqual(0, anonCode);
        Assert.Contains("could not read Username", anonOut);
        var infoRefs = await anonymous.GetAsync("/alice/conseil-de-classe.git/info/refs?service=git-upload-pack");
        var missing = await anonymous.GetAsync("/alice/n-existe-pas.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, infoRefs.StatusCode);
        Assert.Equal(missing.StatusCode, infoRefs.StatusCode);
        Assert.Equal("Basic realm=\"Forge\"", infoRefs.Headers.WwwAuthenticate.ToString());

        var (bobCode, bobOut) = await _git.RunAsync(_tmp.Path, ("bob", bob), "clone", _server.Url("/alice/conseil-de-classe.git"), Path.Combine(_tmp.Path, "c2"));
        Assert.NotEqual(0, bobCode);
        Assert.Contains("not found", bobOut);
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "c2", "README.md")));

        // The owner clones it with her token.
        await _git.MustAsync(_tmp.Path, ("alice", alice), "clone", "-q", _server.Url("/alice/conseil-de-classe.git"), Path.Combine(_tmp.Path, "c3"));
        Assert.Contains("zoologiques", File.ReadAllText(Path.Combine(_tmp.Path, "c3", "README.md")));
    }

    [Fact]
    public async Task The_account_password_also_works_for_git_and_the_api_describes_the_caller()
    {
        var (_, token) = await _server.CreateUserAsync("claire", password: "un-mot-de-passe");
        await _server.CreateRepositoryAsync(token, "snt-seconde");
        await PushCourseAsync("claire", "un-mot-de-passe", "snt-seconde", d => File.WriteAllText(Path.Combine(d, "README.md"), "# SNT\n"));

        using var api = _server.Client(token);
        var me = JsonDocument.Parse(await api.GetStringAsync("/api/v1/user")).RootElement;
        Assert.Equal("claire", me.GetProperty("login").GetString());
        Assert.Equal("claire@ac-lyon.fr", me.GetProperty("email").GetString());

        using var bearer = _server.Client();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var repo = JsonDocument.Parse(await bearer.GetStringAsync("/api/v1/repos/claire/snt-seconde")).RootElement;
        Assert.False(repo.GetProperty("empty").GetBoolean());
        Assert.Equal("main", repo.GetProperty("default_branch").GetString());
        Assert.True(repo.GetProperty("permissions").GetProperty("push").GetBoolean());
    }

    [Fact]
    public async Task An_invalid_resource_yml_is_explained_on_the_repository_page_which_still_works()
    {
        var (_, token) = await _server.CreateUserAsync("dora");
        await _server.CreateRepositoryAsync(token, "fiche-invalide");
        await PushCourseAsync("dora", token, "fiche-invalide", d =>
        {
            File.WriteAllText(Path.Combine(d, "README.md"), "# Activité\n");
            File.WriteAllText(Path.Combine(d, "resource.yml"), "title: Activité\ngrades: [tle, 7e]\nduration_minutes: longtemps\n");
        });
        using var anonymous = _server.Client();
        var response = await anonymous.GetAsync("/dora/fiche-invalide");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Le fichier resource.yml contient 2 problèmes", html);
        Assert.Contains("<td class=\"mono\">grades</td><td class=\"mono\">7e</td>", html);
        Assert.Contains("Valeurs possibles pour les niveaux", html);
        Assert.Contains("nombre entier de minutes", html);
        Assert.Matches("<h1 id=\"[^\"]+\">Activité</h1>", html); // the README still renders
        Assert.Contains("Terminale", html);                          // and the valid values are shown
    }
}
