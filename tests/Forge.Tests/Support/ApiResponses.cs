using System.Net;
using System.Text.Json;
using Xunit;

namespace Forge.Tests.Support;

/// <summary>Reading the API's answers in tests (<c>using static Forge.Tests.Support.ApiResponses;</c>).</summary>
public static class ApiResponses
{
    /// <summary>The JSON body of <paramref name="response"/>, after checking its status (the body is in the failure message); default when empty.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {response.StatusCode} (expected {expected}): {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
