using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using OtpNet;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// Two-factor authentication with a TOTP application (the codes computed here from the shared key shown on the page,
/// as the phone would), recovery codes usable once, and git and the API refusing the password of such an account.
/// </summary>
public sealed partial class AccountsTwoFactorTests : IAsyncLifetime
{
    private const string Password = "la phrase d’emma";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        (_, _token) = await _server.CreateUserAsync("emma", Password);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [GeneratedRegex("<code id=\"shared-key\">([a-z2-7 ]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"<li>([0-9A-Z-]{5,23})</li>")]
    private static partial Regex RecoveryPattern();

    /// <summary>The code an authenticator shows <paramref name="stepsAhead"/> 30-second steps from now (Forge accepts a small drift).</summary>
    public static string Code(string key, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    /// <summary>Turns 2FA on for the signed-in session; returns the shared key and the recovery codes shown.</summary>
    public static async Task<(string Key, List<string> Codes)> EnableAsync(WebSession web)
    {
        var page = await web.GetAsync("/user/settings/two_factor");
        Assert.Contains("<svg role=\"img\" aria-label=\"Code QR de la clé\"", page);
        var key = KeyPattern().Match(page).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.Equal(32, key.Length);
        var wrong = await web.PostFormAsync("/user/settings/two_factor", "/user/settings/two_factor", new Dictionary<string, string> { ["Code"] = "000000" });
        Assert.Contains("Ce code ne correspond pas", AccountsSupport.Text(await wrong.Content.ReadAsStringAsync()));
        var done = await web.PostFormAsync("/user/settings/two_factor", "/user/settings/two_factor", new Dictionary<string, string> { ["Code"] = Code(key) });
        var html = await done.Content.ReadAsStringAsync();
        Assert.Contains("Validation en deux étapes activée", AccountsSupport.Text(html));
        var codes = RecoveryPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    private async Task<HttpResponseMessage> SecondStepAsync(WebSession web, string field, string code, string handler = "")
    {
        var action = "/user/login/two_factor" + (handler.Length > 0 ? "?handler=" + handler : "");
        return await web.PostFormAsync("/user/login/two_factor", action, new Dictionary<string, string> { [field] = code });
    }

    [Fact]
    public async Task Sign_in_asks_for_the_code_a_recovery_code_serves_once_and_git_and_the_api_refuse_the_password()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("emma", Password);
        var (key, codes) = await EnableAsync(web);
        // The session that turned it on stays signed in.
        Assert.True(await web.IsSignedInAsync());

        // The codes download as a text file.
        var file = await web.PostFormAsync("/user/settings/security", "/user/settings/two_factor?handler=Download",
            new Dictionary<string, string> { ["codes"] = string.Join(' ', codes) });
        Assert.Equal("text/plain", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("forge-codes-de-secours.txt", file.Content.Headers.ContentDisposition!.FileNameStar ?? file.Content.Headers.ContentDisposition.FileName);
        var text = await file.Content.ReadAsStringAsync();
        Assert.All(codes, c => Assert.Contains(c, text));

        // The password alone leads to the second step, not into the account.
        using var phone = new WebSession(_server);
        var first = await phone.LoginAsync("emma", Password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/user/login/two_factor", first.Headers.Location!.OriginalString);
        Assert.False(await phone.IsSignedInAsync());
        var wrong = await SecondStepAsync(phone, "Code", "123456");
        Assert.Contains("Code incorrect ou expiré", AccountsSupport.Text(await wrong.Content.ReadAsStringAsync()));
        var malformed = await SecondStepAsync(phone, "Code", "12ab");
        Assert.Contains("Saisissez les 6 chiffres", AccountsSupport.Text(await malformed.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await SecondStepAsync(phone, "Code", Code(key, 1))).StatusCode);
        Assert.True(await phone.IsSignedInAsync());

        // A recovery code opens the account once.
        using var lost = new WebSession(_server);
        await lost.LoginAsync("emma", Password);
        Assert.Equal(HttpStatusCode.Redirect, (await SecondStepAsync(lost, "RecoveryCode", codes[3], "Recovery")).StatusCode);
        Assert.True(await lost.IsSignedInAsync());
        using var again = new WebSession(_server);
        await again.LoginAsync("emma", Password);
        var reused = await SecondStepAsync(again, "RecoveryCode", codes[3], "Recovery");
        Assert.Contains("Ce code de secours n’est pas valable", AccountsSupport.Text(await reused.Content.ReadAsStringAsync()));
        Assert.False(await again.IsSignedInAsync());
        Assert.Contains("Codes de secours restants : 9", AccountsSupport.Text(await web.GetAsync("/user/settings/security")));

        // git with the password: refused, and git shows why; with a token: fine.
        await _server.CreateRepositoryAsync(_token, "cours", isPrivate: true);
        var git = new GitClient(_tmp.Sub("home"));
        var (code, output) = await git.RunAsync(_tmp.Path, ("emma", Password), "ls-remote", _server.Url("/emma/cours.git"));
        Assert.NotEqual(0, code);
        Assert.Contains("validation en deux étapes", output);
        Assert.Contains("jeton d’accès personnel", output);
        Assert.Equal(0, (await git.RunAsync(_tmp.Path, ("emma", _token), "ls-remote", _server.Url("/emma/cours.git"))).ExitCode);

        // The API too.
        using var api = _server.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("emma:" + Password)));
        var me = await api.GetAsync("/api/v1/user");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Contains("validation en deux étapes", await me.Content.ReadAsStringAsync());

        // Turning it off needs the password.
        var refused = await web.PostFormAsync("/user/settings/security", "/user/settings/security?handler=Disable", new Dictionary<string, string> { ["DisablePassword"] = "pas la bonne" });
        Assert.Contains("Mot de passe incorrect : la validation en deux étapes reste activée.", AccountsSupport.Text(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/user")).StatusCode);
        var off = await web.PostFormAsync("/user/settings/security", "/user/settings/security?handler=Disable", new Dictionary<string, string> { ["DisablePassword"] = Password });
        Assert.Contains("Validation en deux étapes désactivée", AccountsSupport.Text(await off.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/user")).StatusCode);
        using var plain = new WebSession(_server);
        Assert.Equal("/", (await plain.LoginAsync("emma", Password)).Headers.Location!.OriginalString);
    }
}
