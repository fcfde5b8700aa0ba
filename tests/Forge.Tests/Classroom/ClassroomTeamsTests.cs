using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Git;
using Forge.Tests.Support;
using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Classroom;

/// <summary>
/// One server for the classroom's later points: an académie › lycée › classes tree, a template with Python tests and checks on,
/// pupils with registered accounts, a reader of the lycée and a maintainer of the académie.
/// </summary>
public sealed class ClassroomWorld : IAsyncLifetime
{
    public readonly TempDir Tmp = new();
    public ForgeServer Server = null!;
    public GitClient Git = null!;
    public string Teacher = null!;
    public readonly Dictionary<string, string> Tokens = [];
    public const string Password = "motdepasse-solide";

    public const string StarterTests = """
        from somme import somme

        def test_positifs():
            assert somme(2, 3) == 5, "somme(2, 3) doit valoir 5"

        def test_zero():
            assert somme(0, 0) == 0
        """;

    public async Task InitializeAsync()
    {
        Server = await ForgeServer.StartAsync(Tmp.Sub("data"), workers: 1);
        Git = new GitClient(Tmp.Sub("home"));
        (_, Teacher) = await Server.CreateUserAsync("mme-roux");
        foreach (var name in new[] { "eva", "hugo", "ines", "jules", "lecteur", "inspecteur" })
            Tokens[name] = (await Server.CreateUserAsync(name)).Token;
        using (var scope = Server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ForgeDbContext>().Users.Where(u => new[] { "eva", "hugo", "ines", "jules" }.Contains(u.UserName))
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, InstanceRole.Student));
        using var teacher = Server.Client(Teacher);
        await Must(await teacher.PostAsJsonAsync("/api/v1/orgs", new { username = "academie-nantes", visibility = "private" }), HttpStatusCode.Created);
        await Must(await teacher.PostAsJsonAsync("/api/v1/orgs", new { username = "lycee-curie", visibility = "private", parent = "academie-nantes" }), HttpStatusCode.Created);
        await Must(await teacher.PutAsJsonAsync("/api/v1/orgs/lycee-curie/members/lecteur", new { role = "reader" }), HttpStatusCode.NoContent);
        await Must(await teacher.PutAsJsonAsync("/api/v1/orgs/academie-nantes/members/inspecteur", new { role = "maintainer" }), HttpStatusCode.NoContent);
        await Must(await teacher.PostAsJsonAsync("/api/v1/orgs/lycee-curie/repos", new { name = "somme", @private = true }), HttpStatusCode.Created);
        var starter = await Workspace.InitAsync(Git, Tmp.Sub("starter"), ("mme-roux", Teacher), "# Somme\n");
        await starter.CommitAsync("somme.py", "def somme(a, b):\n    return None\n");
        await starter.CommitAsync("tests/test_somme.py", StarterTests);
        await starter.MustAsync("push", "-q", Server.Url("/lycee-curie/somme.git"), "main");
        using var scope2 = Server.Services.CreateScope();
        var template = await scope2.ServiceProvider.GetRequiredService<ForgeDbContext>().Repositories.SingleAsync(r => r.Name == "somme");
        Assert.Null(await scope2.ServiceProvider.GetRequiredService<Forge.Web.Checks.CheckSettingsService>().EnableAsync(template.Id, "tests"));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Tmp.Dispose();
    }

    public static async Task<JsonElement> Must(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A class in lycee-curie that <paramref name="pupils"/> joined with its code; its id.</summary>
    public async Task<long> ClassAsync(string name, params string[] pupils)
    {
        using var teacher = Server.Client(Teacher);
        var room = await Must(await teacher.PostAsJsonAsync("/api/v1/classes", new { group = "lycee-curie", name }), HttpStatusCode.Created);
        foreach (var pupil in pupils)
        {
            using var client = Server.Client(Tokens[pupil]);
            await Must(await client.PostAsJsonAsync("/api/v1/classes/join", new { code = room.GetProperty("join_code").GetString() }), HttpStatusCode.OK);
        }
        return room.GetProperty("id").GetInt64();
    }

    public async Task<long> AssignmentAsync(long classId, string title, int teamSize = 1)
    {
        using var teacher = Server.Client(Teacher);
        return (await Must(await teacher.PostAsJsonAsync($"/api/v1/classes/{classId}/assignments",
            new { title, template = "lycee-curie/somme", closes_at = DateTimeOffset.UtcNow.AddDays(3), team_size = teamSize }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
    }
}

/// <summary>
/// Tests that grade pupils are the teacher's, team work with real git pushes, who is a teacher of a class in nested groups,
/// and the dashboard's cost.
/// </summary>
public sealed class ClassroomTeamsTests(ClassroomWorld world, ITestOutputHelper output) : IClassFixture<ClassroomWorld>
{
    private ForgeServer Server => world.Server;
    private HttpClient Api(string user) => Server.Client(user == "mme-roux" ? world.Teacher : world.Tokens[user]);
    private static Task<JsonElement> Must(HttpResponseMessage response, HttpStatusCode expected) => ClassroomWorld.Must(response, expected);

    private async Task<Dictionary<string, JsonElement>> SubmissionsAsync(long assignment)
    {
        using var teacher = Api("mme-roux");
        return (await Must(await teacher.GetAsync($"/api/v1/assignments/{assignment}/submissions"), HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(r => r.GetProperty("team").GetString() ?? r.GetProperty("student").GetString()!);
    }

    [Fact]
    public async Task A_pupil_who_rewrites_the_tests_is_still_graded_by_the_teachers_tests()
    {
        var classId = await world.ClassAsync("curie-1re-a", "eva");
        var id = await world.AssignmentAsync(classId, "Somme");
        using var eva = Api("eva");
        var copy = (await Must(await eva.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        // A wrong sum, tests rewritten to pass whatever the code, and a test file of her own.
        var work = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("eva-somme"), Server.Url($"/{copy}.git"), ("eva", world.Tokens["eva"]));
        await work.CommitAsync("somme.py", "def somme(a, b):\n    return a * b\n", "Ma somme");
        await work.CommitAsync("tests/test_somme.py", "def test_positifs():\n    assert True\n\ndef test_zero():\n    assert True\n", "Tests plus simples");
        await work.CommitAsync("tests/test_bonus.py", "def test_bonus():\n    assert True\n", "Un test de plus");
        await work.MustAsync("push", "-q", "origin", "main");
        var tip = (await world.Git.MustAsync(work.Dir, null, "rev-parse", "HEAD")).Trim();

        JsonElement checks = default;
        await Wait.UntilAsync(async () =>
        {
            var eva = (await SubmissionsAsync(id))["eva"];
            checks = eva.GetProperty("checks");
            return eva.GetProperty("commits").GetInt32() == 3 && checks.ValueKind == JsonValueKind.Object && checks.GetProperty("state").GetString() != "pending";
        }, "the checks of Eva's push", seconds: 60);
        Assert.Equal("failure", checks.GetProperty("state").GetString());
        Assert.Equal("1 test réussi sur 2", checks.GetProperty("description").GetString());
        Assert.Equal(["test_positifs"], checks.GetProperty("failed_tests").EnumerateArray().Select(t => t.GetString()));
        // The run is of her commit, and says which test failed and why (the teacher's message).
        var status = await eva.GetFromJsonAsync<JsonElement>($"/api/v1/repos/{copy}/commits/{tip}/status");
        Assert.Equal("failure", status.GetProperty("state").GetString());
        using var web = new WebSession(Server);
        await web.SignInAsync("eva", ClassroomWorld.Password);
        var run = WebUtility.HtmlDecode(await web.GetAsync(new Uri(checks.GetProperty("target_url").GetString()!, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u
            ? u.AbsolutePath : checks.GetProperty("target_url").GetString()!));
        Assert.Contains("somme(2, 3) doit valoir 5", run);
        Assert.DoesNotContain("test_bonus", run);
        // Her page says it in words, with the failing test's name.
        var page = WebUtility.HtmlDecode(await web.GetAsync($"/curie-1re-a/-/assignments/{id}"));
        Assert.Matches("class=\"check-state\">Échec</strong> : 1 test réussi sur 2", page);
        Assert.Contains("<code>test_positifs</code>", page);
    }

    [Fact]
    public async Task Teams_share_one_copy_pushed_by_each_member_and_a_full_team_refuses_a_third_pupil()
    {
        var classId = await world.ClassAsync("curie-1re-b", "eva", "hugo", "ines", "jules");
        using (var teacher = Api("mme-roux"))
        {
            var bad = await Must(await teacher.PostAsJsonAsync($"/api/v1/classes/{classId}/assignments", new { title = "Trop grand", template = "lycee-curie/somme", team_size = 11 }),
                HttpStatusCode.UnprocessableEntity);
            Assert.Contains("de 1 (travail individuel) à 10 élèves", bad.GetProperty("message").GetString());
        }
        var id = await world.AssignmentAsync(classId, "Projet", teamSize: 2);
        using var eva = Api("eva");
        using var hugo = Api("hugo");
        using var ines = Api("ines");
        var noName = await Must(await eva.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Ce devoir se fait en équipe (2 élèves au plus)", noName.GetProperty("message").GetString());
        var created = await Must(await eva.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "Les Castors" }), HttpStatusCode.OK);
        Assert.Equal("curie-1re-b/projet-equipe-les-castors", created.GetProperty("repository").GetString());
        var joined = await Must(await hugo.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "les castors" }), HttpStatusCode.OK);
        Assert.Equal("curie-1re-b/projet-equipe-les-castors", joined.GetProperty("repository").GetString());
        Assert.Equal("Les Castors", joined.GetProperty("team").GetString());
        var full = await Must(await ines.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "Les Castors" }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("L’équipe « Les Castors » est complète (2 élèves au plus)", full.GetProperty("message").GetString());

        // Inès on the page: the full team cannot be joined; an empty name is explained on its field; then her own team.
        using var inesWeb = new WebSession(Server);
        await inesWeb.SignInAsync("ines", ClassroomWorld.Password);
        var teams = WebUtility.HtmlDecode(await inesWeb.GetAsync($"/curie-1re-b/-/assignments/{id}"));
        Assert.Contains("Équipe « Les Castors »</span> <span class=\"meta\">(complète)", teams);
        Assert.DoesNotContain("Rejoindre l’équipe « Les Castors »", teams);
        Assert.DoesNotContain("hugo", teams); // classmates' names stay hidden
        var empty = await inesWeb.PostFormAsync($"/curie-1re-b/-/assignments/{id}", $"/curie-1re-b/-/assignments/{id}?handler=accept",
            new Dictionary<string, string> { ["Team"] = " " });
        var emptyPage = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Contains("id=\"Team-error\"", emptyPage);
        Assert.Matches("id=\"Team-error\"[^>]*>[^<]*donnez le nom d’une équipe", emptyPage);
        Assert.Contains("aria-describedby=\"Team-error\"", emptyPage);
        var solo = await inesWeb.PostFormAsync($"/curie-1re-b/-/assignments/{id}", $"/curie-1re-b/-/assignments/{id}?handler=accept",
            new Dictionary<string, string> { ["Team"] = "Solo" });
        Assert.Equal(HttpStatusCode.Redirect, solo.StatusCode);
        var inesPage = WebUtility.HtmlDecode(await inesWeb.GetAsync($"/curie-1re-b/-/assignments/{id}"));
        Assert.Contains("Équipe « Solo » — Membres : ines", inesPage);

        // Eva and Hugo both push to their team's copy with git; Inès cannot read it.
        var castors = Server.Url("/curie-1re-b/projet-equipe-les-castors.git");
        var evaWork = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("eva-projet"), castors, ("eva", world.Tokens["eva"]));
        await evaWork.CommitAsync("somme.py", "def somme(a, b):\n    return a + b\n", "Eva : la somme");
        await evaWork.MustAsync("push", "-q", "origin", "main");
        var hugoWork = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("hugo-projet"), castors, ("hugo", world.Tokens["hugo"]));
        await hugoWork.CommitAsync("NOTES.md", "Notes d’Hugo\n", "Hugo : notes");
        await hugoWork.MustAsync("push", "-q", "origin", "main");
        var steal = await world.Git.RunAsync(world.Tmp.Path, ("ines", world.Tokens["ines"]), "clone", "-q", castors, world.Tmp.Sub("ines-vole"));
        Assert.NotEqual(0, steal.ExitCode);
        await Must(await ines.GetAsync("/api/v1/repos/curie-1re-b/projet-equipe-les-castors"), HttpStatusCode.NotFound);
        var evaMine = (await Must(await eva.GetAsync($"/api/v1/assignments/{id}"), HttpStatusCode.OK)).GetProperty("mine");
        Assert.Equal(["eva", "hugo"], evaMine.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

        // The dashboard: one row per team with its members, then Jules, in no team.
        var rows = await SubmissionsAsync(id);
        Assert.Equal(["Les Castors", "Solo", "jules"], rows.Keys);
        Assert.Equal(["eva", "hugo"], rows["Les Castors"].GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(2, rows["Les Castors"].GetProperty("commits").GetInt32());
        Assert.Equal("in_progress", rows["Les Castors"].GetProperty("status").GetString());
        Assert.Equal(["ines"], rows["Solo"].GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("not_started", rows["Solo"].GetProperty("status").GetString());
        Assert.Equal("not_started", rows["jules"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, rows["jules"].GetProperty("repository").ValueKind);
        using var teacherWeb = new WebSession(Server);
        await teacherWeb.SignInAsync("mme-roux", ClassroomWorld.Password);
        var dashboard = WebUtility.HtmlDecode(await teacherWeb.GetAsync($"/curie-1re-b/-/assignments/{id}")).ReplaceLineEndings(" ");
        Assert.Matches("data-team=\"Les Castors\">.*?Équipe « Les Castors ».*?<li>eva .*?<li>hugo ", dashboard);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await teacherWeb.Http.GetByteArrayAsync($"/curie-1re-b/-/assignments/{id}/submissions.zip"))))
        {
            Assert.NotNull(zip.GetEntry("equipe-les-castors/NOTES.md"));
            Assert.NotNull(zip.GetEntry("equipe-solo/somme.py"));
        }

        // The teacher takes Eva, who created « Les Castors », out of it: Inès, alone in « Solo », cannot be (a team keeps a member).
        var alone = await teacherWeb.PostFormAsync($"/curie-1re-b/-/assignments/{id}", $"/curie-1re-b/-/assignments/{id}?handler=removemember",
            new Dictionary<string, string> { ["student"] = "ines" });
        Assert.Contains("ines est le seul membre de l’équipe « Solo » : une équipe ne peut pas rester sans membre.",
            WebUtility.HtmlDecode(await alone.Content.ReadAsStringAsync()));
        Assert.Matches("<li>hugo [^<]*<form[^>]*handler=removemember", dashboard);
        using (var teacher = Api("mme-roux"))
        {
            var soleByApi = await Must(await teacher.DeleteAsync($"/api/v1/assignments/{id}/submissions/ines/team"), HttpStatusCode.UnprocessableEntity);
            Assert.Contains("seul membre de l’équipe « Solo »", soleByApi.GetProperty("message").GetString());
            await Must(await teacher.DeleteAsync($"/api/v1/assignments/{id}/submissions/jules/team"), HttpStatusCode.NotFound);
            await Must(await hugo.DeleteAsync($"/api/v1/assignments/{id}/submissions/eva/team"), HttpStatusCode.Forbidden); // pupils may not
        }
        var removed = await teacherWeb.PostFormAsync($"/curie-1re-b/-/assignments/{id}", $"/curie-1re-b/-/assignments/{id}?handler=removemember",
            new Dictionary<string, string> { ["student"] = "eva" });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains("eva ne fait plus partie de son équipe", WebUtility.HtmlDecode(await teacherWeb.GetAsync($"/curie-1re-b/-/assignments/{id}")));
        await evaWork.CommitAsync("somme.py", "def somme(a, b):\n    return a + b  # Eva\n", "Eva, partie");
        Assert.NotEqual(0, (await evaWork.GitAsync("push", "origin", "main")).ExitCode);
        rows = await SubmissionsAsync(id);
        Assert.Equal(["hugo"], rows["Les Castors"].GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("hugo", rows["Les Castors"].GetProperty("student").GetString()); // the team's copy is Hugo's now
        Assert.Equal(2, rows["Les Castors"].GetProperty("commits").GetInt32()); // Eva's commit stays in its history
        using var evaWeb = new WebSession(Server);
        await evaWeb.SignInAsync("eva", ClassroomWorld.Password);
        var evaPage = WebUtility.HtmlDecode(await evaWeb.GetAsync($"/curie-1re-b/-/assignments/{id}"));
        Assert.Contains("Rejoindre l’équipe « Solo »", evaPage);
        var moved = await Must(await eva.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "Solo" }), HttpStatusCode.OK);
        Assert.Equal("curie-1re-b/projet-equipe-solo", moved.GetProperty("repository").GetString());

        // Deadline and reopening are per team: closed for all, reopened for Hugo's team — Hugo pushes again, Inès may not.
        using (var teacher = Api("mme-roux"))
        {
            await Must(await teacher.PatchAsync($"/api/v1/assignments/{id}", JsonContent.Create(new { closes_at = DateTimeOffset.UtcNow.AddMinutes(-1) })), HttpStatusCode.OK);
            var late = await Must(await ines.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "Trop tard" }), HttpStatusCode.OK);
            Assert.Equal("curie-1re-b/projet-equipe-solo", late.GetProperty("repository").GetString()); // already in a team: hers
            await hugoWork.CommitAsync("NOTES.md", "Notes d’Hugo, suite\n", "Hugo : suite");
            Assert.Contains("est fermé depuis le", (await hugoWork.GitAsync("push", "origin", "main")).Output);
            await Must(await teacher.PostAsJsonAsync($"/api/v1/assignments/{id}/submissions/hugo/reopen", new { until = DateTimeOffset.UtcNow.AddHours(1) }),
                HttpStatusCode.NoContent);
        }
        var reopened = await hugoWork.GitAsync("push", "origin", "main");
        Assert.True(reopened.ExitCode == 0, reopened.Output);
        var inesWork = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("ines-projet"), Server.Url("/curie-1re-b/projet-equipe-solo.git"), ("ines", world.Tokens["ines"]));
        await inesWork.CommitAsync("somme.py", "def somme(a, b):\n    return b + a\n", "Inès, en retard");
        var inesLate = await inesWork.GitAsync("push", "origin", "main");
        Assert.NotEqual(0, inesLate.ExitCode);
        Assert.Contains("le devoir « Projet » est fermé depuis le", inesLate.Output);
        // Jules, in no team, cannot join a full one.
        using var jules = Api("jules");
        var julesLate = await Must(await jules.PostAsJsonAsync($"/api/v1/assignments/{id}/accept", new { team = "Solo" }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("complète", julesLate.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Readers_of_the_school_are_not_teachers_of_its_classes_maintainers_of_the_academie_are()
    {
        var classId = await world.ClassAsync("curie-2nde", "jules");
        var id = await world.AssignmentAsync(classId, "Somme");
        using var jules = Api("jules");
        var copy = (await Must(await jules.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        var julesWork = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("jules-2nde"), Server.Url($"/{copy}.git"), ("jules", world.Tokens["jules"]));
        await julesWork.CommitAsync("README.md", "# Somme\n\nMes notes sur l’ornithorynque.\n", "Notes");
        await julesWork.MustAsync("push", "-q", "origin", "main");

        // A reader of the lycée sees the class (a group inside his) but none of its pupils' work or names.
        using var reader = Api("lecteur");
        using var readerWeb = new WebSession(Server);
        await readerWeb.SignInAsync("lecteur", ClassroomWorld.Password);
        var page = WebUtility.HtmlDecode(await readerWeb.GetAsync($"/curie-2nde/-/assignments/{id}"));
        Assert.DoesNotContain("Suivi des élèves", page);
        Assert.DoesNotContain("jules", page);
        Assert.DoesNotContain("Accepter le devoir", page);
        Assert.Contains("seuls ses élèves l’acceptent", page);
        await Must(await reader.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.Forbidden);
        var refused = await Must(await reader.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Rejoignez d’abord la classe", refused.GetProperty("message").GetString());
        var members = (await Must(await reader.GetAsync("/api/v1/orgs/curie-2nde/members"), HttpStatusCode.OK)).EnumerateArray()
            .Select(m => m.GetProperty("username").GetString()).ToList();
        Assert.DoesNotContain("jules", members);
        Assert.DoesNotContain("jules", await readerWeb.GetAsync("/curie-2nde/-/members"));
        Assert.Equal(HttpStatusCode.NotFound, (await readerWeb.Http.GetAsync($"/{copy}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await readerWeb.Http.GetAsync($"/{copy}/raw/main/somme.py")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await readerWeb.Http.GetAsync($"/curie-2nde/-/assignments/{id}/students/jules")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await readerWeb.Http.GetAsync($"/curie-2nde/-/assignments/{id}/submissions.zip")).StatusCode);
        await Must(await reader.GetAsync($"/api/v1/repos/{copy}"), HttpStatusCode.NotFound);
        await Must(await reader.GetAsync("/api/v1/users/jules"), HttpStatusCode.NotFound);
        var clone = await world.Git.RunAsync(world.Tmp.Path, ("lecteur", world.Tokens["lecteur"]), "clone", "-q", Server.Url($"/{copy}.git"), world.Tmp.Sub("lecteur-clone"));
        Assert.NotEqual(0, clone.ExitCode);

        // A maintainer of the académie, two groups above, is a teacher of the class: dashboard, copy, names, profile.
        using var inspector = Api("inspecteur");
        var rows = (await Must(await inspector.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal("jules", Assert.Single(rows).GetProperty("student").GetString());
        await Must(await inspector.GetAsync($"/api/v1/repos/{copy}"), HttpStatusCode.OK);
        await Must(await inspector.GetAsync("/api/v1/users/jules"), HttpStatusCode.OK);
        Assert.Contains("jules", (await Must(await inspector.GetAsync("/api/v1/orgs/curie-2nde/members"), HttpStatusCode.OK)).GetRawText());
        using var inspectorWeb = new WebSession(Server);
        await inspectorWeb.SignInAsync("inspecteur", ClassroomWorld.Password);
        Assert.Contains("Suivi des élèves", await inspectorWeb.GetAsync($"/curie-2nde/-/assignments/{id}"));
        // Search: the teacher side finds the copy's words, the reader does not.
        await Wait.UntilAsync(async () => (await inspector.GetStringAsync("/api/v1/search?q=ornithorynque")).Contains("\"total\":1"), "Jules's copy indexed");
        Assert.Contains("\"total\":0", await reader.GetStringAsync("/api/v1/search?q=ornithorynque"));
    }

    [Fact]
    public async Task The_dashboard_runs_the_same_few_queries_for_3_or_30_pupils()
    {
        var classId = await world.ClassAsync("curie-term");
        var id = await world.AssignmentAsync(classId, "Somme");
        using var scope = Server.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ForgeDbContext>();
        var classes = services.GetRequiredService<ClassroomService>();
        // Subscribed from the start: EF Core re-reads whether anyone listens only once a second.
        using var counter = new CommandCounter(db);
        var group = await db.Users.SingleAsync(u => u.Id == classId);
        var (pupils, error) = await classes.CreatePupilsAsync(group, string.Join('\n', Enumerable.Range(1, 30).Select(i => $"Élève {i}")));
        Assert.Null(error);
        var assignment = (await classes.FindAssignmentAsync(id))!;
        var students = await db.Users.Where(u => pupils.Select(p => p.UserName).Contains(u.UserName)).ToListAsync();

        async Task<(int Commands, double Ms)> MeasureAsync(int expectedCopies)
        {
            var start = counter.Count;
            var watch = Stopwatch.StartNew();
            var rows = await classes.SubmissionsAsync(assignment);
            watch.Stop();
            Assert.Equal(30, rows.Count);
            Assert.Equal(expectedCopies, rows.Count(r => r.Copy is not null));
            return (counter.Count - start, watch.Elapsed.TotalMilliseconds);
        }

        foreach (var s in students.Take(3)) Assert.Null((await classes.AcceptAsync(assignment, s, new Viewer(s.Id, IsAdmin: true))).Error);
        var three = await MeasureAsync(3);
        foreach (var s in students.Skip(3)) Assert.Null((await classes.AcceptAsync(assignment, s, new Viewer(s.Id, IsAdmin: true))).Error);
        var cold = await MeasureAsync(30);
        var warm = await MeasureAsync(30);
        output.WriteLine($"3 copies: {three.Commands} SQL commands; 30 copies: {cold.Commands} commands, {cold.Ms:0} ms first, {warm.Ms:0} ms with the git facts cached");
        // The page itself, as the teacher opens it (first view, then the median of five more).
        using (var teacherWeb = new WebSession(Server))
        {
            await teacherWeb.SignInAsync("mme-roux", ClassroomWorld.Password);
            var times = new List<double>();
            var html = "";
            for (var i = 0; i < 6; i++)
            {
                var page = Stopwatch.StartNew();
                html = await teacherWeb.GetAsync($"/curie-term/-/assignments/{id}");
                times.Add(page.Elapsed.TotalMilliseconds);
            }
            output.WriteLine($"dashboard page, 30 copies: first {times[0]:0} ms, then median {times.Skip(1).Order().ElementAt(2):0} ms");
            Assert.Equal(30, System.Text.RegularExpressions.Regex.Matches(html, "<tr data-student=").Count);
        }
        Assert.Equal(three.Commands, cold.Commands);
        Assert.True(cold.Commands <= 6, $"{cold.Commands} SQL commands for the dashboard");

        // For the record: what the dashboard cost row by row before (git walk and one status query per copy).
        var reader = services.GetRequiredService<GitReader>();
        var store = services.GetRequiredService<RepositoryStore>();
        var statuses = services.GetRequiredService<Forge.Web.Checks.CommitStatusService>();
        var copies = await db.AssignmentCopies.Include(c => c.Repository).Where(c => c.AssignmentId == id).ToListAsync();
        var perRowStart = counter.Count;
        var before = Stopwatch.StartNew();
        foreach (var c in copies)
        {
            var tip = reader.BranchTip(store.PathOf(c.RepositoryId), c.Repository.DefaultBranch)!;
            reader.Progress(store.PathOf(c.RepositoryId), c.StarterSha, tip);
            await statuses.CombinedAsync(c.RepositoryId, tip);
        }
        var perRow = counter.Count - perRowStart;
        output.WriteLine($"row by row: {perRow} SQL commands and {before.Elapsed.TotalMilliseconds:0} ms for the same 30 copies");
        Assert.True(perRow >= 30, $"{perRow} commands counted row by row: the counter must see them");
    }

    /// <summary>Counts the SQL commands one DbContext executes (EF Core's diagnostic events), while it is not disposed.</summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext _context;
        private readonly List<IDisposable> _subscriptions = [];
        private int _count;

        public CommandCounter(DbContext context)
        {
            _context = context;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public int Count => _count;

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData data && ReferenceEquals(data.Context, _context))
                Interlocked.Increment(ref _count);
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
        }
    }
}
