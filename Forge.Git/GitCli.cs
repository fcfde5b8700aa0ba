using System.Diagnostics;
using System.Text;

namespace Forge.Git;

/// <summary>
/// The only way Forge starts the <c>git</c> program. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>
/// (no shell), options come from a closed set, user values are refused when they could be read as options,
/// and the environment is rebuilt from scratch so no inherited <c>GIT_*</c> variable or system config applies.
/// </summary>
public sealed class GitCli
{
    private static readonly HashSet<string> AllowedSubcommands =
        ["init", "upload-pack", "receive-pack", "symbolic-ref", "config", "update-server-info", "pack-refs", "gc", "count-objects",
            "blame", "archive", "update-ref", "commit-graph", "log", "merge-base", "repack", "fsck", "fetch", "merge-tree"];

    private readonly string _home;

    /// <param name="home">A folder owned by Forge used as <c>HOME</c> for every git process. Forge writes its own
    /// hooks into <c>home/hooks</c>; they are the only hooks git ever runs, and only for receive-pack.</param>
    public GitCli(string home)
    {
        _home = Path.GetFullPath(home);
        Directory.CreateDirectory(_home);
        HooksPath = Path.Combine(_home, "hooks");
        ForgeHooks.Install(HooksPath);
        ScratchPath = Path.Combine(_home, "tmp");
        Directory.CreateDirectory(ScratchPath);
        // What a killed process left (another process sharing this home only ever loses a shortcut, never a check).
        foreach (var stale in new DirectoryInfo(ScratchPath).EnumerateFiles().Where(f => f.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1)))
        {
            try { stale.Delete(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A folder of Forge's own for the short-lived files it shares with its hooks.</summary>
    public string ScratchPath { get; }

    /// <summary>The folder of Forge's own hooks (never a repository's <c>hooks</c> folder).</summary>
    public string HooksPath { get; }

    /// <summary>Starts building a command for one of the allowed git subcommands.</summary>
    public GitCommand Command(string subcommand)
    {
        if (!AllowedSubcommands.Contains(subcommand))
            throw new ArgumentException($"git {subcommand} is not an allowed subcommand", nameof(subcommand));
        return new GitCommand(this, subcommand);
    }

    internal ProcessStartInfo StartInfo(GitCommand command)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory ?? _home,
        };
        // Rebuild the environment: inherited GIT_* variables could redirect git anywhere.
        foreach (var key in psi.Environment.Keys.ToList())
            if (key.StartsWith("GIT_", StringComparison.Ordinal) || key.StartsWith("FORGE_", StringComparison.Ordinal)
                || key is "HOME" or "XDG_CONFIG_HOME" or "PREFIX")
                psi.Environment.Remove(key);
        psi.Environment["HOME"] = _home;
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config");
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        foreach (var (k, v) in command.Environment) psi.Environment[k] = v;
        // Global options that neutralise hooks or protocols someone might smuggle in through a config file.
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("protocol.allow=never");
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("protocol.file.allow=" + (command.FetchesLocally ? "always" : "never"));
        // Hooks never come from the repository: none at all, or Forge's own folder for a push it must police.
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("core.hooksPath=" + (command.UsesForgeHooks ? HooksPath : "/dev/null"));
        // No `git gc --auto` at the end of every push (git's client would wait for it): Forge's maintenance job repacks
        // a repository a little after pushes, when it needs it.
        if (command.Subcommand == "receive-pack") { psi.ArgumentList.Add("-c"); psi.ArgumentList.Add("receive.autogc=false"); }
        psi.ArgumentList.Add(command.Subcommand);
        foreach (var a in command.Arguments) psi.ArgumentList.Add(a);
        return psi;
    }
}

/// <summary>A git command under construction. Options are typed; user values must not look like options.</summary>
public sealed class GitCommand
{
    private static readonly HashSet<string> AllowedOptions =
    [
        "--bare", "--stateless-rpc", "--advertise-refs", "--quiet", "--initial-branch", "--get", "--unset", "-q", "--auto",
        "--all", "--prune", "-v", "--porcelain", "--format", "--prefix", "-w", "-d", "--no-deref",
        "--reachable", "--changed-paths", "--raw", "-r", "-t", "-c", "--no-abbrev", "-z", "--no-renames", "--is-ancestor",
        "--max-count", "--root", "-a", "--connectivity-only", "--stdin",
        "--write-tree", "--name-only", "--no-messages", "--no-tags", "--no-write-fetch-head",
    ];

