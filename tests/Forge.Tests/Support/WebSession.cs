using System.Net;
using System.Text.RegularExpressions;

namespace Forge.Tests.Support;

/// <summary>A browser-like HTTP session: cookies kept, forms posted with their anti-forgery token.</summary>
public sealed partial class WebSession : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public WebSession(ForgeServer server) => Http = Connect(server);

    public HttpClient Http { get; private set; }

    /// <summary>The session's cookies (e.g. to replay them from another client).</summary>
    public CookieContainer Cookies => _cookies;

    /// <summary>Points the session at a restarted server, keeping its cookies (as a browser would).</summary>
    public void Reconnect(ForgeServer server)
    {
        Http.Dispose();
        Http = Connect(server);
    }

    private HttpClient Connect(ForgeServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = _cookies }) { BaseAddress = server.BaseAddress };

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();

    public async Task<string> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Loads <paramref name="formPage"/>, then posts <paramref name="fields"/> to <paramref name="action"/> with its token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IDictionary<string, string> fields)
    {
        var page = await GetAsync(formPage);
        var match = CsrfPattern().Match(page);
        if (!match.Success) throw new InvalidOperationException($"no anti-forgery token on {formPage}");
        var all = new Dictionary<string, string>(fields) { ["__csrf"] = WebUtility.HtmlDecode(match.Groups[1].Value) };
        return await Http.PostAsync(action, new FormUrlEncodedContent(all));
    }

    /// <summary>The anti-forgery token and hidden fields of the form on <paramref name="formPage"/>.</summary>
    public async Task<(string Token, string Html)> FormAsync(string formPage)
    {
        var page = await GetAsync(formPage);
        var match = CsrfPattern().Match(page);
        if (!match.Success) throw new InvalidOperationException($"no anti-forgery token on {formPage}");
        return (WebUtility.HtmlDecode(match.Groups[1].Value), page);
    }

    public async Task SignInAsync(string user, string password)
    {
        var response = await PostFormAsync("/user/login", "/user/login",
            new Dictionary<string, string> { ["Input.UserName"] = user, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("sign-in failed: " + await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Http.Dispose();
}
