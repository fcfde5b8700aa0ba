using System.Net;
using System.Net.Http.Json;
using System.Text;
using Forge.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Sites;

/// <summary>
/// Course sites built by Forge's job from real pushes: a real-shaped MkDocs course (nav, admonitions, tabs, maths,
/// highlighted code, a notebook, exercises, macros, images and attachments with accented names), its navigation, search
/// and build log; a broken <c>mkdocs.yml</c> keeps the previous site online; previews of branches; teacher-only files;
/// a private repository's site; a site without <c>mkdocs.yml</c> ordered by <c>.pages</c>. One server for all.
/// </summary>
public sealed class CourseSiteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    public const string MkDocs = """
        site_name: NSI Première
        docs_dir: docs
        theme:
          name: material
          palette:
            - scheme: default
              primary: teal
        markdown_extensions:
          - admonition
          - pymdownx.arithmatex:
              generic: true
          - pymdownx.superfences:
              custom_fences:
                - name: mermaid
                  class: mermaid
                  format: !!python/name:pymdownx.superfences.fence_code_format
        extra:
          auteur: Mme Durand
        exclude_docs: |
          brouillons/
        nav:
          - Accueil: index.md
          - Chapitre 1:
            - Cours: chap1/cours.md
            - chap1/tp.ipynb
            - chap1/exercice.md
        """;

    public const string CoursePage = """
        # Les suites

        ## Définition

        !!! note "À retenir"
            Une suite arithmétique vérifie \(u_{n+1} = u_n + r\).

        \[
        u_n = u_0 + n r
        \]

        ??? tip "Indice"
            Calculez $u_1 - u_0$.

        ## Programmes

        === "Python"

            ```python linenums="1" hl_lines="2"
            def terme(u0, r, n):
                return u0 + n * r
            ```

        === "Pseudo-code"

            Retourner u0 + n × r.

        Voir l’[accueil](../index.md), l’[énoncé](../fichiers/énoncé.pdf) et le [TP](tp.ipynb).
        """;

    public const string ExercisePage = """
        # Exercice : somme

        Écrire la fonction `somme`.

        ```python exercice
        def somme(a, b):
            ...
        ```

        ```python tests
        assert somme(2, 3) == 5
        ```

        ## Avec le thème pyodide

        {{ IDE('exo') }}
        """;

    public const string ExoPy = """
        # --- PYODIDE:code --- #
        def double(x):
            ...
        # --- PYODIDE:corr --- #
        def double(x):
            return 2 * x  # SOLUTION_SECRETE
        # --- PYODIDE:tests --- #
        assert double(4) == 8
        # --- PYODIDE:secrets --- #
        assert double(-1) == -2  # TEST_CACHE
        """;

    /// <summary>A real PNG (1×1).</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");

    private async Task<string> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task UntilPageAsync(HttpClient client, string url, string expected, int seconds = 60) =>
        await Wait.UntilAsync(async () =>
        {
            using var response = await client.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains(expected, StringComparison.Ordinal);
        }, $"{url} shows « {expected} »", seconds);

    [Fact]
    public async Task A_teachers_mkdocs_course_is_published_navigable_searchable_and_survives_a_broken_configuration()
    {
        await _server.CreateRepositoryAsync(_alice, "cours");
        var work = new TestRepo(_tmp.Sub("cours"));
        work.Write("mkdocs.yml", MkDocs)
            .Write("resource.yml", "title: Suites\nteacher_only:\n  - docs/corrections/\n")
            .Write("docs/index.md", "# Bienvenue\n\nCours de {{ config.site_name }} par {{ extra.auteur }}.{{ macro_inconnue(3) }}\n\n{% include 'pied.md' %}\n\n![Schéma du réseau](images/sch%C3%A9ma%20r%C3%A9seau.png)\n")
            .Write("docs/chap1/cours.md", CoursePage)
            .Write("docs/chap1/tp.ipynb", CourseMaterial.PlotNotebook())
            .Write("docs/chap1/exercice.md", ExercisePage)
            .Write("docs/chap1/exo.py", ExoPy)
            .WriteBytes("docs/fichiers/énoncé.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 énoncé"))
            // The image's name as macOS writes it (decomposed accents), linked in composed form from the page.
            .WriteBytes("docs/images/" + "schéma réseau.png".Normalize(NormalizationForm.FormD), Png)
            .Write("docs/brouillons/idee.md", "# Brouillon\n\nPas prêt.\n")
            .Write("docs/corrections/corrige.md", "# Corrigé\n\nRéponse : CORRIGE_PROF.\n");
        work.Commit("Cours de suites");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");

        using var anonymous = _server.Client();
        await UntilPageAsync(anonymous, "/alice/cours/site/", "Bienvenue");
        var home = await GetAsync(anonymous, "/alice/cours/site/");
        // Macros: the simple ones rendered, the others removed (never shown as template text).
        Assert.Contains("Cours de NSI Première par Mme Durand.", home);
        Assert.DoesNotContain("{{", home);
        Assert.DoesNotContain("{%", home);
        Assert.Contains("site-accent-teal", home);
        Assert.Contains("<a href=\"chap1/cours/\">Cours</a>", home);
        Assert.Contains("<span class=\"course-nav-section\">Chapitre 1</span>", home);
        Assert.Contains("src=\"images/sch%C3%A9ma%20r%C3%A9seau.png\"", home);
        Assert.DoesNotContain("wasm-unsafe-eval", string.Join(" ", (await anonymous.GetAsync("/alice/cours/site/")).Headers.GetValues("Content-Security-Policy")));
        using (var image = await anonymous.GetAsync("/alice/cours/site/images/sch%C3%A9ma%20r%C3%A9seau.png"))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
            Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());
        }
        output.WriteLine($"home page: {Encoding.UTF8.GetByteCount(home)} bytes of HTML");

        // A page without its slash is redirected, so that its relative links resolve.
        using (var bare = await anonymous.GetAsync("/alice/cours/site/chap1/cours"))
            Assert.Equal("/alice/cours/site/chap1/cours/", bare.Headers.Location!.OriginalString);
        var course = await GetAsync(anonymous, "/alice/cours/site/chap1/cours/");
        Assert.Contains("<title>Les suites · NSI Première", course);
        Assert.Contains("<div class=\"admonition note\">", course);
        Assert.Contains("<details class=\"admonition tip\">", course);
        Assert.Contains("<div class=\"tabbed-set\">", course);
        Assert.Contains("<h3 class=\"tabbed-label\">Python</h3>", course);
        Assert.Contains("<h3 class=\"tabbed-label\">Pseudo-code</h3>", course);
        Assert.Contains("<span class=\"math\">\\(u_{n+1} = u_n + r\\)</span>", course);   // arithmatex's \( \) typeset by KaTeX
        Assert.Contains("<div class=\"math\">", course);
        Assert.Contains("<pre class=\"highlight linenums\"><code class=\"language-python\">", course);
        Assert.Contains("<span class=\"line hll\">", course);
        Assert.Contains("<span class=\"hl-k\">", course);
        Assert.Contains("<a href=\"#définition\">Définition</a>", course);     // table of contents
        Assert.Contains("href=\"../../\">accueil</a>", course);
        Assert.Contains("href=\"../../fichiers/%C3%A9nonc%C3%A9.pdf\"", course);
        Assert.Contains("href=\"../tp/\">TP</a>", course);
        Assert.Contains("<a rel=\"prev\" href=\"../../\">", course);
        Assert.Contains("<a rel=\"next\" href=\"../tp/\">", course);
        Assert.Contains("aria-current=\"page\"", course);
        Assert.Contains("katex", course);
        using (var pdf = await anonymous.GetAsync("/alice/cours/site/fichiers/%C3%A9nonc%C3%A9.pdf"))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Contains("sandbox", string.Join(" ", pdf.Headers.GetValues("Content-Security-Policy")));
        }
        var notebook = await GetAsync(anonymous, "/alice/cours/site/chap1/tp/");
        Assert.Contains("TP 3 : tracer une fonction", notebook);

        using (var exercise = await anonymous.GetAsync("/alice/cours/site/chap1/exercice/"))
        {
            var html = await exercise.Content.ReadAsStringAsync();
            Assert.Contains("'wasm-unsafe-eval'", string.Join(" ", exercise.Headers.GetValues("Content-Security-Policy")));
            Assert.Contains("<div class=\"exercise\">", html);
            Assert.Contains("assert somme(2, 3) == 5", html);
            Assert.Contains("assert double(4) == 8", html);                     // IDE('exo'): its public tests
            Assert.DoesNotContain("SOLUTION_SECRETE", html);                     // never its solution
            Assert.DoesNotContain("TEST_CACHE", html);
            Assert.Contains("Sans JavaScript", html);
            Assert.Contains("vendor/pyodide/", html);
        }
        // What must not be published: the exercise file (it holds the solution), excluded drafts, teacher-only files.
        foreach (var hidden in new[] { "chap1/exo.py", "brouillons/idee/", "corrections/corrige/" })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/cours/site/" + hidden)).StatusCode);

        // Search inside the site, without JavaScript; accents and case do not matter.
        var search = await GetAsync(anonymous, "/alice/cours/site/-/search?q=ARITHMETIQUE");
        Assert.Contains("<a href=\"/alice/cours/site/chap1/cours/\">Les suites</a>", search);
        Assert.Contains("1 page(s)", search);
        Assert.Contains("Aucune page", await GetAsync(anonymous, "/alice/cours/site/-/search?q=CORRIGE_PROF"));

        // The build log: readers see it, with the macros that were removed, file and line.
        var builds = await GetAsync(anonymous, "/alice/cours/site/-/builds");
        Assert.Contains("réussie", builds);
        Assert.Contains("index.md, ligne 3 : macro « {{ macro_inconnue(3) }} » inconnue", builds);
        Assert.Contains("réservé(s) aux enseignants", builds);
        Assert.Contains(">Site</a>", builds);

        // A YAML error: a readable error with the line, the previous site stays online.
        work.Write("mkdocs.yml", MkDocs.Replace("  - Accueil: index.md", "  - Accueil: index.md\n - Cours: [")).Write("docs/index.md", "# Nouvelle version\n");
        work.Commit("Casse la configuration");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        await UntilPageAsync(anonymous, "/alice/cours/site/-/builds", "échouée");
        builds = await GetAsync(anonymous, "/alice/cours/site/-/builds");
        Assert.Matches("mkdocs.yml, ligne 2[0-9] : erreur de syntaxe YAML", builds);
        Assert.Contains("le site précédent reste en ligne", builds);
        var failed = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/cours/site/builds")).RootElement;
        Assert.Equal("failure", failed.GetProperty("builds")[0].GetProperty("status").GetString());
        Assert.Contains("mkdocs.yml, ligne", failed.GetProperty("builds")[0].GetProperty("errors")[0].GetString());
        Assert.Equal("success", failed.GetProperty("builds")[1].GetProperty("status").GetString());
        Assert.Contains("Bienvenue", await GetAsync(anonymous, "/alice/cours/site/"));

        // nav pointing to a missing page: the file and the line of the entry.
        work.Write("mkdocs.yml", MkDocs.Replace("chap1/exercice.md", "chap1/absent.md"));
        work.Commit("Page manquante");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        await UntilPageAsync(anonymous, "/alice/cours/site/-/builds", "chap1/absent.md");
        Assert.Contains("mkdocs.yml, ligne 26 : « nav » renvoie à « chap1/absent.md »", await GetAsync(anonymous, "/alice/cours/site/-/builds"));
        Assert.Contains("Bienvenue", await GetAsync(anonymous, "/alice/cours/site/"));

        // Fixed: the new version replaces the old one.
        work.Write("mkdocs.yml", MkDocs);
        work.Commit("Répare");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        await UntilPageAsync(anonymous, "/alice/cours/site/", "Nouvelle version");

        // A branch gets its preview; the published site does not move; the merge request links to the preview.
        work.Git("switch", "-q", "-c", "refonte/v2");
        work.Write("docs/index.md", "# Refonte en cours\n");
        work.Commit("Refonte");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "refonte/v2");
        await UntilPageAsync(anonymous, "/alice/cours/site/-/preview/refonte/v2/", "Refonte en cours");
        Assert.Contains("Aperçu de la branche « refonte/v2 »", await GetAsync(anonymous, "/alice/cours/site/-/preview/refonte/v2/chap1/cours/"));
        Assert.Contains("Nouvelle version", await GetAsync(anonymous, "/alice/cours/site/"));
        using (var api = _server.Client(_alice))
        {
            var created = await api.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls", new { head = "refonte/v2", @base = "main", title = "Refonte" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        Assert.Contains("href=\"/alice/cours/site/-/preview/refonte/v2/\">Aperçu du site</a>", await GetAsync(anonymous, "/alice/cours/merge_requests/1"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/cours/site/-/preview/inexistante/")).StatusCode);
    }

    [Fact]
    public async Task A_private_site_is_for_its_readers_only_and_markdown_folders_follow_their_pages_files()
    {
        await _server.CreateRepositoryAsync(_alice, "prive", isPrivate: true);
        var secret = new TestRepo(_tmp.Sub("prive"));
        secret.Write("docs/index.md", "# Cours privé\n").Commit("Cours");
        await _git.MustAsync(secret.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/prive.git"), "main");

        await _server.CreateRepositoryAsync(_alice, "dossiers");
        var folders = new TestRepo(_tmp.Sub("dossiers"));
        folders.Write("docs/.pages", "nav:\n  - intro.md\n  - ...\n  - Lien externe: https://eduscol.education.fr\n")
            .Write("docs/intro.md", "# Introduction\n")
            .Write("docs/b.md", "# Bêta\n")
            .Write("docs/a.md", "# Alpha\n")
            .Write("docs/chapitre/.pages", "title: Chapitre premier\n")
            .Write("docs/chapitre/index.md", "# Ouverture du chapitre\n")
            .Commit("Pages");
        await _git.MustAsync(folders.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/dossiers.git"), "main");

        using var alice = _server.Client(_alice);
        using var bob = _server.Client(_bob);
        using var anonymous = _server.Client();
        await UntilPageAsync(alice, "/alice/prive/site/", "Cours privé");
        foreach (var stranger in new[] { anonymous, bob })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/alice/prive/site/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/alice/prive/site/-/builds")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/alice/prive/site/-/search?q=cours")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/v1/repos/alice/prive/site/builds")).StatusCode);
        }
        var api = System.Text.Json.JsonDocument.Parse(await alice.GetStringAsync("/api/v1/repos/alice/prive/site/builds")).RootElement;
        Assert.Equal("/alice/prive/site/", api.GetProperty("site_url").GetString());
        Assert.Equal(1, api.GetProperty("current").GetProperty("pages").GetInt32());
        Assert.Equal("success", api.GetProperty("builds")[0].GetProperty("status").GetString());
        Assert.Contains("/api/v1/repos/{owner}/{repo}/site/builds", await anonymous.GetStringAsync("/api/v1/openapi.json"));

        await UntilPageAsync(anonymous, "/alice/dossiers/site/intro/", "Introduction");
        var page = await GetAsync(anonymous, "/alice/dossiers/site/intro/");
        var order = new[] { ">Introduction</a>", ">Alpha</a>", ">Bêta</a>", "Chapitre premier", ">Lien externe</a>" }.Select(s => page.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order().ToList(), order);
        Assert.Contains("<a rel=\"next\" href=\"../a/\">", page);
    }

    /// <summary>A new public repository of Alice's with one commit of what <paramref name="write"/> writes, pushed with git.</summary>
    private async Task PushNewAsync(string name, Action<TestRepo> write)
    {
        await _server.CreateRepositoryAsync(_alice, name);
        var work = new TestRepo(_tmp.Sub(name));
        write(work);
        work.Commit("Première version");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
    }

    [Fact]
    public async Task Markdown_folders_alone_make_a_site_and_a_readme_alone_does_not()
    {
        // Pushed first: with one worker, its build (if any) runs before the other repository's.
        await PushNewAsync("scripts", repo => repo.Write("README.md", "# Mes scripts\n").Write("NOTES.md", "# Notes\n").Write("src/tri.py", "print('tri')\n")
            .Write(".github/modele.md", "# Modèle\n"));
        await PushNewAsync("brouillons", repo => repo.Write("resource.yml", "title: Brouillons\nsite: false\n").Write("chapitre-1/cours.md", "# Pas encore prêt\n"));
        await PushNewAsync("snt", repo => repo.Write("README.md", "# Cours de SNT\n\nVoir [le premier chapitre](chapitre-1/cours.md).\n")
            .Write("chapitre-1/cours.md", "# Le Web\n\nUn cours sur le Web.\n")
            .Write("chapitre-2/exercices.md", "# Exercices sur les réseaux\n")
            .Write("chapitre-2/figure.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));

        using var anonymous = _server.Client();
        await UntilPageAsync(anonymous, "/alice/snt/site/", "Cours de SNT");
        var home = await GetAsync(anonymous, "/alice/snt/site/");
        // The README is the home page; the folders and the pages' titles make the navigation.
        Assert.Contains("<a href=\"chapitre-1/cours/\">Le Web</a>", home);
        Assert.Contains("<a href=\"chapitre-2/exercices/\">Exercices sur les réseaux</a>", home);
        Assert.Contains("href=\"chapitre-1/cours/\">le premier chapitre</a>", home);
        Assert.Contains("Un cours sur le Web.", await GetAsync(anonymous, "/alice/snt/site/chapitre-1/cours/"));
        Assert.Contains("Exercices sur les réseaux", await GetAsync(anonymous, "/alice/snt/site/chapitre-2/exercices/"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alice/snt/site/chapitre-2/figure.svg")).StatusCode);
        var built = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/snt/site/builds")).RootElement;
        Assert.Equal(3, built.GetProperty("current").GetProperty("pages").GetInt32());

        // A README, a root page and code: no site (nor a dot folder's Markdown), and the page says how to get one.
        // Markdown folders with « site: false » in resource.yml: no site either.
        foreach (var repo in new[] { "scripts", "brouillons" })
        {
            var none = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync($"/api/v1/repos/alice/{repo}/site/builds")).RootElement;
            Assert.Equal(0, none.GetProperty("builds").GetArrayLength());
        }
        using var missing = await anonymous.GetAsync("/alice/scripts/site/");
        Assert.NotEqual(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("des pages Markdown rangées dans des dossiers", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_site_section_of_resource_yml_names_the_folder_the_navigation_and_the_colour()
    {
        await PushNewAsync("maths", repo => repo
            .Write("resource.yml", "title: Maths seconde\nsite:\n  name: Maths en seconde\n  docs_dir: cours\n  palette: indigo\n  nav:\n    - Accueil: index.md\n    - Les fonctions: fonctions.md\n    - Les vecteurs: vecteurs.md\n")
            .Write("cours/index.md", "# Bienvenue en seconde\n")
            .Write("cours/vecteurs.md", "# Vecteurs\n")
            .Write("cours/fonctions.md", "# Fonctions\n")
            .Write("annexes/hors-site.md", "# Hors du site\n"));

        using var anonymous = _server.Client();
        await UntilPageAsync(anonymous, "/alice/maths/site/", "Bienvenue en seconde");
        var home = await GetAsync(anonymous, "/alice/maths/site/");
        Assert.Contains("Maths en seconde", home);                                        // name:
        Assert.Contains("site-accent-indigo", home);                                     // palette:
        // nav: its titles and its order (not the alphabetical one of the folder).
        var order = new[] { ">Accueil</a>", ">Les fonctions</a>", ">Les vecteurs</a>" }.Select(t => home.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order().ToList(), order);
        Assert.Contains("<a rel=\"next\" href=\"../vecteurs/\">", await GetAsync(anonymous, "/alice/maths/site/fonctions/"));
        // docs_dir: only that folder is published.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/maths/site/annexes/hors-site/")).StatusCode);
        Assert.DoesNotContain("Hors du site", home);
    }
}
