using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Xunit;

namespace Forge.Tests.MergeRequests;

/// <summary>The pages of a merge request not covered by the flow tests: its commits tab, and the whole page in English.</summary>
public sealed class MergeRequestPagesTests : MergeRequestFixture
{
    /// <summary>Bob's branch of two commits, opened as request !1 through the API, with a line comment by Carole.</summary>
    private async Task<int> OpenWithTwoCommitsAsync()
    {
        var ws = await PushBranchAsync("ligne-4", Lesson((4, "Ligne 4 revue")));
        await ws.CommitAsync("cours.md", Lesson((4, "Ligne 4 revue et corrigée")), "Corriger encore la ligne 4");
        await ws.MustAsync("push", "-q", "origin", "ligne-4");
        using var bob = Server.Client(Bob);
        var created = await bob.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls", new { head = "ligne-4", title = "Revoir la ligne 4" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var carole = Server.Client(Carole);
        var review = await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls/1/reviews",
            new { @event = "COMMENT", body = "Bien vu.", comments = new[] { new { path = "cours.md", body = "Plus court ?", new_position = 4 } } });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        return 1;
    }

    [Fact]
    public async Task The_commits_tab_lists_the_requests_commits_oldest_first_with_links()
    {
        var number = await OpenWithTwoCommitsAsync();
        using var anonymous = Server.Client();
        var response = await anonymous.GetAsync($"/alice/cours/merge_requests/{number}/commits");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        // The request's own tabs, after the repository's.
        var current = page.QuerySelectorAll("nav.tabs").Last().QuerySelector("a[aria-current=page]")!;
        Assert.Equal($"/alice/cours/merge_requests/{number}/commits", current.GetAttribute("href"));
        Assert.Equal("Modifications (2)", current.TextContent.Trim());
        var commits = page.QuerySelectorAll("ol.commits > li.commit").ToList();
        Assert.Equal(["Proposition sur ligne-4", "Corriger encore la ligne 4"], commits.Select(c => c.QuerySelector(".subject")!.TextContent.Trim()));
        Assert.All(commits, c => Assert.Matches("^/alice/cours/commit/[0-9a-f]{40}$", c.QuerySelector(".subject a")!.GetAttribute("href")!));
        // Only the commits tab: neither the conversation nor the diff.
        Assert.Null(page.QuerySelector("section.thread"));
        Assert.Null(page.QuerySelector("table.diff"));

        // A new push shows at once; a private course's request is not found by a stranger.
        var ws = await Workspace(number);
        await ws.CommitAsync("cours.md", Lesson((4, "Ligne 4 définitive")), "Troisième retouche");
        await ws.MustAsync("push", "-q", "origin", "ligne-4");
        await Support.Wait.UntilAsync(async () => (await anonymous.GetStringAsync($"/alice/cours/merge_requests/{number}/commits")).Contains("Troisième retouche"),
            "the new commit in the tab");
        using var alice = Server.Client(Alice);
        Assert.True((await alice.PatchAsJsonAsync("/api/v1/repos/alice/cours", new { @private = true })).IsSuccessStatusCode);
        using var dan = await SignInAsync("dan");
        Assert.Equal(HttpStatusCode.NotFound, (await dan.Http.GetAsync($"/alice/cours/merge_requests/{number}/commits")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/alice/cours/merge_requests/{number}/commits")).StatusCode);
    }

    private async Task<Support.Workspace> Workspace(int number)
    {
        var ws = await Support.Workspace.CloneAsync(Git, Tmp.Sub($"again-{number}"), Url, ("bob", Bob));
        await ws.MustAsync("checkout", "-q", "ligne-4");
        return ws;
    }

    [Fact]
    public async Task A_merge_request_speaks_english_when_the_browser_asks_for_it()
    {
        var number = await OpenWithTwoCommitsAsync();
        using var web = await SignInAsync("alice");
        web.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");

        var conversation = await web.GetAsync($"/alice/cours/merge_requests/{number}");
        Assert.Contains("<html lang=\"en\">", conversation);
        var page = new HtmlParser().ParseDocument(conversation);
        Assert.Equal(["Conversation (1)", "Commits (2)", "Differences (1)"], page.QuerySelectorAll("nav.tabs").Last().QuerySelectorAll("a").Select(a => a.TextContent.Trim()));
        Assert.Contains("bob proposes to merge", page.QuerySelector("main")!.TextContent);
        Assert.Contains("cours.md, line 4 (new version)", page.QuerySelector(".thread-where")!.TextContent.Replace('\n', ' '));
        foreach (var french in new[] { "propose de fusionner", "Ouverte", "nouvelle version", "Fusionner", "Approuver", "Commenter" })
            Assert.DoesNotContain(french, page.QuerySelector("main")!.TextContent);

        var changes = new HtmlParser().ParseDocument(await web.GetAsync($"/alice/cours/merge_requests/{number}/changes"));
        Assert.Contains("1 changed file", changes.QuerySelector(".diff-stats")!.TextContent);
        Assert.Contains("side by side", changes.QuerySelector(".diff-view")!.TextContent);
        var commits = new HtmlParser().ParseDocument(await web.GetAsync($"/alice/cours/merge_requests/{number}/commits"));
        Assert.Contains("Browse the files", commits.QuerySelector("ol.commits")!.TextContent);
        Assert.DoesNotContain("Parcourir les fichiers", commits.QuerySelector("main")!.TextContent);
    }
}
