using System.Security.Cryptography;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Transport;

/// <summary>Only this test measures process-wide allocations, so nothing else may run beside it.</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

/// <summary>Clone, fetch and push over smart HTTP as real clients do them: protocol v0 and v2, shallow, large.</summary>
[Collection(nameof(AloneCollection))]
public sealed class SmartHttpTransportTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice");
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task Shallow_clones_deepen_and_incremental_fetches_work_with_both_protocol_versions()
    {
        await _server.CreateRepositoryAsync(_token, "histoire");
        var repo = new TestRepo(_tmp.Sub("work"));
        for (var i = 1; i <= 12; i++) repo.Write("cours.md", $"# Version {i}\n").Commit($"Version {i}");
        await _git.MustAsync(repo.Path, ("alice", _token), "push", "-q", _server.Url("/alice/histoire.git"), "main");

        foreach (var version in new[] { "0", "2" })
        {
            var shallow = Path.Combine(_tmp.Path, "shallow-v" + version);
            await _git.MustAsync(_tmp.Path, null, "-c", $"protocol.version={version}", "clone", "-q", "--depth", "1", _server.Url("/alice/histoire.git"), shallow);
            Assert.Equal("1", (await _git.MustAsync(shallow, null, "rev-list", "--count", "HEAD")).Trim());
            await _git.MustAsync(shallow, null, "-c", $"protocol.version={version}", "fetch", "-q", "--deepen", "5");
            Assert.Equal("6", (await _git.MustAsync(shallow, null, "rev-list", "--count", "HEAD")).Trim());
            await _git.MustAsync(shallow, null, "-c", $"protocol.version={version}", "fetch", "-q", "--unshallow");
            Assert.Equal("12", (await _git.MustAsync(shallow, null, "rev-list", "--count", "HEAD")).Trim());
        }

        // An up-to-date clone fetches only what is new.
        var clone = Path.Combine(_tmp.Path, "clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/histoire.git"), clone);
        repo.Write("cours.md", "# Version 13\n").Commit("Version 13");
        await _git.MustAsync(repo.Path, ("alice", _token), "push", "-q", _server.Url("/alice/histoire.git"), "main");
        await _git.MustAsync(clone, null, "pull", "-q", "--ff-only");
        Assert.Equal("# Version 13\n", File.ReadAllText(Path.Combine(clone, "cours.md")));
        var lsRemote = await _git.MustAsync(_tmp.Path, null, "-c", "protocol.version=2", "ls-remote", _server.Url("/alice/histoire.git"));
        Assert.Contains("refs/heads/main", lsRemote);
    }

    [Fact]
    public async Task A_large_push_is_streamed_through_not_held_in_memory()
    {
        const int size = 64 * 1024 * 1024;
        await _server.CreateRepositoryAsync(_token, "video");
        var repo = new TestRepo(_tmp.Sub("big"));
        var random = new byte[size];
        RandomNumberGenerator.Fill(random); // incompressible: the pack really is 64 MiB
        repo.WriteBytes("cours-filme.bin", random).Commit("Vidéo du cours");

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await _git.MustAsync(repo.Path, ("alice", _token), "push", "-q", _server.Url("/alice/video.git"), "main");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < size / 4, $"the server allocated {allocated / 1024 / 1024} MiB to receive a {size / 1024 / 1024} MiB push");

        using var client = _server.Client();
        var raw = await client.GetByteArrayAsync("/alice/video/raw/main/cours-filme.bin");
        Assert.Equal(random.Length, raw.Length);
        Assert.True(random.AsSpan().SequenceEqual(raw));
    }

    [Fact]
    public async Task A_200_MB_push_does_not_take_200_MB_of_the_servers_memory()
    {
        const long size = 200L * 1024 * 1024;
        // An instance whose file-size quota lets a 200 MB film in (the default stops at 100 MB).
        await using var server = await ForgeServer.StartAsync(_tmp.Sub("data-big"), 0, "--quota:max_file_bytes", "300000000");
        var (_, token) = await server.CreateUserAsync("alice");
        var id = (await server.CreateRepositoryAsync(token, "film")).GetProperty("id").GetInt64();
        // The film is made and committed by other processes (random bytes: the pack really is 200 MB), stored without
        // compression so that the test spends its time on the transfer, not in zlib.
        var repo = new TestRepo(_tmp.Sub("film"));
        repo.Git("config", "core.compression", "0");
        repo.Shell($"head -c {size} /dev/urandom > cours-filme.bin");
        var commit = repo.Commit("Le cours filmé");

        // The server runs in this process, alone (this collection runs apart from every other test): its peak resident
        // memory is the process's. Linux resets the peak on request (clear_refs 5); RSS is also sampled meanwhile.
        var before = Kib("VmRSS");
        ResetPeak();
        var sampled = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, Kib("VmRSS"));
                await Task.Delay(20);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _git.MustAsync(repo.Path, ("alice", token), "-c", "pack.compression=0", "push", "-q", server.Url("/alice/film.git"), "main");
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await sampler;
        var growthMib = (Math.Max(Kib("VmHWM"), sampled) - before) / 1024;
        Assert.True(growthMib < 50, $"receiving a 200 MB push made the server's memory grow by {growthMib} MiB (in {elapsed.TotalSeconds:F1} s)");

        // The push arrived whole.
        var remote = await _git.MustAsync(_tmp.Path, null, "ls-remote", server.Url("/alice/film.git"), "refs/heads/main");
        Assert.StartsWith(commit, remote);
        var stored = Path.Combine(server.DataPath, "repos", (id % 100).ToString("00"), $"{id}.git");
        Assert.Equal(size.ToString(), repo.Git("--git-dir", stored, "cat-file", "-s", $"{commit}:cours-filme.bin").Trim());
    }

    private static long Kib(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>Resets the process's peak resident memory (VmHWM) to its current size, where Linux allows it.</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