    private readonly GitCli _cli;
    internal string Subcommand { get; }
    internal List<string> Arguments { get; } = [];
    internal Dictionary<string, string> Environment { get; } = [];
    internal string? WorkingDirectory { get; private set; }
    internal bool UsesForgeHooks { get; private set; }
    internal bool FetchesLocally { get; private set; }

    internal GitCommand(GitCli cli, string subcommand)
    {
        _cli = cli;
        Subcommand = subcommand;
    }

    /// <summary>Adds a trusted option from the closed set, optionally with a value (<c>--opt=value</c>).</summary>
    public GitCommand Option(string option, string? value = null)
    {
        if (!AllowedOptions.Contains(option)) throw new ArgumentException($"option {option} is not allowed", nameof(option));
        if (value is not null && (value.Contains('\n') || value.Contains('\0'))) throw new ArgumentException("bad option value", nameof(value));
        Arguments.Add(value is null ? option : $"{option}={value}");
        return this;
    }

    /// <summary>Adds a value (path, ref, config key). A value that could be read as an option is refused.</summary>
    public GitCommand Value(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.StartsWith('-')) throw new ArgumentException("a git argument may not start with '-'", nameof(value));
        if (value.Contains('\0') || value.Contains('\n')) throw new ArgumentException("a git argument may not contain control characters", nameof(value));
        Arguments.Add(value);
        return this;
    }

    /// <summary>Ends option parsing, then adds a value.</summary>
    public GitCommand Path(string path) => Paths([path]);

    /// <summary>Ends option parsing, then adds values (paths).</summary>
    public GitCommand Paths(IEnumerable<string> paths)
    {
        Arguments.Add("--");
        foreach (var path in paths) Value(path);
        return this;
    }

    public GitCommand In(string directory)
    {
        WorkingDirectory = directory;
        return this;
    }

    /// <summary>
    /// Sets a <c>GIT_*</c> variable for git, or a <c>FORGE_*</c> variable read by Forge's own hooks. Values are
    /// single lines and never start with <c>-</c>.
    /// </summary>
    public GitCommand Env(string name, string value)
    {
        if (!(name.StartsWith("GIT_", StringComparison.Ordinal) || name.StartsWith("FORGE_", StringComparison.Ordinal))
            || value.Contains('\0') || value.Contains('\n') || value.Contains('\r') || value.StartsWith('-'))
            throw new ArgumentException("bad git environment variable", nameof(name));
        Environment[name] = value;
        return this;
    }

    /// <summary>Runs Forge's own hooks (see <see cref="ForgeHooks"/>); only <c>receive-pack</c> may.</summary>
    public GitCommand WithForgeHooks()
    {
        if (Subcommand != "receive-pack") throw new InvalidOperationException("only receive-pack runs Forge's hooks");
        UsesForgeHooks = true;
        return this;
    }

    /// <summary>
    /// Lets <c>git fetch</c> read another repository of this forge by its path (the file protocol, otherwise refused):
    /// only Forge's own code calls this, with a path it built from a repository id.
    /// </summary>
    public GitCommand FromLocalRepository()
    {
        if (Subcommand != "fetch") throw new InvalidOperationException("only fetch reads a local repository");
        FetchesLocally = true;
        return this;
    }

