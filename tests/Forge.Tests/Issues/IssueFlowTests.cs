using System.Net;
using AngleSharp.Html.Parser;
using Forge.Tests.MergeRequests;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Issues;

/// <summary>
/// Issues through the web pages, on Alice's course (Bob writes, Carole reads, Dan is a stranger): open, list, filter,
/// close and reopen; labels and assignees by a writer, refused to a reader; a private repository's issues hidden;
/// references and mentions rendered as links (never in code), cross-repository references only when readable;
/// notifications; « Closes #N » in a merged request; hostile Markdown inert.
/// </summary>
public sealed class IssueFlowTests : MergeRequestFixture
{
    private static AngleSharp.Dom.IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static async Task<int> OpenIssueAsync(WebSession session, string title, string body, string repo = "alice/cours")
    {
        var response = await session.PostFormAsync($"/{repo}/issues/new", $"/{repo}/issues/new", new Dictionary<string, string> { ["Title"] = title, ["Body"] = body });
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    private static Task<HttpResponseMessage> PostOnIssueAsync(WebSession session, int number, string handler, Dictionary<string, string> fields, string repo = "alice/cours") =>
        session.PostFormAsync($"/{repo}/issues/{number}", $"/{repo}/issues/{number}?handler={handler}", fields);

    private async Task<List<Notification>> NotificationsOfAsync(string user)
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        return await db.Set<Notification>().AsNoTracking().Where(n => n.User.UserName == user).OrderBy(n => n.Id).ToListAsync();
    }

