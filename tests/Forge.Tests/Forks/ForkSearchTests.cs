using System.Net.Http.Json;
using Forge.Jobs;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Forks;

/// <summary>
/// A public fork is a resource too, but search does not drown in identical copies: a fork with nothing of its own is not
/// indexed; from its first commit of its own it is, and it names its source (« Adapté de … (fork) »).
/// </summary>
public sealed class ForkSearchTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task An_untouched_fork_stays_out_of_search_and_a_fork_with_work_of_its_own_names_its_source()
    {
        var (_, alice) = await _server.CreateUserAsync("alice");
        var (_, bob) = await _server.CreateUserAsync("bob");
        var git = new GitClient(_tmp.Sub("home"));
        await _server.CreateRepositoryAsync(alice, "tris");
        var work = new TestRepo(_tmp.Sub("work"));
        work.Write("resource.yml", "title: Les tris quicksortinette\ndisciplines: [nsi]\ngrades: [1re]\n").Write("README.md", "# Tris\n\nLe tri quicksortinette.\n");
        work.Commit("Cours");
        await git.MustAsync(work.Path, ("alice", alice), "push", "-q", _server.Url("/alice/tris.git"), "main");
        using var anonymous = _server.Client();
        await Wait.UntilAsync(async () => (await anonymous.GetStringAsync("/api/v1/search?q=quicksortinette")).Contains("alice/tris"), "source indexed");

        using var bobApi = _server.Client(bob);
        var forked = await bobApi.PostAsJsonAsync("/api/v1/repos/alice/tris/forks", new { });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, forked.StatusCode);
        var forkId = System.Text.Json.JsonDocument.Parse(await forked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using (var scope = _server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IndexRepositoryJob>().IndexAsync(forkId, CancellationToken.None);
        var results = await anonymous.GetStringAsync("/api/v1/search?q=quicksortinette");
        Assert.Contains("alice/tris", results);
        Assert.DoesNotContain("bob/tris", results);

        // Bob adapts the course: now his fork is a resource of its own, linked to its source both ways.
        var clone = Path.Combine(_tmp.Sub("clones"), "tris");
        await git.MustAsync(_tmp.Path, ("bob", bob), "clone", "-q", _server.Url("/bob/tris.git"), clone);
        await File.WriteAllTextAsync(Path.Combine(clone, "exercices.md"), "# Exercices de tri quicksortinette pour ma classe\n");
        await git.MustAsync(clone, null, "add", "-A");
        await git.MustAsync(clone, null, "-c", "user.name=Bob", "-c", "user.email=bob@ac-lyon.fr", "commit", "-q", "-m", "Mes exercices");
        await git.MustAsync(clone, ("bob", bob), "push", "-q", "origin", "main");
        await Wait.UntilAsync(async () => (await anonymous.GetStringAsync("/api/v1/search?q=quicksortinette")).Contains("bob/tris"), "fork indexed");

        var fork = await anonymous.GetStringAsync("/bob/tris");
        Assert.Contains("Adapté de", fork);
        Assert.Contains("<span class=\"hint mono\">alice/tris</span>", fork);
        var source = await anonymous.GetStringAsync("/alice/tris");
        Assert.Contains("Adapté par", source);
        Assert.Contains("<span class=\"hint mono\">bob/tris</span>", source);
    }
}
