using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Classroom;

/// <summary>
/// What the teacher does on the class's pages, through the API alone: the join code (read, renewed, turned off and on again,
/// as the page's buttons), and the feedback merge request whose line comments, made with Gitea's pulls API, the pupil reads on
/// the assignment page; and a pupil joining with the link the teacher hands out.
/// </summary>
public sealed class ClassroomApiTests(ClassroomWorld world) : IClassFixture<ClassroomWorld>
{
    private ForgeServer Server => world.Server;
    private HttpClient Api(string user) => Server.Client(user == "mme-roux" ? world.Teacher : world.Tokens[user]);
    private static Task<JsonElement> Must(HttpResponseMessage response, HttpStatusCode expected) => ClassroomWorld.Must(response, expected);

    [Fact]
    public async Task The_join_code_through_the_api_and_the_join_link()
    {
        var classId = await world.ClassAsync("curie-2nde-c", "eva");
        using var teacher = Api("mme-roux");
        using var eva = Api("eva");
        using var hugo = Api("hugo");
        var details = await Must(await teacher.GetAsync($"/api/v1/classes/{classId}"), HttpStatusCode.OK);
        Assert.Equal("curie-2nde-c", details.GetProperty("name").GetString());
        Assert.True(details.GetProperty("is_teacher").GetBoolean());
        Assert.True(details.GetProperty("join_enabled").GetBoolean());
        Assert.Equal(1, details.GetProperty("students").GetInt32());
        var code = details.GetProperty("join_code").GetString()!;
        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code);
        // A pupil gets the class without its code; someone outside it, nothing.
        var seenByPupil = await Must(await eva.GetAsync($"/api/v1/classes/{classId}"), HttpStatusCode.OK);
        Assert.False(seenByPupil.GetProperty("is_teacher").GetBoolean());
        Assert.False(seenByPupil.TryGetProperty("join_code", out _));
        Assert.False(seenByPupil.TryGetProperty("students", out _));
        await Must(await hugo.GetAsync($"/api/v1/classes/{classId}"), HttpStatusCode.NotFound);
        await Must(await hugo.PostAsync($"/api/v1/classes/{classId}/join_code", null), HttpStatusCode.NotFound);
        var forbidden = await Must(await eva.PostAsync($"/api/v1/classes/{classId}/join_code", null), HttpStatusCode.Forbidden);
        Assert.Contains("Seuls les enseignants de la classe", forbidden.GetProperty("message").GetString());
        await Must(await eva.DeleteAsync($"/api/v1/classes/{classId}/join_code"), HttpStatusCode.Forbidden);

