using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Groups;

/// <summary>The group rules' queries (memberships, inherited roles, readable repositories, member lists) on PostgreSQL.</summary>
public sealed class GroupsOnPostgresTests : IAsyncLifetime
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
    public async Task Nested_groups_roles_and_visibility_work_on_postgresql()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, bob) = await _server.CreateUserAsync("bob");
        var (_, carole) = await _server.CreateUserAsync("carole");
        using var a = _server.Client(alice);
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/api/v1/orgs", new { username = "academie", visibility = "limited" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/api/v1/orgs", new { username = "equipe", visibility = "private", parent = "academie" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.PutAsJsonAsync("/api/v1/orgs/academie/members/bob", new { role = "writer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/api/v1/orgs/equipe/repos", new { name = "cours", @private = true, auto_init = true })).StatusCode);

        using var b = _server.Client(bob);
        using var c = _server.Client(carole);
        Assert.True((await b.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/repos/equipe/cours")).GetProperty("permissions").GetProperty("push").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/v1/repos/equipe/cours")).StatusCode);
        Assert.Contains("equipe/cours", await b.GetStringAsync("/api/v1/repos/search?q=cours"));
        Assert.DoesNotContain("equipe/cours", await c.GetStringAsync("/api/v1/repos/search?q=cours"));
        Assert.Contains("\"role\":\"owner\"", await b.GetStringAsync("/api/v1/orgs/equipe/members"));
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/orgs/academie")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client().GetAsync("/api/v1/orgs/academie")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await a.DeleteAsync("/api/v1/orgs/academie/members/alice")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsJsonAsync("/api/v1/orgs/equipe/rename", new { new_name = "equipe-nsi" })).StatusCode);
        using var web = new WebSession(_server);
        await web.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.MovedPermanently, (await web.Http.GetAsync("/equipe/cours")).StatusCode);
        Assert.Contains("equipe-nsi/cours", await web.GetAsync("/equipe-nsi"));
    }
}
