using System.Net;
using System.Text.RegularExpressions;
using Forge.Jobs;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>
/// The "last commit" column of tree pages, READMEs and the highlighting of big files, with every cache off: the same
/// answers whether a page works them out itself (right after a push) or reads what the job that follows a push prepared,
/// also when that job derives a new tip from the previous one.
/// </summary>
public sealed partial class DerivedBrowsingDataTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private HttpClient _web = null!;
    private GitClient _git = null!;
    private string _token = null!;
    private long _repoId;
    private TestRepo _work = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0, "--cache:enabled", "false");
        (_, _token) = await _server.CreateUserAsync("alice");
        _repoId = (await _server.CreateRepositoryAsync(_token, "cours")).GetProperty("id").GetInt64();
        _git = new GitClient(_tmp.Sub("home"));
        _web = _server.Client();
        _work = new TestRepo(_tmp.Sub("work"));
    }

    public async Task DisposeAsync()
    {
        _web.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task PushAsync() => _git.MustAsync(_work.Path, ("alice", _token), "push", "-q", "-f", _server.Url("/alice/cours.git"), "main");

    private async Task RunJobAsync()
    {
        using var scope = _server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PrepareBrowsingJob>().RunAsync(_repoId, CancellationToken.None);
    }

    [GeneratedRegex("<tr>\\s*<td><span class=\"icon (?:dir|file|link)\"[^>]*></span><a href=\"[^\"]*\">(?<name>[^<]+)</a>.*?</td>\\s*<td class=\"last\">(?:<a href=\"/alice/cours/commit/(?<sha>[0-9a-f]{40})\">)?", RegexOptions.Singleline)]
    private static partial Regex Row();

    /// <summary>Entry name → commit of the "last change" column, for one folder's page.</summary>
    private async Task<Dictionary<string, string>> ColumnAsync(string folder)
    {
        var response = await _web.GetAsync(folder.Length == 0 ? "/alice/cours/tree/main" : $"/alice/cours/tree/main/{Uri.EscapeDataString(folder).Replace("%2F", "/")}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        return Row().Matches(html).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["sha"].Value);
    }

    /// <summary>What git itself says: <c>git log -1 -- path</c> for every entry of every folder of the tip.</summary>
    private Dictionary<string, Dictionary<string, string>> Expected()
    {
        var folders = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal) { [""] = [] };
        foreach (var line in _work.Git("ls-tree", "-r", "-t", "-z", "main").Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var (kind, path) = (line.Split(' ')[1], line[(line.IndexOf('\t') + 1)..]);
            var slash = path.LastIndexOf('/');
            var folder = slash < 0 ? "" : path[..slash];
            folders.TryAdd(folder, []);
            folders[folder][path[(slash + 1)..]] = _work.Git("log", "-1", "--format=%H", "main", "--", path).Trim();
            if (kind == "tree") folders.TryAdd(path, []);
        }
        return folders;
    }

    private async Task AssertColumnsAsync(string when)
    {
        foreach (var (folder, entries) in Expected())
        {
            if (entries.Count == 0) continue;
            var shown = await ColumnAsync(folder);
            foreach (var (name, sha) in entries)
                Assert.True(shown.TryGetValue(name, out var got) && got == sha,
                    $"{when}: « {folder}/{name} » shows {(shown.TryGetValue(name, out var g) ? g : "nothing")}, git log says {sha}");
        }
    }

    [Fact]
    public async Task Last_changes_are_the_same_worked_out_by_the_page_or_prepared_after_the_push()
    {
        _work.Write("README.md", "# Cours\n").Write("chapitres/un/cours.md", "Un\n").Write("chapitres/deux/cours.md", "Deux\n")
            .Write("chapitres/un/exercices/énoncé 1.md", "Exercice\n").Write("outils/vérifier.py", "print(1)\n").Write("à supprimer/note.md", "x\n");
        _work.Commit("Première version");
        _work.Git("checkout", "-q", "-b", "exercices");
        _work.Write("chapitres/un/exercices/énoncé 2.md", "Autre exercice\n");
        _work.Commit("Un exercice de plus");
        _work.Write("outils/vérifier.py", "print(2)\n");
        _work.Commit("Vérification corrigée sur la branche");
        _work.Git("checkout", "-q", "main");
        _work.Write("chapitres/deux/cours.md", "Deux, revu\n");
        _work.Commit("Chapitre deux revu");
        _work.Git("merge", "-q", "--no-ff", "--no-commit", "exercices");
        _work.Commit("Fusion des exercices");
        _work.Git("mv", "chapitres/un/cours.md", "chapitres/un/leçon.md");
        _work.Commit("Renommage de la leçon");
        _work.Write("README.md", "# Cours, brouillon\n");
        _work.Commit("Brouillon");
        _work.Write("README.md", "# Cours\n");
        _work.Commit("Retour au titre d’origine");
        _work.Git("rm", "-q", "à supprimer/note.md");
        _work.Write("à supprimer/autre.md", "y\n");
        _work.Commit("Une note remplacée");
        await PushAsync();

        // Right after the push nothing is prepared: each page works its folder out from history.
        await AssertColumnsAsync("worked out by the page");
        await RunJobAsync();
        var stored = Path.Combine(_server.DataPath, "repos", (_repoId % 100).ToString("00"), $"{_repoId}.git", "forge", "last-commits-v1");
        var firstTip = _work.Git("rev-parse", "main").Trim();
        Assert.True(Directory.Exists(Path.Combine(stored, firstTip)));
        await AssertColumnsAsync("prepared after the first push");

        // A second push (with a merge whose conflict is resolved by hand) is derived from the first tip's answers.
        _work.Git("checkout", "-q", "exercices");
        _work.Write("chapitres/deux/cours.md", "Deux, version de la branche\n");
        _work.Commit("Chapitre deux sur la branche");
        _work.Git("checkout", "-q", "main");
        _work.Write("chapitres/deux/cours.md", "Deux, version principale\n");
        _work.Commit("Chapitre deux sur main");
        _work.Shell("git merge -q --no-ff exercices >/dev/null 2>&1 || true");
        _work.Write("chapitres/deux/cours.md", "Deux, réconcilié\n");
        _work.Commit("Fusion avec conflit résolu");
        _work.Write("outils/nouveau.py", "print(3)\n");
        _work.Commit("Un outil de plus");
        await PushAsync();
        await AssertColumnsAsync("worked out by the page after the second push");
        await RunJobAsync();
        var secondTip = _work.Git("rev-parse", "main").Trim();
        Assert.True(Directory.Exists(Path.Combine(stored, secondTip)));
        Assert.False(Directory.Exists(Path.Combine(stored, firstTip))); // no longer a branch tip: removed
        await AssertColumnsAsync("derived from the first tip");

        // A force push back to older history is prepared from scratch, with the same answers.
        _work.Git("reset", "-q", "--hard", "HEAD~3");
        await PushAsync();
        await RunJobAsync();
        await AssertColumnsAsync("after a force push");
    }

    [GeneratedRegex("<article class=\"markdown readme\".*?</article>", RegexOptions.Singleline)]
    private static partial Regex Readme();

    private async Task<List<string>> ReadmesAsync()
    {
        var html = new List<string>();
        foreach (var page in new[] { "/alice/cours", "/alice/cours/tree/main", "/alice/cours/tree/main/outils" })
            html.Add(Readme().Match(await _web.GetStringAsync(page)).Value);
        Assert.All(html, h => Assert.NotEmpty(h));
        return html;
    }

    [Fact]
    public async Task Readmes_and_big_files_are_shown_the_same_once_prepared_and_big_files_highlighted_whole()
    {
        // About 6,000 lines of Python: more than a page view may spend highlighting.
        var lines = Enumerable.Range(1, 3000).Select(i => $"def fonction_{i}(x):\n    return x * {i}  # étape {i}\n");
        _work.Write("outils/grand.py", string.Concat(lines))
            .Write("README.md", "# Cours\n\nVoir [les outils](outils/) et <b onclick=\"alert(1)\">ceci</b>.\n")
            .Write("outils/README.md", "Le [grand fichier](grand.py), :smile:\n");
        _work.Commit("Un grand fichier");
        await PushAsync();
        var before = await ReadmesAsync();
        await RunJobAsync();

        // READMEs: read from what the job rendered, the same HTML (links rewritten, the handler removed).
        var after = await ReadmesAsync();
        Assert.Equal(before, after);
        Assert.Contains("href=\"/alice/cours/tree/main/outils\"", after[0]);
        Assert.DoesNotContain("onclick", after[0]);
        Assert.Contains("href=\"/alice/cours/blob/main/outils/grand.py\"", after[2]);

        var html = await _web.GetStringAsync("/alice/cours/blob/main/outils/grand.py");
        var last = html[html.IndexOf("<span id=\"L6000\">", StringComparison.Ordinal)..];
        Assert.Contains("<span class=\"hl-k\">return</span>", last);
        Assert.Contains("<span class=\"hl-c\"># étape 3000</span>", last);
    }
}
