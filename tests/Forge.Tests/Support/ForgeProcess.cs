using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forge.Tests.Support;

/// <summary>
/// Forge as an operator runs it: <c>dotnet Forge.Web.dll</c> in a process of its own (server or admin command),
/// so a test can kill it with SIGKILL and read what it logged.
/// </summary>
public sealed class ForgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ForgeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public IReadOnlyList<string> Lines => [.. _lines];

    private static ProcessStartInfo Dotnet(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Forge.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs <c>forge admin …</c> to completion: exit code and everything it printed.</summary>
    public static async Task<(int Code, string Output)> AdminAsync(IDictionary<string, string>? env, params string[] args)
    {
        using var process = Process.Start(Dotnet(["admin", .. args], env))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts a server on a free loopback port and waits until it answers.</summary>
    public static Task<ForgeProcess> StartAsync(string dataPath, params string[] extraArgs) =>
        StartAsync(new Uri($"http://127.0.0.1:{FreePort()}"), dataPath, extraArgs);

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Starts a server at <paramref name="address"/> (another loopback address such as 127.0.0.2 keeps its cookies apart
    /// from a server on 127.0.0.1, as two sites are in a browser) and waits until it answers.
    /// </summary>
    public static async Task<ForgeProcess> StartAsync(Uri address, string dataPath, params string[] extraArgs)
    {
        var url = address.GetLeftPart(UriPartial.Authority);
        TestKeys.Seed(dataPath);
        var process = Process.Start(Dotnet(["--urls", url, "--data", dataPath, "--environment", "Production",
            "--Logging:LogLevel:Default", "Warning", "--Logging:Console:FormatterOptions:SingleLine", "true", .. extraArgs]))!;
        var forge = new ForgeProcess(process, new Uri(url));
        using var client = new HttpClient { BaseAddress = forge.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException("Forge exited:\n" + string.Join("\n", forge.Lines));
            try { return (await client.GetAsync("/api/v1/version")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, "Forge answers", seconds: 60);
        return forge;
    }

    /// <summary>Waits for a logged line containing <paramref name="text"/>.</summary>
    public Task<string> WaitForLineAsync(string text, int seconds = 60)
    {
        string? found = null;
        return Wait.UntilAsync(() => Task.FromResult((found = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))) is not null),
            $"a log line with « {text} »", seconds).ContinueWith(t => { t.GetAwaiter().GetResult(); return found!; });
    }

    /// <summary>SIGKILL: no shutdown, no flushing, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
        return client;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
