using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Forks;

/// <summary>Forks' queries (readable forks, counts, the page-cache stamp, the link cleared on deletion) on PostgreSQL too.</summary>
public sealed class ForkOnPostgresTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private PostgresServer _postgres = null!;
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0, "--db", _postgres.Url);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _postgres.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task On_postgresql_forks_are_listed_counted_and_unlinked_when_their_source_goes()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, bob) = await _server.CreateUserAsync("bob");
        var (_, carol) = await _server.CreateUserAsync("carol");
        using var aliceApi = _server.Client(alice);
        Assert.Equal(HttpStatusCode.Created, (await aliceApi.PostAsJsonAsync("/api/v1/user/repos", new { name = "cours", auto_init = true })).StatusCode);
        using var bobApi = _server.Client(bob);
        using var carolApi = _server.Client(carol);
        Assert.Equal(HttpStatusCode.Accepted, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await carolApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { @private = true })).StatusCode);

        using var anonymous = _server.Client();
        Assert.Contains("1 fork<", await anonymous.GetStringAsync("/alice/cours"));
        Assert.Contains("Forké depuis <a href=\"/alice/cours\">alice/cours</a>", await anonymous.GetStringAsync("/bob/cours"));
        Assert.Equal("2", (await carolApi.GetAsync("/api/v1/repos/alice/cours/forks")).Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("1", (await bobApi.GetAsync("/api/v1/repos/alice/cours/forks")).Headers.GetValues("X-Total-Count").Single());

        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.DeleteAsync("/api/v1/repos/alice/cours")).StatusCode);
        var json = JsonDocument.Parse(await bobApi.GetStringAsync("/api/v1/repos/bob/cours")).RootElement;
        Assert.False(json.GetProperty("fork").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/bob/cours/raw/main/README.md")).StatusCode);
    }
}
