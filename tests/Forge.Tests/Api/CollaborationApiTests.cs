using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.MergeRequests;
using Xunit;
using static Forge.Tests.Support.ApiResponses;

namespace Forge.Tests.Api;

/// <summary>
/// What the collaboration pages do, through the API: watching a repository, resolving review threads, the repository's
/// issue and merge settings, editing and removing labels. Alice owns the public « cours », Bob writes, Carole reads, Dan is a stranger.
/// </summary>
public sealed class CollaborationApiTests : MergeRequestFixture
{
    private static async Task<string> MessageAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (await JsonAsync(response, expected)).GetProperty("message").GetString()!;

    [Fact]
    public async Task Watching_through_the_api_is_the_button_and_tells_of_new_issues()
    {
        using var carole = Server.Client(Carole);
        using var bob = Server.Client(Bob);
        using var dan = Server.Client(Dan);
        using var anonymous = Server.Client();
        const string subscription = "/api/v1/repos/alice/cours/subscription";

        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync(subscription)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync(subscription, null)).StatusCode);
        var watched = await JsonAsync(await carole.PutAsync(subscription, null));
        Assert.True(watched.GetProperty("subscribed").GetBoolean());
        Assert.False(watched.GetProperty("ignored").GetBoolean());
        Assert.Equal(Server.Url("/api/v1/repos/alice/cours"), watched.GetProperty("repository_url").GetString());
        Assert.Equal(Server.Url("/api/v1/repos/alice/cours/subscription"), watched.GetProperty("url").GetString());
        await JsonAsync(await carole.PutAsync(subscription, null)); // twice: still one
        Assert.True((await JsonAsync(await carole.GetAsync(subscription))).GetProperty("subscribed").GetBoolean());

        // The repository counts her, lists her, and the button on the page says « Ne plus suivre ».
        Assert.Equal(1, (await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours"))).GetProperty("watchers_count").GetInt32());
        var subscribers = await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours/subscribers"));
        Assert.Equal(["carole"], subscribers.EnumerateArray().Select(u => u.GetProperty("login").GetString()!));
        using (var web = await SignInAsync("carole"))
            Assert.Contains("Ne plus suivre", await web.GetAsync("/alice/cours"));

        // Watching tells her of a new issue.
        await JsonAsync(await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Coquille ligne 3" }), HttpStatusCode.Created);
        var told = await JsonAsync(await carole.GetAsync("/api/v1/notifications"));
        Assert.Equal("Coquille ligne 3", told.EnumerateArray().Single().GetProperty("subject").GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await carole.DeleteAsync(subscription)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carole.GetAsync(subscription)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await anonymous.GetAsync("/api/v1/repos/alice/cours"))).GetProperty("watchers_count").GetInt32());

        // A private repository is not there for a stranger, watching included.
        await Server.CreateRepositoryAsync(Alice, "brouillon", isPrivate: true);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.PutAsync("/api/v1/repos/alice/brouillon/subscription", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.GetAsync("/api/v1/repos/alice/brouillon/subscribers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/brouillon/subscribers")).StatusCode);
    }

    [Fact]
    public async Task Review_threads_are_listed_resolved_and_reopened_with_the_rules_of_the_page()
    {
        using var bob = Server.Client(Bob);
        using var carole = Server.Client(Carole);
        using var dan = Server.Client(Dan);
        using var alice = Server.Client(Alice);
        using var anonymous = Server.Client();
        await PushBranchAsync("ligne-2", Lesson((2, "Ligne 2 reformulée")));
        var number = (await JsonAsync(await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls", new { head = "ligne-2", title = "Reformuler la ligne 2" }),
            HttpStatusCode.Created)).GetProperty("number").GetInt32();
        var pulls = $"/api/v1/repos/alice/cours/pulls/{number}";
        await JsonAsync(await carole.PostAsJsonAsync($"{pulls}/reviews",
            new { @event = "COMMENT", comments = new[] { new { path = "cours.md", body = "Plus simple ?", new_position = 2 } } }));

        var thread = (await JsonAsync(await anonymous.GetAsync($"{pulls}/threads"))).EnumerateArray().Single();
        Assert.Equal("cours.md", thread.GetProperty("path").GetString());
        Assert.Equal("new", thread.GetProperty("side").GetString());
        Assert.Equal(2, thread.GetProperty("line").GetInt32());
        Assert.Equal("carole", thread.GetProperty("user").GetProperty("login").GetString());
        Assert.False(thread.GetProperty("resolved").GetBoolean());
        var resolved = $"{pulls}/threads/{thread.GetProperty("id").GetInt64()}/resolved";

        // A stranger to the thread and the request may not; anonymous must sign in; an unknown thread is 404.
        Assert.Equal("Seuls l’auteur du fil, l’auteur de la demande et les rédacteurs du dépôt peuvent le marquer comme résolu.",
            await MessageAsync(await dan.PostAsync(resolved, null), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(resolved, null)).StatusCode);
        Assert.Equal("Ce fil de discussion n’existe pas.", await MessageAsync(await bob.PostAsync($"{pulls}/threads/999999/resolved", null), HttpStatusCode.NotFound));

        // The request's author resolves it: the page shows it resolved; the thread's author reopens it.
        Assert.True((await JsonAsync(await bob.PostAsync(resolved, null))).GetProperty("resolved").GetBoolean());
        var page = new HtmlParser().ParseDocument(await anonymous.GetStringAsync($"/alice/cours/merge_requests/{number}"));
        Assert.Contains("resolved", page.QuerySelector("section.thread")!.ClassList);
        Assert.False((await JsonAsync(await carole.DeleteAsync(resolved))).GetProperty("resolved").GetBoolean());
        page = new HtmlParser().ParseDocument(await anonymous.GetStringAsync($"/alice/cours/merge_requests/{number}"));
        Assert.DoesNotContain("resolved", page.QuerySelector("section.thread")!.ClassList);

        // Once the course is private, Dan finds neither the request nor its threads.
        await JsonAsync(await alice.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true }));
        Assert.Equal(HttpStatusCode.NotFound, (await dan.GetAsync($"{pulls}/threads")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.PostAsync(resolved, null)).StatusCode);
    }

    [Fact]
    public async Task Issues_switch_and_merge_style_are_repository_settings_of_the_api_and_labels_are_edited_and_removed()
    {
        using var alice = Server.Client(Alice);
        using var bob = Server.Client(Bob);
        using var carole = Server.Client(Carole);
        using var anonymous = Server.Client();
        const string repo = "/api/v1/repos/alice/cours";

        var json = await JsonAsync(await anonymous.GetAsync(repo));
        Assert.True(json.GetProperty("has_issues").GetBoolean());
        Assert.True(json.GetProperty("has_pull_requests").GetBoolean());
        Assert.Equal("merge", json.GetProperty("default_merge_style").GetString());

        // Maintainers only; an unknown style is refused and nothing changes.
        Assert.Equal("Seuls les mainteneurs du dépôt peuvent modifier ses paramètres.",
            await MessageAsync(await bob.PatchAsJsonAsync(repo, new { default_merge_style = "squash" }), HttpStatusCode.Forbidden));
        Assert.Contains("« rebase » non prise en charge",
            await MessageAsync(await alice.PatchAsJsonAsync(repo, new { default_merge_style = "rebase", has_issues = false }), HttpStatusCode.UnprocessableEntity));
        Assert.True((await JsonAsync(await anonymous.GetAsync(repo))).GetProperty("has_issues").GetBoolean());

        json = await JsonAsync(await alice.PatchAsJsonAsync(repo, new { default_merge_style = "fast-forward-only", has_issues = false }));
        Assert.Equal("fast-forward-only", json.GetProperty("default_merge_style").GetString());
        Assert.False(json.GetProperty("has_issues").GetBoolean());
        Assert.Equal("Les tickets sont désactivés pour ce dépôt.", await MessageAsync(await carole.GetAsync($"{repo}/issues"), HttpStatusCode.NotFound));
        using (var web = await SignInAsync("alice"))
        {
            var settings = new HtmlParser().ParseDocument(await web.GetAsync("/alice/cours/settings"));
            Assert.NotNull(settings.QuerySelector("#merge-style-FastForward[checked]"));
            Assert.Contains("Les tickets sont désactivés.", await web.GetAsync("/alice/cours/labels"));
        }
        json = await JsonAsync(await alice.PatchAsJsonAsync(repo, new { has_issues = true }));
        Assert.True(json.GetProperty("has_issues").GetBoolean());
        Assert.Equal("fast-forward-only", (await JsonAsync(await anonymous.GetAsync(repo))).GetProperty("default_merge_style").GetString());

        // Labels: a maintainer edits one (what is not sent stays), a writer may not, nor delete it.
        var erreur = await JsonAsync(await alice.PostAsJsonAsync($"{repo}/labels", new { name = "erreur", color = "rouge", description = "Faux" }), HttpStatusCode.Created);
        var idee = await JsonAsync(await alice.PostAsJsonAsync($"{repo}/labels", new { name = "idée", color = "vert" }), HttpStatusCode.Created);
        long erreurId = erreur.GetProperty("id").GetInt64(), ideeId = idee.GetProperty("id").GetInt64();
        Assert.Equal("Seuls les mainteneurs du dépôt peuvent gérer les labels.",
            await MessageAsync(await bob.PatchAsJsonAsync($"{repo}/labels/{erreurId}", new { name = "bug" }), HttpStatusCode.Forbidden));
        var edited = await JsonAsync(await alice.PatchAsJsonAsync($"{repo}/labels/{erreurId}", new { name = "coquille" }));
        Assert.Equal("coquille", edited.GetProperty("name").GetString());
        Assert.Equal("Faux", edited.GetProperty("description").GetString());
        Assert.Equal(erreur.GetProperty("color").GetString(), edited.GetProperty("color").GetString());
        Assert.Equal("coquille", (await JsonAsync(await anonymous.GetAsync($"{repo}/labels/{erreurId}"))).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PatchAsJsonAsync($"{repo}/labels/{erreurId}", new { name = "idée" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PatchAsJsonAsync($"{repo}/labels/999999", new { name = "x" })).StatusCode);

        // An issue's labels: replaced, one removed, cleared — by writers; readers get the page's refusal.
        await JsonAsync(await carole.PostAsJsonAsync($"{repo}/issues", new { title = "Coquille ligne 3" }), HttpStatusCode.Created);
        string[] Names(JsonElement list) => list.EnumerateArray().Select(l => l.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["coquille", "idée"], Names(await JsonAsync(await bob.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = new object[] { erreurId, "idée" } }))));
        Assert.Equal(["idée"], Names(await JsonAsync(await bob.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = new object[] { ideeId } }))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await bob.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = new object[] { "inconnu" } })).StatusCode);
        Assert.Equal("Seuls les rédacteurs du dépôt peuvent poser des labels sur un ticket.",
            await MessageAsync(await carole.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = Array.Empty<long>() }), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.DeleteAsync($"{repo}/issues/1/labels/{ideeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.DeleteAsync($"{repo}/issues/1/labels")).StatusCode);
        Assert.Equal("Ce ticket ne porte pas ce label.", await MessageAsync(await bob.DeleteAsync($"{repo}/issues/1/labels/{erreurId}"), HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NoContent, (await bob.DeleteAsync($"{repo}/issues/1/labels/{ideeId}")).StatusCode);
        Assert.Empty(Names((await JsonAsync(await anonymous.GetAsync($"{repo}/issues/1"))).GetProperty("labels")));
        await JsonAsync(await bob.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = new object[] { erreurId, ideeId } }));
        Assert.Equal(HttpStatusCode.NoContent, (await bob.DeleteAsync($"{repo}/issues/1/labels")).StatusCode);
        Assert.Empty(Names((await JsonAsync(await anonymous.GetAsync($"{repo}/issues/1"))).GetProperty("labels")));

        // Deleting a label takes it off its issues.
        await JsonAsync(await bob.PutAsJsonAsync($"{repo}/issues/1/labels", new { labels = new object[] { erreurId } }));
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync($"{repo}/labels/{erreurId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"{repo}/labels/{erreurId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.DeleteAsync($"{repo}/labels/{erreurId}")).StatusCode);
        Assert.Equal(["idée"], Names(await JsonAsync(await anonymous.GetAsync($"{repo}/labels"))));
        Assert.Empty(Names((await JsonAsync(await anonymous.GetAsync($"{repo}/issues/1"))).GetProperty("labels")));

        // Private: a stranger finds none of it.
        await JsonAsync(await alice.PatchAsJsonAsync(repo, new { @private = true }));
        using var dan = Server.Client(Dan);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.PatchAsJsonAsync(repo, new { has_issues = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.GetAsync($"{repo}/labels/{ideeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.DeleteAsync($"{repo}/labels/{ideeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.DeleteAsync($"{repo}/issues/1/labels")).StatusCode);
    }
}
