using System.Net;
using System.Text.RegularExpressions;

namespace Forge.Tests.Federation;

/// <summary>
/// A browser without JavaScript across several sites (two Forges on 127.0.0.1 and 127.0.0.2): one cookie jar kept per
/// host, redirections followed by hand so each step can be checked, forms posted with their hidden fields and token.
/// </summary>
public sealed partial class CrossSiteSession : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Where the last response was fetched from, and its HTML.</summary>
    public Uri Url { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public HttpStatusCode Status { get; private set; }
    /// <summary>Every request made, with its answer's status: what a failing test prints.</summary>
    public List<string> Trail { get; } = [];

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();
    [GeneratedRegex("action=\"([^\"]*)\"")]
    private static partial Regex ActionPattern();
    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenPattern();
    [GeneratedRegex("name=\"([^\"]+)\"")]
    private static partial Regex NamePattern();
    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();

    /// <summary>GET <paramref name="url"/>, then follow redirections (at most 10) to the page they lead to.</summary>
    public Task GoAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(url)));

    /// <summary>
    /// Submits the first POST form of the current page whose HTML contains <paramref name="marker"/> (an action, a field
    /// name) with its hidden fields and anti-forgery token, plus <paramref name="fields"/>; follows the redirections.
    /// </summary>
    public Task SubmitAsync(string marker, IDictionary<string, string>? fields = null, string? button = null)
    {
        var form = FormPattern().Matches(Html).Select(m => m.Value)
            .FirstOrDefault(f => f.Contains("method=\"post\"", StringComparison.OrdinalIgnoreCase) && f.Contains(marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no form with « {marker} » on {Url}:\n{Html}");
        var action = ActionPattern().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : Url.PathAndQuery;
        var values = HiddenPattern().Matches(form)
            .Select(h => (Name: NamePattern().Match(h.Value).Groups[1].Value, Value: WebUtility.HtmlDecode(ValuePattern().Match(h.Value).Groups[1].Value)))
            .Where(h => h.Name.Length > 0).Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
        foreach (var (k, v) in fields ?? new Dictionary<string, string>()) values.Add(new(k, v));
        if (button is not null) values.Add(new("decision", button));
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(Url, action)) { Content = new FormUrlEncodedContent(values) });
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        for (var hops = 0; hops <= 10; hops++)
        {
            using var response = await _http.SendAsync(request);
            Url = request.RequestUri!;
            Status = response.StatusCode;
            Trail.Add($"{request.Method} {Url} → {(int)Status}");
            Html = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null) return;
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, response.Headers.Location));
        }
        throw new InvalidOperationException($"more than 10 redirections, last {Url}");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Command-line arguments configuring provider 0 of a Forge, as an administrator would write them.</summary>
public static class ProviderArgs
{
    public static string[] For(string name, string displayName, string issuer, string clientId, string? secret = null, params (string Key, string Value)[] more) =>
    [
        .. new (string Key, string? Value)[] { ("Name", name), ("DisplayName", displayName), ("Issuer", issuer), ("ClientId", clientId), ("ClientSecret", secret) }
            .Concat(more.Select(m => (Key: m.Key, Value: (string?)m.Value)))
            .Where(p => p.Value is not null)
            .SelectMany(p => new[] { "--Forge:Federation:Providers:0:" + p.Key, p.Value! }),
    ];
}
