using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.MergeRequests;
using Xunit;
using static Forge.Tests.Support.ApiResponses;

namespace Forge.Tests.Issues;

/// <summary>Issues, comments, labels and notifications through Gitea's API v1 paths and shapes, with the same rules as the pages.</summary>
public sealed class IssueApiTests : MergeRequestFixture
{
    [Fact]
    public async Task Create_list_filter_comment_label_and_close_through_the_api()
    {
        using var carole = Server.Client(Carole);
        using var bob = Server.Client(Bob);
        using var alice = Server.Client(Alice);
        using var anonymous = Server.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "x" })).StatusCode);
        var noTitle = await JsonAsync(await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "", body = "b" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Donnez un titre au ticket.", noTitle.GetProperty("message").GetString());
        // A reader opens issues but may not label or assign them, even when opening.
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "x", assignees = new[] { "bob" } })).StatusCode);
        var created = await JsonAsync(await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Coquille", body = "Ligne 3 **fausse**, voir @bob." }), HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("number").GetInt32());
        Assert.Equal("open", created.GetProperty("state").GetString());
        Assert.Equal("carole", created.GetProperty("user").GetProperty("login").GetString());
        Assert.EndsWith("/alice/cours/issues/1", created.GetProperty("html_url").GetString());
        await JsonAsync(await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Exercice sur les boucles" }), HttpStatusCode.Created);

        // Labels: maintainers create them (a Gitea hex colour goes to the nearest palette colour); readers and writers may not.
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/labels", new { name = "bug", color = "#ee0701" })).StatusCode);
        var label = await JsonAsync(await alice.PostAsJsonAsync("/api/v1/repos/alice/cours/labels", new { name = "erreur", color = "#ee0701", description = "Faux" }), HttpStatusCode.Created);
        Assert.Equal("b91c1c", label.GetProperty("color").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsJsonAsync("/api/v1/repos/alice/cours/labels", new { name = "erreur" })).StatusCode);
        var labels = await JsonAsync(await carole.GetAsync("/api/v1/repos/alice/cours/labels"), HttpStatusCode.OK);
        Assert.Equal(["erreur"], labels.EnumerateArray().Select(l => l.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/labels", new { labels = new[] { label.GetProperty("id").GetInt64() } })).StatusCode);
        var added = await JsonAsync(await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/labels", new { labels = new object[] { "erreur" } }), HttpStatusCode.OK);
        Assert.Equal("erreur", added.EnumerateArray().Single().GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/labels", new { labels = new object[] { "inconnue" } })).StatusCode);

        // Filters: labels, q, created_by, state.
        string[] Titles(JsonElement list) => list.EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();
        Assert.Equal(["Exercice sur les boucles", "Coquille"], Titles(await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues"), HttpStatusCode.OK)));
        Assert.Equal(["Coquille"], Titles(await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues?labels=erreur"), HttpStatusCode.OK)));
        Assert.Equal(["Exercice sur les boucles"], Titles(await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues?q=boucles"), HttpStatusCode.OK)));
        Assert.Empty(Titles(await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues?created_by=bob"), HttpStatusCode.OK)));
        var one = await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues?limit=1"), HttpStatusCode.OK);
        Assert.Single(one.EnumerateArray());

        // Comments, then Bob closes it; Dan, a stranger to this public course, may not.
        var comment = await JsonAsync(await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "Vu, @carole." }), HttpStatusCode.Created);
        Assert.Equal("Vu, @carole.", comment.GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "" })).StatusCode);
        var comments = await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues/1/comments"), HttpStatusCode.OK);
        Assert.Equal("bob", comments.EnumerateArray().Single().GetProperty("user").GetProperty("login").GetString());
        using var dan = Server.Client(Dan);
        Assert.Equal(HttpStatusCode.Forbidden, (await dan.PatchAsJsonAsync("/api/v1/repos/alice/cours/issues/1", new { state = "closed" })).StatusCode);
        var closed = await JsonAsync(await bob.PatchAsJsonAsync("/api/v1/repos/alice/cours/issues/1", new { state = "closed", assignees = new[] { "bob" } }), HttpStatusCode.Created);
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal("bob", closed.GetProperty("assignee").GetProperty("login").GetString());
        Assert.Equal(["Coquille"], Titles(await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues?state=closed"), HttpStatusCode.OK)));
        Assert.Equal(1, (await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/issues/1"), HttpStatusCode.OK)).GetProperty("comments").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/cours/issues/9")).StatusCode);

        // Notifications: Bob was mentioned when the issue was opened, Carole in the comment (and as the issue's author).
        var bobs = await JsonAsync(await bob.GetAsync("/api/v1/notifications"), HttpStatusCode.OK);
        var mention = bobs.EnumerateArray().Single();
        Assert.Equal("Coquille", mention.GetProperty("subject").GetProperty("title").GetString());
        Assert.Equal("Issue", mention.GetProperty("subject").GetProperty("type").GetString());
        Assert.True(mention.GetProperty("unread").GetBoolean());
        Assert.Single((await JsonAsync(await carole.GetAsync("/api/v1/notifications"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/notifications")).StatusCode);

        // Documented in the OpenAPI description.
        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        foreach (var path in new[] { "/api/v1/repos/{owner}/{repo}/issues", "/api/v1/repos/{owner}/{repo}/issues/{index}/comments", "/api/v1/repos/{owner}/{repo}/labels", "/api/v1/notifications" })
            Assert.Contains($"\"{path}\"", openapi);
    }
}
