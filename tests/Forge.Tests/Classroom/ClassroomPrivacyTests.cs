using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Classroom;

/// <summary>
/// « Students of a class see only the class, their own work and what the teacher publishes »: a classmate sees neither a
/// pupil's activity (the class's activity page, its Atom feed, the activity API) nor their copy through code search or its
/// archive; the class's teacher sees all of it.
/// </summary>
public sealed class ClassroomPrivacyTests(ClassroomWorld world) : IClassFixture<ClassroomWorld>
{
    private ForgeServer Server => world.Server;
    private HttpClient Api(string user) => Server.Client(user == "mme-roux" ? world.Teacher : world.Tokens[user]);
    private static Task<JsonElement> Must(HttpResponseMessage response, HttpStatusCode expected) => ClassroomWorld.Must(response, expected);

    private static List<string> Actors(JsonElement feed) => feed.EnumerateArray().Select(e => e.GetProperty("act_user").GetProperty("login").GetString()!).ToList();

    [Fact]
    public async Task Classmates_see_neither_each_others_activity_nor_copies_the_teacher_sees_both()
    {
        await world.ClassAsync("curie-2nde-p", "eva", "hugo");
        using var teacher = Api("mme-roux");
        using var eva = Api("eva");
        using var hugo = Api("hugo");
        // What the teacher publishes in the class, where Eva asks a question.
        await Must(await teacher.PostAsJsonAsync("/api/v1/orgs/curie-2nde-p/repos", new { name = "annonces", @private = true }), HttpStatusCode.Created);
        await Must(await teacher.PostAsJsonAsync("/api/v1/repos/curie-2nde-p/annonces/issues", new { title = "Sortie au musée" }), HttpStatusCode.Created);
        await Must(await eva.PostAsJsonAsync("/api/v1/repos/curie-2nde-p/annonces/issues", new { title = "Question d’Eva" }), HttpStatusCode.Created);

        // The activity API: Hugo sees the teacher's event, not Eva's; the teacher sees both.
        foreach (var path in new[] { "/api/v1/orgs/curie-2nde-p/activities/feeds", "/api/v1/repos/curie-2nde-p/annonces/activities/feeds" })
        {
            var seen = Actors(await Must(await hugo.GetAsync(path), HttpStatusCode.OK));
            Assert.Contains("mme-roux", seen);
            Assert.DoesNotContain("eva", seen);
            Assert.Contains("eva", Actors(await Must(await teacher.GetAsync(path), HttpStatusCode.OK)));
        }
        await Must(await hugo.GetAsync("/api/v1/users/eva/activities/feeds"), HttpStatusCode.NotFound);
        Assert.Contains("eva", Actors(await Must(await teacher.GetAsync("/api/v1/users/eva/activities/feeds"), HttpStatusCode.OK)));

        // The activity pages and the Atom feed (read with a token, as a feed reader does).
        using var hugoWeb = new WebSession(Server);
        await hugoWeb.SignInAsync("hugo", ClassroomWorld.Password);
        using var teacherWeb = new WebSession(Server);
        await teacherWeb.SignInAsync("mme-roux", ClassroomWorld.Password);
        var hugoPage = WebUtility.HtmlDecode(await hugoWeb.GetAsync("/curie-2nde-p/-/activity"));
        Assert.Contains("Sortie au musée", hugoPage);
        Assert.DoesNotContain("Question d’Eva", hugoPage);
        Assert.Contains("Question d’Eva", WebUtility.HtmlDecode(await teacherWeb.GetAsync("/curie-2nde-p/-/activity")));
        Assert.Contains("Question d’Eva", WebUtility.HtmlDecode(await teacherWeb.GetAsync("/eva/-/activity")));
        Assert.Equal(HttpStatusCode.NotFound, (await hugoWeb.Http.GetAsync("/eva/-/activity")).StatusCode);
        foreach (var path in new[] { "/curie-2nde-p.atom", "/curie-2nde-p/annonces/activity.atom" })
        {
            var hugoFeed = await hugo.GetStringAsync(path);
            Assert.Contains("Sortie au musée", hugoFeed);
            Assert.DoesNotContain("Question d’Eva", hugoFeed);
            Assert.Contains("Question d’Eva", await teacher.GetStringAsync(path));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await hugo.GetAsync("/eva.atom")).StatusCode);

        // Eva's copy: Hugo finds it neither by code search (page and API) nor downloads its archive.
        var id = await world.AssignmentAsync(await ClassIdAsync(teacher), "Somme privée");
        var copy = (await Must(await eva.PostAsync($"/api/v1/assignments/{id}/accept", null), HttpStatusCode.OK)).GetProperty("repository").GetString()!;
        var work = await Workspace.CloneAsync(world.Git, world.Tmp.Sub("eva-privee"), Server.Url($"/{copy}.git"), ("eva", world.Tokens["eva"]));
        await work.CommitAsync("notes.py", "# ornithorynque_secret d’Eva\n", "Notes");
        await work.MustAsync("push", "-q", "origin", "main");
        await Wait.UntilAsync(async () => (await teacher.GetStringAsync("/api/v1/search/code?q=ornithorynque_secret")).Contains(copy), "Eva's copy indexed");
        Assert.Contains(copy, await eva.GetStringAsync("/api/v1/search/code?q=ornithorynque_secret"));
        var hugoHits = await Must(await hugo.GetAsync("/api/v1/search/code?q=ornithorynque_secret"), HttpStatusCode.OK);
        Assert.Equal(0, hugoHits.GetProperty("total").GetInt32());
        Assert.DoesNotContain(copy, await hugoWeb.GetAsync("/search/code?q=ornithorynque_secret"));
        Assert.Contains(copy, await teacherWeb.GetAsync("/search/code?q=ornithorynque_secret"));
        await Must(await hugo.GetAsync($"/api/v1/search/code?q=ornithorynque_secret&repo={copy}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await hugoWeb.Http.GetAsync($"/{copy}/archive/main.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hugo.GetAsync($"/api/v1/repos/{copy}/archive/main.zip")).StatusCode);
        var archive = await teacherWeb.Http.GetAsync($"/{copy}/archive/main.zip");
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal("application/zip", archive.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<long> ClassIdAsync(HttpClient teacher) =>
        (await Must(await teacher.GetAsync("/api/v1/orgs/curie-2nde-p"), HttpStatusCode.OK)).GetProperty("id").GetInt64();
}
