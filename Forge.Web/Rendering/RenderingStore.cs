using System.Security.Cryptography;
using System.Text;

namespace Forge.Web.Rendering;

/// <summary>
/// Renderings of files computed after pushes, when they are too slow for a page view (TextMate grammars take about half a
/// millisecond a line; a README goes through Markdig and an HTML sanitiser), and kept as derived data inside the
/// repository, like git's commit-graph: <c>forge/renderings-v1/&lt;blob id&gt;.&lt;kind&gt;</c>. A blob id names its
/// content, and the kind names everything else the rendering depends on (grammar, renderer version, links' base), so a
/// rendering is never stale. Not a page cache: pages without it render the file themselves (highlighting within a time
/// budget), and deleting it only makes them slower.
/// </summary>
public sealed class RenderingStore
{
    private const string Folder = "renderings-v1";

    /// <summary>Files at least this big are highlighted ahead (smaller ones take a few milliseconds in a page).</summary>
    public const long MinHighlightBytes = 4 * 1024;

    /// <summary>The kind of a file highlighted with the grammar <paramref name="scope"/> (e.g. <c>source.python</c>), or null.</summary>
    public static string? HighlightKind(string? scope) => scope is null ? null : $"hl{SyntaxHighlighter.Version}.{scope}";

    /// <summary>The kind of a Markdown file rendered where <paramref name="context"/> says (its links depend on it).</summary>
    public static string MarkdownKind(MarkdownContext context) =>
        $"md{MarkdownRenderer.Version}." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{context.Owner}\n{context.Repo}\n{context.Ref}\n{context.Directory}")))[..24];

    private static string? PathOf(string repoPath, string blobId, string? kind)
    {
        if (kind is null || blobId.Length != 40 || !blobId.All(Uri.IsHexDigit)) return null;
        // Kinds are made of letters, digits, dots and dashes; anything else never names a file.
        if (kind.Length > 120 || !kind.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return null;
        return Path.Combine(repoPath, "forge", Folder, blobId[..2], $"{blobId}.{kind}");
    }

    public bool Has(string repoPath, string blobId, string? kind) => PathOf(repoPath, blobId, kind) is { } path && File.Exists(path);

    /// <summary>The stored rendering, or null.</summary>
    public string? TryRead(string repoPath, string blobId, string? kind)
    {
        if (PathOf(repoPath, blobId, kind) is not { } path) return null;
        try
        {
            // First line: the length of what follows (a file cut short by a crash is never taken for the whole).
            var text = File.ReadAllText(path, Encoding.UTF8);
            var newline = text.IndexOf('\n');
            return newline > 0 && int.TryParse(text.AsSpan(0, newline), out var length) && length == text.Length - newline - 1
                ? text[(newline + 1)..] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores a rendering, unless one is there already (same key, same content).</summary>
    public void Write(string repoPath, string blobId, string? kind, string rendering)
    {
        if (PathOf(repoPath, blobId, kind) is not { } path || File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, rendering.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + rendering, new UTF8Encoding(false));
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // written meanwhile by another run: same content
        }
    }

    /// <summary>Highlighted lines stored as one text (no highlighted line holds a line break).</summary>
    public static string JoinLines(IReadOnlyList<string> lines) =>
        lines.Any(l => l.Contains('\n')) ? throw new ArgumentException("a highlighted line holds a line break", nameof(lines))
            : (lines.Count == 0 ? "" : "\n" + string.Join('\n', lines));

    public static IReadOnlyList<string> SplitLines(string text) => text.Length == 0 ? [] : text[1..].Split('\n');
}
