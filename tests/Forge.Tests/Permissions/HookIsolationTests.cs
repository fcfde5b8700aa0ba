using System.Diagnostics;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Permissions;

/// <summary>Only Forge's own pre-receive hook ever runs: never a repository's hooks folder nor its core.hooksPath.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HookIsolationTests : IAsyncLifetime
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
    public async Task Hooks_planted_in_a_repository_do_not_run_on_push_or_clone()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        var repo = await _server.CreateRepositoryAsync(token, "cours");
        var id = repo.GetProperty("id").GetInt64();
        var path = Path.Combine(_server.DataPath, "repos", (id % 100).ToString("00"), $"{id}.git");
        var pwned = Path.Combine(_tmp.Path, "pwned");
        var evil = Path.Combine(_tmp.Path, "evil-hooks");
        Directory.CreateDirectory(evil);
        foreach (var dir in new[] { Path.Combine(path, "hooks"), evil })
            foreach (var hook in new[] { "pre-receive", "update", "post-receive", "post-update", "reference-transaction" })
            {
                var file = Path.Combine(dir, hook);
                File.WriteAllText(file, $"#!/bin/sh\ntouch {pwned}\n");
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        using (var config = Process.Start("git", ["config", "-f", Path.Combine(path, "config"), "core.hooksPath", evil])!) await config.WaitForExitAsync();

        var git = new GitClient(_tmp.Sub("home"));
        var ws = await Workspace.InitAsync(git, _tmp.Sub("work"), ("alice", token));
        await ws.MustAsync("push", "-q", _server.Url("/alice/cours.git"), "main");
        await git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/cours.git"), Path.Combine(_tmp.Path, "clone"));

        Assert.False(File.Exists(pwned));
    }
}
