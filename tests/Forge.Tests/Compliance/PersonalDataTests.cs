using System.Net;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;
using static Forge.Tests.Compliance.PersonalDataSamples;

namespace Forge.Tests.Compliance;

/// <summary>A teacher pushes her class list by mistake: only the maintainers are told, false positives can be dismissed.</summary>
public sealed class PersonalDataTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private ComplianceSupport _c = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync() => await StartAsync("data");

    private async Task StartAsync(string data, params string[] args)
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub(data), 1, args);
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

    /// <summary>The maintainers' view once the branch is scanned at <paramref name="commit"/>.</summary>
    private async Task<JsonElement> PrivacyAsync(string repo, string commit)
    {
        JsonElement result = default;
        await Wait.UntilAsync(async () =>
        {
            result = await _c.GetJsonAsync($"/api/v1/repos/alice/{repo}/privacy", _alice);
            return result.GetProperty("scanned").EnumerateArray().Any(s => s.GetProperty("branch").GetString() == "main" && s.GetProperty("commit").GetString() == commit);
        }, $"privacy scan of {repo} at {commit[..8]}", seconds: 60);
        return result;
    }

    private static IReadOnlyList<(string Path, string Kind, bool Dismissed)> Findings(JsonElement privacy) =>
        privacy.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("kind").GetString()!, f.GetProperty("dismissed").GetBoolean())).ToList();

    [Fact]
    public async Task Findings_are_for_maintainers_only_and_a_dismissal_lasts_until_the_file_changes()
    {
        var pupils = Class(42);
        var work = await _c.PushAsync("alice", _alice, "nsi-1re", new Dictionary<string, string>
        {
            ["README.md"] = "# NSI première\n",
            ["histoire.md"] = HistoryLesson,
            ["bibliographie.md"] = Bibliography,
            ["evaluations/notes-t1.csv"] = MarksCsv(pupils),
            ["exercices/contacts-fictifs.txt"] = ContactsTxt(Class(99)),
        });
        await _server.AddCollaboratorAsync("alice", "nsi-1re", "bob", CollaboratorRole.Writer);
        var privacy = await PrivacyAsync("nsi-1re", work.Git("rev-parse", "HEAD").Trim());
        var findings = Findings(privacy);
        Assert.Contains(("evaluations/notes-t1.csv", "class-list", false), findings);
        Assert.Contains(("exercices/contacts-fictifs.txt", "email", false), findings);
        Assert.DoesNotContain(findings, f => f.Path is "histoire.md" or "bibliographie.md" or "README.md");
        var classList = privacy.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "class-list");
        Assert.Equal(("high", 2), (classList.GetProperty("confidence").GetString(), classList.GetProperty("line").GetInt32()));
        Assert.DoesNotContain(pupils[0].LastName.ToUpperInvariant(), privacy.GetRawText());

        // Nobody else learns anything: not a writer, not an anonymous visitor, not through the API.
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/nsi-1re/privacy")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/nsi-1re/privacy")).StatusCode);
        using var bobApi = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.NotFound, (await bobApi.GetAsync("/api/v1/repos/alice/nsi-1re/privacy")).StatusCode);
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync("/alice/nsi-1re/privacy")).StatusCode);
        Assert.DoesNotContain("Données personnelles", await bob.GetAsync("/alice/nsi-1re"));
        var post = await bobApi.PostAsync("/api/v1/repos/alice/nsi-1re/privacy/dismissals", new StringContent("{\"path\":\"evaluations/notes-t1.csv\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);

        // The owner sees the page (and a count in the tab), and dismisses the fictitious contacts from the browser form.
        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        var page = await alice.GetAsync("/alice/nsi-1re/privacy");
        Assert.Contains("Liste d’élèves (noms avec notes ou classes)", page);
        Assert.Contains("Données personnelles (", await alice.GetAsync("/alice/nsi-1re"));
        var dismissed = await alice.PostFormAsync("/alice/nsi-1re/privacy", "/alice/nsi-1re/privacy?handler=Dismiss",
            new Dictionary<string, string> { ["Path"] = "exercices/contacts-fictifs.txt" });
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        Assert.Contains(("exercices/contacts-fictifs.txt", "email", true), Findings(await _c.GetJsonAsync("/api/v1/repos/alice/nsi-1re/privacy", _alice)));

        // Another push that does not touch the file: still dismissed. A change to the file: scanned and shown again.
        work.Write("README.md", "# NSI première, version 2\n").Commit("README");
        await _c.PushAsync(work, "alice", _alice, "nsi-1re");
        Assert.Contains(("exercices/contacts-fictifs.txt", "email", true), Findings(await PrivacyAsync("nsi-1re", work.Git("rev-parse", "HEAD").Trim())));
        work.Write("exercices/contacts-fictifs.txt", ContactsTxt(Class(100))).Commit("Autres contacts");
        await _c.PushAsync(work, "alice", _alice, "nsi-1re");
        Assert.Contains(("exercices/contacts-fictifs.txt", "email", false), Findings(await PrivacyAsync("nsi-1re", work.Git("rev-parse", "HEAD").Trim())));

        // The class list removed from the branch: its finding goes (the page still explains that history keeps it).
        work.Git("rm", "-q", "evaluations/notes-t1.csv");
        work.Commit("Retrait des notes");
        await _c.PushAsync(work, "alice", _alice, "nsi-1re");
        Assert.DoesNotContain(Findings(await PrivacyAsync("nsi-1re", work.Git("rev-parse", "HEAD").Trim())), f => f.Kind == "class-list");
    }

    [Fact]
    public async Task With_auto_private_a_public_repository_with_a_class_list_is_made_private_until_reviewed()
    {
        await _server.DisposeAsync();
        await StartAsync("data-auto-private", "--privacy:auto-private", "true");

        var work = await _c.PushAsync("alice", _alice, "snt", new Dictionary<string, string>
        {
            ["README.md"] = "# SNT\n",
        });
        work.WriteBytes("notes.xlsx", MarksXlsx(Class(5))).Commit("Notes du trimestre");
        await _c.PushAsync(work, "alice", _alice, "snt");
        await PrivacyAsync("snt", work.Git("rev-parse", "HEAD").Trim());

        using var anonymous = _server.Client();
        await Wait.UntilAsync(async () => (await anonymous.GetAsync("/alice/snt")).StatusCode == HttpStatusCode.NotFound, "the repository is private");
        var repo = await _c.GetJsonAsync("/api/v1/repos/alice/snt", _alice);
        Assert.True(repo.GetProperty("private").GetBoolean());
        var privacy = await _c.GetJsonAsync("/api/v1/repos/alice/snt/privacy", _alice);
        Assert.Contains("notes.xlsx", privacy.GetProperty("held").GetProperty("reason").GetString());

        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", "motdepasse-solide");
        Assert.Contains("Ce dépôt a été rendu privé automatiquement", await alice.GetAsync("/alice/snt/privacy"));
        using var root = new WebSession(_server);
        await root.SignInAsync("root", "motdepasse-solide");
        Assert.Contains("rendu privé en attente de vérification", await root.GetAsync("/admin/compliance"));

        // Ordinary course material in another public repository stays public.
        var course = await _c.PushAsync("alice", _alice, "histoire", new Dictionary<string, string> { ["cours.md"] = HistoryLesson, ["biblio.md"] = Bibliography });
        Assert.Empty(Findings(await PrivacyAsync("histoire", course.Git("rev-parse", "HEAD").Trim())));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alice/histoire")).StatusCode);
    }
}
