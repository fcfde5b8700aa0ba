using System.Globalization;
using System.Text.Json;
using Forge.Jobs;

namespace Forge.Web.Modules.Exports;

/// <summary>Where an export stands: built (its file can be downloaded), failed (with its errors), queued, or never asked for.</summary>
public enum ExportState { Missing, Queued, Ready, Failed }

/// <summary>The log of one export build (<c>{format}.json</c> beside the file): errors in French, notices, size.</summary>
public sealed record ExportRecord(string Format, string Commit, DateTimeOffset BuiltAt, bool Succeeded, IReadOnlyList<string> Errors,
    IReadOnlyList<string> Notices, long Bytes);

/// <summary>
/// Module exports on disk: <c>data/exports/{repositoryId}/{commit}/{format}{.zip|.imscc}</c>, written once by a rename when
/// complete, with <c>{format}.json</c> (the build's log) and <c>{format}.queued</c> (when it was asked for). Keyed by commit
/// id, never by ref name: a tag or a commit always gives the same file, and no ref name becomes a path.
/// </summary>
public sealed class ExportStore(ForgeSettings settings)
{
    /// <summary>After this long, an export asked for and still not built is asked for again (a lost job, a restart).</summary>
    public static readonly TimeSpan QueuedFor = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Root => Path.Combine(settings.DataPath, "exports");

    /// <summary>The folder of one commit's exports; null for anything but a full commit id and a known format.</summary>
    private string? Folder(long repositoryId, string commit) =>
        commit.Length == 40 && commit.All(Uri.IsHexDigit)
            ? Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture), commit.ToLowerInvariant())
            : null;

    public string? FilePath(long repositoryId, string commit, string format) =>
        ModuleExportFormats.All.Contains(format) && Folder(repositoryId, commit) is { } folder ? Path.Combine(folder, format + ModuleExportFormats.Extension(format)) : null;

    private string? SidePath(long repositoryId, string commit, string format, string suffix) =>
        ModuleExportFormats.All.Contains(format) && Folder(repositoryId, commit) is { } folder ? Path.Combine(folder, format + suffix) : null;

    public ExportState State(long repositoryId, string commit, string format)
    {
        if (FilePath(repositoryId, commit, format) is not { } file) return ExportState.Missing;
        if (File.Exists(file)) return ExportState.Ready;
        if (Record(repositoryId, commit, format) is { Succeeded: false }) return ExportState.Failed;
        var queued = SidePath(repositoryId, commit, format, ".queued")!;
        return File.Exists(queued) && DateTime.UtcNow - File.GetLastWriteTimeUtc(queued) < QueuedFor ? ExportState.Queued : ExportState.Missing;
    }

    public ExportRecord? Record(long repositoryId, string commit, string format)
    {
        if (SidePath(repositoryId, commit, format, ".json") is not { } path) return null;
        try
        {
            return JsonSerializer.Deserialize<ExportRecord>(File.ReadAllBytes(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Notes that the export was asked for now (so that reloading the waiting page does not queue it again).</summary>
    public void MarkQueued(long repositoryId, string commit, string format)
    {
        if (SidePath(repositoryId, commit, format, ".queued") is not { } path) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>A temporary file beside the final one, to write the package into before <see cref="Publish"/>.</summary>
    public string TemporaryPath(long repositoryId, string commit, string format)
    {
        var file = FilePath(repositoryId, commit, format) ?? throw new ArgumentException("not a commit id or format");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return file + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
    }

    /// <summary>Makes a complete package the export of its commit (a rename: never half-written), with its log.</summary>
    public void Publish(long repositoryId, string temporary, ExportRecord record)
    {
        WriteRecord(repositoryId, record);
        File.Move(temporary, FilePath(repositoryId, record.Commit, record.Format)!, overwrite: true);
        File.Delete(SidePath(repositoryId, record.Commit, record.Format, ".queued")!);
    }

    /// <summary>Records a failed build: its errors are shown to whoever downloads, and the same commit is not built again.</summary>
    public void Fail(long repositoryId, ExportRecord record)
    {
        WriteRecord(repositoryId, record);
        File.Delete(SidePath(repositoryId, record.Commit, record.Format, ".queued")!);
    }

    /// <summary>Forgets that an export was asked for (its build crashed: the next download asks again).</summary>
    public void Unqueue(long repositoryId, string commit, string format)
    {
        if (SidePath(repositoryId, commit, format, ".queued") is { } path) File.Delete(path);
    }

    /// <summary>Removes every export of a repository (deleted).</summary>
    /// <returns>False when an export still writing there kept the folder (the leftovers job comes back later).</returns>
    public bool DeleteRepository(long repositoryId) =>
        Forge.Git.FolderRemoval.TryDelete(Path.Combine(Root, repositoryId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The repositories that have a folder of exports on disk.</summary>
    public IReadOnlyList<long> RepositoryIds() => Repos.LeftoverFolders.Ids(Root);

    private void WriteRecord(long repositoryId, ExportRecord record)
    {
        var path = SidePath(repositoryId, record.Commit, record.Format, ".json")!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record, Json));
        File.Move(temp, path, overwrite: true);
    }
}