    [Fact]
    public async Task A_reader_opens_an_issue_a_writer_labels_assigns_and_closes_it_and_the_list_filters()
    {
        using var carole = await SignInAsync("carole");
        // No title: said at the field, in French, and the description typed is given back.
        var bad = await carole.PostFormAsync("/alice/cours/issues/new", "/alice/cours/issues/new", new Dictionary<string, string> { ["Title"] = "  ", ["Body"] = "La ligne 3 est **fausse**." });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badPage = Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("Donnez un titre au ticket.", badPage.GetElementById("Title-error")!.TextContent.Trim());
        Assert.Contains("Title-error", badPage.GetElementById("Title")!.GetAttribute("aria-describedby"));
        Assert.Equal("La ligne 3 est **fausse**.", badPage.GetElementById("Body")!.TextContent);

        var first = await OpenIssueAsync(carole, "Coquille ligne 3", "La ligne 3 est **fausse**.");
        var second = await OpenIssueAsync(carole, "Ajouter un exercice", "Sur les boucles.");
        Assert.Equal((1, 2), (first, second));
        var shown = Parse(await carole.GetAsync("/alice/cours/issues/1"));
        Assert.Equal("Coquille ligne 3 #1", shown.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("fausse", shown.QuerySelector("#description .markdown strong")!.TextContent);
        // A reader neither labels nor assigns: no form, and a forged post is refused with the reason.
        Assert.Null(shown.QuerySelector("form[action$='handler=Labels']"));
        var refused = await PostOnIssueAsync(carole, 1, "Assignees", new Dictionary<string, string> { ["assignees"] = "bob" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Seuls les rédacteurs du dépôt peuvent attribuer un ticket.", await refused.Content.ReadAsStringAsync());

        // Labels are managed by maintainers (Alice); Bob, a writer, may not create one.
        using var alice = await SignInAsync("alice");
        var emptyName = await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels", new Dictionary<string, string> { ["Name"] = "", ["Color"] = "rouge" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyName.StatusCode);
        Assert.Equal("Donnez un nom au label.", Parse(await emptyName.Content.ReadAsStringAsync()).GetElementById("new-Name-error")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels", new Dictionary<string, string> { ["Name"] = "erreur", ["Color"] = "rouge", ["Description"] = "Quelque chose est faux" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels", new Dictionary<string, string> { ["Name"] = "idée", ["Color"] = "bleu" })).StatusCode);
        var duplicate = await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels", new Dictionary<string, string> { ["Name"] = "erreur", ["Color"] = "vert" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("Un label « erreur » existe déjà.", await duplicate.Content.ReadAsStringAsync());
        using var bob = await SignInAsync("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostFormAsync("/alice/cours/labels", "/alice/cours/labels", new Dictionary<string, string> { ["Name"] = "bob", ["Color"] = "vert" })).StatusCode);

        // Bob labels and assigns; Dan, who cannot write, cannot be assigned.
        var bobPage = Parse(await bob.GetAsync("/alice/cours/issues/1"));
        var errorLabel = bobPage.QuerySelectorAll("form[action$='handler=Labels'] input[name=labels]").Single(i => i.ParentElement!.TextContent.Contains("erreur")).GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(bob, 1, "Labels", new Dictionary<string, string> { ["labels"] = errorLabel })).StatusCode);
        var stranger = await PostOnIssueAsync(bob, 1, "Assignees", new Dictionary<string, string> { ["assignees"] = "dan" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stranger.StatusCode);
        Assert.Contains("« dan » ne peut pas être assigné", await stranger.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(bob, 1, "Assignees", new Dictionary<string, string> { ["assignees"] = "alice" })).StatusCode);
        var labelled = Parse(await carole.GetAsync("/alice/cours/issues/1"));
        Assert.Equal("erreur", labelled.QuerySelector("aside .label")!.TextContent.Trim()); // the name is written, not only a colour
        Assert.Contains("alice", labelled.QuerySelector("aside ul")!.TextContent);
        Assert.Contains(await NotificationsOfAsync("alice"), n => n.Kind == NotificationKind.Assigned && n.Number == 1);

        // Lists: counts per state, filters by label, assignee, author and text.
        var list = Parse(await carole.GetAsync("/alice/cours/issues"));
        Assert.Equal(["Ajouter un exercice", "Coquille ligne 3"], list.QuerySelectorAll(".issue-list > li > a strong").Select(e => e.TextContent).ToArray());
        Assert.Contains("Ouverts (2)", list.QuerySelector("nav.filters")!.TextContent);
        Assert.Contains("Tickets (2)", list.QuerySelector("nav.tabs")!.TextContent);
        string[] Titles(string html) => Parse(html).QuerySelectorAll(".issue-list > li > a strong").Select(e => e.TextContent).ToArray();
        Assert.Equal(["Coquille ligne 3"], Titles(await carole.GetAsync("/alice/cours/issues?label=erreur")));
        Assert.Equal(["Coquille ligne 3"], Titles(await carole.GetAsync("/alice/cours/issues?assignee=alice")));
        Assert.Equal(["Ajouter un exercice"], Titles(await carole.GetAsync("/alice/cours/issues?q=BOUCLES")));
        Assert.Empty(Titles(await carole.GetAsync("/alice/cours/issues?author=bob")));
        Assert.Equal(["Coquille ligne 3", "Ajouter un exercice"], Titles(await carole.GetAsync("/alice/cours/issues?sort=oldest")));

        // Dan, who only reads this public course, may neither close nor reopen Carole's issue; Bob closes it; Carole, its author, reopens it.
        using var dan = await SignInAsync("dan");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostOnIssueAsync(dan, 1, "State", new Dictionary<string, string> { ["to"] = "closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(bob, 1, "State", new Dictionary<string, string> { ["to"] = "closed" })).StatusCode);
        var closedList = Parse(await carole.GetAsync("/alice/cours/issues?state=closed"));
        Assert.Contains("Fermés (1)", closedList.QuerySelector("nav.filters")!.TextContent);
        Assert.Equal(["Coquille ligne 3"], Titles(closedList.DocumentElement.OuterHtml));
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(carole, 1, "State", new Dictionary<string, string> { ["to"] = "open" })).StatusCode);
        Assert.Contains("Ouverts (2)", Parse(await carole.GetAsync("/alice/cours/issues")).QuerySelector("nav.filters")!.TextContent);

        // An empty comment is refused; a real one is shown and tells the author.
        var empty = await PostOnIssueAsync(bob, 1, "Comment", new Dictionary<string, string> { ["body"] = "   " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("Le commentaire est vide", Parse(await empty.Content.ReadAsStringAsync()).GetElementById("issue-Body-error")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(bob, 1, "Comment", new Dictionary<string, string> { ["body"] = "Corrigé dans ma branche." })).StatusCode);
        Assert.Contains("Corrigé dans ma branche.", Parse(await carole.GetAsync("/alice/cours/issues/1")).QuerySelector(".comment:last-of-type")!.TextContent);
        Assert.Contains(await NotificationsOfAsync("carole"), n => n.Kind == NotificationKind.Comment && n.Number == 1 && !n.IsMergeRequest);
    }

    [Fact]
    public async Task A_private_repository_s_issues_answer_404_to_a_stranger_and_cross_references_to_it_stay_plain_text()
    {
        await Server.CreateRepositoryAsync(Alice, "secret", isPrivate: true);
        using var alice = await SignInAsync("alice");
        var secret = await OpenIssueAsync(alice, "Sujet du contrôle", "Ne pas diffuser.", "alice/secret");
        var pub = await OpenIssueAsync(alice, "Voir aussi", "Lié à alice/secret#1 et à alice/cours#1.");
        Assert.Equal((1, 1), (secret, pub));

        using var dan = await SignInAsync("dan");
        foreach (var path in new[] { "/alice/secret/issues", "/alice/secret/issues/1", "/alice/secret/issues/new", "/alice/secret/labels" })
            Assert.Equal(HttpStatusCode.NotFound, (await dan.Http.GetAsync(path)).StatusCode);
        using var anonymous = Server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/secret/issues/1")).StatusCode);
        using var danApi = Server.Client(Dan);
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.GetAsync("/api/v1/repos/alice/secret/issues")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.GetAsync("/api/v1/repos/alice/secret/issues/1")).StatusCode);

