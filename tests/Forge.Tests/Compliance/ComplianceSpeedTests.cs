using System.Diagnostics;
using System.Text;
using Forge.Core.Licences;
using Forge.Jobs.Compliance;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Compliance;

/// <summary>
/// A course repository of 10,000 files pushed for real, checked by the jobs in-process. Reports the times (see
/// bench/compliance/run.sh) without asserting them: the machine is shared; correctness is asserted.
/// </summary>
public sealed class ComplianceSpeedTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>
    /// 10,000 files with <c>git fast-import</c>: 7,000 Markdown pages, 1,500 Python files with SPDX headers, 1,000 binary
    /// images with .license sidecars for half of them, 500 CSV files; a LICENSE and a resource.yml at the root.
    /// </summary>
    private static void Generate(string path)
    {
        var random = new Random(10_000);
        var psi = new ProcessStartInfo("git") { WorkingDirectory = path, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "fast-import", "--quiet" }) psi.ArgumentList.Add(a);
        using var git = Process.Start(psi)!;
        var stdin = git.StandardInput.BaseStream;
        void Write(string s) => stdin.Write(Encoding.UTF8.GetBytes(s));
        void File(string name, byte[] data)
        {
            Write($"M 100644 inline {name}\ndata {data.Length}\n");
            stdin.Write(data);
            Write("\n");
        }
        Write("commit refs/heads/main\ncommitter Alice Martin <alice@ac-lyon.fr> 1767225600 +0100\ndata 14\nCours complet\n");
        File("LICENSE", Encoding.UTF8.GetBytes(LicenceCatalogue.TextOf("CC-BY-SA-4.0")!));
        File("resource.yml", Encoding.UTF8.GetBytes("title: Cours complet\nlicence: CC-BY-SA-4.0\n"));
        var n = 2;
        for (var i = 0; n < 10_000; i++)
        {
            var folder = $"chapitre-{i / 100:000}";
            switch (i % 20)
            {
                case < 14:
                    File($"{folder}/page-{i}.md", Encoding.UTF8.GetBytes($"# Page {i}\n\n" + string.Concat(Enumerable.Repeat("Texte du cours sur les algorithmes de tri. ", 30)) + "\n"));
                    n++;
                    break;
                case < 17:
                    File($"{folder}/code-{i}.py", Encoding.UTF8.GetBytes($"# SPDX-FileCopyrightText: 2025 Alice Martin\n# SPDX-License-Identifier: MIT\n\ndef f{i}(t):\n    return sorted(t)\n"));
                    n++;
                    break;
                case < 19:
                    var image = new byte[4096];
                    random.NextBytes(image);
                    image[0] = 0;
                    File($"{folder}/figure-{i}.png", image);
                    n++;
                    if (i % 2 == 0 && n < 10_000)
                    {
                        File($"{folder}/figure-{i}.png.license", "SPDX-FileCopyrightText: 2025 Musée\nSPDX-License-Identifier: CC-BY-4.0\n"u8.ToArray());
                        n++;
                    }
                    break;
                default:
                    File($"{folder}/donnees-{i}.csv", Encoding.UTF8.GetBytes("ville;population\nLyon;522250\nGrenoble;156389\n"));
                    n++;
                    break;
            }
        }
        Write("\n");
        stdin.Close();
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException("git fast-import failed");
    }

    [Fact]
    public async Task A_repository_of_ten_thousand_files_is_checked_and_rechecked_incrementally()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "gros-cours");
        var work = new TestRepo(_tmp.Sub("work"));
        Generate(work.Path);
        work.Git("checkout", "-q", "main");
        Assert.Equal("10000", work.Git("ls-files").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ToString());
        var git = new GitClient(_tmp.Sub("home"));
        await git.MustAsync(work.Path, ("alice", token), "push", "-q", _server.Url("/alice/gros-cours.git"), "main");

        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        var id = db.Repositories.Single(r => r.Name == "gros-cours").Id;
        var licences = scope.ServiceProvider.GetRequiredService<LicenceCheckJob>();
        var privacy = scope.ServiceProvider.GetRequiredService<PrivacyScanJob>();
        var store = scope.ServiceProvider.GetRequiredService<Forge.Web.Compliance.ComplianceStore>();

        var clock = Stopwatch.StartNew();
        await licences.RunAsync(id, CancellationToken.None);
        var full = clock.Elapsed;
        var report = (await store.ReportAsync(id))!;
        Assert.Equal(10_000, report.Files.Read);
        // Every file but LICENSE and the 476 .license sidecars is content, and all of it is covered (MIT code and CC-BY-4.0
        // images inside a CC-BY-SA-4.0 course are open too: nothing to report).
        Assert.Equal((9_523, 9_523), (report.Files.Total, report.Files.Covered));
        Assert.Equal(LicenceStatus.Open, report.Status);

        clock.Restart();
        await privacy.RunAsync(id, CancellationToken.None);
        var scan = clock.Elapsed;

        work.Write("chapitre-005/page-510.md", "<!-- SPDX-License-Identifier: CC-BY-NC-4.0 -->\n# Page empruntée\n").Commit("Page empruntée");
        await git.MustAsync(work.Path, ("alice", token), "push", "-q", _server.Url("/alice/gros-cours.git"), "main");
        clock.Restart();
        await licences.RunAsync(id, CancellationToken.None);
        var incremental = clock.Elapsed;
        report = (await store.ReportAsync(id))!;
        Assert.Equal(1, report.Files.Read);
        Assert.Contains(report.Findings, f => f is { Code: "restricted-file", Path: "chapitre-005/page-510.md" });

        var line = $"compliance: 10,000 files — licence check {full.TotalSeconds:0.00} s (full), {incremental.TotalSeconds:0.00} s (one file changed); " +
                   $"personal-data scan {scan.TotalSeconds:0.00} s (full, {Environment.ProcessorCount} CPU)";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
