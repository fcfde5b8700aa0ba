using System.Diagnostics;

namespace Forge.Tests.Support;

/// <summary>The real git command-line client, isolated from the machine's configuration.</summary>
public sealed class GitClient
{
    private readonly string _home;

    public GitClient(string home)
    {
        _home = home;
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, ".gitconfig"),
            "[user]\n\tname = Alice Martin\n\temail = alice@ac-lyon.fr\n[init]\n\tdefaultBranch = main\n[protocol]\n\tversion = 2\n");
    }

    /// <summary>Runs git in <paramref name="workDir"/>; with credentials, answers git's prompt through a helper (after a 401).</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string workDir, (string User, string Secret)? credentials, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["HOME"] = _home;
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["LC_ALL"] = "C";
        // Debugging aid: FORGE_TEST_TRACE_CURL=1 dotnet test ... shows every HTTP exchange of the git client.
        if (Environment.GetEnvironmentVariable("FORGE_TEST_TRACE_CURL") == "1") psi.Environment["GIT_TRACE_CURL"] = "1";
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("credential.helper=");
        if (credentials is { } c)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"credential.helper=!f() {{ echo username={c.User}; echo password={c.Secret}; }}; f");
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async Task<string> MustAsync(string workDir, (string User, string Secret)? credentials, params string[] args)
    {
        var (code, output) = await RunAsync(workDir, credentials, args);
        if (code != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({code}):\n{output}");
        return output;
    }
}
