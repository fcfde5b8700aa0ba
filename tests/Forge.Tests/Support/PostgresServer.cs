using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forge.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server (Debian's postgresql package) started by the test itself in a temporary
/// folder on a free loopback port, run as the <c>postgres</c> system user, stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDir _dir = new("forge-pg");
    private readonly string _bin;
    private readonly string _data;

    private PostgresServer(string bin)
    {
        _bin = bin;
        _data = Path.Combine(_dir.Path, "cluster");
    }

    public int Port { get; private set; }
    public string Url => $"postgres://forge@127.0.0.1:{Port}/forge";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("PostgreSQL is not installed: ./forge test installs Debian's postgresql package.");
        var server = new PostgresServer(bin);
        await server.InitAsync();
        return server;
    }

    private async Task InitAsync()
    {
        Port = FreePort();
        await RunAsync("chown", "postgres:postgres", _dir.Path);
        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", _data, "-A", "trust", "-U", "forge", "--no-sync", "-E", "UTF8", "--locale", "C");
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-w", "-t", "60", "-l", Path.Combine(_dir.Path, "log"),
            "-o", $"-p {Port} -k {_dir.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task RunAsPostgresAsync(string program, params string[] args) =>
        Environment.UserName == "postgres" ? RunAsync(program, args) : RunAsync("runuser", ["-u", "postgres", "--", program, .. args]);

    private static async Task RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        _dir.Dispose();
    }
}
