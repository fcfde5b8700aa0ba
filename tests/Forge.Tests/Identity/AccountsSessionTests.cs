using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>Sessions: listed, signed out one by one or all others, and ended by a password change — at the very next request.</summary>
public sealed partial class AccountsSessionTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("fanny", "la phrase de fanny");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [GeneratedRegex("name=\"id\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex SessionId();

    private async Task<WebSession> SignedInAsync(string userAgent)
    {
        var web = new WebSession(_server);
        web.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        await web.SignInAsync("fanny", "la phrase de fanny");
        return web;
    }

    [Fact]
    public async Task A_session_signed_out_from_another_browser_stops_working_at_its_next_request()
    {
        using var school = await SignedInAsync("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0");
        using var home = await SignedInAsync("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36");
        Assert.True(await school.IsSignedInAsync());

        var page = await home.GetAsync("/user/settings/sessions");
        var text = AccountsSupport.Text(page);
        Assert.Contains("Firefox sur Windows", text);
        Assert.Contains("Chrome sur Linux", text);
        Assert.Contains("127.0.0.0", text);
        // The list offers to close the other one only.
        var other = Assert.Single(SessionId().Matches(page)).Groups[1].Value;

        await home.PostFormAsync("/user/settings/sessions", "/user/settings/sessions?handler=Revoke", new Dictionary<string, string> { ["id"] = other });
        Assert.False(await school.IsSignedInAsync());
        Assert.True(await home.IsSignedInAsync());
        Assert.DoesNotContain("Firefox sur Windows", AccountsSupport.Text(await home.GetAsync("/user/settings/sessions")));

        // « Fermer toutes les autres sessions ».
        using var a = await SignedInAsync("git/2.47");
        using var b = await SignedInAsync("curl/8");
        var closed = await home.PostFormAsync("/user/settings/sessions", "/user/settings/sessions?handler=RevokeOthers", new Dictionary<string, string>());
        Assert.Contains("2 autre(s) session(s) fermée(s).", AccountsSupport.Text(await closed.Content.ReadAsStringAsync()));
        Assert.False(await a.IsSignedInAsync());
        Assert.False(await b.IsSignedInAsync());
        Assert.True(await home.IsSignedInAsync());

        // Signing out ends the session on the server too: the same cookie, replayed by another client, opens nothing.
        using var replay = new WebSession(_server);
        foreach (System.Net.Cookie c in home.Cookies.GetCookies(_server.BaseAddress)) replay.Cookies.Add(_server.BaseAddress, new System.Net.Cookie(c.Name, c.Value));
        Assert.True(await replay.IsSignedInAsync());
        await home.PostFormAsync("/user/settings/sessions", "/user/logout", new Dictionary<string, string>());
        Assert.False(await replay.IsSignedInAsync());
    }

    [Fact]
    public async Task Changing_the_password_signs_out_the_other_sessions_but_not_this_one()
    {
        using var mine = await SignedInAsync("Firefox/140.0");
        using var stolen = await SignedInAsync("curl/8");
        var wrong = await mine.PostFormAsync("/user/settings/security", "/user/settings/security?handler=Password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = "pas la bonne", ["NewPassword"] = "une nouvelle phrase", ["ConfirmPassword"] = "une nouvelle phrase",
        });
        Assert.Contains("Le mot de passe actuel est incorrect.", AccountsSupport.Text(await wrong.Content.ReadAsStringAsync()));
        Assert.True(await stolen.IsSignedInAsync());

        var changed = await mine.PostFormAsync("/user/settings/security", "/user/settings/security?handler=Password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = "la phrase de fanny", ["NewPassword"] = "une nouvelle phrase", ["ConfirmPassword"] = "une nouvelle phrase",
        });
        Assert.Contains("Mot de passe changé. Vos autres sessions (1) ont été fermées.", AccountsSupport.Text(await changed.Content.ReadAsStringAsync()));
        Assert.False(await stolen.IsSignedInAsync());
        Assert.True(await mine.IsSignedInAsync());
    }
}
