using System.Net;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Postgres;

/// <summary>The same model runs on PostgreSQL (FORGE_DB=postgres://…), with Hangfire's storage following it.</summary>
public sealed class PostgresDeploymentTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private PostgresServer _postgres = null!;
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1, "--db", _postgres.Url);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _postgres.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task On_postgresql_a_course_is_created_pushed_indexed_and_survives_a_restart()
    {
        Assert.False(File.Exists(Path.Combine(_server.DataPath, "forge.db")), "SQLite must not be used when FORGE_DB is set");
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours-pg", description: "Sur PostgreSQL");

        var git = new GitClient(_tmp.Sub("home"));
        var work = _tmp.Sub("work");
        Courses.WriteNsiCourse(work);
        await git.MustAsync(work, null, "init", "-q", "-b", "main");
        await git.MustAsync(work, null, "add", ".");
        await git.MustAsync(work, null, "commit", "-q", "-m", "x");
        await git.MustAsync(work, ("alice", token), "push", "-q", _server.Url("/alice/cours-pg.git"), "main");

        using var anonymous = _server.Client();
        // Hangfire installs its PostgreSQL schema and starts its workers first: allow for a busy CI machine.
        try
        {
            await Wait.UntilAsync(async () => (await anonymous.GetStringAsync("/search?q=insertion")).Contains("/alice/cours-pg"), "indexed through the PostgreSQL job queue", seconds: 120);
        }
        catch (TimeoutException e)
        {
            // Say what the job queue holds, so a failure on CI explains itself.
            var monitor = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Hangfire.JobStorage>(_server.Services).GetMonitoringApi();
            var stats = monitor.GetStatistics();
            var failed = string.Join("\n", monitor.FailedJobs(0, 5).Select(j => $"{j.Value.Job?.Method.Name}: {j.Value.ExceptionType} {j.Value.ExceptionMessage} {j.Value.ExceptionDetails}"));
            throw new TimeoutException($"{e.Message}; enqueued {stats.Enqueued}, scheduled {stats.Scheduled}, processing {stats.Processing}, "
                + $"succeeded {stats.Succeeded}, failed {stats.Failed}, servers {stats.Servers}\n{failed}", e);
        }

        await _server.RestartAsync();
        using var api = _server.Client(token);
        var repo = JsonDocument.Parse(await api.GetStringAsync("/api/v1/repos/alice/cours-pg")).RootElement;
        Assert.Equal("Sur PostgreSQL", repo.GetProperty("description").GetString());
        using var again = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/alice/cours-pg/blob/main/README.md")).StatusCode);
    }
}
