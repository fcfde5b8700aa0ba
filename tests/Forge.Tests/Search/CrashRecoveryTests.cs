using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>
/// Index and git never disagree for long: Forge is killed (SIGKILL) in the middle of indexing, restarted, and the
/// index catches up by re-indexing, incrementally, only the repositories it was behind on.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDir _tmp = new();

    [Fact]
    public async Task After_a_kill_during_indexing_a_restart_reindexes_only_what_is_behind()
    {
        var data = _tmp.Sub("data");
        var env = new Dictionary<string, string> { ["FORGE_DATA"] = data };
        var (code, output) = await ForgeProcess.AdminAsync(env, "user", "create", "alice", "--email", "alice@ac-lyon.fr", "--password", "motdepasse-solide");
        Assert.True(code == 0, output);
        (code, output) = await ForgeProcess.AdminAsync(env, "token", "create", "alice");
        Assert.True(code == 0, output);
        var token = output.Trim().Split('\n')[^1].Trim();
        var git = new GitClient(_tmp.Sub("home"));
        var ids = new Dictionary<string, long>();

        // Indexing reads each file 150 ms slower than usual, so that it can be interrupted.
        string[] slow = ["--jobs:workers", "1", "--search:test_delay_ms_per_file", "150", "--Logging:LogLevel:Forge.Jobs", "Information"];
        await using (var forge = await ForgeProcess.StartAsync(data, slow))
        {
            using var api = forge.Client(token);
            foreach (var name in new[] { "intact", "petit", "gros" })
            {
                var created = await api.PostAsJsonAsync("/api/v1/user/repos", new { name });
                ids[name] = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
                var work = _tmp.Sub("work-" + name);
                File.WriteAllText(Path.Combine(work, "README.md"), $"# {name}\n\nPremière version.\n");
                await git.MustAsync(work, null, "init", "-q", "-b", "main");
                await git.MustAsync(work, null, "add", ".");
                await git.MustAsync(work, null, "commit", "-q", "-m", "v1");
                await git.MustAsync(work, ("alice", token), "push", "-q", forge.Url($"/alice/{name}.git"), "main");
            }
            await Wait.UntilAsync(async () => Total(await api.GetStringAsync("/api/v1/search")) == 3, "three repositories indexed", 90);

            // "gros" gets 30 new files (4.5 s of indexing), then "petit" one; the single worker takes "gros" first.
            var gros = Path.Combine(_tmp.Path, "work-gros");
            for (var i = 0; i < 30; i++) File.WriteAllText(Path.Combine(gros, $"chapitre-{i:00}.md"), $"# Chapitre {i}\n\nLa girafe numéro {i}.\n");
            await git.MustAsync(gros, null, "add", ".");
            await git.MustAsync(gros, null, "commit", "-q", "-m", "v2");
            await git.MustAsync(gros, ("alice", token), "push", "-q", forge.Url("/alice/gros.git"), "main");
            var petit = Path.Combine(_tmp.Path, "work-petit");
            File.WriteAllText(Path.Combine(petit, "zebre.md"), "Le zèbre rayé.\n");
            await git.MustAsync(petit, null, "add", ".");
            await git.MustAsync(petit, null, "commit", "-q", "-m", "v2");
            await git.MustAsync(petit, ("alice", token), "push", "-q", forge.Url("/alice/petit.git"), "main");

            await forge.WaitForLineAsync($"Indexing repository {ids["gros"]} at");
            await Task.Delay(1000); // well inside the 4.5 s of reading
            await forge.KillAsync();
            Assert.DoesNotContain(forge.Lines, l => l.Contains($"Indexed repository {ids["gros"]} at") && l.Contains("Incremental"));
        }

        await using (var forge = await ForgeProcess.StartAsync(data, "--jobs:workers", "1", "--Logging:LogLevel:Forge.Jobs", "Information"))
        {
            // The reconciliation compares every repository with its cursor: "gros" is behind (its job died with the
            // process and stays invisible in the queue for a long while), "intact" is not; "petit" is behind unless its
            // job, still queued from before the kill, ran first.
            var report = await forge.WaitForLineAsync("Index reconciliation:");
            var behind = report[(report.LastIndexOf('(') + 1)..report.LastIndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
            // Its job may also come back first (Hangfire hands out a job whose worker died) and bring it in line before
            // the comparison: either way it is caught up, incrementally (asserted below).
            Assert.True(behind.Contains(ids["gros"]) || forge.Lines.Any(l => l.Contains($"Indexed repository {ids["gros"]} at")),
                string.Join("\n", forge.Lines));
            Assert.DoesNotContain(ids["intact"], behind);
            Assert.Contains($"{behind.Count} of 3 repositories to re-index", report);
            using var anonymous = forge.Client();
            await Wait.UntilAsync(async () => Total(await anonymous.GetStringAsync("/api/v1/search?q=girafe")) == 1
                && Total(await anonymous.GetStringAsync("/api/v1/search?q=zebre")) == 1, "the index caught up", 60);
            Assert.Equal(30, Total(await anonymous.GetStringAsync("/api/v1/search/code?q=girafe")));
            // Caught up from the cursors the index kept: incremental runs (the 30 new chapters, plus the README read again
            // for the resource's text), and nothing at all for the repository in line.
            var log = string.Join("\n", forge.Lines);
            Assert.True(forge.Lines.Any(l => l.Contains($"Indexed repository {ids["gros"]} at") && l.Contains("Incremental, 31 files read")), log);
            Assert.Contains(forge.Lines, l => l.Contains($"Indexed repository {ids["petit"]} at") && l.Contains("Incremental"));
            Assert.DoesNotContain(forge.Lines, l => l.Contains($"Indexed repository {ids["intact"]} at"));
            Assert.DoesNotContain(forge.Lines, l => l.Contains("Full"));
        }
    }

    private static int Total(string json) => JsonDocument.Parse(json).RootElement.GetProperty("total").GetInt32();

    public void Dispose() => _tmp.Dispose();
}
