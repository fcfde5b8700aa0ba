using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Issues;

/// <summary>On an instance with an SMTP server, notifications also leave by e-mail — only to confirmed addresses of people who may read.</summary>
public sealed class IssueMailTests : MailingForge
{
    [Fact]
    public async Task A_mention_is_mailed_with_its_link_but_never_to_an_unconfirmed_address()
    {
        var (_, alice) = await Server.CreateUserAsync("alice");
        await Server.CreateUserAsync("bob");
        using (var scope = Server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>();
            Assert.True((await users.CreateAsync(new ForgeUser { UserName = "zoe", Email = "zoe@ac-lyon.fr", EmailConfirmed = false }, "motdepasse-solide")).Succeeded);
        }
        await Server.CreateRepositoryAsync(alice, "cours");

        using var api = Server.Client(alice);
        var created = await api.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Relire le chapitre 2", body = "@bob et @zoe, pouvez-vous relire ?" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var mail = await Smtp.NextForAsync("bob@ac-lyon.fr");
        Assert.Equal("[alice/cours] Vous êtes mentionné(e) : Relire le chapitre 2", mail.Subject);
        Assert.Equal("/alice/cours/issues/1", SmtpCatcher.LinkIn(mail));
        Assert.Contains(Server.BaseAddress.Authority, mail.TextBody);
        // Zoé is told in the app (her notifications page) but her unconfirmed address receives nothing.
        Assert.DoesNotContain(Smtp.All, m => m.To.Mailboxes.Any(b => b.Address == "zoe@ac-lyon.fr"));
        // Alice, who wrote it, is not told of her own issue.
        Assert.DoesNotContain(Smtp.All, m => m.To.Mailboxes.Any(b => b.Address == "alice@ac-lyon.fr"));
    }
}