    /// <summary>Runs the command to completion and returns its exit code, standard output and error (small outputs only).</summary>
    public async Task<GitResult> RunAsync(CancellationToken ct = default)
    {
        using var process = Process.Start(_cli.StartInfo(this)) ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }
        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs the command and hands its standard output to <paramref name="consume"/>, which may stop reading at any
    /// point by returning false: git is then stopped (a long <c>git log</c> read until what was looked for is found).
    /// Returns true when git ran to the end successfully, false when it failed or was stopped early.
    /// </summary>
    public async Task<bool> ReadAsync(Func<Stream, CancellationToken, Task<bool>> consume, CancellationToken ct)
    {
        using var process = Process.Start(_cli.StartInfo(this)) ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        var stderr = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        await using var registration = ct.Register(() => TryKill(process));
        var complete = false;
        try
        {
            complete = await consume(process.StandardOutput.BaseStream, ct);
        }
        finally
        {
            // Whatever git still has to say is not wanted: stop it rather than read it to the end.
            if (!complete) TryKill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await stderr;
        }
        ct.ThrowIfCancellationRequested();
        return complete && process.ExitCode == 0;
    }

    /// <summary>
    /// Runs the command streaming <paramref name="input"/> to its standard input and its standard output to
    /// <paramref name="output"/>, both concurrently (git reads and writes at the same time in smart HTTP).
    /// The process is killed when <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<GitResult> StreamAsync(Stream? input, Stream output, CancellationToken ct)
    {
        using var process = Process.Start(_cli.StartInfo(this)) ?? throw new InvalidOperationException("git did not start");
        LargePipes.Enlarge(process.StandardOutput.BaseStream);
        LargePipes.Enlarge(process.StandardInput.BaseStream);
        var stderrBuffer = new StringBuilder();
        var stderr = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardError.ReadAsync(buffer, CancellationToken.None)) > 0)
                if (stderrBuffer.Length < 64 * 1024) stderrBuffer.Append(buffer, 0, n);
        }, CancellationToken.None);
        await using var registration = ct.Register(() => TryKill(process));
        var feed = Task.Run(async () =>
        {
            try
            {
                if (input is not null) await input.CopyToAsync(process.StandardInput.BaseStream, LargePipes.CopyBufferSize, ct);
            }
            catch (IOException)
            {
                // git closed its input early (for example after refusing a push): its output says why.
            }
            finally
            {
                try { process.StandardInput.Close(); } catch (IOException) { }
            }
        }, CancellationToken.None);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, LargePipes.CopyBufferSize, ct);
            await feed;
            await process.WaitForExitAsync(ct);
            await stderr;
        }
        catch
        {
            TryKill(process);
            throw;
        }
        return new GitResult(process.ExitCode, "", stderrBuffer.ToString());
    }

    private static void TryKill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}

/// <summary>Exit code and output of a finished git command.</summary>
public sealed record GitResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Success => ExitCode == 0;

    public GitResult EnsureSuccess()
    {
        if (!Success) throw new GitCommandException(ExitCode, StandardError);
        return this;
    }
}

public sealed class GitCommandException(int exitCode, string stderr)
    : Exception($"git exited with {exitCode}: {stderr.Trim()}")
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Pipes to and from git sized for packs: Linux gives a pipe 64 KiB, so a clone of a few hundred megabytes crossed Forge
/// in thousands of small reads and writes, each waking a thread. With 1 MiB pipes and copy buffers git writes ahead and
/// Forge moves more per wake-up (memory stays bounded: one buffer per direction).
/// </summary>
internal static partial class LargePipes
{
    public const int CopyBufferSize = 1024 * 1024;
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    /// <summary>Asks Linux for a 1 MiB pipe behind <paramref name="stream"/>; nothing happens elsewhere or if refused.</summary>
    public static void Enlarge(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not System.IO.Pipes.PipeStream { SafePipeHandle: { IsInvalid: false } handle }) return;
        try
        {
            fcntl((int)handle.DangerousGetHandle(), SetPipeSize, CopyBufferSize);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }
}
