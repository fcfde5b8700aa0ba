using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Support;
using Xunit;
using static Forge.Tests.Support.ApiResponses;

namespace Forge.Tests.Api;

/// <summary>
/// On an instance that sends e-mail (a real SMTP server started by the test): group invitations by e-mail and the
/// e-mail notification preference, through Forge's own API paths, with the rules and the mail of the pages.
/// </summary>
public sealed class InvitationAndNotificationApiTests : MailingForge
{
    [Fact]
    public async Task Group_owners_and_maintainers_invite_by_email_list_and_cancel_through_the_api()
    {
        var (_, alice) = await Server.CreateUserAsync("alice");
        var (_, bob) = await Server.CreateUserAsync("bob");
        var (_, carole) = await Server.CreateUserAsync("carole");
        var (_, dan) = await Server.CreateUserAsync("dan");
        using var aliceApi = Server.Client(alice);
        using var bobApi = Server.Client(bob);
        using var caroleApi = Server.Client(carole);
        using var danApi = Server.Client(dan);
        await JsonAsync(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "nsi-lyon", visibility = "private" }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.PutAsJsonAsync("/api/v1/orgs/nsi-lyon/members/bob", new { role = "maintainer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.PutAsJsonAsync("/api/v1/orgs/nsi-lyon/members/carole", new { role = "writer" })).StatusCode);
        const string invitations = "/api/v1/orgs/nsi-lyon/invitations";

        // Invited by e-mail: the same message as from the members page, carrying the link the answer gives once.
        var created = await JsonAsync(await aliceApi.PostAsJsonAsync(invitations, new { email = "zoe@ac-lyon.fr", role = "reader" }), HttpStatusCode.Created);
        Assert.Equal("zoe@ac-lyon.fr", created.GetProperty("email").GetString());
        Assert.Equal("reader", created.GetProperty("role").GetString());
        Assert.True(created.GetProperty("mailed").GetBoolean());
        var link = created.GetProperty("link").GetString()!;
        var mail = await Smtp.NextForAsync("zoe@ac-lyon.fr");
        Assert.Equal("Invitation à rejoindre le groupe « nsi-lyon » sur Forge", mail.Subject);
        Assert.Equal(new Uri(link).PathAndQuery, SmtpCatcher.LinkIn(mail));
        Assert.Contains("alice vous invite", mail.TextBody);

        // A maintainer invites too, but not an owner; a writer may not invite; a stranger does not see the private group.
        await JsonAsync(await bobApi.PostAsJsonAsync(invitations, new { email = "yann@ac-lyon.fr" }), HttpStatusCode.Created);
        var owner = await JsonAsync(await bobApi.PostAsJsonAsync(invitations, new { email = "xavier@ac-lyon.fr", role = "owner" }), HttpStatusCode.Forbidden);
        Assert.Equal("Seuls les propriétaires du groupe invitent un propriétaire.", owner.GetProperty("message").GetString());
        var writer = await JsonAsync(await caroleApi.PostAsJsonAsync(invitations, new { email = "xavier@ac-lyon.fr" }), HttpStatusCode.Forbidden);
        Assert.Equal("Seuls les mainteneurs et propriétaires du groupe invitent des membres.", writer.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await caroleApi.GetAsync(invitations)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.GetAsync(invitations)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.PostAsJsonAsync(invitations, new { email = "x@ac-lyon.fr" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client().PostAsJsonAsync(invitations, new { email = "x@ac-lyon.fr" })).StatusCode);
        var bad = await JsonAsync(await aliceApi.PostAsJsonAsync(invitations, new { email = "pas une adresse" }), HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("Indiquez une adresse électronique valide", bad.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await aliceApi.PostAsJsonAsync(invitations, new { email = "x@ac-lyon.fr", role = "roi" })).StatusCode);

        // Listed (never with their link), as on the members page; cancelled.
        var pending = await JsonAsync(await bobApi.GetAsync(invitations));
        Assert.Equal(["zoe@ac-lyon.fr", "yann@ac-lyon.fr"], pending.EnumerateArray().Select(i => i.GetProperty("email").GetString()!));
        Assert.Equal("writer", pending[1].GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, pending[0].GetProperty("link").ValueKind);
        using var web = new WebSession(Server);
        await web.SignInAsync("alice", "motdepasse-solide");
        Assert.Contains("yann@ac-lyon.fr", await web.GetAsync("/nsi-lyon/-/members"));
        using var anonymous = Server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        var id = pending[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await caroleApi.DeleteAsync($"{invitations}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.DeleteAsync($"{invitations}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await aliceApi.DeleteAsync($"{invitations}/{id}")).StatusCode);
        Assert.Equal(["yann@ac-lyon.fr"], (await JsonAsync(await aliceApi.GetAsync(invitations))).EnumerateArray().Select(i => i.GetProperty("email").GetString()!));
        // The cancelled link no longer works.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task The_email_notification_preference_is_read_and_set_through_the_api()
    {
        var (_, alice) = await Server.CreateUserAsync("alice");
        var (_, bob) = await Server.CreateUserAsync("bob");
        await Server.CreateRepositoryAsync(alice, "cours");
        using var aliceApi = Server.Client(alice);
        using var bobApi = Server.Client(bob);
        const string path = "/api/v1/user/settings/notifications";

        var settings = await JsonAsync(await aliceApi.GetAsync(path));
        Assert.Equal("all", settings.GetProperty("email").GetString());
        Assert.True(settings.GetProperty("mail_enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client().PutAsJsonAsync(path, new { email = "none" })).StatusCode);
        var refused = await JsonAsync(await aliceApi.PutAsJsonAsync(path, new { email = "parfois" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("« email » vaut « all », « mentions » ou « none ».", refused.GetProperty("message").GetString());

        Assert.Equal("none", (await JsonAsync(await aliceApi.PutAsJsonAsync(path, new { email = "none" }))).GetProperty("email").GetString());
        Assert.Equal("none", (await JsonAsync(await aliceApi.GetAsync(path))).GetProperty("email").GetString());
        Assert.Equal("all", (await JsonAsync(await bobApi.GetAsync(path))).GetProperty("email").GetString()); // one's own only
        using var web = new WebSession(Server);
        await web.SignInAsync("alice", "motdepasse-solide");
        Assert.NotNull(new HtmlParser().ParseDocument(await web.GetAsync("/user/settings/notifications")).QuerySelector("#mail-none[checked]"));

        // It is honoured: Alice is mentioned twice, around a switch back to « mentions »; only the second mention is mailed.
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Premier", body = "@alice regarde" }), HttpStatusCode.Created);
        await JsonAsync(await aliceApi.PutAsJsonAsync(path, new { email = "mentions" }));
        await JsonAsync(await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Second", body = "@alice et celui-ci" }), HttpStatusCode.Created);
        Assert.Equal("[alice/cours] Vous êtes mentionné(e) : Second", (await Smtp.NextForAsync("alice@ac-lyon.fr")).Subject);
        Assert.DoesNotContain(Smtp.All, m => m.Subject!.EndsWith(": Premier", StringComparison.Ordinal));
    }
}
