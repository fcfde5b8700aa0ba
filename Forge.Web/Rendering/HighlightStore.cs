using System.Text;

namespace Forge.Web.Rendering;

/// <summary>
/// Highlighted lines of whole files, computed after pushes (TextMate grammars take about half a millisecond a line, far
/// too slow for a page view of a big file) and kept as derived data inside the repository, like git's commit-graph:
/// <c>forge/highlight-v1/&lt;blob id&gt;.&lt;grammar&gt;</c>. A blob id names its content, so a file is never stale; the
/// version in the folder name changes whenever the highlighter's output does. Not a page cache: pages without it highlight
/// within a time budget, and deleting it only makes them slower.
/// </summary>
public sealed class HighlightStore
{
    private const string Folder = "highlight-v1";

    /// <summary>Files at least this big are highlighted ahead (smaller ones take a few milliseconds in a page).</summary>
    public const long MinBytes = 4 * 1024;

    private static string? PathOf(string repoPath, string blobId, string? scope)
    {
        if (scope is null || blobId.Length != 40 || !blobId.All(Uri.IsHexDigit)) return null;
        // Grammar scopes are made of letters, digits, dots and dashes ("source.python"); anything else never names a file.
        if (scope.Length > 100 || !scope.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return null;
        return Path.Combine(repoPath, "forge", Folder, blobId[..2], $"{blobId}.{scope}");
    }

    public bool Has(string repoPath, string blobId, string? scope) => PathOf(repoPath, blobId, scope) is { } path && File.Exists(path);

    /// <summary>The stored lines of a blob highlighted with the grammar <paramref name="scope"/>, or null.</summary>
    public IReadOnlyList<string>? TryRead(string repoPath, string blobId, string? scope)
    {
        if (PathOf(repoPath, blobId, scope) is not { } path) return null;
        try
        {
            // First line: the number of lines that follow (a file cut short by a crash is never taken for the whole).
            var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
            return int.TryParse(lines[0], out var count) && count == lines.Length - 1 ? lines[1..] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="lines"/> (HTML, none containing a line break), replacing nothing that exists.</summary>
    public void Write(string repoPath, string blobId, string? scope, IReadOnlyList<string> lines)
    {
        if (PathOf(repoPath, blobId, scope) is not { } path || File.Exists(path)) return;
        if (lines.Any(l => l.Contains('\n'))) throw new ArgumentException("a highlighted line holds a line break", nameof(lines));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var count = lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(temp, lines.Count == 0 ? count : count + "\n" + string.Join('\n', lines), new UTF8Encoding(false));
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // written meanwhile by another run: same content
        }
    }
}
