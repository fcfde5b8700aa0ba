using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs.Images;

/// <summary>
/// Thumbnails on disk, named by blob id (<c>thumbs/ab/abcdef…-640.webp</c>): a blob never changes, so neither does its
/// thumbnail, whichever repository, branch or path it is reached from. A <c>.refused</c> marker remembers the images
/// that could not or must not be decoded, so they are never tried again.
/// </summary>
public sealed class ThumbnailStore(string root)
{
    /// <summary>Widths made for every raster image larger than them (CSS pixels of a phone, a page column, a projector).</summary>
    public static readonly IReadOnlyList<int> Widths = [320, 640, 1280];

    /// <summary>Images larger than this are not decoded at all.</summary>
    public const long MaxSourceBytes = 20L * 1024 * 1024;

    /// <summary>Raster formats thumbnails are made for. SVG is never decoded (shown as an image, never inline); GIF keeps its animation.</summary>
    public static bool IsThumbnailable(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".webp" or ".bmp" or ".tga" or ".tif" or ".tiff";

    public string Root => root;

    public string Prefix(string blobId)
    {
        if (blobId.Length < 40 || !blobId.All(Uri.IsHexDigit)) throw new ArgumentException("not an object id", nameof(blobId));
        return Path.Combine(root, blobId[..2], blobId.ToLowerInvariant());
    }

    /// <summary>The sizes known for a blob, or null when its thumbnails were not made (yet).</summary>
    public ThumbnailInfo? Info(string blobId)
    {
        var file = Prefix(blobId) + ".json";
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<ThumbnailInfo>(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public bool IsRefused(string blobId) => File.Exists(Prefix(blobId) + ".refused");

    /// <summary>The smallest thumbnail at least <paramref name="width"/> wide (else the largest); null when the original should be served.</summary>
    public string? Best(string blobId, ThumbnailInfo info, int width)
    {
        if (info.Widths.Count == 0) return null;
        var w = info.Widths.Where(x => x >= width).DefaultIfEmpty(info.Widths.Max()).Min();
        var file = $"{Prefix(blobId)}-{w}.webp";
        return File.Exists(file) ? file : null;
    }

    /// <summary>The blobs that have thumbnails or a refusal marker on disk (read from the file names).</summary>
    public IEnumerable<string> BlobIds()
    {
        if (!Directory.Exists(root)) yield break;
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(root, "*.refused", SearchOption.AllDirectories)))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length == 40 && name.All(Uri.IsHexDigit)) yield return name;
        }
    }

    /// <summary>Removes the thumbnails of a blob (every width, its sizes and refusal marker); made again when next asked for.</summary>
    public void Remove(string blobId)
    {
        var prefix = Prefix(blobId);
        var folder = Path.GetDirectoryName(prefix)!;
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(prefix) + "*"))
            File.Delete(file);
    }

    internal void Refuse(string blobId, string reason)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Prefix(blobId))!);
        File.WriteAllText(Prefix(blobId) + ".refused", reason);
    }
}

/// <summary>Asks for the thumbnails of a blob; asking twice while a job is pending enqueues one job.</summary>
public interface IThumbnailQueue
{
    void Request(long repositoryId, string blobId);
}

internal sealed class HangfireThumbnailQueue(IBackgroundJobClient client) : IThumbnailQueue
{
    private readonly ConcurrentDictionary<string, DateTime> Pending = new();

    public void Request(long repositoryId, string blobId)
    {
        var now = DateTime.UtcNow;
        // A page with the same image three times, or a busy classroom, asks for it many times: one job is enough.
        if (Pending.TryGetValue(blobId, out var since) && now - since < TimeSpan.FromMinutes(5)) return;
        Pending[blobId] = now;
        if (Pending.Count > 10_000) Pending.Clear();
        client.Enqueue<ThumbnailJob>(j => j.RunAsync(repositoryId, blobId, CancellationToken.None));
    }
}

/// <summary>
/// Makes the thumbnails of one image: copies the blob to a temporary file, runs <see cref="ImageWorker"/> in a child
/// process with a capped heap and a deadline, and keeps what it wrote. Idempotent.
/// </summary>
public sealed class ThumbnailJob(RepositoryStore store, GitReader reader, ThumbnailStore thumbnails, ILogger<ThumbnailJob> log)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private const string HeapLimit = "0x20000000"; // 512 MiB

    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(long repositoryId, string blobId, CancellationToken ct)
    {
        if (thumbnails.Info(blobId) is not null || thumbnails.IsRefused(blobId) || !store.Exists(repositoryId)) return;
        var blob = reader.ReadBlobById(store.PathOf(repositoryId), blobId, ThumbnailStore.MaxSourceBytes + 1);
        if (blob is null) return;
        if (blob.Size > ThumbnailStore.MaxSourceBytes || blob.Truncated)
        {
            thumbnails.Refuse(blobId, "too large");
            return;
        }
        var prefix = thumbnails.Prefix(blobId);
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        var input = Path.Combine(Path.GetDirectoryName(prefix)!, $".{blobId}.{Guid.NewGuid():N}.src");
        await File.WriteAllBytesAsync(input, blob.Bytes, ct);
        try
        {
            var (code, error) = await RunWorkerAsync(input, prefix, ct);
            if (code == ImageWorker.ExitOk && thumbnails.Info(blobId) is not null) return;
            var reason = code switch
            {
                ImageWorker.ExitRefused => "too many pixels or too much memory",
                ImageWorker.ExitInvalid => "not a readable image",
                null => "took too long",
                _ => $"worker exited with {code}: {error}",
            };
            log.LogInformation("No thumbnail for blob {Blob} of repository {Id}: {Reason}", blobId, repositoryId, reason);
            thumbnails.Refuse(blobId, reason);
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>Runs the worker; a null exit code means it was killed at the deadline.</summary>
    private static async Task<(int? Code, string Error)> RunWorkerAsync(string input, string prefix, CancellationToken ct)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Forge.Web.dll"), ImageWorker.Command, input, prefix,
                     string.Join(',', ThumbnailStore.Widths) })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_GCHeapHardLimit"] = HeapLimit;
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (null, "");
        }
        var error = await stderr;
        return (process.ExitCode, error.Length > 500 ? error[..500] : error);
    }

    /// <summary>The <c>dotnet</c> host running this process (tests, <c>dotnet Forge.Web.dll</c>), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
