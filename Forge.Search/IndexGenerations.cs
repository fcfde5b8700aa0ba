namespace Forge.Search;

/// <summary>
/// Layout of the index folder: each full build is a "generation", a folder <c>g-…</c> holding a complete Lucene
/// index, and the file <c>CURRENT</c> names the one in use. A rebuild (<c>forge admin reindex</c>) writes a new
/// generation beside the live one — the running server keeps its write lock on the old — then replaces
/// <c>CURRENT</c> by an atomic rename; the server notices, switches, and reconciles what changed meanwhile.
/// </summary>
public static class IndexGenerations
{
    public const string CurrentFile = "CURRENT";
    public const string RebuildLockFile = "rebuild.lock";
    private const string Prefix = "g-";

    /// <summary>The generation folder in use, or null if none was ever published.</summary>
    public static string? Current(string root)
    {
        try
        {
            var name = File.ReadAllText(System.IO.Path.Combine(root, CurrentFile)).Trim();
            return IsGenerationName(name) && Directory.Exists(System.IO.Path.Combine(root, name)) ? name : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A new, empty generation folder's name (sortable by creation time).</summary>
    public static string NewName() => $"{Prefix}{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}"[..(Prefix.Length + 17 + 9)];

    /// <summary>Makes <paramref name="name"/> the generation in use: written beside, then renamed over CURRENT.</summary>
    public static void Publish(string root, string name)
    {
        var temp = System.IO.Path.Combine(root, $"{CurrentFile}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            using var writer = new StreamWriter(stream);
            writer.Write(name);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, System.IO.Path.Combine(root, CurrentFile), overwrite: true);
    }

    public static bool IsGenerationName(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length < 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>
    /// Deletes generations other than the current one, and index files an older layout left at the root, unless a
    /// rebuild is running (it holds <see cref="RebuildLockFile"/>). Returns false when a rebuild holds the lock.
    /// </summary>
    public static bool CleanUp(string root)
    {
        using var rebuild = TryLockRebuild(root);
        if (rebuild is null) return false;
        var current = Current(root);
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = System.IO.Path.GetFileName(dir);
            if (!IsGenerationName(name) || name == current) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        foreach (var file in Directory.EnumerateFiles(root))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name is CurrentFile or RebuildLockFile) continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return true;
    }

    /// <summary>
    /// Takes the rebuild lock (an exclusive lock on <see cref="RebuildLockFile"/>, released by the operating system if
    /// the process dies), or null when another process holds it.
    /// </summary>
    public static FileStream? TryLockRebuild(string root)
    {
        Directory.CreateDirectory(root);
        try
        {
            return new FileStream(System.IO.Path.Combine(root, RebuildLockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
