namespace Forge.Git;

/// <summary>
/// Spares the pre-receive hook its measuring (a <c>git cat-file</c> over the received objects and an <c>awk</c>, a few
/// milliseconds of every push) when the push is certainly within the size limits: the body is read by a
/// <see cref="PackInspector"/> on its way to git, and when the pack is complete, checked and well within the limits,
/// the file at <see cref="VerdictPath"/> is created — before git is given the pack's last bytes, so before git can run
/// the hook. In every other case (a big or unusual pack, a pack near a limit, an error) the file never exists and the
/// hook measures the push as before: this only ever skips work whose answer is already known.
/// </summary>
internal sealed class PushSizeCheck(string verdictPath, long? maxFileBytes, long? maxRepositoryBytes, long? repositoryBytes) : IDisposable
{
    /// <summary>Bytes of pack read at most; a bigger push is measured by the hook (its cost is small beside the transfer).</summary>
    public const long MaxPackBytes = 32L * 1024 * 1024;
    /// <summary>Bytes inflated at most while reading (a small pack can hold very compressible, large objects).</summary>
    public const long MaxInflatedBytes = 128L * 1024 * 1024;

    private PackInspector? _inspector = new(MaxInflatedBytes);

    public string VerdictPath { get; } = verdictPath;

    /// <summary>Whether the file was created (for tests and logs).</summary>
    public bool Fits { get; private set; }

    /// <summary>The body as git must read it, every byte first shown to the inspector.</summary>
    public Stream Watch(Stream body) => new WatchedStream(body, this);

    private void Saw(ReadOnlySpan<byte> bytes)
    {
        if (_inspector is not { } inspector) return;
        try
        {
            inspector.Feed(bytes);
        }
        catch (Exception)
        {
            // A shortcut must never break a push: without a verdict, the hook measures.
            Stop();
            return;
        }
        if (inspector.Complete)
        {
            Fits = FitsLimits(inspector) && TryCreateVerdict();
            Stop();
        }
        else if (inspector.Failed || inspector.PackBytes > MaxPackBytes)
        {
            Stop();
        }
    }

    private bool FitsLimits(PackInspector inspector)
    {
        if (maxFileBytes is { } file && inspector.LargestObject > (ulong)Math.Max(0, file)) return false;
        if (maxRepositoryBytes is not { } repo) return true;
        if (repositoryBytes is not { } before) return false;
        var after = (ulong)Math.Max(0, before) + inspector.DiskBound;
        return after >= inspector.DiskBound && after <= (ulong)Math.Max(0, repo);
    }

    private bool TryCreateVerdict()
    {
        try
        {
            using var _ = new FileStream(VerdictPath, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void Stop()
    {
        _inspector?.Dispose();
        _inspector = null;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            File.Delete(VerdictPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A read-only stream that shows each block read to the check before handing it on.</summary>
    private sealed class WatchedStream(Stream inner, PushSizeCheck check) : ForwardOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = await inner.ReadAsync(buffer, ct);
            if (n > 0) check.Saw(buffer.Span[..n]);
            return n;
        }
    }
}
