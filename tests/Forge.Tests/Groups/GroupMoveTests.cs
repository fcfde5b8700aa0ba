using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Groups;

/// <summary>
/// Moving a group under another parent (owners of both): inherited rights follow at once — on the API and git's side of
/// <c>RepositoryService</c> alike —, and a move into its own subgroup, under a more closed group or by a non-owner is refused
/// with the reason, changing nothing.
/// </summary>
public sealed class GroupMoveTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task Created(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    [Fact]
    public async Task A_group_moves_under_another_its_members_rights_follow_and_bad_moves_are_refused()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, bob) = await _server.CreateUserAsync("bob");
        var (_, carole) = await _server.CreateUserAsync("carole");
        using var aliceApi = _server.Client(alice);
        using var bobApi = _server.Client(bob);
        using var caroleApi = _server.Client(carole);
        await Created(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "academie", visibility = "private" }));
        await Created(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "lycee", visibility = "private", parent = "academie" }));
        await Created(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "equipe", visibility = "private" }));
        await Created(await aliceApi.PostAsJsonAsync("/api/v1/orgs", new { username = "ouvert", visibility = "public" }));
        await Created(await aliceApi.PostAsJsonAsync("/api/v1/orgs/equipe/repos", new { name = "copies", @private = true }));
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.PutAsJsonAsync("/api/v1/orgs/academie/members/carole", new { role = "reader" })).StatusCode);
        await Created(await bobApi.PostAsJsonAsync("/api/v1/orgs", new { username = "club", visibility = "private" }));
        Assert.Equal(HttpStatusCode.NotFound, (await caroleApi.GetAsync("/api/v1/repos/equipe/copies")).StatusCode);

        // Alice moves « equipe » under « lycee » from the settings page: Carole, reader of « academie », now reads its repository.
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var settings = new HtmlParser().ParseDocument(await web.GetAsync("/equipe/-/settings"));
        var options = settings.QuerySelectorAll("#Parent option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["", "academie", "lycee", "ouvert"], options);
        Assert.Contains("move-hint", settings.GetElementById("Parent")!.GetAttribute("aria-describedby"));
        var moved = await web.PostFormAsync("/equipe/-/settings", "/equipe/-/settings?handler=Move", new Dictionary<string, string> { ["Parent"] = "lycee" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Contains("Le groupe est maintenant un sous-groupe de lycee.", await web.GetAsync(moved.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.OK, (await caroleApi.GetAsync("/api/v1/repos/equipe/copies")).StatusCode);
        var page = new HtmlParser().ParseDocument(await web.GetAsync("/equipe"));
        Assert.Equal(["academie", "lycee"], page.QuerySelectorAll(".group-trail li a").Select(a => a.TextContent));

        // Into its own subgroup, under a more closed group, or under someone else's group: refused with the reason, at the field.
        var loop = await web.PostFormAsync("/academie/-/settings", "/academie/-/settings?handler=Move", new Dictionary<string, string> { ["Parent"] = "equipe" });
        var loopPage = new HtmlParser().ParseDocument(await loop.Content.ReadAsStringAsync());
        Assert.Equal("« equipe » est un sous-groupe de « academie » : un groupe ne peut pas entrer dans l’un de ses sous-groupes.",
            loopPage.GetElementById("Parent-error")!.TextContent.Trim());
        var open = await aliceApi.PostAsJsonAsync("/api/v1/orgs/ouvert/move", new { parent = "equipe" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, open.StatusCode);
        Assert.Contains("Un sous-groupe ne peut pas être plus ouvert que son groupe : « equipe » est privé", await open.Content.ReadAsStringAsync());
        var notOwner = await bobApi.PostAsJsonAsync("/api/v1/orgs/club/move", new { parent = "academie" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notOwner.StatusCode);
        Assert.Contains("Aucun groupe ne s’appelle « academie »", await notOwner.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await caroleApi.PostAsJsonAsync("/api/v1/orgs/equipe/move", new { parent = (string?)null })).StatusCode);

        // Back to the top level through the API: Carole's inherited right ends at once.
        Assert.Equal(HttpStatusCode.NoContent, (await aliceApi.PostAsJsonAsync("/api/v1/orgs/equipe/move", new { parent = (string?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caroleApi.GetAsync("/api/v1/repos/equipe/copies")).StatusCode);
    }
}