        // « Nouveau code »: the old one no longer works.
        var renewed = await Must(await teacher.PostAsync($"/api/v1/classes/{classId}/join_code", null), HttpStatusCode.OK);
        var newCode = renewed.GetProperty("join_code").GetString()!;
        Assert.NotEqual(code, newCode);
        Assert.True(renewed.GetProperty("join_enabled").GetBoolean());
        var old = await Must(await hugo.PostAsJsonAsync("/api/v1/classes/join", new { code }), HttpStatusCode.NotFound);
        Assert.Contains($"Aucune classe n’a le code « {code} »", old.GetProperty("message").GetString());
        // « Désactiver le code », then « Réactiver le code ».
        await Must(await teacher.DeleteAsync($"/api/v1/classes/{classId}/join_code"), HttpStatusCode.NoContent);
        Assert.False((await Must(await teacher.GetAsync($"/api/v1/classes/{classId}"), HttpStatusCode.OK)).GetProperty("join_enabled").GetBoolean());
        var off = await Must(await hugo.PostAsJsonAsync("/api/v1/classes/join", new { code = newCode }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("n’accepte plus de nouveaux élèves par code", off.GetProperty("message").GetString());
        var on = await Must(await teacher.PutAsync($"/api/v1/classes/{classId}/join_code", null), HttpStatusCode.OK);
        Assert.Equal(newCode, on.GetProperty("join_code").GetString());
        Assert.True(on.GetProperty("join_enabled").GetBoolean());

        // Hugo opens the link the teacher hands out: the form comes filled in, he joins.
        using var hugoWeb = new WebSession(Server);
        await hugoWeb.SignInAsync("hugo", ClassroomWorld.Password);
        var link = $"/classes/join/{newCode}";
        var form = await hugoWeb.GetAsync(link);
        var filled = Regex.Match(form, "<input[^>]*name=\"Code\"[^>]*value=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(newCode, filled);
        var joined = await hugoWeb.PostFormAsync(link, link, new Dictionary<string, string> { ["Code"] = filled });
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal("/curie-2nde-c/-/class", joined.Headers.Location!.OriginalString);
        Assert.Contains("Devoirs", await hugoWeb.GetAsync("/curie-2nde-c/-/class"));
        Assert.Equal(2, (await Must(await teacher.GetAsync($"/api/v1/classes/{classId}"), HttpStatusCode.OK)).GetProperty("students").GetInt32());
    }

    [Fact]
    public async Task Feedback_through_the_api_alone_reaches_the_pupils_assignment_page()
    {
        var classId = await world.ClassAsync("curie-2nde-f", "eva");
        var id = await world.AssignmentAsync(classId, "Somme commentée");
        using var teacher = Api("mme-roux");
        using var eva = Api("eva");
        var copy = (await Must(await eva.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        var url = $"/api/v1/assignments/{id}/submissions/eva/feedback";
        var nothing = await Must(await teacher.PostAsync(url, null), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("L’élève n’a encore rien envoyé", nothing.GetProperty("message").GetString());
        await Must(await eva.PostAsync(url, null), HttpStatusCode.Forbidden);
        var notAccepted = await Must(await teacher.PostAsync($"/api/v1/assignments/{id}/submissions/hugo/feedback", null), HttpStatusCode.NotFound);
        Assert.Contains("hugo n’a pas accepté ce devoir.", notAccepted.GetProperty("message").GetString());

        var work = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("eva-commentee"), Server.Url($"/{copy}.git"), ("eva", world.Tokens["eva"]));
        await work.CommitAsync("somme.py", "def somme(a, b):\n    total = a\n    return total + b\n", "Somme");
        await work.MustAsync("push", "-q", "origin", "main");
        var opened = await Must(await teacher.PostAsync(url, null), HttpStatusCode.Created);
        var number = opened.GetProperty("number").GetInt32();
        Assert.Equal(copy, opened.GetProperty("repository").GetString());
        Assert.EndsWith($"/{copy}/merge_requests/{number}", opened.GetProperty("html_url").GetString());
        // Asked again: the same request.
        Assert.Equal(number, (await Must(await teacher.PostAsync(url, null), HttpStatusCode.OK)).GetProperty("number").GetInt32());
        var pull = await Must(await teacher.GetAsync($"/api/v1/repos/{copy}/pulls/{number}"), HttpStatusCode.OK);
        Assert.Equal("feedback", pull.GetProperty("base").GetProperty("ref").GetString());

        await Must(await teacher.PostAsJsonAsync($"/api/v1/repos/{copy}/pulls/{number}/reviews", new
        {
            @event = "COMMENT", body = "", comments = new[] { new { path = "somme.py", body = "Pourquoi une variable intermédiaire ?", new_position = 2 } },
        }), HttpStatusCode.OK);
        Assert.Equal(number, (await Must(await eva.GetAsync($"/api/v1/assignments/{id}"), HttpStatusCode.OK)).GetProperty("mine").GetProperty("feedback").GetInt32());
        using var evaWeb = new WebSession(Server);
        await evaWeb.SignInAsync("eva", ClassroomWorld.Password);
        var page = WebUtility.HtmlDecode(await evaWeb.GetAsync($"/curie-2nde-f/-/assignments/{id}"));
        Assert.Contains("Pourquoi une variable intermédiaire ?", page);
        Assert.Contains("<code>somme.py</code>, ligne 2", page);

        // Every submission in one zip, for a script too (a token), on the dashboard's path and on the API's, as the OpenAPI description says.
        foreach (var path in new[] { $"/curie-2nde-f/-/assignments/{id}/submissions.zip", $"/api/v1/assignments/{id}/submissions.zip" })
        {
            var zip = await teacher.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
            Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, (await eva.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/autre-classe/-/assignments/{id}/submissions.zip")).StatusCode);
        var description = JsonDocument.Parse(await teacher.GetStringAsync("/api/v1/openapi.json")).RootElement;
        var archive = description.GetProperty("paths").GetProperty("/api/v1/assignments/{id}/submissions.zip").GetProperty("get");
        Assert.Equal("assignmentSubmissionsArchive", archive.GetProperty("operationId").GetString());
        Assert.True(archive.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/zip", out _));
    }
}
