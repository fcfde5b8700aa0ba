using System.Net;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>Registration closed by the administrator; an instance without SMTP; the lockout after repeated failures.</summary>
public sealed class AccountsRegistrationTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Closed_registration_is_explained_and_a_forged_post_creates_nothing()
    {
        await using var server = await ForgeServer.StartAsync(_tmp.Sub("closed"), 0, "--Forge:Registration:Mode", "closed");
        using var web = new WebSession(server);
        var page = AccountsSupport.Text(await web.GetAsync("/user/sign_up"));
        Assert.Contains("Les inscriptions sont fermées sur cette instance.", page);
        Assert.Contains("adressez-vous à son administrateur", page);
        Assert.DoesNotContain("Créer mon compte", page);

        // Posting the form anyway (the token of another page of the same visitor) is refused the same way.
        var posted = await web.PostFormAsync("/user/login", "/user/sign_up", new Dictionary<string, string>
        {
            ["Input.UserName"] = "intrus", ["Input.Email"] = "intrus@ac-lyon.fr", ["Input.Password"] = "une phrase de passe", ["Input.ConfirmPassword"] = "une phrase de passe",
        });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Les inscriptions sont fermées", AccountsSupport.Text(await posted.Content.ReadAsStringAsync()));
        Assert.False(await web.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.OK, (await web.LoginAsync("intrus", "une phrase de passe")).StatusCode);

        // In English when the browser asks for it.
        using var english = new WebSession(server);
        english.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        Assert.Contains("Registration is closed on this instance.", await english.GetAsync("/user/sign_up"));
    }

    [Fact]
    public async Task Without_smtp_accounts_are_confirmed_at_once_pages_say_no_mail_is_sent_and_the_admin_sees_the_outbox()
    {
        await using var server = await ForgeServer.StartAsync(_tmp.Sub("nosmtp"), 0);
        using var admin = new WebSession(server);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.RegisterAsync("direction", "direction@ac-lyon.fr", "une phrase de passe")).StatusCode);
        Assert.DoesNotContain("pas encore confirmée", AccountsSupport.Text(await admin.GetAsync("/")));
        using (var byMail = new WebSession(server))
            Assert.Equal(HttpStatusCode.Redirect, (await byMail.LoginAsync("direction@ac-lyon.fr", "une phrase de passe")).StatusCode);

        using var visitor = new WebSession(server);
        var forgot = AccountsSupport.Text(await visitor.GetAsync("/user/forgot_password"));
        Assert.Contains("Cette instance n’envoie pas de courriel (SMTP n’est pas configuré) : aucun lien ne vous sera envoyé.", forgot);
        Assert.Contains("./forge admin user reset-password NOM", forgot);
        await visitor.PostFormAsync("/user/forgot_password", "/user/forgot_password", new Dictionary<string, string> { ["Email"] = "direction@ac-lyon.fr" });

        var users = AccountsSupport.Text(await admin.GetAsync("/admin/users"));
        Assert.Contains("Courriel : désactivé", users.Replace("<strong>", "").Replace("</strong>", ""));
        // The message is sent in the background: it reaches the outbox a moment after the answer.
        await Wait.UntilAsync(async () => AccountsSupport.Text(await admin.GetAsync("/admin/users")).Contains("Forge : réinitialiser votre mot de passe"),
            "the reset message in the outbox", 10);
        // Nobody else sees the administrators' page.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Http.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_login_page_says_until_when()
    {
        await using var server = await ForgeServer.StartAsync(_tmp.Sub("lockout"), 0);
        await server.CreateUserAsync("dora", "la bonne phrase");
        using var web = new WebSession(server);
        for (var i = 0; i < 4; i++)
            Assert.Contains("Nom d’utilisateur ou mot de passe incorrect", AccountsSupport.Text(await (await web.LoginAsync("dora", "mauvaise phrase " + i)).Content.ReadAsStringAsync()));
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var expected = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(5), paris);
        var locked = AccountsSupport.Text(await (await web.LoginAsync("dora", "mauvaise phrase 5")).Content.ReadAsStringAsync());
        Assert.Contains("Trop d’essais infructueux : ce compte est verrouillé jusqu’à ", locked);
        Assert.True(locked.Contains($"jusqu’à {expected:HH:mm} (heure de Paris)") || locked.Contains($"jusqu’à {expected.AddMinutes(1):HH:mm} (heure de Paris)"), locked);
        // Even the right password waits.
        Assert.Contains("verrouillé jusqu’à", AccountsSupport.Text(await (await web.LoginAsync("dora", "la bonne phrase")).Content.ReadAsStringAsync()));
    }
}
