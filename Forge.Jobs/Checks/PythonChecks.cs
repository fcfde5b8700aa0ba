using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forge.Git;

namespace Forge.Jobs.Checks;

/// <summary>One test of a run: <c>test_somme</c> or <c>TestTri.test_vide</c>, in a file relative to the repository root.</summary>
public sealed record CheckTest(string File, string Name, bool Passed, string Message);

/// <summary>
/// The outcome of a run, as a commit status: <see cref="State"/> is <c>success</c>, <c>failure</c> or <c>error</c>
/// (the checks could not say: time out, no tests, sandbox unavailable), <see cref="Description"/> a French sentence.
/// </summary>
public sealed record CheckReport(string State, string Description, IReadOnlyList<CheckTest> Tests, string Output, bool OutputTruncated, TimeSpan Elapsed)
{
    public static CheckReport Error(string description, string output = "") => new("error", description, [], output, false, TimeSpan.Zero);

    /// <summary>« 3 tests réussis sur 4 ».</summary>
    public static string Summary(int passed, int total) => $"{passed} {(passed > 1 ? "tests réussis" : "test réussi")} sur {total}";
}

/// <summary>
/// Runs a repository's Python tests at one commit in the <see cref="Sandbox"/>: the commit's files are exported with
/// <c>git archive</c> (regular files only, within <see cref="CheckOptions.MaxCheckoutBytes"/>), Forge's runner
/// (<c>runner.py</c>, standard library only) finds and runs <c>test_*.py</c> / <c>*_test.py</c> under the test folder, and
/// its report is read between two lines carrying a nonce drawn for this run and given on the runner's standard input.
/// </summary>
public sealed class PythonChecks(Sandbox sandbox, GitCli git)
{
    private static readonly Lazy<byte[]> Runner = new(() =>
    {
        using var stream = typeof(PythonChecks).Assembly.GetManifestResourceStream("Forge.Jobs.Checks.runner.py")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>A relative folder of plain names (letters, digits, <c>._-</c>), or null.</summary>
    public static string? NormalizeFolder(string? folder)
    {
        var f = (folder ?? "").Trim().Trim('/');
        if (f.Length == 0) return ".";
        if (f.Length > 200) return null;
        var parts = f.Split('/');
        return parts.All(p => p.Length > 0 && p != "." && p != ".." && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) ? f : null;
    }

    /// <summary>
    /// Runs the tests of <paramref name="folder"/> at <paramref name="commitSha"/> of the repository at <paramref name="repoPath"/>.
    /// With <paramref name="fixedTests"/> (a repository path and commit), the test files of that commit replace the checked
    /// commit's own (see <see cref="IsTestFile"/>): a pupil who edits or deletes the tests of their copy is still graded by the
    /// teacher's.
    /// </summary>
    public async Task<CheckReport> RunAsync(string repoPath, string commitSha, string folder, CancellationToken ct,
        (string RepoPath, string CommitSha)? fixedTests = null)
    {
        if (sandbox.Unavailable() is { } why) return CheckReport.Error("Vérifications indisponibles : " + why);
        if (NormalizeFolder(folder) is not { } testFolder) return CheckReport.Error("Dossier de tests invalide");
        var run = sandbox.NewRunFolder();
        try
        {
            if (!await ExportAsync(repoPath, commitSha, Path.Combine(run, "src"), ct))
                return TooBig();
            if (fixedTests is { } f && !await ReplaceTestsAsync(f.RepoPath, f.CommitSha, run, testFolder, ct))
                return TooBig();
            return await RunExportedAsync(run, testFolder, ct);
        }
        finally
        {
            FolderRemoval.TryDelete(run);
        }
    }

    private CheckReport TooBig() =>
        CheckReport.Error($"Dépôt trop volumineux pour les vérifications (plus de {sandbox.Options.MaxCheckoutBytes / (1024 * 1024)} Mio)");

    /// <summary>
    /// Whether <paramref name="path"/> (relative, with <c>/</c>) is a test file of <paramref name="folder"/>: everything under
    /// the folder (its helpers too), or, when the folder is the whole repository (<c>.</c>), the <c>test_*.py</c> and
    /// <c>*_test.py</c> files.
    /// </summary>
    public static bool IsTestFile(string path, string folder)
    {
        if (folder != ".") return path.StartsWith(folder + "/", StringComparison.Ordinal);
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".py", StringComparison.Ordinal) && (name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal));
    }

