using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Forge.Tests.MergeRequests;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Activity;

/// <summary>
/// Activity feeds on Alice's public course (Bob writes, Carole reads, Dan is a stranger), with real git pushes: the user page,
/// the paged activity page, the Atom feeds (parsed as XML) and Gitea's API say the same thing, and a private repository's
/// push, a student's action or a deleted repository never leak into what an outsider sees — while members see theirs.
/// </summary>
public sealed class ActivityFeedTests : MergeRequestFixture
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static async Task<XDocument> AtomAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Titles(XDocument feed) => feed.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();

    private static async Task<List<JsonElement>> FeedsAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public async Task Pushes_requests_and_issues_appear_in_pages_atom_and_api_only_for_those_who_may_read_them()
    {
        using var anonymous = Server.Client();
        using var aliceApi = Server.Client(Alice);
        using var danApi = Server.Client(Dan);

        // A private repository of Alice's, pushed to with git, where Carole is a reader.
        await Server.CreateRepositoryAsync(Alice, "secret", isPrivate: true);
        var secretWs = await Workspace.InitAsync(Git, Tmp.Sub("secret"), ("alice", Alice));
        await secretWs.CommitAsync("sujet.md", "Questions", "Sujet du contrôle surprise");
        await secretWs.MustAsync("push", "-q", Server.Url("/alice/secret.git"), "main");
        await Server.AddCollaboratorAsync("alice", "secret", "carole", CollaboratorRole.Reader);

        // Bob opens an issue; pushes a branch and asks to merge it, saying it closes the issue; Alice pushes it into main by hand.
        var issue = await (await Server.Client(Bob).PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Ligne 2 fausse" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, issue.GetProperty("number").GetInt32());
        await PushBranchAsync("correction", Lesson((2, "Ligne 2 corrigée")));
        var pr = await Server.Client(Bob).PostAsJsonAsync("/api/v1/repos/alice/cours/pulls",
            new { head = "correction", @base = "main", title = "Corrige la ligne 2", body = "Closes #1" });
        Assert.Equal(HttpStatusCode.Created, pr.StatusCode);
        await AliceWs.MustAsync("fetch", "-q", Url, "correction");
        await AliceWs.MustAsync("merge", "-q", "--ff-only", "FETCH_HEAD");
        await AliceWs.MustAsync("push", "-q", Url, "main");
        await Wait.UntilAsync(async () => (await RequestAsync(1)).State == MergeRequestState.Merged, "request !1 marked merged after the push by hand");
        var merged = await RequestAsync(1);
        using (var scope = Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            Assert.Equal("alice", (await db.Users.SingleAsync(u => u.Id == merged.MergedById)).UserName);
            var closed = await db.Set<Issue>().Include(i => i.ClosedBy).SingleAsync(i => i.Number == 1);
            Assert.Equal((IssueState.Closed, "alice"), (closed.State, closed.ClosedBy!.UserName));
        }

        // Anonymous Atom feed of Alice: well-formed Atom, newest first, her public work — nothing of the private repository.
        var feed = await AtomAsync(anonymous, "/alice.atom");
        Assert.Equal("Activité de alice", feed.Root!.Element(Atom + "title")!.Value);
        var titles = Titles(feed);
        // The push came first; the job that saw it merged the request, which closed the issue.
        Assert.Equal(["alice a fermé le ticket alice/cours#1", "alice a fusionné la demande de fusion alice/cours!1",
            "alice a poussé 1 commit sur la branche « main » de alice/cours"], titles.Take(3));
        Assert.Contains("alice a poussé 2 commits sur la branche « main » de alice/cours", titles);
        Assert.Contains("alice a créé le dépôt alice/cours", titles);
        Assert.DoesNotContain(titles, t => t.Contains("secret"));
        Assert.DoesNotContain("contrôle surprise", feed.ToString());
        var pushEntry = feed.Root.Elements(Atom + "entry").First(e => e.Element(Atom + "title")!.Value.StartsWith("alice a poussé 1 commit"));
        Assert.Equal(Server.Url("/alice/cours/commits/main"), pushEntry.Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Contains("Proposition sur correction", pushEntry.Element(Atom + "content")!.Value);
        // With her token (as a feed reader given Basic credentials), Alice's own feed has her private push too.
        using var aliceBasic = Server.Client();
        aliceBasic.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"alice:{Alice}")));
        var own = await AtomAsync(aliceBasic, "/alice.atom");
        Assert.Contains("alice a poussé 2 commits sur la branche « main » de alice/secret", Titles(own));
        Assert.Contains("Sujet du contrôle surprise", own.ToString());
        // A wrong token is refused, never treated as anonymous.
        using var wrong = Server.Client("pas-un-jeton");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/alice.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/personne.atom")).StatusCode);

        // Bob's feed: what Bob did (issue, push, request), and the repository's own feed.
        var bobTitles = Titles(await AtomAsync(anonymous, "/bob.atom"));
        Assert.Equal(["bob a ouvert la demande de fusion alice/cours!1", "bob a poussé 1 commit sur la branche « correction » de alice/cours",
            "bob a ouvert le ticket alice/cours#1"], bobTitles);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/secret/activity.atom")).StatusCode);
        Assert.Contains("Sujet du contrôle surprise", (await AtomAsync(Server.Client(Carole), "/alice/secret/activity.atom")).ToString());

        // The user page, signed out: « Activité récente » with relative dates and the absolute one in the title; no private push.
        var page = new HtmlParser().ParseDocument(await (await anonymous.GetAsync("/alice")).Content.ReadAsStringAsync());
        var recent = page.QuerySelector("section[aria-labelledby=recent-activity]")!;
        Assert.Equal(5, recent.QuerySelectorAll("ol.activity-list > li").Length);
        var time = recent.QuerySelector("time")!;
        Assert.Equal("à l’instant", time.TextContent);
        Assert.Matches(@"^\d+ \w+ \d{4} à \d{2}:\d{2}$", time.GetAttribute("title"));
        Assert.DoesNotContain("secret", recent.TextContent);
        Assert.Equal("/alice.atom", page.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href"));

        // Gitea's API: a stranger sees the public events with Gitea's op_types; Carole, a reader of the private repository, sees its push.
        var danSees = await FeedsAsync(danApi, "/api/v1/users/alice/activities/feeds");
        Assert.Contains(danSees, a => a.GetProperty("op_type").GetString() == "merge_pull_request" && a.GetProperty("content").GetString() == "1|Corrige la ligne 2");
        Assert.Contains(danSees, a => a.GetProperty("op_type").GetString() == "close_issue");
        var push = danSees.First(a => a.GetProperty("op_type").GetString() == "commit_repo");
        Assert.Equal("refs/heads/main", push.GetProperty("ref_name").GetString());
        Assert.Equal("alice", push.GetProperty("act_user").GetProperty("login").GetString());
        Assert.Equal("alice/cours", push.GetProperty("repo").GetProperty("full_name").GetString());
        Assert.Equal(1, JsonDocument.Parse(push.GetProperty("content").GetString()!).RootElement.GetProperty("Len").GetInt32());
        Assert.DoesNotContain(danSees, a => a.GetProperty("repo").GetProperty("name").GetString() == "secret");
        var caroleSees = await FeedsAsync(Server.Client(Carole), "/api/v1/users/alice/activities/feeds");
        Assert.Contains(caroleSees, a => a.GetProperty("repo").GetProperty("name").GetString() == "secret" && a.GetProperty("is_private").GetBoolean());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await danApi.GetAsync("/api/v1/users/alice/activities/feeds?date=hier")).StatusCode);
        Assert.Empty(await FeedsAsync(danApi, "/api/v1/users/alice/activities/feeds?date=2001-01-01"));

        // A group's feed tells what happens in its repositories; its private repository only to members.
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "nsi-lyon", visibility = "public" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/orgs/nsi-lyon/repos", new { name = "commun" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/orgs/nsi-lyon/repos", new { name = "copies", @private = true })).StatusCode);
        Assert.Equal(["alice a créé le dépôt nsi-lyon/commun"], Titles(await AtomAsync(anonymous, "/nsi-lyon.atom")));
        var members = await FeedsAsync(aliceApi, "/api/v1/orgs/nsi-lyon/activities/feeds");
        Assert.Equal(["nsi-lyon/copies", "nsi-lyon/commun"], members.Select(a => a.GetProperty("repo").GetProperty("full_name").GetString()));

        // A student's actions are never shown to strangers: Eve (a student) comments Alice's public course.
        var (eve, eveToken) = await Server.CreateUserAsync("eve");
        using (var scope = Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            (await db.Users.SingleAsync(u => u.Id == eve.Id)).Role = InstanceRole.Student;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Created, (await Server.Client(eveToken).PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "Merci !" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/eve.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.GetAsync("/api/v1/users/eve/activities/feeds")).StatusCode);
        Assert.DoesNotContain("eve", string.Join('\n', Titles(await AtomAsync(anonymous, "/alice/cours/activity.atom"))));
        Assert.Contains("eve a commenté le ticket alice/cours#1", Titles(await AtomAsync(Server.Client(eveToken), "/eve.atom")));

        // Paging: 20 events a page on /alice/-/activity, the rest on the next page, with links both ways.
        for (var i = 0; i < 18; i++)
            Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = $"Remarque {i}" })).StatusCode);
        var first = new HtmlParser().ParseDocument(await (await anonymous.GetAsync("/alice/-/activity")).Content.ReadAsStringAsync());
        Assert.Equal(20, first.QuerySelectorAll("ol.activity-list > li").Length);
        Assert.Equal("?page=2", first.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        var second = new HtmlParser().ParseDocument(await (await anonymous.GetAsync("/alice/-/activity?page=2")).Content.ReadAsStringAsync());
        // Alice's public events: those of the feed above, « commun » (« copies » is private) and the 18 comments.
        Assert.Equal(titles.Count + 1 + 18 - 20, second.QuerySelectorAll("ol.activity-list > li").Length);
        Assert.NotNull(second.QuerySelector("a[rel=prev]"));

        // Deleting a repository takes its events away.
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.DeleteAsync("/api/v1/repos/alice/secret")).StatusCode);
        Assert.DoesNotContain("secret", string.Join('\n', Titles(await AtomAsync(aliceBasic, "/alice.atom"))));
    }
}
