using System.Net;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.EndToEnd;

/// <summary>Stopping and starting the server loses nothing: accounts, sessions, repositories, tokens, queued jobs, index.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task Everything_survives_a_restart_and_a_job_queued_before_it_runs_after_it()
    {
        var git = new GitClient(_tmp.Sub("home"));
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours-persistant");
        var work = _tmp.Sub("work");
        File.WriteAllText(Path.Combine(work, "README.md"), "# Cours\n\nLes ornithorynques pondent des œufs.\n");
        await git.MustAsync(work, null, "init", "-q");
        await git.MustAsync(work, null, "add", ".");
        await git.MustAsync(work, null, "commit", "-q", "-m", "x");
        await git.MustAsync(work, ("alice", token), "push", "-q", _server.Url("/alice/cours-persistant.git"), "main");

        using (var web = new WebSession(_server))
        {
            await web.SignInAsync("alice", "motdepasse-solide");
            // No worker runs yet: the index job is queued, not done.
            Assert.Contains("0 ressource", await web.GetAsync("/search?q=ornithorynque"));
        }
        var session = new WebSession(_server);
        await session.SignInAsync("alice", "motdepasse-solide");

        await _server.RestartAsync(workers: 1);
        session.Reconnect(_server);

        // The session cookie issued before the restart still signs alice in (keys are persisted).
        Assert.Contains("Se déconnecter", await session.GetAsync("/"));
        // Token, account and repository are still there.
        using var api = _server.Client(token);
        var repo = JsonDocument.Parse(await api.GetStringAsync("/api/v1/repos/alice/cours-persistant")).RootElement;
        Assert.False(repo.GetProperty("empty").GetBoolean());
        // The job queued before the restart runs now.
        await Wait.UntilAsync(async () => (await session.GetAsync("/search?q=ornithorynques")).Contains("/alice/cours-persistant"), "queued job ran after restart");

        // And the index itself survives the next restart, with nothing left to run.
        await _server.RestartAsync(workers: 0);
        using var anonymous = _server.Client();
        Assert.Contains("/alice/cours-persistant", await anonymous.GetStringAsync("/search?q=ornithorynque"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alice/cours-persistant/raw/main/README.md")).StatusCode);
        session.Dispose();
    }
}
