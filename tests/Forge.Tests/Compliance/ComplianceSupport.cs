using System.Net;
using System.Text.Json;
using Forge.Tests.Support;

namespace Forge.Tests.Compliance;

/// <summary>Pushes real repositories to a real Forge and reads the compliance reports back through the API.</summary>
public sealed class ComplianceSupport(ForgeServer server, TempDir tmp)
{
    private readonly GitClient _git = new(tmp.Sub("git-home-" + Guid.NewGuid().ToString("N")[..6]));

    /// <summary>Creates <paramref name="owner"/>/<paramref name="name"/> and pushes one commit holding <paramref name="files"/>; returns the work tree.</summary>
    public async Task<TestRepo> PushAsync(string owner, string token, string name, IDictionary<string, string> files, bool isPrivate = false)
    {
        await server.CreateRepositoryAsync(token, name, isPrivate);
        var work = new TestRepo(tmp.Sub($"work-{owner}-{name}"));
        foreach (var (path, content) in files) work.Write(path, content);
        work.Commit("Première version");
        await PushAsync(work, owner, token, name);
        return work;
    }

    public async Task PushAsync(TestRepo work, string owner, string token, string name) =>
        await _git.MustAsync(work.Path, (owner, token), "push", "-q", "-f", server.Url($"/{owner}/{name}.git"), "main");

    /// <summary>The licence report once it describes <paramref name="commit"/> (the tip just pushed).</summary>
    public async Task<JsonElement> LicencesAsync(string owner, string name, string commit, string? token = null)
    {
        JsonElement report = default;
        await Wait.UntilAsync(async () =>
        {
            report = await GetJsonAsync($"/api/v1/repos/{owner}/{name}/licences", token);
            return report.TryGetProperty("commit", out var c) && c.GetString() == commit;
        }, $"licence report of {owner}/{name} at {commit[..8]}", seconds: 60);
        return report;
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        using var client = server.Client(token);
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IReadOnlyList<(string Code, string? Path)> Findings(JsonElement report) =>
        report.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("code").GetString()!, f.GetProperty("path").ValueKind == JsonValueKind.Null ? null : f.GetProperty("path").GetString()))
            .ToList();

    public static JsonElement Finding(JsonElement report, string code) =>
        report.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("code").GetString() == code);
}