        // Dan sees the reference to the private issue as plain text: no link, no title; Alice gets a link.
        var forDan = Parse(await dan.GetAsync("/alice/cours/issues/1")).QuerySelector("#description .markdown")!;
        Assert.Contains("alice/secret#1", forDan.TextContent);
        Assert.DoesNotContain(forDan.QuerySelectorAll("a"), a => a.GetAttribute("href")!.Contains("secret"));
        Assert.DoesNotContain("Sujet du contrôle", forDan.OuterHtml);
        Assert.Equal("/alice/cours/issues/1", forDan.QuerySelectorAll("a").Single().GetAttribute("href"));
        var forAlice = Parse(await alice.GetAsync("/alice/cours/issues/1")).QuerySelector("#description .markdown")!;
        Assert.Contains(forAlice.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/alice/secret/issues/1" && a.TextContent == "alice/secret#1");
    }

    [Fact]
    public async Task References_and_mentions_become_links_outside_code_and_notify_only_readers()
    {
        await PushBranchAsync("correction", Lesson((3, "Ligne 3 corrigée du cours")));
        using var bob = await SignInAsync("bob");
        var mr = await OpenAsync(bob, await RepoIdAsync("alice", "cours"), "correction", "Corriger la ligne 3");
        var commit = (await RequestAsync(mr)).HeadSha;
        using var alice = await SignInAsync("alice");
        await OpenIssueAsync(alice, "Premier", "Rien.");
        var body = $"Voir #1, !{mr} et {commit[..8]}, cc @carole et @dan ; pas `#1` ni `@carole`, ni #99.\n\n```\n#1 @carole {commit[..8]}\n```\n\n[lien vers #1](https://example.org/x)";
        var number = await OpenIssueAsync(alice, "Références", body);
        var html = Parse(await alice.GetAsync($"/alice/cours/issues/{number}")).QuerySelector("#description .markdown")!;
        var links = html.QuerySelectorAll("a").Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Contains(("#1", "/alice/cours/issues/1"), links);
        Assert.Contains(($"!{mr}", $"/alice/cours/merge_requests/{mr}"), links);
        Assert.Contains((commit[..8], $"/alice/cours/commit/{commit}"), links);
        Assert.Contains(("@carole", "/carole"), links);
        Assert.Contains(("@dan", "/dan"), links);
        Assert.Contains(("lien vers #1", "https://example.org/x"), links); // a link's own text is left alone
        Assert.Equal(6, links.Count); // nothing in code spans or blocks, nor #99 (no such issue)
        Assert.All(html.QuerySelectorAll("code"), code => Assert.Empty(code.QuerySelectorAll("a")));
        Assert.Contains("#99", html.TextContent);

        // Carole reads the course: told. In Alice's private repository, Dan — who cannot read it — is mentioned and told nothing.
        Assert.Contains(await NotificationsOfAsync("carole"), n => n.Kind == NotificationKind.Mention && n.Number == number);
        await Server.CreateRepositoryAsync(Alice, "secret", isPrivate: true);
        var before = (await NotificationsOfAsync("dan")).Count;
        await OpenIssueAsync(alice, "Privé", "Qu’en pense @dan ?", "alice/secret");
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(alice, 1, "Comment", new Dictionary<string, string> { ["body"] = "@dan ?" }, "alice/secret")).StatusCode);
        Assert.Equal(before, (await NotificationsOfAsync("dan")).Count);

        // The notifications page: unread count in the header, a link to the issue, mark one read, then all.
        using var carole = await SignInAsync("carole");
        var page = Parse(await carole.GetAsync("/notifications"));
        Assert.Contains("Notifications", page.QuerySelector("nav[aria-label=Compte]")!.TextContent);
        var item = page.QuerySelectorAll(".notification-list > li").Single(li => li.TextContent.Contains("Références"));
        Assert.Equal($"/alice/cours/issues/{number}", item.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Vous êtes mentionné", item.TextContent);
        var id = item.Id!.Split('-')[1];
        Assert.Equal(HttpStatusCode.Redirect, (await carole.PostFormAsync("/notifications", "/notifications?handler=Read", new Dictionary<string, string> { ["id"] = id })).StatusCode);
        Assert.DoesNotContain("Références", Parse(await carole.GetAsync("/notifications")).QuerySelector("main")!.TextContent);
        Assert.Contains("Références", Parse(await carole.GetAsync("/notifications?show=all")).QuerySelector("main")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await carole.PostFormAsync("/notifications", "/notifications?handler=Read", new Dictionary<string, string>())).StatusCode);
        Assert.All(await NotificationsOfAsync("carole"), n => Assert.True(n.IsRead));
        // Another user's notification cannot be marked.
        using var dan = await SignInAsync("dan");
        Assert.Equal(HttpStatusCode.NotFound, (await dan.PostFormAsync("/notifications", "/notifications?handler=Read", new Dictionary<string, string> { ["id"] = id })).StatusCode);
    }

    [Fact]
    public async Task Closes_N_in_a_merged_request_closes_the_issue()
    {
        using var carole = await SignInAsync("carole");
        var issue = await OpenIssueAsync(carole, "Coquille ligne 3", "La ligne 3 est fausse.");
        var other = await OpenIssueAsync(carole, "Autre chose", "Rien à voir.");
        await PushBranchAsync("correction", Lesson((3, "Ligne 3 corrigée du cours")));
        using var bob = await SignInAsync("bob");
        var repoId = await RepoIdAsync("alice", "cours");
        var response = await bob.PostFormAsync($"/alice/cours/merge_requests/new?Source={repoId}:correction&Target=main", "/alice/cours/merge_requests/new",
            new Dictionary<string, string> { ["Source"] = $"{repoId}:correction", ["Target"] = "main", ["Title"] = "Corriger la ligne 3",
                ["Description"] = $"Closes #{issue}. Pas `Fixes #{other}`." });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mr = int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
        Assert.Contains($"/alice/cours/issues/{issue}", await carole.GetAsync($"/alice/cours/merge_requests/{mr}")); // the reference is a link there too
        await CheckedAsync(mr, MergeStatus.Mergeable);
        using var alice = await SignInAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnRequestAsync(alice, mr, "Merge", [])).StatusCode);

        var closed = Parse(await carole.GetAsync($"/alice/cours/issues/{issue}"));
        Assert.Equal("Fermé", closed.QuerySelector(".badge.state-closed")!.TextContent.Trim());
        Assert.Contains("par alice", closed.QuerySelector(".mr-head")!.TextContent);
        Assert.NotNull(Parse(await carole.GetAsync($"/alice/cours/issues/{other}")).QuerySelector(".badge.state-open"));
        await AliceWs.MustAsync("pull", "-q", Url, "main");
        Assert.Contains("Ligne 3 corrigée du cours", File.ReadAllText(Path.Combine(AliceWs.Dir, "cours.md")));
    }

    [Fact]
    public async Task Hostile_markdown_in_an_issue_is_inert_and_issues_can_be_turned_off()
    {
        using var dan = await SignInAsync("dan");
        var number = await OpenIssueAsync(dan, "<script>alert(1)</script>", "<script>alert('x')</script>\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">a</a>");
        var page = Parse(await dan.GetAsync($"/alice/cours/issues/{number}"));
        Assert.Empty(page.QuerySelectorAll("main script"));
        var rendered = page.QuerySelector("#description .markdown")!;
        Assert.Equal("clic", rendered.QuerySelector("a")!.TextContent); // kept as text, without its address
        Assert.DoesNotContain("javascript:", rendered.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", rendered.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"<script>alert(1)</script> #{number}", page.QuerySelector("h1")!.TextContent.Trim()); // the title is text

        // Alice turns issues off: the tab goes, the pages and the API answer 404, a new issue is refused; back on, all is there.
        using var alice = await SignInAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels?handler=Issues", new Dictionary<string, string> { ["enabled"] = "false" })).StatusCode);
        Assert.DoesNotContain("/alice/cours/issues", Parse(await dan.GetAsync("/alice/cours")).QuerySelector("nav.tabs")!.OuterHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.Http.GetAsync($"/alice/cours/issues/{number}")).StatusCode);
        using var api = Server.Client(Dan);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/repos/alice/cours/issues", System.Net.Http.Json.JsonContent.Create(new { title = "x" }))).StatusCode);
        using var bob = await SignInAsync("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostFormAsync("/alice/cours/labels", "/alice/cours/labels?handler=Issues", new Dictionary<string, string> { ["enabled"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync("/alice/cours/labels", "/alice/cours/labels?handler=Issues", new Dictionary<string, string> { ["enabled"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dan.Http.GetAsync($"/alice/cours/issues/{number}")).StatusCode);
    }

    [Fact]
    public async Task Watchers_hear_of_new_issues_comments_and_requests_until_the_repository_is_closed_to_them()
    {
        using var dan = await SignInAsync("dan");
        var home = Parse(await dan.GetAsync("/alice/cours"));
        Assert.Equal("Suivre", home.QuerySelector("form[action='/alice/cours/watch'] button")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Redirect, (await dan.PostFormAsync("/alice/cours", "/alice/cours/watch", new Dictionary<string, string> { ["watch"] = "true", ["returnUrl"] = "/alice/cours" })).StatusCode);
        Assert.Equal("Ne plus suivre", Parse(await dan.GetAsync("/alice/cours")).QuerySelector("form[action='/alice/cours/watch'] button")!.TextContent.Trim());

        using var carole = await SignInAsync("carole");
        var number = await OpenIssueAsync(carole, "Question", "Pourquoi ?");
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnIssueAsync(carole, number, "Comment", new() { ["body"] = "Précision." })).StatusCode);
        await PushBranchAsync("correction", Lesson((3, "Ligne 3 corrigée du cours")));
        using var bob = await SignInAsync("bob");
        var mr = await OpenAsync(bob, await RepoIdAsync("alice", "cours"), "correction", "Corriger la ligne 3");
        var kinds = (await NotificationsOfAsync("dan")).Select(n => (n.Kind, n.Number, n.IsMergeRequest)).ToList();
        Assert.Equal([(NotificationKind.NewIssue, number, false), (NotificationKind.Comment, number, false), (NotificationKind.NewMergeRequest, mr, true)], kinds);
        Assert.Contains("Question", Parse(await dan.GetAsync("/notifications")).QuerySelector(".notification-list")!.TextContent);

        // The course becomes private: Dan hears nothing more, and his old notifications no longer show its titles.
        using var api = Server.Client(Alice);
        Assert.True((await api.PatchAsync("/api/v1/repos/alice/cours", System.Net.Http.Json.JsonContent.Create(new { @private = true }))).IsSuccessStatusCode);
        await OpenIssueAsync(carole, "Après", "Privé maintenant.");
        Assert.Equal(3, (await NotificationsOfAsync("dan")).Count);
        var page = Parse(await dan.GetAsync("/notifications?show=all"));
        Assert.DoesNotContain("Question", page.QuerySelector("main")!.TextContent);
        Assert.Equal("Aucune notification.", page.QuerySelector("main .notice")!.TextContent.Trim());
    }
}
