using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forge.Core.Licences;
using Forge.Jobs.Compliance;
using Forge.Tests.Support;
using Forge.Web.Data;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Compliance;

/// <summary>Real pushes of real licence texts; the reports the jobs make, in the API, the pages and the repository header.</summary>
public sealed partial class LicenceReportTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private ComplianceSupport _c = null!;
    private string _alice = null!;
    private string _bob = null!;

    private static string Text(string id) => LicenceCatalogue.TextOf(id)!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        await _server.CreateUserAsync("root", admin: true);
        _c = new ComplianceSupport(_server, _tmp);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<string> PageAsync(string path, WebSession? session = null)
    {
        if (session is not null) return await session.GetAsync(path);
        using var client = _server.Client();
        return await client.GetStringAsync(path);
    }

    [Fact]
    public async Task Declared_cc_by_sa_with_an_mit_licence_file_is_a_contradiction_shown_everywhere()
    {
        var work = await _c.PushAsync("alice", _alice, "tri", new Dictionary<string, string>
        {
            ["LICENSE"] = Text("MIT").Replace("<year> <copyright holders>", "2025 Alice Martin"),
            ["resource.yml"] = "title: Tris\nlicence: CC-BY-SA-4.0\n",
            ["README.md"] = "# Tris\n",
            ["cours/tri.md"] = "# Tri par insertion\n",
        });
        var report = await _c.LicencesAsync("alice", "tri", work.Git("rev-parse", "HEAD").Trim());

        Assert.Equal("to_check", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("current").GetBoolean());
        var mismatch = ComplianceSupport.Finding(report, "declared-detected-mismatch");
        Assert.Equal("LICENSE", mismatch.GetProperty("path").GetString());
        Assert.Contains("resource.yml déclare la licence CC-BY-SA-4.0", mismatch.GetProperty("message").GetString());
        Assert.Equal("warning", mismatch.GetProperty("severity").GetString());
        var detected = Assert.Single(report.GetProperty("detected").EnumerateArray());
        Assert.Equal(("MIT", "LICENSE", 100.0, "text"), (detected.GetProperty("licence").GetString(), detected.GetProperty("path").GetString(),
            detected.GetProperty("confidence").GetDouble(), detected.GetProperty("method").GetString()));
        Assert.Equal("CC-BY-SA-4.0", report.GetProperty("declared")[0].GetProperty("licence").GetString());

        // The page, for an anonymous visitor, and the badge in the header of every repository page (text, not colour).
        var page = await PageAsync("/alice/tri/licences");
        Assert.Contains("declared-detected-mismatch", page);
        Assert.Contains("Deux licences contradictoires", page);
        Assert.Matches("class=\"licence-badge licence-tocheck\"[^>]*><span class=\"visually-hidden\">Licence : </span>À vérifier</a>", await PageAsync("/alice/tri"));
        Assert.DoesNotContain("Ajouter un fichier LICENSE", page);
    }

    [Fact]
    public async Task Reuse_compliant_and_non_compliant_repositories()
    {
        var ok = await _c.PushAsync("alice", _alice, "reuse-ok", new Dictionary<string, string>
        {
            ["LICENSES/CC-BY-SA-4.0.txt"] = Text("CC-BY-SA-4.0"),
            ["LICENSES/MIT.txt"] = Text("MIT"),
            ["README.md"] = "<!--\nSPDX-FileCopyrightText: 2025 Alice Martin\nSPDX-License-Identifier: CC-BY-SA-4.0\n-->\n# Cours\n",
            ["cours/chapitre-1.md"] = "<!--\nSPDX-FileCopyrightText: 2025 Alice Martin\nSPDX-License-Identifier: CC-BY-SA-4.0\n-->\n# Chapitre\n",
            ["code/tri.py"] = "# SPDX-FileCopyrightText: 2025 Alice Martin\n# SPDX-License-Identifier: MIT\n\ndef tri(t):\n    return sorted(t)\n",
            ["REUSE.toml"] = "version = 1\n\n[[annotations]]\npath = \"donnees/**\"\nSPDX-FileCopyrightText = \"2025 Alice Martin\"\nSPDX-License-Identifier = \"CC-BY-SA-4.0\"\n",
            ["donnees/villes.csv"] = "ville;population\nLyon;522250\n",
        });
        var good = await _c.LicencesAsync("alice", "reuse-ok", ok.Git("rev-parse", "HEAD").Trim());
        Assert.Empty(ComplianceSupport.Findings(good));
        Assert.Equal("open", good.GetProperty("status").GetString());
        Assert.True(good.GetProperty("files").GetProperty("reuse").GetBoolean());
        Assert.Equal(4, good.GetProperty("files").GetProperty("covered").GetInt32());
        Assert.Contains("Licence ouverte</a>", await PageAsync("/alice/reuse-ok"));

        var gaps = await _c.PushAsync("alice", _alice, "reuse-gaps", new Dictionary<string, string>
        {
            ["LICENSES/CC-BY-SA-4.0.txt"] = Text("CC-BY-SA-4.0"),
            ["cours/chapitre-1.md"] = "<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\n# Chapitre\n",
            ["cours/chapitre-2.md"] = "# Chapitre 2, sans en-tête\n",
            ["code/tri.py"] = "# SPDX-FileCopyrightText: 2025 Alice Martin\n# SPDX-License-Identifier: GPL-3.0-or-later\n",
        });
        var bad = await _c.LicencesAsync("alice", "reuse-gaps", gaps.Git("rev-parse", "HEAD").Trim());
        var codes = ComplianceSupport.Findings(bad);
        Assert.Contains(("file-without-licence", "cours/chapitre-2.md"), codes);
        Assert.Contains(("file-without-copyright", "cours/chapitre-1.md"), codes);
        Assert.Contains(("missing-licence-text", "LICENSES/GPL-3.0-or-later.txt"), codes);
        Assert.Equal("to_check", bad.GetProperty("status").GetString());
        Assert.Contains("reuse download GPL-3.0-or-later", ComplianceSupport.Finding(bad, "missing-licence-text").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Modified_licence_text_and_restrictive_images_in_an_open_course()
    {
        var sa = Text("CC-BY-SA-4.0");
        var section = sa.IndexOf("Section 3", StringComparison.Ordinal);
        var work = await _c.PushAsync("alice", _alice, "modifiee", new Dictionary<string, string>
        {
            ["LICENSE"] = sa[..section] + "Toute utilisation commerciale est interdite sans accord écrit préalable de l’auteur.\n" + sa[section..],
            ["images/LICENSE.md"] = "Les images de ce dossier viennent du musée : licence CC BY-NC 4.0.\n",
            ["images/carte.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
            ["cours.md"] = "# Cours\n",
        });
        var report = await _c.LicencesAsync("alice", "modifiee", work.Git("rev-parse", "HEAD").Trim());
        var modified = ComplianceSupport.Finding(report, "modified-licence-text");
        Assert.Equal("LICENSE", modified.GetProperty("path").GetString());
        Assert.Matches(@"ressemble à la licence CC-BY-SA-4\.0 \(9\d(,\d)? % de similarité\)", modified.GetProperty("message").GetString());
        Assert.Contains(("restricted-file", "images/carte.svg"), ComplianceSupport.Findings(report));
        Assert.DoesNotContain(("restricted-file", "cours.md"), ComplianceSupport.Findings(report));
    }

    [Fact]
    public async Task A_fork_chain_breaking_sa_and_nd_is_reported_against_each_parent()
    {
        string Yml(string id) => $"title: Ressource\nlicence: {id}\n";
        await _c.PushAsync("alice", _alice, "chaine-sa", new Dictionary<string, string> { ["LICENSE"] = Text("CC-BY-SA-4.0"), ["resource.yml"] = Yml("CC-BY-SA-4.0"), ["cours.md"] = "# Cours\n" });
        await _c.PushAsync("alice", _alice, "chaine-nd", new Dictionary<string, string> { ["LICENSE"] = Text("CC-BY-ND-4.0"), ["resource.yml"] = Yml("CC-BY-ND-4.0"), ["cours.md"] = "# Cours\n" });
        var git = new GitClient(_tmp.Sub("fork-home"));

        // A real fork (through the API) with commits of its own: cloned, changed, pushed back.
        async Task<JsonElement> ForkAndChange(string owner, string token, string source, string name, IDictionary<string, string> files)
        {
            using var api = _server.Client(token);
            var forked = await api.PostAsJsonAsync($"/api/v1/repos/{source}/forks", new { name });
            Assert.Equal(HttpStatusCode.Accepted, forked.StatusCode);
            var dir = _tmp.Sub($"fork-{owner}-{name}");
            await git.MustAsync(_tmp.Path, (owner, token), "clone", "-q", _server.Url($"/{owner}/{name}.git"), dir);
            foreach (var (path, text) in files) File.WriteAllText(Path.Combine(dir, path), text);
            await git.MustAsync(dir, (owner, token), "-c", "user.name=t", "-c", "user.email=t@ac-lyon.fr", "commit", "-qam", "Adaptation");
            await git.MustAsync(dir, (owner, token), "push", "-q", "origin", "main");
            return await _c.LicencesAsync(owner, name, (await git.MustAsync(dir, (owner, token), "rev-parse", "HEAD")).Trim());
        }

        // Bob adapts the BY-SA course and keeps BY-SA: nothing to say about the source.
        var kept = await ForkAndChange("bob", _bob, "alice/chaine-sa", "etape-1", new Dictionary<string, string> { ["cours.md"] = "# Cours, adapté par Bob\n" });
        Assert.DoesNotContain(ComplianceSupport.Findings(kept), f => f.Code == "sa-not-preserved");
        var parent = Assert.Single(kept.GetProperty("sources").EnumerateArray());
        Assert.Equal(("fork", "alice/chaine-sa"), (parent.GetProperty("kind").GetString(), parent.GetProperty("reference").GetString()));
        // Carol forks Bob's fork and relicenses it CC BY: the ShareAlike of the chain is broken, said against Bob's fork.
        var (_, carol) = await _server.CreateUserAsync("carol-chaine");
        var broken = await ForkAndChange("carol-chaine", carol, "bob/etape-1", "etape-2",
            new Dictionary<string, string> { ["LICENSE"] = Text("CC-BY-4.0"), ["resource.yml"] = Yml("CC-BY-4.0") });
        Assert.Contains(("sa-not-preserved", (string?)null), ComplianceSupport.Findings(broken)); // the whole fork, not one file
        Assert.Equal("bob/etape-1", broken.GetProperty("sources")[0].GetProperty("reference").GetString());
        // An adaptation of BY-ND content, even under the same licence, is not allowed.
        var nd = await ForkAndChange("bob", _bob, "alice/chaine-nd", "nd-adapte", new Dictionary<string, string> { ["cours.md"] = "# Cours modifié\n" });
        Assert.Contains(ComplianceSupport.Findings(nd), f => f.Code == "nd-adaptation");
        Assert.Equal("not_reusable", nd.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_based_on_chain_breaking_nd_sa_and_nc()
    {
        string Repo(string id, string? basedOn) =>
            $"title: Ressource\nlicence: {id}\n" + (basedOn is null ? "" : $"based_on: {basedOn}\n");
        async Task<JsonElement> Adapt(string name, string licence, string basedOn)
        {
            var w = await _c.PushAsync("bob", _bob, name, new Dictionary<string, string> { ["LICENSE"] = Text(licence), ["resource.yml"] = Repo(licence, basedOn) });
            return await _c.LicencesAsync("bob", name, w.Git("rev-parse", "HEAD").Trim());
        }
        foreach (var (name, licence) in new[] { ("source-nd", "CC-BY-ND-4.0"), ("source-sa", "CC-BY-SA-4.0"), ("source-nc", "CC-BY-NC-SA-4.0") })
            await _c.PushAsync("alice", _alice, name, new Dictionary<string, string> { ["LICENSE"] = Text(licence), ["resource.yml"] = Repo(licence, null) });
        await _c.PushAsync("alice", _alice, "source-privee", new Dictionary<string, string> { ["LICENSE"] = Text("CC-BY-4.0") }, isPrivate: true);

        var nd = await Adapt("adapt-nd", "CC-BY-4.0", "alice/source-nd");
        Assert.Equal([("nd-adaptation", "resource.yml")], ComplianceSupport.Findings(nd).Where(f => f.Code != "non-open"));
        Assert.Equal("not_reusable", nd.GetProperty("status").GetString());
        var source = Assert.Single(nd.GetProperty("sources").EnumerateArray());
        Assert.Equal(("based_on", "alice/source-nd", "found", "CC-BY-ND-4.0"), (source.GetProperty("kind").GetString(), source.GetProperty("reference").GetString(),
            source.GetProperty("state").GetString(), source.GetProperty("licences")[0].GetString()));

        Assert.Contains(("sa-not-preserved", "resource.yml"), ComplianceSupport.Findings(await Adapt("adapt-sa", "CC-BY-4.0", "alice/source-sa")));
        Assert.Contains(("nc-dropped", "resource.yml"), ComplianceSupport.Findings(await Adapt("adapt-nc", "CC-BY-SA-4.0", "alice/source-nc")));
        // Further down the chain: an adaptation of a correct adaptation of a BY-SA source must stay BY-SA as well.
        Assert.DoesNotContain(ComplianceSupport.Findings(await Adapt("adapt-sa-ok", "CC-BY-SA-4.0", "alice/source-sa")), f => f.Code.EndsWith("preserved"));
        Assert.Contains(("sa-not-preserved", "resource.yml"), ComplianceSupport.Findings(await Adapt("adapt-sa-2", "CC0-1.0", "bob/adapt-sa-ok")));
        // A private source is « not found »: its licence (and its existence) are not revealed.
        var hidden = await Adapt("adapt-prive", "CC-BY-4.0", "alice/source-privee");
        Assert.Equal("not-found", hidden.GetProperty("sources")[0].GetProperty("state").GetString());
        Assert.Empty(hidden.GetProperty("sources")[0].GetProperty("licences").EnumerateArray());

        // The source changes its licence: the next (nightly) check of the adaptation sees it, at the same commit of the adaptation.
        var src = new TestRepo(_tmp.Sub("source-sa-v2"));
        src.Write("LICENSE", Text("CC-BY-4.0")).Write("resource.yml", Repo("CC-BY-4.0", null)).Commit("Passage en CC BY");
        await _c.PushAsync(src, "alice", _alice, "source-sa");
        await _c.LicencesAsync("alice", "source-sa", src.Git("rev-parse", "HEAD").Trim());
        long id;
        using (var scope = _server.Services.CreateScope())
        {
            id = scope.ServiceProvider.GetRequiredService<ForgeDbContext>().Repositories.Single(r => r.Name == "adapt-sa").Id;
            await scope.ServiceProvider.GetRequiredService<LicenceCheckJob>().RunAsync(id, CancellationToken.None);
        }
        var after = await _c.GetJsonAsync("/api/v1/repos/bob/adapt-sa/licences");
        Assert.DoesNotContain(ComplianceSupport.Findings(after), f => f.Code == "sa-not-preserved");
        Assert.Equal("open", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_changed_files_are_read_again_and_a_second_run_changes_nothing()
    {
        var files = Enumerable.Range(1, 300).ToDictionary(i => $"chapitres/{i / 50}/page-{i}.md", i => $"# Page {i}\n");
        files["LICENSE"] = Text("CC-BY-4.0");
        var work = await _c.PushAsync("alice", _alice, "gros-cours", files);
        var first = await _c.LicencesAsync("alice", "gros-cours", work.Git("rev-parse", "HEAD").Trim());
        Assert.Equal(301, first.GetProperty("files").GetProperty("read").GetInt32());
        Assert.Equal("open", first.GetProperty("status").GetString());

        work.Write("chapitres/3/page-170.md", "<!-- SPDX-License-Identifier: CC-BY-NC-ND-4.0 -->\n# Page empruntée\n").Commit("Page empruntée");
        await _c.PushAsync(work, "alice", _alice, "gros-cours");
        var second = await _c.LicencesAsync("alice", "gros-cours", work.Git("rev-parse", "HEAD").Trim());
        Assert.Equal(1, second.GetProperty("files").GetProperty("read").GetInt32());
        Assert.Equal([("restricted-file", "chapitres/3/page-170.md")], ComplianceSupport.Findings(second));
        Assert.Equal(300, second.GetProperty("files").GetProperty("total").GetInt32());

        // Idempotent: the same commit, the same rules, the same sources → the stored report is not even rewritten.
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        var id = db.Repositories.Single(r => r.Name == "gros-cours").Id;
        var before = db.LicenceChecks.Single(c => c.RepositoryId == id).CheckedAt;
        await scope.ServiceProvider.GetRequiredService<LicenceCheckJob>().RunAsync(id, CancellationToken.None);
        db.ChangeTracker.Clear();
        Assert.Equal(before, db.LicenceChecks.Single(c => c.RepositoryId == id).CheckedAt);
    }

    [GeneratedRegex("name=\"ExpectedTip\" value=\"([0-9a-f]{40})\"")]
    private static partial Regex ExpectedTip();

    [Fact]
    public async Task The_one_click_fix_commits_a_licence_for_writers_only_and_never_over_a_moved_branch()
    {
        var work = await _c.PushAsync("alice", _alice, "sans-licence", new Dictionary<string, string> { ["README.md"] = "# Cours\n", ["cours.md"] = "# Tri\n" });
        var report = await _c.LicencesAsync("alice", "sans-licence", work.Git("rev-parse", "HEAD").Trim());
        Assert.Equal("not_reusable", report.GetProperty("status").GetString());
        var noLicence = ComplianceSupport.Finding(report, "no-licence");
        Assert.Equal("CC-BY-SA-4.0", noLicence.GetProperty("fix").GetProperty("licence").GetString());
        Assert.Contains("Non réutilisable</a>", await PageAsync("/alice/sans-licence"));

        // Anonymous visitors and readers see the report, without the button; a reader's post is refused.
        Assert.DoesNotContain("Ajouter un fichier LICENSE", await PageAsync("/alice/sans-licence/licences"));
        await _server.AddCollaboratorAsync("alice", "sans-licence", "bob", CollaboratorRole.Reader);
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        var (bobToken, bobPage) = await bob.FormAsync("/alice/sans-licence/licences");
        Assert.DoesNotContain("Ajouter un fichier LICENSE", bobPage);
        var refused = await bob.Http.PostAsync("/alice/sans-licence/licences?handler=Fix",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = bobToken, ["Licence"] = "CC-BY-SA-4.0" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        var (token, html) = await alice.FormAsync("/alice/sans-licence/licences");
        Assert.Contains(">Ajouter un fichier LICENSE (CC-BY-SA-4.0)</button>", html);
        var tip = ExpectedTip().Match(html).Groups[1].Value;
        // Without the anti-forgery token: refused.
        var forged = await alice.Http.PostAsync("/alice/sans-licence/licences?handler=Fix",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Licence"] = "CC-BY-SA-4.0", ["ExpectedTip"] = tip }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // The branch moves meanwhile (a push from another computer): the fix is refused, nothing is committed.
        work.Write("cours.md", "# Tri, version 2\n").Commit("Version 2");
        await _c.PushAsync(work, "alice", _alice, "sans-licence");
        var stale = await alice.Http.PostAsync("/alice/sans-licence/licences?handler=Fix",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token, ["Licence"] = "CC-BY-SA-4.0", ["ExpectedTip"] = tip }));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("role=\"alert\"", await stale.Content.ReadAsStringAsync());

        (token, html) = await alice.FormAsync("/alice/sans-licence/licences");
        var done = await alice.Http.PostAsync("/alice/sans-licence/licences?handler=Fix",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token, ["Licence"] = "CC-BY-SA-4.0", ["ExpectedTip"] = ExpectedTip().Match(html).Groups[1].Value }));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains("a été ajouté", await alice.GetAsync("/alice/sans-licence/licences"));

        work.Git("pull", "-q", "--ff-only", _server.Url("/alice/sans-licence.git"), "main");
        var head = work.Git("rev-parse", "HEAD").Trim();
        Assert.Equal(Text("CC-BY-SA-4.0").Replace("\r\n", "\n").TrimEnd('\n') + "\n", File.ReadAllText(Path.Combine(work.Path, "LICENSE")));
        Assert.Contains("Ajout de la licence CC-BY-SA-4.0", work.Git("log", "-1", "--format=%s"));
        var fixedReport = await _c.LicencesAsync("alice", "sans-licence", head);
        Assert.Equal("open", fixedReport.GetProperty("status").GetString());
        Assert.Contains("Licence ouverte</a>", await PageAsync("/alice/sans-licence"));

        // A second fix is refused: a licence file exists, Forge never overwrites it.
        using var api = _server.Client(_alice);
        var again = await api.PostAsync("/api/v1/repos/alice/sans-licence/licences/fix",
            new StringContent("{\"licence\":\"CC0-1.0\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("déjà un fichier de licence", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_fix_fills_in_the_copyright_line_of_MIT_and_refuses_texts_with_an_appendix_to_adapt()
    {
        var work = await _c.PushAsync("alice", _alice, "code-mit", new Dictionary<string, string>
        {
            ["resource.yml"] = "title: Tris en Python\nlicence: MIT\n", ["tri.py"] = "def tri(t):\n    return sorted(t)\n",
        });
        var report = await _c.LicencesAsync("alice", "code-mit", work.Git("rev-parse", "HEAD").Trim(), _alice);
        var missing = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "licence-text-missing");
        Assert.Equal("MIT", missing.GetProperty("fix").GetProperty("licence").GetString());
        using var api = _server.Client(_alice);
        var apache = await api.PostAsync("/api/v1/repos/alice/code-mit/licences/fix",
            new StringContent("{\"licence\":\"Apache-2.0\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, apache.StatusCode);
        Assert.Contains("sans partie à compléter", await apache.Content.ReadAsStringAsync());
        var mit = await api.PostAsync("/api/v1/repos/alice/code-mit/licences/fix",
            new StringContent("{\"licence\":\"MIT\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, mit.StatusCode);
        work.Git("pull", "-q", "--ff-only", _server.Url("/alice/code-mit.git"), "main");
        var licence = File.ReadAllText(Path.Combine(work.Path, "LICENSE"));
        Assert.StartsWith($"MIT License\n\nCopyright (c) {DateTime.UtcNow.Year} alice\n", licence);
        Assert.DoesNotContain("<", licence);
        // The file is recognised as MIT at full confidence: the report is open.
        var fixedReport = await _c.LicencesAsync("alice", "code-mit", work.Git("rev-parse", "HEAD").Trim(), _alice);
        Assert.Equal("open", fixedReport.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reports_of_private_repositories_stay_private_and_the_overview_is_for_admins()
    {
        var work = await _c.PushAsync("alice", _alice, "secret", new Dictionary<string, string> { ["cours.md"] = "# Secret\n" }, isPrivate: true);
        var report = await _c.LicencesAsync("alice", "secret", work.Git("rev-parse", "HEAD").Trim(), _alice);
        Assert.Equal("not_reusable", report.GetProperty("status").GetString());
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/secret/licences")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/secret/licences")).StatusCode);
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/repos/alice/secret/licences")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/admin/compliance")).StatusCode);

        using var bobWeb = new WebSession(_server);
        await bobWeb.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await bobWeb.Http.GetAsync("/admin/compliance")).StatusCode);
        using var root = new WebSession(_server);
        await root.SignInAsync("root", "motdepasse-solide");
        var overview = await root.GetAsync("/admin/compliance");
        Assert.Contains("alice/secret", overview);
        Assert.Contains("Non réutilisable", overview);

        // The fix through the API: 404 for who cannot read, 201 for the owner with the commit made.
        var body = new StringContent("{\"licence\":\"etalab-2.0\"}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync("/api/v1/repos/alice/secret/licences/fix", body)).StatusCode);
        using var alice = _server.Client(_alice);
        var made = await alice.PostAsync("/api/v1/repos/alice/secret/licences/fix", new StringContent("{\"licence\":\"etalab-2.0\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var sha = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("commit").GetProperty("sha").GetString()!;
        Assert.Equal("open", (await _c.LicencesAsync("alice", "secret", sha, _alice)).GetProperty("status").GetString());
        var unknown = await alice.PostAsync("/api/v1/repos/alice/secret/licences/fix", new StringContent("{\"licence\":\"MIT\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);

        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        foreach (var path in new[] { "/licences\"", "/licences/fix\"", "/privacy\"", "/privacy/dismissals\"" })
            Assert.Contains("/api/v1/repos/{owner}/{repo}" + path, openapi);
        Assert.Contains("\"/api/v1/admin/compliance\"", openapi);
    }

    [Fact]
    public async Task The_nightly_job_is_in_the_dashboard_and_survives_a_restart()
    {
        static RecurringJobDto? Nightly(ForgeServer server)
        {
            using var connection = server.Services.GetRequiredService<JobStorage>().GetConnection();
            return connection.GetRecurringJobs().FirstOrDefault(j => j.Id == ComplianceNightlyJob.RecurringId);
        }
        var job = Nightly(_server);
        Assert.NotNull(job);
        Assert.Equal("30 2 * * *", job!.Cron);
        Assert.Equal("Europe/Paris", job.TimeZoneId);

        using (var root = new WebSession(_server))
        {
            await root.SignInAsync("root", "motdepasse-solide");
            Assert.Contains(ComplianceNightlyJob.RecurringId, await root.GetAsync("/admin/jobs/recurring"));
        }
        using (var bob = new WebSession(_server))
        {
            await bob.SignInAsync("bob", "motdepasse-solide");
            Assert.NotEqual(HttpStatusCode.OK, (await bob.Http.GetAsync("/admin/jobs/recurring")).StatusCode);
        }

        await _server.RestartAsync();
        Assert.Equal("30 2 * * *", Nightly(_server)?.Cron);
        // Triggered by hand (as from the dashboard): it queues a check of every repository.
        _server.Services.GetRequiredService<IRecurringJobManager>().Trigger(ComplianceNightlyJob.RecurringId);
        await Wait.UntilAsync(() => Task.FromResult(Nightly(_server)?.LastJobState == "Succeeded"), "the nightly job ran once");
    }
}
