using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Api;

/// <summary>
/// The OpenAPI description (<c>/api/v1/openapi.json</c>) as a client generator reads it: every operation named, tagged
/// and with its success response described, the ways to authenticate declared, and — for real calls — the JSON the
/// endpoints send having exactly the properties their schemas declare.
/// </summary>
public sealed class OpenApiDescriptionTests : IAsyncLifetime
{
    /// <summary>Operations that answer 200 with no body (as Gitea does).</summary>
    private static readonly HashSet<string> EmptyOk = ["repoMergePullRequest"];

    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task Every_operation_is_described_and_real_responses_match_their_schemas()
    {
        using var anonymous = _server.Client();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/openapi.json")).RootElement;

        // Every operation: a unique id, a tag, a summary, a success response; JSON successes have a schema.
        var problems = new List<string>();
        var ids = new HashSet<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations++;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var id = operation.Value.TryGetProperty("operationId", out var idElement) ? idElement.GetString() : null;
                if (string.IsNullOrEmpty(id)) problems.Add($"{where}: no operationId");
                else if (!ids.Add(id)) problems.Add($"{where}: operationId {id} used twice");
                if (!operation.Value.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0) problems.Add($"{where}: no tag");
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString())) problems.Add($"{where}: no summary");
                var successes = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                if (successes.Count == 0) problems.Add($"{where}: no 2xx response");
                foreach (var success in successes)
                {
                    var hasContent = success.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any();
                    if (!hasContent && success.Name is "200" or "201" && !EmptyOk.Contains(id ?? ""))
                        problems.Add($"{where}: {success.Name} without content");
                    if (hasContent && content.TryGetProperty("application/json", out var json)
                        && (!json.TryGetProperty("schema", out var schema) || !Described(schema)))
                        problems.Add($"{where}: {success.Name} application/json without a schema");
                }
                // Errors are Gitea's {message, url} (some with details: a review's errors, a description's problems).
                foreach (var error in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4'))
                    if (!error.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)
                        || Resolve(document, json.GetProperty("schema")) is var shape && !(shape.TryGetProperty("properties", out var fields)
                            && fields.TryGetProperty("message", out _) && fields.TryGetProperty("url", out _)))
                        problems.Add($"{where}: {error.Name} is not an error {{message, url}}");
            }
        // Every reference leads to a schema of the document.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (System.Text.RegularExpressions.Match reference in System.Text.RegularExpressions.Regex.Matches(document.GetRawText(), "\"#/components/schemas/([^\"]+)\""))
            if (!schemas.TryGetProperty(reference.Groups[1].Value, out _)) problems.Add($"{reference.Value} leads nowhere");
        Assert.True(operations > 100, $"only {operations} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // How to authenticate: a Gitea token, Basic, Bearer (a token or an OpenID Connect access token).
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("Authorization", schemes.GetProperty("token").GetProperty("name").GetString());
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("openIdConnect", schemes.GetProperty("openid").GetProperty("type").GetString());
        Assert.True(document.GetProperty("security").GetArrayLength() >= 4);

        // Real calls: what is sent is what is described.
        var (_, token) = await _server.CreateUserAsync("alice");
        using var alice = _server.Client(token);
        var created = await alice.PostAsJsonAsync("/api/v1/user/repos", new { name = "cours", auto_init = true });
        await MatchesAsync(document, "createCurrentUserRepo", created, HttpStatusCode.Created);
        await MatchesAsync(document, "repoGet", await alice.GetAsync("/api/v1/repos/alice/cours"), HttpStatusCode.OK);
        await MatchesAsync(document, "userGetCurrent", await alice.GetAsync("/api/v1/user"), HttpStatusCode.OK);
        await MatchesAsync(document, "repoGetContents", await alice.GetAsync("/api/v1/repos/alice/cours/contents/README.md"), HttpStatusCode.OK);
        await MatchesAsync(document, "repoListBranches", await alice.GetAsync("/api/v1/repos/alice/cours/branches"), HttpStatusCode.OK);
        await MatchesAsync(document, "repoGetAllCommits", await alice.GetAsync("/api/v1/repos/alice/cours/commits?stat=true"), HttpStatusCode.OK);
        var issue = await alice.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Coquille dans l’exercice 2", body = "Il manque une parenthèse." });
        await MatchesAsync(document, "issueCreateIssue", issue, HttpStatusCode.Created);
        await MatchesAsync(document, "issueCreateComment",
            await alice.PostAsJsonAsync("/api/v1/repos/alice/cours/issues/1/comments", new { body = "Corrigé." }), HttpStatusCode.Created);
        await MatchesAsync(document, "issueListIssues", await alice.GetAsync("/api/v1/repos/alice/cours/issues"), HttpStatusCode.OK);
        await MatchesAsync(document, "forgeSearch", await anonymous.GetAsync("/api/v1/search"), HttpStatusCode.OK);
        await MatchesAsync(document, "repoSearch", await anonymous.GetAsync("/api/v1/repos/search?q=cours"), HttpStatusCode.OK);
        // Errors too: the shape and the status are described.
        await MatchesAsync(document, "repoGet", await anonymous.GetAsync("/api/v1/repos/alice/introuvable"), HttpStatusCode.NotFound);
        await MatchesAsync(document, "issueCreateIssue",
            await alice.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "" }), HttpStatusCode.UnprocessableEntity);
    }

    /// <summary>The response has the status expected, declared for the operation, and its JSON has the properties the schema declares, no more, no fewer.</summary>
    private static async Task MatchesAsync(JsonElement document, string operationId, HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{operationId}: {(int)response.StatusCode} {body}");
        var operation = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Single(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out var id) && id.GetString() == operationId).Value;
        Assert.True(operation.GetProperty("responses").TryGetProperty(((int)expected).ToString(), out var declared), $"{operationId}: {(int)expected} not declared");
        var schema = declared.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var problems = new List<string>();
        Walk(document, schema, JsonDocument.Parse(body).RootElement, operationId, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + body);
    }

    private static void Walk(JsonElement document, JsonElement schema, JsonElement value, string where, List<string> problems)
    {
        schema = Resolve(document, schema);
        if (value.ValueKind == JsonValueKind.Null) return;
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            if (schema.TryGetProperty(combinator, out var choices))
            {
                var chosen = choices.EnumerateArray().Select(c => Resolve(document, c))
                    .FirstOrDefault(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
                if (chosen.ValueKind == JsonValueKind.Object) Walk(document, chosen, value, where, problems);
                return;
            }
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToHashSet() : [type.GetString()!];
        var kind = value.ValueKind switch
        {
            JsonValueKind.Object => "object", JsonValueKind.Array => "array", JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number", _ => "boolean",
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
            problems.Add($"{where}: a {kind} where the schema says {string.Join("|", types)}");
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            var declared = properties.EnumerateObject().Select(p => p.Name).ToHashSet();
            var sent = value.EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var missing in declared.Except(sent)) problems.Add($"{where}: « {missing} » declared, not sent");
            foreach (var extra in sent.Except(declared)) problems.Add($"{where}: « {extra} » sent, not declared");
            foreach (var property in value.EnumerateObject().Where(p => declared.Contains(p.Name)))
                Walk(document, properties.GetProperty(property.Name), property.Value, $"{where}.{property.Name}", problems);
        }
        else if (value.ValueKind == JsonValueKind.Object && types.Contains("object") && !schema.TryGetProperty("additionalProperties", out _))
            problems.Add($"{where}: an object whose schema lists no properties");
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
            foreach (var item in value.EnumerateArray().Take(3))
                Walk(document, items, item, $"{where}[]", problems);
    }

    /// <summary>A schema that says something: a reference, a type, or a choice between such schemas (a file, or a folder's entries).</summary>
    private static bool Described(JsonElement schema) =>
        schema.TryGetProperty("$ref", out _) || schema.TryGetProperty("type", out _)
        || (schema.TryGetProperty("oneOf", out var choices) && choices.GetArrayLength() > 0 && choices.EnumerateArray().All(Described));

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }
}
