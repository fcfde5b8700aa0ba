using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Classroom;

/// <summary>
/// A class from end to end with real git and a real server: a teacher makes a class and an assignment from an exercise
/// repository; two pupils with bulk accounts (one-time passwords) and a registered student join; they accept, push and
/// submit; the deadline refuses a late push (git and the API) until the teacher reopens for that student; the dashboard
/// and the API say who is where; the teacher comments lines in the feedback request and grades; the student sees it; and
/// a student reads neither a classmate's copy (page, raw, clone, API, search) nor the classmates' names.
/// </summary>
public sealed class ClassroomTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _teacher = null!, _sami = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _teacher) = await _server.CreateUserAsync("mme-durand");
        (_, _sami) = await _server.CreateUserAsync("sami");
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        await db.Users.Where(u => u.UserName == "sami").ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, InstanceRole.Student));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> MustAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private HttpClient Basic(string user, string password)
    {
        var client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    [Fact]
    public async Task Teacher_hands_out_an_exercise_students_work_in_private_copies_deadline_feedback_and_privacy()
    {
        using var teacher = _server.Client(_teacher);
        // The exercise: a private repository of the teacher's school, described as an exercice in resource.yml.
        await MustAsync(await teacher.PostAsync("/api/v1/orgs", Json(new { username = "lycee-ampere", visibility = "private" })), HttpStatusCode.Created);
        await MustAsync(await teacher.PostAsync("/api/v1/orgs/lycee-ampere/repos", Json(new { name = "tri-insertion", @private = true })), HttpStatusCode.Created);
        var starter = await Workspace.InitAsync(_git, _tmp.Sub("starter"), ("mme-durand", _teacher), "# Tri par insertion\n");
        await starter.CommitAsync("tri.py", "def tri(t):\n    # À compléter\n    return t\n");
        await starter.CommitAsync("resource.yml", "title: Tri par insertion\ntype: exercice\n");
        await starter.CommitAsync("tests/test_tri.py", "from tri import tri\n\ndef test_tri():\n    assert tri([3, 1, 2]) == [1, 2, 3]\n");
        await starter.MustAsync("push", "-q", _server.Url("/lycee-ampere/tri-insertion.git"), "main");
        // Its Python tests run on every push: the students' copies inherit that.
        using (var settings = new WebSession(_server))
        {
            await settings.SignInAsync("mme-durand", "motdepasse-solide");
            var enabled = await settings.PostFormAsync("/lycee-ampere/tri-insertion/settings/checks", "/lycee-ampere/tri-insertion/settings/checks",
                new Dictionary<string, string> { ["Enabled"] = "true", ["Folder"] = "tests" });
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        // The class, inside the school; a student may not make one.
        using var samiApi = _server.Client(_sami);
        var refused = await MustAsync(await samiApi.PostAsync("/api/v1/classes", Json(new { group = "lycee-ampere", name = "x" })), HttpStatusCode.Forbidden);
        Assert.Contains("enseignants", refused.GetProperty("message").GetString());
        var created = await MustAsync(await teacher.PostAsync("/api/v1/classes", Json(new { group = "lycee-ampere", name = "ampere-2nde-3" })), HttpStatusCode.Created);
        var classId = created.GetProperty("id").GetInt64();
        var code = created.GetProperty("join_code").GetString()!;
        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code);

        // Two pupils without e-mail, in bulk: generated names, one-time passwords.
        var pupils = await MustAsync(await teacher.PostAsync($"/api/v1/classes/{classId}/students", Json(new { names = new[] { "Léa", "Noé" } })), HttpStatusCode.Created);
        var lea = pupils[0].GetProperty("username").GetString()!;
        var leaOneTime = pupils[0].GetProperty("password").GetString()!;
        var noe = pupils[1].GetProperty("username").GetString()!;
        var noeOneTime = pupils[1].GetProperty("password").GetString()!;
        Assert.Matches("^lea-[a-z2-9]{4}$", lea);
        Assert.Matches("^noe-[a-z2-9]{4}$", noe);
        // Léa's first sign-in: every page leads to « Choisir votre mot de passe »; the given one is refused as the new one.
        using var leaWeb = new WebSession(_server);
        await leaWeb.SignInAsync(lea, leaOneTime);
        var forced = await leaWeb.Http.GetAsync("/ampere-2nde-3/-/class");
        Assert.Equal(HttpStatusCode.Redirect, forced.StatusCode);
        Assert.StartsWith("/classes/password", forced.Headers.Location!.OriginalString);
        var same = await leaWeb.PostFormAsync("/classes/password", "/classes/password",
            new Dictionary<string, string> { ["NewPassword"] = leaOneTime, ["ConfirmPassword"] = leaOneTime });
        Assert.Contains("un autre mot de passe que celui donné par votre enseignant", await same.Content.ReadAsStringAsync());
        var changed = await leaWeb.PostFormAsync("/classes/password", "/classes/password",
            new Dictionary<string, string> { ["NewPassword"] = "Hirondelle-42-bleue", ["ConfirmPassword"] = "Hirondelle-42-bleue" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Contains("Devoirs", await leaWeb.GetAsync("/ampere-2nde-3/-/class"));
        const string leaPassword = "Hirondelle-42-bleue";

        // Sami, a registered student, joins with the code as he typed it; a wrong code is explained.
        var wrong = await MustAsync(await samiApi.PostAsync("/api/v1/classes/join", Json(new { code = "ZZZZ2222" })), HttpStatusCode.NotFound);
        Assert.Contains("Aucune classe n’a le code « ZZZZ2222 »", wrong.GetProperty("message").GetString());
        await MustAsync(await samiApi.PostAsync("/api/v1/classes/join", Json(new { code = $" {code[..4].ToLowerInvariant()} {code[4..]} " })), HttpStatusCode.OK);

        // The assignment: bad input is refused with the reason, then created (a deadline in a day).
        var bad = await MustAsync(await teacher.PostAsync($"/api/v1/classes/{classId}/assignments",
            Json(new { title = "Tri", template = "lycee-ampere/absent" })), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("propriétaire/dépôt", bad.GetProperty("message").GetString());
        var badDates = await MustAsync(await teacher.PostAsync($"/api/v1/classes/{classId}/assignments", Json(new
        {
            title = "Tri", template = "lycee-ampere/tri-insertion", opens_at = DateTimeOffset.UtcNow.AddDays(2), closes_at = DateTimeOffset.UtcNow.AddDays(1),
        })), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("après la date d’ouverture", badDates.GetProperty("message").GetString());
        var assignment = await MustAsync(await teacher.PostAsync($"/api/v1/classes/{classId}/assignments", Json(new
        {
            title = "Tri par insertion", template = "lycee-ampere/tri-insertion", instructions = "Complétez **tri.py**.", closes_at = DateTimeOffset.UtcNow.AddDays(1),
        })), HttpStatusCode.Created);
        var id = assignment.GetProperty("id").GetInt64();
        Assert.Equal(JsonValueKind.Null, assignment.GetProperty("warning").ValueKind);

        // Léa accepts on the page, Noé and Sami through the API: private copies owned by the class.
        var accepted = await leaWeb.PostFormAsync($"/ampere-2nde-3/-/assignments/{id}", $"/ampere-2nde-3/-/assignments/{id}?handler=accept", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var leaCopy = $"ampere-2nde-3/tri-par-insertion-{lea}";
        Assert.Contains(leaCopy, await leaWeb.GetAsync($"/ampere-2nde-3/-/assignments/{id}"));
        // A one-time password opens neither the API nor git: only the page where it is changed.
        using (var oneTime = Basic(noe, noeOneTime))
        {
            var refusedOneTime = await MustAsync(await oneTime.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.Unauthorized);
            Assert.Contains("Ce mot de passe est provisoire", refusedOneTime.GetProperty("message").GetString());
        }
        var noeClone = await _git.RunAsync(_tmp.Path, (noe, noeOneTime), "clone", "-q", _server.Url($"/{leaCopy}.git"), _tmp.Sub("noe-one-time"));
        Assert.Contains("Ce mot de passe est provisoire", noeClone.Output);
        const string noePassword = "Castor-71-rieur";
        using (var noeWeb = new WebSession(_server))
        {
            await noeWeb.SignInAsync(noe, noeOneTime);
            Assert.Equal(HttpStatusCode.Redirect, (await noeWeb.PostFormAsync("/classes/password", "/classes/password",
                new Dictionary<string, string> { ["NewPassword"] = noePassword, ["ConfirmPassword"] = noePassword })).StatusCode);
        }
        using var noeApi = Basic(noe, noePassword);
        var noeCopy = (await MustAsync(await noeApi.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        Assert.Equal($"ampere-2nde-3/tri-par-insertion-{noe}", noeCopy);
        var samiCopy = (await MustAsync(await samiApi.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        Assert.Equal(samiCopy, (await MustAsync(await samiApi.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString());

        // Léa and Noé push; Noé hands in. The starter code on « feedback » is not theirs to move.
        var leaWork = await Workspace.CloneAsync(_git, _tmp.Sub("lea"), _server.Url($"/{leaCopy}.git"), (lea, leaPassword));
        await leaWork.CommitAsync("tri.py", "def tri(t):\n    for i in range(1, len(t)):\n        pass\n    return t\n", "Boucle");
        await leaWork.CommitAsync("README.md", "# Tri par insertion\n\nMes notes sur l’ornithorynque.\n", "Notes");
        await leaWork.MustAsync("push", "-q", "origin", "main");
        var feedbackPush = await leaWork.GitAsync("push", "origin", "main:feedback");
        Assert.NotEqual(0, feedbackPush.ExitCode);
        Assert.Contains("la branche « feedback » garde le code de départ", feedbackPush.Output);
        var noeWork = await Workspace.CloneAsync(_git, _tmp.Sub("noe"), _server.Url($"/{noeCopy}.git"), (noe, noePassword));
        await noeWork.CommitAsync("tri.py", "def tri(t):\n    return sorted(t)\n", "Triche ?");
        await noeWork.MustAsync("push", "-q", "origin", "main");
        await MustAsync(await noeApi.PostAsync($"/api/v1/assignments/{id}/submit", null), HttpStatusCode.NoContent);

        // The teacher closes the assignment now: Sami's late push is refused, by git and by the API, with the reason.
        await MustAsync(await teacher.PatchAsync($"/api/v1/assignments/{id}", Json(new { closes_at = DateTimeOffset.UtcNow.AddMinutes(-1) })), HttpStatusCode.OK);
        var samiWork = await Workspace.CloneAsync(_git, _tmp.Sub("sami"), _server.Url($"/{samiCopy}.git"), ("sami", _sami));
        await samiWork.CommitAsync("tri.py", "def tri(t):\n    return t[::-1]\n", "En retard");
        var late = await samiWork.GitAsync("push", "origin", "main");
        Assert.NotEqual(0, late.ExitCode);
        Assert.Contains("le devoir « Tri par insertion » est fermé depuis le", late.Output);
        var lateApi = await samiApi.PostAsync($"/api/v1/repos/{samiCopy}/contents/autre.py", Json(new { content = Convert.ToBase64String("x = 1\n"u8.ToArray()) }));
        Assert.NotEqual(HttpStatusCode.Created, lateApi.StatusCode);
        Assert.Contains("est fermé depuis le", await lateApi.Content.ReadAsStringAsync());
        await MustAsync(await samiApi.PostAsync($"/api/v1/assignments/{id}/submit", null), HttpStatusCode.UnprocessableEntity);

        // The dashboard, through the API (teachers only) and the page.
        await MustAsync(await samiApi.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.Forbidden);
        var rows = (await MustAsync(await teacher.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(r => r.GetProperty("student").GetString()!);
        Assert.Equal(3, rows.Count);
        Assert.Equal("in_progress", rows[lea].GetProperty("status").GetString());
        Assert.Equal(2, rows[lea].GetProperty("commits").GetInt32());
        Assert.Equal(2, rows[lea].GetProperty("changed_files").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, rows[lea].GetProperty("last_push_at").ValueKind);
        Assert.Equal("submitted", rows[noe].GetProperty("status").GetString());
        Assert.Equal("not_started", rows["sami"].GetProperty("status").GetString());
        Assert.Equal(0, rows["sami"].GetProperty("commits").GetInt32());
        // The copies' automatic checks, run in the sandbox after each push: Noé's sorted() passes, Léa's unfinished loop fails.
        await Wait.UntilAsync(async () =>
        {
            rows = (await MustAsync(await teacher.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.OK)).EnumerateArray()
                .ToDictionary(r => r.GetProperty("student").GetString()!);
            return rows[lea].GetProperty("checks").ValueKind == JsonValueKind.Object && rows[noe].GetProperty("checks").ValueKind == JsonValueKind.Object
                && rows[lea].GetProperty("checks").GetProperty("state").GetString() != "pending" && rows[noe].GetProperty("checks").GetProperty("state").GetString() != "pending";
        }, "the copies' checks");
        Assert.Equal("failure", rows[lea].GetProperty("checks").GetProperty("state").GetString());
        Assert.Equal("success", rows[noe].GetProperty("checks").GetProperty("state").GetString());
        Assert.Contains("1 test réussi sur 1", rows[noe].GetProperty("checks").GetProperty("description").GetString());
        // Sami has not started: what was checked is the starter code (its « feedback » branch was pushed when his copy was made).
        await Wait.UntilAsync(async () =>
        {
            var sami = (await MustAsync(await teacher.GetAsync($"/api/v1/assignments/{id}/submissions"), HttpStatusCode.OK)).EnumerateArray()
                .Single(r => r.GetProperty("student").GetString() == "sami").GetProperty("checks");
            return sami.ValueKind == JsonValueKind.Object && sami.GetProperty("state").GetString() == "failure"
                && sami.GetProperty("description").GetString()!.Contains("0 test réussi sur 1");
        }, "the starter code's checks on Sami's copy");
        using var teacherWeb = new WebSession(_server);
        await teacherWeb.SignInAsync("mme-durand", "motdepasse-solide");
        var dashboard = (await teacherWeb.GetAsync($"/ampere-2nde-3/-/assignments/{id}")).ReplaceLineEndings(" ");
        Assert.Matches($"data-student=\"{lea}\".*?class=\"status\">en cours<", dashboard);
        Assert.Matches($"data-student=\"{noe}\".*?class=\"status\">rendu<", dashboard);
        Assert.Matches("data-student=\"sami\".*?class=\"status\">non commencé<", dashboard);
        Assert.Contains($"/{leaCopy}/compare/feedback...main", dashboard);
        Assert.Contains($"git clone http://{_server.BaseAddress.Authority}/ampere-2nde-3/$depot.git", dashboard);

        // Reopened for Sami only: his push goes through, Léa's copy stays closed.
        await MustAsync(await teacher.PostAsync($"/api/v1/assignments/{id}/submissions/sami/reopen", Json(new { until = DateTimeOffset.UtcNow.AddHours(1) })),
            HttpStatusCode.NoContent);
        var reopened = await samiWork.GitAsync("push", "origin", "main");
        Assert.True(reopened.ExitCode == 0, reopened.Output);
        await leaWork.CommitAsync("tri.py", "# trop tard\n", "Après la date");
        Assert.NotEqual(0, (await leaWork.GitAsync("push", "origin", "main")).ExitCode);

        // Every submission in one archive, a folder per student.
        var zipResponse = await teacherWeb.Http.GetAsync($"/ampere-2nde-3/-/assignments/{id}/submissions.zip");
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync())))
        {
            using var leaFile = new StreamReader(zip.GetEntry($"{lea}/tri.py")!.Open());
            Assert.Contains("range(1, len(t))", await leaFile.ReadToEndAsync());
            Assert.NotNull(zip.GetEntry($"{noe}/tri.py"));
            Assert.NotNull(zip.GetEntry("sami/tri.py"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await leaWeb.Http.GetAsync($"/ampere-2nde-3/-/assignments/{id}/submissions.zip")).StatusCode);

        // Feedback: the teacher opens the feedback request, comments a line, grades; Léa sees it all.
        var opened = await teacherWeb.PostFormAsync($"/ampere-2nde-3/-/assignments/{id}/students/{lea}",
            $"/ampere-2nde-3/-/assignments/{id}/students/{lea}?handler=feedback", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/{leaCopy}/merge_requests/1/changes", opened.Headers.Location!.OriginalString);
        await MustAsync(await teacher.PostAsync($"/api/v1/repos/{leaCopy}/pulls/1/reviews", Json(new
        {
            @event = "COMMENT", body = "", comments = new[] { new { path = "tri.py", body = "Il manque l’insertion dans la boucle.", new_position = 3 } },
        })), HttpStatusCode.OK);
        var tooLong = await MustAsync(await teacher.PutAsync($"/api/v1/assignments/{id}/submissions/{lea}/grade", Json(new { grade = new string('9', 60) })),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("50 caractères", tooLong.GetProperty("message").GetString());
        await MustAsync(await teacher.PutAsync($"/api/v1/assignments/{id}/submissions/{lea}/grade", Json(new { grade = "15/20", competency = "acquired" })),
            HttpStatusCode.NoContent);
        using var leaApi = Basic(lea, leaPassword);
        var mine = (await MustAsync(await leaApi.GetAsync($"/api/v1/assignments/{id}"), HttpStatusCode.OK)).GetProperty("mine");
        Assert.Equal("15/20", mine.GetProperty("grade").GetString());
        Assert.Equal("acquired", mine.GetProperty("competency").GetString());
        Assert.Equal(1, mine.GetProperty("feedback").GetInt32());
        var leaPage = await leaWeb.GetAsync($"/ampere-2nde-3/-/assignments/{id}");
        Assert.Contains("15/20", leaPage);
        Assert.Contains(">acquis<", leaPage);
        Assert.Contains("Il manque l’insertion dans la boucle.", WebUtility.HtmlDecode(leaPage));
        Assert.Contains("<code>tri.py</code>, ligne 3", leaPage);

        // Privacy: Sami reads neither Léa's copy (page, raw, clone, API, search) nor the names of his classmates.
        using var samiWeb = new WebSession(_server);
        await samiWeb.SignInAsync("sami", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await samiWeb.Http.GetAsync($"/{leaCopy}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await samiWeb.Http.GetAsync($"/{leaCopy}/raw/main/tri.py")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await samiWeb.Http.GetAsync($"/{samiCopy}/raw/main/tri.py")).StatusCode);
        var clone = await _git.RunAsync(_tmp.Path, ("sami", _sami), "clone", "-q", _server.Url($"/{leaCopy}.git"), _tmp.Sub("sami-steals"));
        Assert.NotEqual(0, clone.ExitCode);
        await MustAsync(await samiApi.GetAsync($"/api/v1/repos/{leaCopy}"), HttpStatusCode.NotFound);
        await MustAsync(await samiApi.GetAsync($"/api/v1/repos/{leaCopy}/raw/tri.py"), HttpStatusCode.NotFound);
        // Search: once the teacher finds Léa's notes, Sami and Noé still do not.
        await Wait.UntilAsync(async () => (await teacher.GetStringAsync("/api/v1/search?q=ornithorynque")).Contains("\"total\":1"), "Léa's copy indexed");
        Assert.Contains("\"total\":0", await samiApi.GetStringAsync("/api/v1/search?q=ornithorynque"));
        Assert.Contains("\"total\":0", await noeApi.GetStringAsync("/api/v1/search?q=ornithorynque"));
        Assert.DoesNotContain(leaCopy, await samiWeb.GetAsync("/search?q=ornithorynque"));
        // The class's page, members and repositories show Sami only himself and his teacher.
        var members = (await MustAsync(await samiApi.GetAsync("/api/v1/orgs/ampere-2nde-3/members"), HttpStatusCode.OK)).EnumerateArray()
            .Select(m => m.GetProperty("username").GetString()).ToList();
        Assert.Equal(["mme-durand", "sami"], members.Order().ToList());
        Assert.Equal(4, (await MustAsync(await teacher.GetAsync("/api/v1/orgs/ampere-2nde-3/members"), HttpStatusCode.OK)).GetArrayLength());
        var classPage = await samiWeb.GetAsync("/ampere-2nde-3");
        var membersPage = await samiWeb.GetAsync("/ampere-2nde-3/-/members");
        var repos = (await MustAsync(await samiApi.GetAsync("/api/v1/orgs/ampere-2nde-3/repos"), HttpStatusCode.OK)).EnumerateArray()
            .Select(r => r.GetProperty("full_name").GetString()).ToList();
        Assert.Equal([samiCopy], repos);
        foreach (var page in new[] { classPage, membersPage })
        {
            Assert.DoesNotContain(lea, page);
            Assert.DoesNotContain(noe, page);
        }
        await MustAsync(await samiApi.GetAsync($"/api/v1/users/{lea}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await samiWeb.Http.GetAsync($"/{lea}")).StatusCode);
        // The teacher sees her pupils' profiles; a stranger sees nothing of the class.
        await MustAsync(await teacher.GetAsync($"/api/v1/users/{lea}"), HttpStatusCode.OK);
        var (_, strangerToken) = await _server.CreateUserAsync("intrus");
        using var stranger = _server.Client(strangerToken);
        await MustAsync(await stranger.GetAsync($"/api/v1/assignments/{id}"), HttpStatusCode.NotFound);
        await MustAsync(await stranger.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.NotFound);
        await MustAsync(await stranger.GetAsync($"/api/v1/repos/{leaCopy}"), HttpStatusCode.NotFound);
    }
}
