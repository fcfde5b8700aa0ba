using System.Net;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Admin;

/// <summary><c>forge admin …</c> as an operator runs it: a separate process, on the data folder of a running server.</summary>
public sealed class AdminCommandTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static Task<(int Code, string Output)> AdminAsync(IDictionary<string, string>? env, params string[] args) =>
        ForgeProcess.AdminAsync(env, args);

    [Fact]
    public async Task An_operator_creates_an_admin_and_a_token_that_the_running_server_accepts_at_once()
    {
        var (code, output) = await AdminAsync(null, "user", "create", "direction", "--email", "direction@ac-lyon.fr", "--password", "mot-de-passe-long", "--admin", "--data", _server.DataPath);
        Assert.True(code == 0, output);
        Assert.Contains("administrateur", output);

        // FORGE_DATA works as well as --data.
        (code, output) = await AdminAsync(new Dictionary<string, string> { ["FORGE_DATA"] = _server.DataPath }, "token", "create", "direction", "--name", "sauvegarde");
        Assert.True(code == 0, output);
        var token = output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("forge_", token);

        using var api = _server.Client(token);
        var me = JsonDocument.Parse(await api.GetStringAsync("/api/v1/user")).RootElement;
        Assert.Equal("direction", me.GetProperty("login").GetString());
        Assert.True(me.GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    public async Task Bad_admin_input_is_explained_and_changes_nothing()
    {
        var (code, output) = await AdminAsync(null, "user", "create", "admin", "--email", "x@y.fr", "--password", "mot-de-passe-long", "--data", _server.DataPath);
        Assert.Equal(1, code);
        Assert.Contains("nom réservé", output);
        (code, output) = await AdminAsync(null, "user", "create", "bob", "--email", "bob@y.fr", "--password", "court", "--data", _server.DataPath);
        Assert.Equal(1, code);
        Assert.Contains("au moins 8 caractères", output);
        (code, output) = await AdminAsync(null, "token", "create", "personne", "--data", _server.DataPath);
        Assert.Equal(1, code);
        Assert.Contains("introuvable", output);
        (code, output) = await AdminAsync(null, "frobnicate", "--data", _server.DataPath);
        Assert.Equal(2, code);
        Assert.Contains("Utilisation", output);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/bob")).StatusCode);
    }
}
