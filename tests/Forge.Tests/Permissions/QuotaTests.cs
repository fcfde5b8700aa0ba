using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Permissions;

/// <summary>An instance with small quotas (<c>--quota:max_file_bytes</c>, <c>--quota:max_repository_bytes</c>): a push over a limit is refused cleanly.</summary>
public sealed class QuotaTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0, "--quota:max_file_bytes", "100000", "--quota:max_repository_bytes", "400000");
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static byte[] Noise(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes); // incompressible, so sizes on disk are real
        return bytes;
    }

    private string ObjectsOf(long id) => Path.Combine(_server.DataPath, "repos", (id % 100).ToString("00"), $"{id}.git", "objects");

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_its_name_and_the_repository_is_unchanged()
    {
        var repo = await _server.CreateRepositoryAsync(_alice, "videos");
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("videos"), ("alice", _alice));
        var url = _server.Url("/alice/videos.git");
        await ws.MustAsync("push", "-q", url, "main");
        var before = await ws.MustAsync("ls-remote", url);

        await ws.CommitBytesAsync("cours filmé.mp4", Noise(150_000, 1));
        var (code, output) = await ws.GitAsync("push", url, "main");

        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : ce push contient un fichier plus gros que la limite de 97,7 Kio par fichier", output);
        Assert.Contains("« cours filmé.mp4 » : 146,5 Kio", output);
        Assert.Equal(before, await ws.MustAsync("ls-remote", url));
        // Nothing of the refused push stays on the server (git's quarantine is discarded).
        var objects = ObjectsOf(repo.GetProperty("id").GetInt64());
        Assert.Empty(Directory.GetDirectories(objects, "tmp_objdir*"));
        Assert.DoesNotContain(Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories), f => new FileInfo(f).Length > 100_000);
    }

    [Fact]
    public async Task A_big_file_in_a_tiny_pack_is_refused_too()
    {
        // Forge reads each pack on its way to git and lets the hook skip its measuring only when the push is certainly
        // within the limits: a file that compresses to almost nothing, or one rebuilt from a delta of a few bytes, must
        // still be refused on its real size, not the size of what travelled.
        await _server.CreateRepositoryAsync(_alice, "journal");
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("journal"), ("alice", _alice));
        var url = _server.Url("/alice/journal.git");
        var photo = Noise(60_000, 3);
        await ws.CommitBytesAsync("photo.bin", photo);
        await ws.MustAsync("push", "-q", url, "main");
        var before = await ws.MustAsync("ls-remote", url);

        await ws.CommitAsync("journal.txt", string.Concat(Enumerable.Repeat("Séance du lundi : révisions.\n", 20_000)));
        var (code, output) = await ws.GitAsync("push", url, "main");
        Assert.NotEqual(0, code);
        Assert.Contains("« journal.txt » : 605,5 Kio", output);
        Assert.Equal(before, await ws.MustAsync("ls-remote", url));

        // The photo twice over, a new file git sends as a delta of the one already pushed.
        await ws.MustAsync("reset", "-q", "--hard", "HEAD~1");
        await ws.CommitBytesAsync("photo-double.bin", photo.Concat(photo).ToArray());
        (code, output) = await ws.GitAsync("push", url, "main");
        Assert.NotEqual(0, code);
        Assert.Contains("« photo-double.bin » : 117,2 Kio", output);
        Assert.Equal(before, await ws.MustAsync("ls-remote", url));

        // And a push within the limits still goes through.
        await ws.MustAsync("reset", "-q", "--hard", "HEAD~1");
        await ws.CommitAsync("cours.md", "# Le journal de bord\n");
        await ws.MustAsync("push", "-q", url, "main");
        Assert.NotEqual(before, await ws.MustAsync("ls-remote", url));
    }

    [Fact]
    public async Task A_push_that_would_make_the_repository_too_big_is_refused()
    {
        await _server.CreateRepositoryAsync(_alice, "archives");
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("archives"), ("alice", _alice));
        var url = _server.Url("/alice/archives.git");
        for (var i = 0; i < 5; i++) await ws.CommitBytesAsync($"scan-{i}.pdf", Noise(90_000, 10 + i));

        var (code, output) = await ws.GitAsync("push", url, "main");

        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : avec ce push, le dépôt occuperait", output);
        Assert.Contains("au-delà de la limite de 390,6 Kio de cette forge", output);
        Assert.Equal("", (await ws.MustAsync("ls-remote", url)).Trim());
    }
}
