using Microsoft.Extensions.Configuration;

namespace Forge.Jobs.Checks;

/// <summary>
/// Limits of the automatic checks' sandbox, read from <c>Forge:Checks:*</c> (see README « Vérifications automatiques »).
/// </summary>
public sealed record CheckOptions
{
    /// <summary>Wall-clock time of a whole run; then every process of the sandbox is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Processor seconds per process (RLIMIT_CPU).</summary>
    public int CpuSeconds { get; init; } = 30;
    /// <summary>Address space per process (RLIMIT_AS).</summary>
    public long MemoryBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>Processes and threads the sandbox user may have at once (RLIMIT_NPROC).</summary>
    public int MaxProcesses { get; init; } = 64;
    /// <summary>Largest file a process may write (RLIMIT_FSIZE).</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;
    /// <summary>Size of the only writable place, a tmpfs holding the copy of the submission.</summary>
    public long ScratchBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Output kept from the tests (the rest is dropped and the page says so).</summary>
    public int MaxOutputBytes { get; init; } = 64 * 1024;
    /// <summary>Largest checkout (sum of file sizes) a run accepts.</summary>
    public long MaxCheckoutBytes { get; init; } = 32L * 1024 * 1024;
    /// <summary>Runs at once on this node (a dedicated Hangfire queue with this many workers).</summary>
    public int Concurrency { get; init; } = 1;
    /// <summary>The unprivileged user (and group) the submission runs as when Forge runs as root.</summary>
    public int SandboxUid { get; init; } = 65534;
    public string Bubblewrap { get; init; } = "bwrap";
    public string Python { get; init; } = "/usr/bin/python3";
    /// <summary>Where checkouts are made (each run gets its own folder, deleted after).</summary>
    public string WorkRoot { get; init; } = Path.Combine(Path.GetTempPath(), "forge-checks");

    public static CheckOptions From(IConfiguration config)
    {
        var s = config.GetSection("Forge:Checks");
        var d = new CheckOptions();
        int I(string key, int def) => int.TryParse(s[key], out var v) && v > 0 ? v : def;
        long L(string key, long def) => long.TryParse(s[key], out var v) && v > 0 ? v : def;
        return new CheckOptions
        {
            Timeout = TimeSpan.FromSeconds(I("TimeoutSeconds", (int)d.Timeout.TotalSeconds)),
            CpuSeconds = I("CpuSeconds", d.CpuSeconds),
            MemoryBytes = L("MemoryBytes", d.MemoryBytes),
            MaxProcesses = I("MaxProcesses", d.MaxProcesses),
            MaxFileBytes = L("MaxFileBytes", d.MaxFileBytes),
            ScratchBytes = L("ScratchBytes", d.ScratchBytes),
            MaxOutputBytes = I("MaxOutputBytes", d.MaxOutputBytes),
            MaxCheckoutBytes = L("MaxCheckoutBytes", d.MaxCheckoutBytes),
            Concurrency = I("Concurrency", d.Concurrency),
            SandboxUid = I("SandboxUid", d.SandboxUid),
            Bubblewrap = s["Bubblewrap"] is { Length: > 0 } b ? b : d.Bubblewrap,
            Python = s["Python"] is { Length: > 0 } p ? p : d.Python,
            WorkRoot = s["WorkRoot"] is { Length: > 0 } w ? w : d.WorkRoot,
        };
    }
}
