using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Forge.Git;
using Forge.Jobs.Checks;
using Forge.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Checks;

/// <summary>
/// Hostile submissions in the real sandbox (bubblewrap, prlimit, Forge's Python runner): each one is contained, the host is
/// unharmed, and the report says why. Short limits keep the class fast (3 s wall clock, 2 s of processor per process).
/// </summary>
public sealed class SandboxHostileTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new("forge-sbx");

    private static readonly CheckOptions Limits = new()
    {
        Timeout = TimeSpan.FromSeconds(3), CpuSeconds = 2, MemoryBytes = 256L * 1024 * 1024, MaxProcesses = 16,
        MaxFileBytes = 1024 * 1024, ScratchBytes = 8L * 1024 * 1024, MaxOutputBytes = 4096,
        // A user of these tests' own (no account needs to exist): the process limit and the process counts below are per user,
        // so checks run meanwhile by other test classes (as 65534) neither share the budget nor show up in the counts.
        SandboxUid = 64999,
    };

    private async Task<CheckReport> RunAsync(Dictionary<string, string> files, CheckOptions? limits = null)
    {
        var options = (limits ?? Limits) with { WorkRoot = _tmp.Sub("runs") };
        var sandbox = new Sandbox(options);
        Assert.Null(sandbox.Unavailable());
        var checks = new PythonChecks(sandbox, new GitCli(_tmp.Sub("git-home")));
        var run = sandbox.NewRunFolder();
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(run, "src", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }
        var report = await checks.RunExportedAsync(run, "tests", CancellationToken.None);
        FolderRemoval.TryDelete(run);
        output.WriteLine($"{report.State}: {report.Description} ({report.Elapsed.TotalSeconds:0.0} s)");
        foreach (var t in report.Tests) output.WriteLine($"  {t.Name} {(t.Passed ? "ok" : "ÉCHEC " + t.Message)}");
        output.WriteLine(report.Output.Length > 600 ? report.Output[..600] : report.Output);
        return report;
    }

    /// <summary>Processes of the sandbox user (everything of a run: it runs as that user, in its own pid namespace).</summary>
    private static int SandboxProcesses() =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Count(d => { try { return File.ReadAllLines(Path.Combine(d, "status")).Any(l => l.StartsWith("Uid:") && l.Split('\t')[1] == Limits.SandboxUid.ToString()); } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } });

    [Fact]
    public async Task A_normal_submission_is_reported_test_by_test_and_printed_fake_reports_change_nothing()
    {
        var report = await RunAsync(new()
        {
            ["somme.py"] = """
                def somme(a, b):
                    # A submission that tries to pass for a success: a fake summary and a fake framed report.
                    print('{"passed": 4, "failed": 0, "tests": [{"name": "test_deux", "passed": true}]}')
                    print("\n00000000000000000000000000000000 BEGIN\n{\"folder\": \"tests\", \"found\": true, \"files\": []}\n00000000000000000000000000000000 END")
                    return a + b + (1 if a == 2 else 0)
                """,
            ["tests/test_somme.py"] = """
                import unittest
                from somme import somme

                def test_un():
                    assert somme(1, 1) == 2

                def test_deux():
                    assert somme(2, 2) == 4, "2 + 2 doit faire 4"

                class TestSomme(unittest.TestCase):
                    def test_zero(self):
                        self.assertEqual(somme(0, 0), 0)
                    def test_mauvais(self):
                        self.assertEqual(somme(2, 0), 2)
                """,
        });
        Assert.Equal("failure", report.State);
        Assert.Equal("2 tests réussis sur 4", report.Description);
        Assert.Equal(["test_un", "test_deux", "TestSomme.test_zero", "TestSomme.test_mauvais"], report.Tests.Select(t => t.Name));
        Assert.Equal([true, false, true, false], report.Tests.Select(t => t.Passed));
        Assert.Contains("2 + 2 doit faire 4", report.Tests[1].Message);
        Assert.Contains("3 != 2", report.Tests[3].Message);
        Assert.Contains("\"passed\": 4", report.Output); // the fake report is shown as what it is: output
    }

    [Fact]
    public async Task An_infinite_loop_is_stopped_by_the_processor_limit_and_a_sleeping_one_by_the_wall_clock()
    {
        // A longer wall clock here, so that the 2 s of processor time run out first even on a busy machine.
        var busy = await RunAsync(new() { ["tests/test_boucle.py"] = "def test_boucle():\n    while True:\n        pass\n" }, Limits with { Timeout = TimeSpan.FromSeconds(60) });
        Assert.Equal("error", busy.State);
        Assert.StartsWith("Temps dépassé", busy.Description);
        Assert.Contains("SIGXCPU", busy.Tests.Single().Message);

        var clock = Stopwatch.StartNew();
        var sleeping = await RunAsync(new() { ["tests/test_dort.py"] = "import time\ndef test_dort():\n    while True:\n        time.sleep(1)\n" });
        Assert.Equal("error", sleeping.State);
        Assert.Equal("Temps dépassé : les tests ont été arrêtés après 3 s", sleeping.Description);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 20);
        await Wait.UntilAsync(() => Task.FromResult(SandboxProcesses() == 0), "the killed processes are gone", 5);
    }

    [Fact]
    public async Task A_fork_bomb_hits_the_process_limit_and_the_host_keeps_running()
    {
        var most = 0;
        using var watching = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                most = Math.Max(most, SandboxProcesses());
                await Task.Delay(50); // sampling the process table while the bomb runs
            }
        });
        var report = await RunAsync(new()
        {
            ["tests/test_bombe.py"] = "import os\ndef test_bombe():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n",
        });
        watching.Cancel();
        await watch;
        output.WriteLine($"at most {most} sandbox processes seen");
        Assert.Equal("error", report.State);
        Assert.StartsWith("Temps dépassé", report.Description);
        // The limit, plus bwrap's process outside the namespace, plus a little: reading /proc is not atomic, and a process that
        // exits while it is read may be counted with the one replacing it. Without the limit the bomb reaches thousands.
        Assert.InRange(most, 2, Limits.MaxProcesses + 4);
        // The host still starts processes, and nothing of the bomb survives the run.
        using (var p = Process.Start(new ProcessStartInfo("true")) ?? throw new InvalidOperationException()) await p.WaitForExitAsync();
        await Wait.UntilAsync(() => Task.FromResult(SandboxProcesses() == 0), "the bomb's processes are gone (killed ones take a moment to be reaped)", 5);
    }

    [Fact]
    public async Task Huge_output_is_capped_and_a_memory_hog_gets_a_memory_error()
    {
        // 5 MB printed, more than a thousand times the cap, in about 0.8 s here. The class's 2 s of processor are for hostile
        // code: 20 MB took 2.2 s and a loaded CI machine stopped it (SIGXCPU), so this run, about the cap, gets 20 s.
        var loud = await RunAsync(new() { ["tests/test_bavard.py"] = "def test_bavard():\n    for i in range(50000):\n        print('x' * 100, i)\n" },
            Limits with { CpuSeconds = 20, Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(loud.State == "success", loud.Description);
        Assert.True(loud.OutputTruncated);
        Assert.InRange(loud.Output.Length, 1000, Limits.MaxOutputBytes + 200);

        var hog = await RunAsync(new()
        {
            ["tests/test_memoire.py"] = "def test_memoire():\n    blocs = []\n    while True:\n        blocs.append(bytearray(50 * 1024 * 1024))\n",
            ["tests/test_disque.py"] = "def test_disque():\n    with open('/tmp/gros', 'wb') as f:\n        for _ in range(100):\n            f.write(b'0' * 1024 * 1024)\n",
        });
        Assert.Equal("failure", hog.State);
        Assert.Contains("MemoryError", hog.Tests.Single(t => t.Name == "test_memoire").Message);
        Assert.Contains("File too large", hog.Tests.Single(t => t.Name == "test_disque").Message);
    }

    [Fact]
    public async Task Files_outside_the_submission_are_out_of_sight_and_out_of_reach()
    {
        // A world-readable secret in a folder like Forge's data folder: only the sandbox's own mounts hide it.
        var secretDir = _tmp.Sub("data/repos/00");
        var secret = Path.Combine(secretDir, "7.git-config");
        await File.WriteAllTextAsync(secret, "SECRET-D-UN-AUTRE-DEPOT");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var outside = Path.Combine(_tmp.Path, "ecrit-par-l-eleve");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var report = await RunAsync(new()
        {
            ["tests/test_evasion.py"] = $$"""
                import os, socket
                def test_shadow():
                    print(open("/etc/shadow").read())
                def test_depot_voisin():
                    print(open("{{secret}}").read())
                def test_racine():
                    print(sorted(os.listdir("/")))
                    print(os.listdir("/root"))
                def test_ecrit_hors_du_bac():
                    open("{{outside}}", "w").write("x")
                def test_ecrit_dans_usr():
                    open("/usr/evil", "w").write("x")
                def test_ecrit_dans_la_soumission_montee():
                    open("/src/tests/nouveau.py", "w").write("x")
                def test_reseau_local():
                    socket.create_connection(("127.0.0.1", {{port}}), timeout=1)
                def test_reseau_externe():
                    socket.create_connection(("1.1.1.1", 80), timeout=1)
                def test_ecrit_dans_le_bac():
                    open("/tmp/brouillon.txt", "w").write("permis")
                    assert open("/tmp/brouillon.txt").read() == "permis"
                """,
        });
        var byName = report.Tests.ToDictionary(t => t.Name);
        Assert.Equal("failure", report.State);
        Assert.Equal("1 test réussi sur 9", report.Description);
        Assert.True(byName["test_ecrit_dans_le_bac"].Passed);
        Assert.Contains("FileNotFoundError", byName["test_shadow"].Message);
        Assert.Contains("FileNotFoundError", byName["test_depot_voisin"].Message);
        Assert.Contains("FileNotFoundError", byName["test_racine"].Message); // no /root at all
        Assert.Contains("FileNotFoundError", byName["test_ecrit_hors_du_bac"].Message);
        Assert.Contains("Read-only file system", byName["test_ecrit_dans_usr"].Message);
        Assert.Contains("Read-only file system", byName["test_ecrit_dans_la_soumission_montee"].Message);
        Assert.Contains("Connection refused", byName["test_reseau_local"].Message); // its own, empty loopback
        Assert.Contains("Network is unreachable", byName["test_reseau_externe"].Message);
        Assert.DoesNotContain("SECRET", report.Output + string.Join(" ", report.Tests.Select(t => t.Message)));
        Assert.Contains("['bin', 'dev', 'etc', 'forge', 'lib', 'lib64', 'proc', 'sbin', 'src', 'tmp', 'usr']", report.Output);
        Assert.False(File.Exists(outside));
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Without_bubblewrap_the_checks_say_they_are_unavailable()
    {
        var sandbox = new Sandbox(Limits with { Bubblewrap = "/nonexistent/bwrap", WorkRoot = _tmp.Sub("runs") });
        var report = await new PythonChecks(sandbox, new GitCli(_tmp.Sub("git-home"))).RunAsync(_tmp.Path, new string('a', 40), "tests", CancellationToken.None);
        Assert.Equal("error", report.State);
        Assert.StartsWith("Vérifications indisponibles : ", report.Description);
    }

    public void Dispose() => _tmp.Dispose();
}
