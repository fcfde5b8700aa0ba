using System.Diagnostics;

namespace Forge.Tests.Support;

/// <summary>
/// Builds a working repository with the real git CLI, with a fixed author and fixed dates so that commit ids
/// are the same on every run. Each commit advances the clock by one hour.
/// </summary>
public sealed class TestRepo
{
    private DateTimeOffset _clock = new(2025, 9, 1, 8, 0, 0, TimeSpan.FromHours(2));

    public TestRepo(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Alice Martin");
        Git("config", "user.email", "alice@ac-lyon.fr");
        Git("config", "core.quotepath", "false");
    }

    public string Path { get; }

    public TestRepo Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public TestRepo WriteBytes(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit id.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        _clock = _clock.AddHours(1);
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Commits what is staged only (for index entries with no file in the work tree, such as submodules).</summary>
    public string CommitStaged(string message)
    {
        _clock = _clock.AddHours(1);
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git in the repository with the fixed identity and clock; returns standard output.</summary>
    public string Git(params string[] args) => Run("git", args);

    /// <summary>Runs a shell snippet in the repository (for what .NET cannot express, such as non-UTF-8 file names).</summary>
    public string Shell(string script) => Run("bash", ["-c", script]);

    private string Run(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["HOME"] = Path;
        var date = _clock.ToString("yyyy-MM-ddTHH:mm:sszzz");
        psi.Environment["GIT_AUTHOR_DATE"] = date;
        psi.Environment["GIT_COMMITTER_DATE"] = date;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {stderr.Result}");
        return stdout.Result;
    }
}