    /// <summary>Deletes the test files exported in <c>run/src</c> and puts those of <paramref name="commitSha"/> in their place.</summary>
    private async Task<bool> ReplaceTestsAsync(string repoPath, string commitSha, string run, string folder, CancellationToken ct)
    {
        var src = Path.Combine(run, "src");
        var tests = Path.Combine(run, "fixed-tests");
        try
        {
            foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
                if (IsTestFile(Path.GetRelativePath(src, file).Replace('\\', '/'), folder)) File.Delete(file);
            if (!await ExportAsync(repoPath, commitSha, tests, ct)) return false;
            foreach (var file in Directory.EnumerateFiles(tests, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(tests, file).Replace('\\', '/');
                if (!IsTestFile(relative, folder)) continue;
                var target = Path.Combine(src, relative);
                // The pupil's tree may have a file where the tests need a folder, or a folder where they need a file.
                for (var parent = Path.GetDirectoryName(target)!; parent.Length > src.Length; parent = Path.GetDirectoryName(parent)!)
                    if (File.Exists(parent)) File.Delete(parent);
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(file, target, overwrite: true);
            }
            return true;
        }
        finally
        {
            FolderRemoval.TryDelete(tests);
        }
    }

    /// <summary>Runs the tests over files already in <c>run/src</c> (tests give hostile submissions this way).</summary>
    public async Task<CheckReport> RunExportedAsync(string run, string testFolder, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(run, "forge"));
        await File.WriteAllBytesAsync(Path.Combine(run, "forge", "runner.py"), Runner.Value, ct);
        sandbox.HandOver(run);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var limits = sandbox.Options;
        var result = await sandbox.RunAsync(run, [limits.Python, "-I", "/forge/runner.py", testFolder, limits.MaxOutputBytes.ToString()], nonce + "\n", ct);
        if (result.TimedOut)
            return CheckReport.Error($"Temps dépassé : les tests ont été arrêtés après {limits.Timeout.TotalSeconds:0} s", Tail(result.Errors)) with { Elapsed = result.Elapsed };
        return Parse(result, nonce, testFolder, limits);
    }

    internal static CheckReport Parse(SandboxResult result, string nonce, string folder, CheckOptions limits)
    {
        var begin = $"\n{nonce} BEGIN\n";
        var end = $"\n{nonce} END\n";
        var start = result.Output.IndexOf(begin, StringComparison.Ordinal);
        var stop = start < 0 ? -1 : result.Output.IndexOf(end, start, StringComparison.Ordinal);
        if (start < 0 || stop < 0 || result.Output.IndexOf(begin, start + 1, StringComparison.Ordinal) >= 0)
            return CheckReport.Error("Le lanceur de tests n’a pas rendu de rapport", Tail(result.Errors)) with { Elapsed = result.Elapsed };
        using var doc = JsonDocument.Parse(result.Output.AsMemory(start + begin.Length, stop - start - begin.Length));
        var root = doc.RootElement;
        if (!root.GetProperty("found").GetBoolean()) return CheckReport.Error($"Dossier de tests « {folder} » introuvable") with { Elapsed = result.Elapsed };
        var tests = new List<CheckTest>();
        var output = new StringBuilder();
        var truncated = false;
        string? stopped = null;
        foreach (var file in root.GetProperty("files").EnumerateArray())
        {
            var name = file.GetProperty("file").GetString()!;
            foreach (var t in file.GetProperty("tests").EnumerateArray())
                tests.Add(new CheckTest(name, t.GetProperty("name").GetString()!, t.GetProperty("passed").GetBoolean(), t.GetProperty("message").GetString() ?? ""));
            var text = file.GetProperty("output").GetString() ?? "";
            if (text.Length > 0) output.Append("── ").Append(name).Append(" ──\n").Append(text).Append(text.EndsWith('\n') ? "" : "\n");
            truncated |= file.GetProperty("truncated").GetBoolean();
            if (file.GetProperty("exit").ValueKind == JsonValueKind.Number && file.GetProperty("exit").GetInt32() == -24) // SIGXCPU
                stopped = $"Temps dépassé : limite de {limits.CpuSeconds} s de calcul atteinte";
        }
        if (tests.Count == 0) return CheckReport.Error($"Aucun test trouvé dans « {folder} » (fichiers test_*.py ou *_test.py)", output.ToString()) with { Elapsed = result.Elapsed };
        var passed = tests.Count(t => t.Passed);
        var summary = CheckReport.Summary(passed, tests.Count);
        var state = stopped is not null ? "error" : passed == tests.Count ? "success" : "failure";
        return new CheckReport(state, stopped is null ? summary : $"{stopped} ({summary})", tests, output.ToString(), truncated, result.Elapsed);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    /// <summary>Writes the regular files of the commit under <paramref name="target"/>; false when they exceed the size limit.</summary>
    private async Task<bool> ExportAsync(string repoPath, string commitSha, string target, CancellationToken ct)
    {
        if (commitSha.Length != 40 || !commitSha.All(Uri.IsHexDigit)) throw new ArgumentException("a full commit id is required", nameof(commitSha));
        var fits = true;
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        var complete = await git.Command("archive").Option("--format", "tar").Value(commitSha).In(repoPath).ReadAsync(async (stream, token) =>
        {
            long total = 0;
            using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, token) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue; // folders follow files; links are left out
                var path = Path.GetFullPath(Path.Combine(target, entry.Name));
                if (!path.StartsWith(root, StringComparison.Ordinal)) continue;
                total += entry.Length;
                if (total > sandbox.Options.MaxCheckoutBytes) { fits = false; return false; }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using var file = File.Create(path);
                if (entry.DataStream is { } data) await data.CopyToAsync(file, token);
            }
            return true;
        }, ct);
        if (!complete && fits) throw new InvalidOperationException($"git archive of {commitSha} failed");
        return fits;
    }
}
