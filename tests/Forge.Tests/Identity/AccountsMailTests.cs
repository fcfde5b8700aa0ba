using System.Net;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// E-mail through a real SMTP server started by the test: confirmation of the address at registration, and « Mot de
/// passe oublié » without telling whether an address has an account. Registration is limited to <c>ac-*.fr</c>.
/// </summary>
public sealed class AccountsMailTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private SmtpCatcher _smtp = null!;
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _smtp = new SmtpCatcher();
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0,
            [.. _smtp.ForgeArgs, "--Forge:Registration:Mode", "domains", "--Forge:Registration:AllowedDomains", "ac-*.fr, education.gouv.fr",
            "--Forge:Registration:DefaultRole", "student"]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task A_new_account_confirms_its_address_with_the_link_it_receives_and_until_then_the_address_does_not_sign_in()
    {
        // The first account (the admin) so that alice is an ordinary one.
        using (var first = new WebSession(_server)) Assert.Equal(HttpStatusCode.Redirect, (await first.RegisterAsync("direction", "direction@ac-lyon.fr", "une phrase de passe")).StatusCode);

        using var web = new WebSession(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await web.RegisterAsync("alice", "alice@ac-lyon.fr", "une autre phrase")).StatusCode);
        var home = AccountsSupport.Text(await web.GetAsync("/"));
        Assert.Contains("Votre adresse électronique n’est pas encore confirmée", home);

        // Until confirmed, the address finds nobody: signing in with it fails, with the user name it works.
        using (var other = new WebSession(_server))
        {
            var byAddress = AccountsSupport.Text(await (await other.LoginAsync("alice@ac-lyon.fr", "une autre phrase")).Content.ReadAsStringAsync());
            Assert.Contains("Nom d’utilisateur ou mot de passe incorrect", byAddress);
            Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync("alice", "une autre phrase")).StatusCode);
        }
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice@ac-lyon.fr:une autre phrase")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/user")).StatusCode);

        var mail = await _smtp.NextForAsync("alice@ac-lyon.fr");
        Assert.Contains("confirmez votre adresse", mail.Subject);
        Assert.Equal("forge@ac-test.fr", mail.From.Mailboxes.Single().Address);
        var link = SmtpCatcher.LinkIn(mail);
        Assert.StartsWith("/user/confirm_email?user=", link);

        // A damaged link is refused, clearly.
        var damaged = AccountsSupport.Text(await web.GetAsync(link[..^4] + "AAAA"));
        Assert.Contains("Ce lien de confirmation n’est pas valable", damaged);

        var confirmed = AccountsSupport.Text(await web.GetAsync(link));
        Assert.Contains("votre adresse électronique est confirmée", confirmed);
        Assert.DoesNotContain("n’est pas encore confirmée", AccountsSupport.Text(await web.GetAsync("/")));

        using var byMail = new WebSession(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await byMail.LoginAsync("alice@ac-lyon.fr", "une autre phrase")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/user")).StatusCode);
    }

    [Fact]
    public async Task Only_the_allowed_domains_register_and_others_are_told_which_ones()
    {
        await _server.CreateUserAsync("direction", admin: true);
        using var web = new WebSession(_server);
        var refused = await web.RegisterAsync("bob", "bob@gmail.com", "une phrase de passe");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = AccountsSupport.Text(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Seules les adresses de ces domaines peuvent s’inscrire : ac-*.fr, education.gouv.fr. « gmail.com » n’en fait pas partie.", page);
        // What was typed is kept.
        Assert.Contains("value=\"bob@gmail.com\"", page);
        // A look-alike domain does not match: * stands for part of one label only.
        var lookalike = AccountsSupport.Text(await (await web.RegisterAsync("bob", "bob@ac-lyon.fr.evil.com", "une phrase de passe")).Content.ReadAsStringAsync());
        Assert.Contains("n’en fait pas partie", lookalike);
        Assert.False(await web.IsSignedInAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await web.RegisterAsync("bob", "bob@ac-versailles.fr", "une phrase de passe")).StatusCode);
        Assert.True(await web.IsSignedInAsync());
        // This instance makes new accounts students: bob's profile is not public, and his repositories start private.
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/bob")).StatusCode);
        Assert.Contains("id=\"vis-private\" name=\"Input.Visibility\" value=\"private\" checked=\"checked\"", await web.GetAsync("/repo/create"));
    }

    [Fact]
    public async Task Forgotten_password_answers_alike_for_unknown_addresses_and_the_link_sets_a_new_password_and_ends_every_session()
    {
        await _server.CreateUserAsync("carole", "ancien mot de passe");
        using var before = new WebSession(_server);
        await before.SignInAsync("carole", "ancien mot de passe");

        using var web = new WebSession(_server);
        // Posted first: if anything were sent to the unknown address it would come before carole's message.
        var unknown = await web.PostFormAsync("/user/forgot_password", "/user/forgot_password", new Dictionary<string, string> { ["Email"] = "personne@ac-lyon.fr" });
        var known = await web.PostFormAsync("/user/forgot_password", "/user/forgot_password", new Dictionary<string, string> { ["Email"] = "carole@ac-lyon.fr" });
        var unknownPage = AccountsSupport.Text(await unknown.Content.ReadAsStringAsync());
        var knownPage = AccountsSupport.Text(await known.Content.ReadAsStringAsync());
        Assert.Contains("Si un compte utilise l’adresse personne@ac-lyon.fr, un lien", unknownPage);
        Assert.Equal(MainOf(unknownPage).Replace("personne@ac-lyon.fr", "X"), MainOf(knownPage).Replace("carole@ac-lyon.fr", "X"));

        var mail = await _smtp.NextForAsync("carole@ac-lyon.fr");
        Assert.DoesNotContain(_smtp.All, m => m.To.Mailboxes.Any(a => a.Address == "personne@ac-lyon.fr"));
        var link = SmtpCatcher.LinkIn(mail);

        // Weak or mismatched passwords are refused with the reason; the link still works afterwards.
        var weak = await web.PostFormAsync(link, link, Reset(link, "azertyuiop", "azertyuiop"));
        Assert.Contains("fait partie des plus courants", AccountsSupport.Text(await weak.Content.ReadAsStringAsync()));
        var asName = await web.PostFormAsync(link, link, Reset(link, "Carole", "Carole"));
        Assert.Contains("Le mot de passe doit contenir au moins 8 caractères", AccountsSupport.Text(await asName.Content.ReadAsStringAsync()));
        var sameAsAddress = await web.PostFormAsync(link, link, Reset(link, "carole@ac-lyon.fr", "carole@ac-lyon.fr"));
        Assert.Contains("ne doit pas être votre nom d’utilisateur ni votre adresse", AccountsSupport.Text(await sameAsAddress.Content.ReadAsStringAsync()));

        var done = await web.PostFormAsync(link, link, Reset(link, "nouvelle phrase de passe", "nouvelle phrase de passe"));
        Assert.Contains("Votre mot de passe est changé", AccountsSupport.Text(await done.Content.ReadAsStringAsync()));
        // The browser signed in with the old password is out at once.
        Assert.False(await before.IsSignedInAsync());

        using var after = new WebSession(_server);
        Assert.Equal(HttpStatusCode.OK, (await after.LoginAsync("carole", "ancien mot de passe")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await after.LoginAsync("carole", "nouvelle phrase de passe")).StatusCode);

        // The link served once.
        var again = await web.PostFormAsync(link, link, Reset(link, "encore une autre phrase", "encore une autre phrase"));
        Assert.Contains("Ce lien n’est plus valable", AccountsSupport.Text(await again.Content.ReadAsStringAsync()));
    }

    private static Dictionary<string, string> Reset(string link, string password, string confirm)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query);
        return new() { ["UserId"] = query["userId"]!, ["Code"] = query["code"]!, ["Password"] = password, ["ConfirmPassword"] = confirm };
    }

    private static string MainOf(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
}
