using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Forge.Web.OpenId;
using Microsoft.Extensions.DependencyInjection;

namespace Forge.Tests.Identity;

/// <summary>What a client application does against Forge's OpenID Connect server, over real HTTP.</summary>
public static partial class Oidc
{
    public const string Callback = "http://127.0.0.1:9/callback";

    /// <summary>Registers a client as an administrator would (the same service as <c>forge admin client create</c>).</summary>
    public static async Task<string?> RegisterAsync(this ForgeServer server, string clientId, bool isPublic, string[]? scopes = null, string? secret = null,
        string[]? redirectUris = null)
    {
        using var scope = server.Services.CreateScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientApplications>();
        var request = new ClientRequest(clientId, $"Application {clientId}", secret, isPublic, redirectUris ?? [Callback], scopes ?? []);
        var errors = await clients.ValidateAsync(request);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors.Values));
        return await clients.CreateAsync(request);
    }

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string AuthorizeUrl(string clientId, string scope, string? challenge, string redirectUri = Callback, string state = "etat-42") =>
        "/connect/authorize?" + string.Join('&', new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["response_type"] = "code", ["redirect_uri"] = redirectUri, ["scope"] = scope, ["state"] = state,
            ["code_challenge"] = challenge, ["code_challenge_method"] = challenge is null ? null : "S256",
        }.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenPattern();

    /// <summary>Answers the consent page at <paramref name="url"/> (already loaded as <paramref name="html"/>) with « Autoriser » or « Refuser ».</summary>
    public static async Task<HttpResponseMessage> AnswerConsentAsync(this WebSession web, string url, bool accept)
    {
        var (csrf, html) = await web.FormAsync(url);
        var fields = HiddenPattern().Matches(html).Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))
            .Where(p => p.Key != "__csrf").ToList();
        fields.Add(new("__csrf", csrf));
        fields.Add(new("decision", accept ? "accept" : "deny"));
        return await web.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));
    }

    /// <summary>The query parameters of a redirect to the client.</summary>
    public static Dictionary<string, string> RedirectParameters(HttpResponseMessage response, string redirectUri = Callback)
    {
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location!.ToString();
        if (!location.StartsWith(redirectUri + "?", StringComparison.Ordinal)) throw new InvalidOperationException($"redirect to {location}");
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, IDictionary<string, string> form)
    {
        var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Signs in, consents, exchanges the code: the access token (and the whole token response) of a code + PKCE flow.</summary>
    public static async Task<JsonElement> CodeFlowAsync(this ForgeServer server, WebSession web, string clientId, string scope)
    {
        var (verifier, challenge) = Pkce();
        var url = AuthorizeUrl(clientId, scope, challenge);
        var first = await web.Http.GetAsync(url);
        var answer = first.StatusCode == HttpStatusCode.OK ? await web.AnswerConsentAsync(url, accept: true) : first;
        var code = RedirectParameters(answer)["code"];
        using var http = server.Client();
        var (status, body) = await PostAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = clientId, ["code_verifier"] = verifier,
        });
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"token endpoint: {(int)status} {body}");
        return body;
    }
}
