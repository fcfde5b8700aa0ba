using System.Diagnostics;
using System.Text;
using Forge.Git;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Transport;

/// <summary>
/// The pack reader that spares the pre-receive hook its measuring: on packs made by the real git (full and thin, with
/// deltas by offset and by id, a very compressible file, incompressible ones), read in pieces of every size, it finds
/// the sizes git reports and a disk bound git's own unpacking stays under; a damaged or cut pack is never "complete".
/// </summary>
public sealed class PackInspectorTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _work;

    public PackInspectorTests()
    {
        _work = _tmp.Sub("work");
        Git(_work, "init", "-q", "-b", "main");
        var random = new Random(7);
        var noise = new byte[60_000];
        random.NextBytes(noise);
        File.WriteAllText(Path.Combine(_work, "cours.md"), "# Les listes\n\nUne liste se note entre crochets.\n");
        File.WriteAllBytes(Path.Combine(_work, "image.bin"), noise);
        // 1.6 MB that compress to a few kilobytes: the pack is tiny, the file is not.
        File.WriteAllText(Path.Combine(_work, "journal.txt"), string.Concat(Enumerable.Range(0, 200_000).Select(i => $"ligne {i % 10}\n")));
        Git(_work, "add", "-A");
        Git(_work, "commit", "-q", "-m", "Premier");
        // The second commit changes the incompressible file a little: git sends it as a delta against the first.
        File.WriteAllBytes(Path.Combine(_work, "image.bin"), noise.Concat(Encoding.UTF8.GetBytes("fin")).ToArray());
        File.AppendAllText(Path.Combine(_work, "cours.md"), "\nElle peut être vide.\n");
        Git(_work, "add", "-A");
        Git(_work, "commit", "-q", "-m", "Second");
    }

    public void Dispose() => _tmp.Dispose();

    private byte[] FullPack() => Pack("HEAD\n", "--delta-base-offset");

    private byte[] ThinPack() => Pack("HEAD\n^HEAD~1\n", "--thin");

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(int.MaxValue)]
    public void A_full_pack_read_in_pieces_gives_the_sizes_git_reports(int piece)
    {
        var pack = FullPack();
        using var inspector = Read(Body(pack), piece);

        Assert.True(inspector.Complete);
        Assert.Equal(pack.Length, inspector.PackBytes);
        Assert.Equal(Objects("HEAD").Count, inspector.ObjectCount);
        Assert.Equal(Objects("HEAD").Max(), inspector.LargestObject);
        Assert.True(inspector.LargestObject > 1_500_000 && pack.Length < 100_000, "the compressible file is large, its pack small");
    }

    [Fact]
    public void A_thin_pack_of_deltas_gives_the_rebuilt_sizes_and_a_bound_git_stays_under()
    {
        var pack = ThinPack();
        using var inspector = Read(Body(pack, pushOptions: true), 1000);

        Assert.True(inspector.Complete);
        var sizes = Objects("HEAD", "^HEAD~1");
        Assert.Equal(sizes.Count, inspector.ObjectCount);
        Assert.Equal(sizes.Max(), inspector.LargestObject); // the changed file, sent as a delta of a few bytes
        Assert.True(pack.Length < 10_000, $"the thin pack should be small ({pack.Length} bytes)");

        // What git itself adds to a repository that has the first commit, loose or kept as a (completed) pack.
        foreach (var keep in new[] { false, true })
        {
            var bare = _tmp.Sub(keep ? "kept.git" : "loose.git");
            Git(bare, "init", "-q", "--bare");
            Git(_work, "push", "-q", bare, "HEAD~1:refs/heads/main");
            var before = Bytes(Path.Combine(bare, "objects"));
            if (keep) Run(bare, pack, "index-pack", "--stdin", "--fix-thin");
            else Run(bare, pack, "unpack-objects", "-q");
            var added = Bytes(Path.Combine(bare, "objects")) - before;
            Assert.True(added > 0);
            Assert.True((ulong)added <= inspector.DiskBound, $"{(keep ? "kept" : "loose")}: git added {added} bytes, bound {inspector.DiskBound}");
        }
    }

    [Fact]
    public void A_damaged_pack_is_never_complete()
    {
        var pack = FullPack();
        var damaged = pack.ToArray();
        damaged[damaged.Length / 2] ^= 0x5a;
        using var one = Read(Body(damaged), 4096);
        Assert.False(one.Complete);

        using var cut = Read(Body(pack[..^1]), 4096);
        Assert.False(cut.Complete);
        Assert.False(cut.Failed); // it waits for the missing byte

        // A wrong checksum (the pack itself intact): refused too.
        var resummed = pack.ToArray();
        resummed[^1] ^= 1;
        using var sum = Read(Body(resummed), 4096);
        Assert.False(sum.Complete);
        Assert.True(sum.Failed);
    }

    [Fact]
    public void Reading_stops_beyond_its_budget_of_inflated_bytes()
    {
        using var inspector = new PackInspector(maxInflatedBytes: 1_000_000);
        inspector.Feed(Body(FullPack()));
        Assert.True(inspector.Failed);
        Assert.False(inspector.Complete);
    }

    [Fact]
    public async Task The_verdict_file_exists_before_git_can_read_the_last_byte_and_only_within_the_limits()
    {
        var body = Body(ThinPack());
        var largest = Objects("HEAD", "^HEAD~1").Max();
        var scratch = _tmp.Sub("scratch");

        // Within the limits: the file appears with the read that hands over the pack's last bytes, not before.
        using (var check = new PushSizeCheck(Path.Combine(scratch, "fits"), (long)largest, 10_000_000, 1000))
        {
            var stream = check.Watch(new MemoryStream(body));
            var buffer = new byte[100];
            var total = 0;
            while (true)
            {
                Assert.Equal(total >= body.Length, File.Exists(check.VerdictPath));
                var n = await stream.ReadAsync(buffer);
                if (n == 0) break;
                total += n;
            }
            Assert.True(check.Fits);
            Assert.True(File.Exists(check.VerdictPath));
        }
        Assert.False(File.Exists(Path.Combine(scratch, "fits"))); // removed once git is done

        // One byte over the file limit, or a repository already near its quota: no file, the hook measures.
        foreach (var (file, repo, before) in new (long?, long?, long?)[] { ((long)largest - 1, null, null), (null, 1_000_000, 990_000), (null, 1_000_000, null) })
        {
            using var check = new PushSizeCheck(Path.Combine(scratch, "no"), file, repo, before);
            await check.Watch(new MemoryStream(body)).CopyToAsync(Stream.Null);
            Assert.False(check.Fits);
            Assert.False(File.Exists(check.VerdictPath));
        }
    }

    // ---- helpers

    private static PackInspector Read(byte[] body, int piece)
    {
        var inspector = new PackInspector(PushSizeCheck.MaxInflatedBytes);
        for (var i = 0; i < body.Length; i += piece)
            inspector.Feed(body.AsSpan(i, Math.Min(piece, body.Length - i)));
        return inspector;
    }

    /// <summary>A receive-pack request body: a command pkt-line, a flush, optionally push options and a flush, then the pack.</summary>
    private static byte[] Body(byte[] pack, bool pushOptions = false)
    {
        var body = new MemoryStream();
        void Pkt(string line)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            body.Write(Encoding.ASCII.GetBytes((bytes.Length + 4).ToString("x4")));
            body.Write(bytes);
        }
        Pkt($"{new string('0', 40)} {new string('1', 40)} refs/heads/main\0report-status side-band-64k{(pushOptions ? " push-options" : "")}\n");
        body.Write("0000"u8);
        if (pushOptions)
        {
            Pkt("ci.skip\n");
            body.Write("0000"u8);
        }
        body.Write(pack);
        return body.ToArray();
    }

    /// <summary>Sizes of the objects <c>git rev-list --objects</c> lists for <paramref name="revs"/>.</summary>
    private List<ulong> Objects(params string[] revs)
    {
        var ids = Git(_work, ["rev-list", "--objects", "--no-object-names", .. revs]);
        var sizes = Run(_work, Encoding.ASCII.GetBytes(ids), "cat-file", "--batch-check=%(objectsize)");
        return Encoding.ASCII.GetString(sizes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToList();
    }

    private byte[] Pack(string revs, string option) => Run(_work, Encoding.ASCII.GetBytes(revs), "pack-objects", "--stdout", "--revs", "-q", option);

    private static long Bytes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static string Git(string dir, params string[] args) => Encoding.UTF8.GetString(Run(dir, null, args));

    private static byte[] Run(string dir, byte[]? input, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("user.name=Test");
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("user.email=test@example.org");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null) process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error.Result}");
        return output.ToArray();
    }
}
