using Forge.Search;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>
/// « Most starred » on the explore pages and <c>sort=etoiles</c> on the search page. The star counts are put in the
/// real index directly (starring has its own tests); the pages still check every hit against the database.
/// </summary>
public sealed class StarredResourcesTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        var (_, token) = await _server.CreateUserAsync("alice", SearchCatalogue.Password);
        var index = _server.Services.GetRequiredService<IResourceIndex>();
        foreach (var (name, stars, isPrivate) in new[] { ("etoile-deux", 2, false), ("sans-etoile", 0, false), ("etoile-cinq", 5, false), ("prive-neuf", 9, true) })
        {
            var id = (await _server.CreateRepositoryAsync(token, name, isPrivate)).GetProperty("id").GetInt64();
            index.Upsert(new ResourceDocument
            {
                RepositoryId = id, Owner = "alice", Name = name, IsPublic = !isPrivate, CommitSha = new string('a', 40), Fingerprint = "test",
                Title = $"Ressource {name}", Body = "Cours de programmation.", Disciplines = ["nsi"], Stars = stars, UpdatedAt = DateTimeOffset.UtcNow,
            });
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task The_most_starred_readable_resources_come_first_and_unstarred_ones_are_not_listed_as_starred()
    {
        using var anonymous = _server.Client();
        foreach (var page in new[] { "/explore", "/explore/nsi" })
            Assert.Equal(["/alice/etoile-cinq", "/alice/etoile-deux"], (await SearchView.LoadAsync(anonymous, page)).CardLinks("starred"));
        var sorted = await SearchView.LoadAsync(anonymous, "/search?q=programmation&sort=etoiles");
        Assert.Equal(["/alice/etoile-cinq", "/alice/etoile-deux", "/alice/sans-etoile"], sorted.Results);
        Assert.Contains("5 étoiles", sorted.Document.QuerySelector("ol.results > li")!.TextContent);

        using var alice = await SignInAliceAsync();
        Assert.Equal(["/alice/prive-neuf", "/alice/etoile-cinq", "/alice/etoile-deux"], (await SearchView.LoadAsync(alice.Http, "/explore")).CardLinks("starred"));
        Assert.Equal("/alice/prive-neuf", (await SearchView.LoadAsync(alice.Http, "/search?sort=etoiles")).Results[0]);
    }

    private async Task<WebSession> SignInAliceAsync()
    {
        var session = new WebSession(_server);
        await session.SignInAsync("alice", SearchCatalogue.Password);
        return session;
    }
}
