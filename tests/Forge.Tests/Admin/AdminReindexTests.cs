using Forge.Search;
using Forge.Tests.Support;
using Forge.Web.Admin;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Xunit;

namespace Forge.Tests.Admin;

/// <summary><c>forge admin reindex</c> run by an operator, in a separate process, with the server running or stopped.</summary>
public sealed class AdminReindexTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _token) = await _server.CreateUserAsync("alice");
        var git = new GitClient(_tmp.Sub("home"));
        foreach (var (name, text) in new[] { ("cours-ondes", "Les ondes mécaniques progressives."), ("cours-optique", "Lentilles minces et optique géométrique.") })
        {
            await _server.CreateRepositoryAsync(_token, name);
            var work = _tmp.Sub("work-" + name);
            File.WriteAllText(Path.Combine(work, "README.md"), $"# {name}\n\n{text}\n");
            await git.MustAsync(work, null, "init", "-q", "-b", "main");
            await git.MustAsync(work, null, "add", ".");
            await git.MustAsync(work, null, "commit", "-q", "-m", "v1");
            await git.MustAsync(work, ("alice", _token), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
        }
        await Wait.UntilAsync(async () => (await SearchAsync("")).Contains("\"total\":2"), "both repositories indexed");
    }

    private async Task<string> SearchAsync(string q)
    {
        using var client = _server.Client();
        return await client.GetStringAsync("/api/v1/search?q=" + Uri.EscapeDataString(q));
    }

    private static Task<(int Code, string Output)> AdminAsync(params string[] args) => ForgeProcess.AdminAsync(null, args);

    [Fact]
    public async Task Reindexing_while_the_server_runs_swaps_in_a_fresh_index_that_the_server_keeps_updating()
    {
        var index = _server.Services.GetRequiredService<LuceneResourceIndex>();
        var before = index.GenerationName;
        var (code, output) = await AdminAsync("reindex", "--data", _server.DataPath);
        Assert.True(code == 0, output);
        Assert.Contains("Réindexation : 2/2 dépôts (100 %", output); // not a terminal: plain progress lines
        Assert.Contains("Index reconstruit : 2 dépôts, 2 ressources, 2 fichiers", output);

        await Wait.UntilAsync(() => Task.FromResult(index.GenerationName != before), "the server switched to the new index");
        Assert.Contains("alice/cours-optique", await SearchAsync("lentille"));
        // The old generation is deleted once the server let go of it; the server keeps writing to the new one.
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(_server.DataPath, "index", before))), "old generation deleted");
        using var api = _server.Client(_token);
        var patch = await api.PatchAsync("/api/v1/repos/alice/cours-ondes", JsonContent.Create(new { description = "Houle et séismes" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, patch.StatusCode);
        await Wait.UntilAsync(async () => (await SearchAsync("houle")).Contains("alice/cours-ondes"), "the new index is kept up to date");
    }

    [Fact]
    public async Task Reindexing_with_the_server_stopped_is_used_on_the_next_start_and_two_rebuilds_never_run_at_once()
    {
        var indexRoot = Path.Combine(_server.DataPath, "index");
        using (var held = IndexGenerations.TryLockRebuild(indexRoot))
        {
            Assert.NotNull(held);
            var (busy, message) = await AdminAsync("reindex", "--data", _server.DataPath);
            Assert.Equal(1, busy);
            Assert.Contains("Une réindexation est déjà en cours", message);
        }

        await _server.StopAsync();
        var (code, output) = await AdminAsync("reindex", "--data", _server.DataPath);
        Assert.True(code == 0, output);
        var published = IndexGenerations.Current(indexRoot);
        await _server.RestartAsync(workers: 0);
        Assert.Equal(published, _server.Services.GetRequiredService<LuceneResourceIndex>().GenerationName);
        Assert.Contains("alice/cours-ondes", await SearchAsync("ondes"));
        Assert.Single(Directory.GetDirectories(indexRoot)); // the previous generation was cleaned up on start
    }

    [Fact]
    public void The_progress_bar_redraws_one_line_on_a_terminal()
    {
        var terminal = new StringWriter();
        var bar = new ProgressBar(terminal, interactive: true, unit: "dépôts");
        bar.Report(1, 4, TimeSpan.FromSeconds(1));
        bar.Report(4, 4, TimeSpan.FromSeconds(2));
        bar.Finish();
        Assert.Equal("\r[#######.......................]  25 % 1/4 dépôts (1 /s)  \r[##############################] 100 % 4/4 dépôts (2 /s)  \n",
            terminal.ToString().Replace("\r\n", "\n"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }
}
