using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Forge.Git;

namespace Forge.Jobs.Checks;

/// <summary>What came out of one sandboxed command.</summary>
public sealed record SandboxResult(int ExitCode, string Output, bool OutputTruncated, string Errors, bool TimedOut, TimeSpan Elapsed);

/// <summary>
/// Runs a command over a read-only copy of a submission inside bubblewrap: every namespace unshared (no network, its own
/// processes, its own user), <c>/usr</c> read-only and nothing else of the host (no <c>/home</c>, <c>/root</c>, Forge's
/// data, no <c>/etc</c> but the loader cache), a size-limited tmpfs as the only writable place, an unprivileged user
/// (Forge as root first drops to <see cref="CheckOptions.SandboxUid"/> with <c>setpriv</c>: RLIMIT_NPROC does not bind
/// root), resource limits set with <c>prlimit</c> inside the sandbox, a wall-clock timeout that kills the whole tree, and
/// output read with a cap (the rest is drained and dropped, never buffered).
/// </summary>
public sealed class Sandbox(CheckOptions options)
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string?> Probes = [];

    public CheckOptions Options => options;

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true, EntryPoint = "chown")]
    private static extern int Chown(string path, int owner, int group);

    private static bool IsRoot => geteuid() == 0;

    /// <summary>Null when sandboxed runs work on this machine, else why not (in French). Probed once per setting.</summary>
    public string? Unavailable()
    {
        lock (Gate)
        {
            var key = options.Bubblewrap + "|" + options.Python + "|" + options.SandboxUid;
            if (Probes.TryGetValue(key, out var known)) return known;
            string? why;
            try
            {
                var dir = NewRunFolder();
                HandOver(dir);
                try
                {
                    var result = RunAsync(dir, ["/usr/bin/true"], null, CancellationToken.None).GetAwaiter().GetResult();
                    why = result.ExitCode == 0 ? null : "bubblewrap ne démarre pas : " + result.Errors.Trim();
                }
                finally { FolderRemoval.TryDelete(dir); }
                if (why is null && !File.Exists(options.Python)) why = $"Python ({options.Python}) est absent";
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                why = $"bubblewrap ({options.Bubblewrap}) est absent ou inutilisable : {e.Message}";
            }
            Probes[key] = why;
            return why;
        }
    }

    /// <summary>A fresh folder for one run (its <c>src</c> is the submission), readable by the sandbox user only.</summary>
    public string NewRunFolder()
    {
        Directory.CreateDirectory(options.WorkRoot);
        File.SetUnixFileMode(options.WorkRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var dir = Path.Combine(options.WorkRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    /// <summary>Gives the run folder to the sandbox user (when Forge runs as root), so it can read what is mounted from it.</summary>
    public void HandOver(string runFolder)
    {
        if (!IsRoot) return;
        foreach (var path in Directory.EnumerateFileSystemEntries(runFolder, "*", SearchOption.AllDirectories).Prepend(runFolder))
            Chown(path, options.SandboxUid, options.SandboxUid);
    }

    /// <summary>
    /// Runs <paramref name="command"/> (absolute paths inside the sandbox) with <c>runFolder/src</c> mounted read-only at
    /// <c>/src</c> and <c>runFolder/forge</c> (if any) read-only at <c>/forge</c>; <paramref name="input"/> is written to its
    /// standard input.
    /// </summary>
    public async Task<SandboxResult> RunAsync(string runFolder, IReadOnlyList<string> command, string? input, CancellationToken ct)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = runFolder,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        var args = new List<string>();
        if (IsRoot)
        {
            psi.FileName = "setpriv";
            args.AddRange([$"--reuid={options.SandboxUid}", $"--regid={options.SandboxUid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--", options.Bubblewrap]);
        }
        else psi.FileName = options.Bubblewrap;
        args.AddRange([
            "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--uid", options.SandboxUid.ToString(), "--gid", options.SandboxUid.ToString(), "--hostname", "bac-a-sable",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--ro-bind-try", "/etc/localtime", "/etc/localtime",
            "--proc", "/proc", "--dev", "/dev",
            "--size", options.ScratchBytes.ToString(), "--tmpfs", "/tmp",
            "--ro-bind", Path.Combine(runFolder, "src"), "/src",
        ]);
        if (Directory.Exists(Path.Combine(runFolder, "forge"))) args.AddRange(["--ro-bind", Path.Combine(runFolder, "forge"), "/forge"]);
        args.AddRange([
            "--chdir", "/tmp", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8", "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "PYTHONIOENCODING", "utf-8",
            "--", "/usr/bin/prlimit",
            $"--nproc={options.MaxProcesses}", $"--as={options.MemoryBytes}", $"--cpu={options.CpuSeconds}:{options.CpuSeconds + 1}",
            $"--fsize={options.MaxFileBytes}", "--nofile=256", "--core=0", "--",
        ]);
        args.AddRange(command);
        foreach (var a in args) psi.ArgumentList.Add(a);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("bubblewrap did not start");
        // The report: the kept output (JSON-escaped, up to twice as long) and every test's name and message (at most 2,000 characters each).
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, options.MaxOutputBytes * 2 + 4 * 1024 * 1024);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, 16 * 1024);
        try
        {
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        catch (IOException) { /* the command did not read its input */ }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !ct.IsCancellationRequested;
            // bwrap's child dies with it (--die-with-parent), and with the sandbox's pid 1 every process inside.
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
        }
        var (output, truncated) = await stdout;
        var (errors, _) = await stderr;
        ct.ThrowIfCancellationRequested();
        return new SandboxResult(timedOut ? -1 : process.ExitCode, output, truncated, errors, timedOut, clock.Elapsed);
    }

    /// <summary>Keeps the first <paramref name="cap"/> bytes of a stream and drains the rest.</summary>
    private static async Task<(string Text, bool Truncated)> ReadCappedAsync(Stream stream, int cap)
    {
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var truncated = false;
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                var room = cap - (int)kept.Length;
                if (room > 0) kept.Write(buffer, 0, Math.Min(room, n));
                if (n > room) truncated = true;
            }
        }
        catch (IOException) { }
        return (Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length), truncated);
    }
}
