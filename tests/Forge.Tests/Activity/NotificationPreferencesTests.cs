using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Forge.Tests.Support.ApiResponses;

namespace Forge.Tests.Activity;

/// <summary>
/// On an instance with an SMTP server (a real one, started by the test): Gitea's notifications API, each person's choice of
/// notification e-mails (all, mentions and assignments, none) and group invitations sent by e-mail.
/// </summary>
public sealed class NotificationPreferencesTests : MailingForge
{
    private const string Password = "motdepasse-solide";

    private async Task<HttpResponseMessage> ChooseAsync(WebSession session, string level) =>
        await session.PostFormAsync("/user/settings/notifications", "/user/settings/notifications", new Dictionary<string, string> { ["level"] = level });

    [Fact]
    public async Task Notifications_api_email_preferences_and_invitations_by_email()
    {
        var (_, alice) = await Server.CreateUserAsync("alice");
        var (_, bob) = await Server.CreateUserAsync("bob");
        var (caroleUser, carole) = await Server.CreateUserAsync("carole");
        var repo = await Server.CreateRepositoryAsync(alice, "cours");
        using var aliceApi = Server.Client(alice);
        using var bobApi = Server.Client(bob);

        // Bob mentions Alice in two issues: two notifications, both mailed (she never chose otherwise).
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Coquille", body = "@alice regarde la ligne 3" }), HttpStatusCode.Created);
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Exercice", body = "@alice un exercice de plus ?" }), HttpStatusCode.Created);
        Assert.Equal("[alice/cours] Vous êtes mentionné(e) : Coquille", (await Smtp.NextForAsync("alice@ac-lyon.fr")).Subject);
        var second = await Smtp.NextForAsync("alice@ac-lyon.fr");
        Assert.Contains("/user/settings/notifications", second.TextBody);

        // Gitea's notifications API.
        Assert.Equal(2, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());
        var threads = (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications"))).EnumerateArray().ToList();
        Assert.Equal(["Exercice", "Coquille"], threads.Select(t => t.GetProperty("subject").GetProperty("title").GetString()));
        Assert.Equal("Issue", threads[0].GetProperty("subject").GetProperty("type").GetString());
        Assert.Equal(Server.Url("/alice/cours/issues/2"), threads[0].GetProperty("subject").GetProperty("html_url").GetString());
        Assert.Equal("alice/cours", threads[0].GetProperty("repository").GetProperty("full_name").GetString());
        var id = threads[1].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.ResetContent, (await aliceApi.PatchAsync($"/api/v1/notifications/threads/{id}", null)).StatusCode);
        Assert.False((await JsonAsync(await aliceApi.GetAsync($"/api/v1/notifications/threads/{id}"))).GetProperty("unread").GetBoolean());
        Assert.Equal(1, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());
        Assert.Equal(HttpStatusCode.ResetContent, (await aliceApi.PatchAsync($"/api/v1/notifications/threads/{id}?to-status=unread", null)).StatusCode);
        Assert.Equal(2, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await aliceApi.PatchAsync($"/api/v1/notifications/threads/{id}?to-status=pinned", null)).StatusCode);
        // Someone else's notification does not exist for Bob; without a token, 401.
        Assert.Equal(HttpStatusCode.NotFound, (await bobApi.PatchAsync($"/api/v1/notifications/threads/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobApi.GetAsync($"/api/v1/notifications/threads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().GetAsync("/api/v1/notifications/new")).StatusCode);
        Assert.Equal(HttpStatusCode.ResetContent, (await aliceApi.PutAsync("/api/v1/notifications", null)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());
        Assert.Empty((await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications"))).EnumerateArray());
        Assert.All((await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications?all=true"))).EnumerateArray(), t => Assert.False(t.GetProperty("unread").GetBoolean()));

        // Alice and Carole follow the repository: they are told of every comment.
        using (var scope = Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            db.Add(new Watch { UserId = caroleUser.Id, RepositoryId = repo.GetProperty("id").GetInt64() });
            db.Add(new Watch { UserId = (await db.Users.SingleAsync(u => u.UserName == "alice")).Id, RepositoryId = repo.GetProperty("id").GetInt64() });
            await db.SaveChangesAsync();
        }

        // Alice keeps only mentions and assignments, in her settings (a radio group with its legend; the choice is kept).
        using var web = new WebSession(Server);
        await web.SignInAsync("alice", Password);
        var settings = new HtmlParser().ParseDocument(await web.GetAsync("/user/settings/notifications"));
        Assert.Equal("Recevoir les notifications par courriel", settings.QuerySelector("fieldset legend")!.TextContent.Trim());
        Assert.NotNull(settings.QuerySelector("#mail-all[checked]"));
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(web, "7")).StatusCode);
        var saved = await ChooseAsync(web, "MentionsAndAssignments");
        Assert.Equal("/user/settings/notifications?saved=true", saved.Headers.Location!.OriginalString);
        settings = new HtmlParser().ParseDocument(await web.GetAsync("/user/settings/notifications?saved=true"));
        Assert.Equal("Préférence enregistrée.", settings.QuerySelector("[role=status]")!.TextContent.Trim());
        Assert.NotNull(settings.QuerySelector("#mail-mentions[checked]"));

        // A comment in the repository she follows: in the app, not by e-mail. The same delivery mails Carole after Alice (in the order of accounts),
        // so once Carole's message is here, Alice's would have been too.
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "C'est corrigé." }), HttpStatusCode.Created);
        Assert.Equal("[alice/cours] Nouveau commentaire : Coquille", (await Smtp.NextForAsync("carole@ac-lyon.fr")).Subject);
        Assert.DoesNotContain(Smtp.All, m => m.Subject!.Contains("Nouveau commentaire") && m.To.Mailboxes.Any(b => b.Address == "alice@ac-lyon.fr"));
        Assert.Equal(1, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());
        // A mention still is.
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "@alice tu relis ?" }), HttpStatusCode.Created);
        Assert.Equal("[alice/cours] Vous êtes mentionné(e) : Coquille", (await Smtp.NextForAsync("alice@ac-lyon.fr")).Subject);
        Assert.Equal("[alice/cours] Nouveau commentaire : Coquille", (await Smtp.NextForAsync("carole@ac-lyon.fr")).Subject);

        // « Aucune »: not even a mention is mailed; the notification is still in the app.
        Assert.Equal(HttpStatusCode.Redirect, (await ChooseAsync(web, "None")).StatusCode);
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "@alice dernière relance" }), HttpStatusCode.Created);
        await Smtp.NextForAsync("carole@ac-lyon.fr");
        Assert.Equal(3, Smtp.All.Count(m => m.To.Mailboxes.Any(b => b.Address == "alice@ac-lyon.fr") && m.Subject!.Contains("mentionné")));
        Assert.Equal(3, (await JsonAsync(await aliceApi.GetAsync("/api/v1/notifications/new"))).GetProperty("new").GetInt32());

        // Group invitation by e-mail: the page says it was sent, and the message carries the same link as the page.
        await JsonAsync(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "nsi-lyon", visibility = "public" }), HttpStatusCode.Created);
        var members = new HtmlParser().ParseDocument(await web.GetAsync("/nsi-lyon/-/members"));
        Assert.StartsWith("Forge envoie à cette adresse un lien d’invitation", members.GetElementById("invite-hint")!.TextContent.Trim());
        var invited = await web.PostFormAsync("/nsi-lyon/-/members", "/nsi-lyon/-/members?handler=Invite",
            new Dictionary<string, string> { ["Invite.Email"] = "zoe@ac-lyon.fr", ["Invite.Role"] = "Reader" });
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var after = new HtmlParser().ParseDocument(await web.GetAsync(invited.Headers.Location!.OriginalString));
        Assert.Equal("Invitation envoyée par courriel à zoe@ac-lyon.fr. Le lien ci-dessous fonctionne aussi.", after.QuerySelector("[role=status]")!.TextContent.Trim());
        var link = after.GetElementById("invitation-link")!.GetAttribute("value")!;
        var mail = await Smtp.NextForAsync("zoe@ac-lyon.fr");
        Assert.Equal("Invitation à rejoindre le groupe « nsi-lyon » sur Forge", mail.Subject);
        Assert.Equal(new Uri(link).PathAndQuery, SmtpCatcher.LinkIn(mail));
        Assert.Contains("avec le rôle lecteur", mail.TextBody);
        // A bad address is refused at the field, and nothing is sent.
        var bad = await web.PostFormAsync("/nsi-lyon/-/members", "/nsi-lyon/-/members?handler=Invite",
            new Dictionary<string, string> { ["Invite.Email"] = "pas une adresse", ["Invite.Role"] = "Reader" });
        Assert.Contains("Indiquez une adresse électronique valide", new HtmlParser().ParseDocument(await bad.Content.ReadAsStringAsync()).GetElementById("Invite_Email-error")!.TextContent);

        // Paging of the issue list (25 a page) reads the page number from the query.
        for (var i = 0; i < 24; i++)
            await JsonAsync(await aliceApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = $"Ticket {i}" }), HttpStatusCode.Created);
        var page2 = new HtmlParser().ParseDocument(await web.GetAsync("/alice/cours/issues?page=2"));
        Assert.Contains("Coquille", page2.Body!.TextContent);
        Assert.DoesNotContain("Ticket 23", page2.Body.TextContent);
    }
}
