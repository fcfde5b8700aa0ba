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

    // Both formats start with a line saying how much follows, so that a file cut short (a crash, a full disk) is never
    // taken for the whole: "T<length>" then the text, or "L<count>" then that many lines, each ended by \n.

    /// <summary>A stored rendering that is one text (a README), or null.</summary>
    public string? TryReadText(string repoPath, string blobId, string? kind)
    {
        if (PathOf(repoPath, blobId, kind) is not { } path || !File.Exists(path)) return null;
        try
        {
            var text = File.ReadAllText(path, Encoding.UTF8);
            var newline = text.IndexOf('\n');
            return newline > 1 && text[0] == 'T' && int.TryParse(text.AsSpan(1, newline - 1), out var length) && length == text.Length - newline - 1
                ? text[(newline + 1)..] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// A stored rendering made of lines (a highlighted file), or null. Read line by line: the file of a big source file
    /// never becomes one big string.
    /// </summary>
    public IReadOnlyList<string>? TryReadLines(string repoPath, string blobId, string? kind)
    {
        if (PathOf(repoPath, blobId, kind) is not { } path || !File.Exists(path)) return null;
        try
        {
            // Stored lines hold no \r (see WriteLines), so ReadLine splits them exactly where they were joined.
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
            var header = reader.ReadLine();
            if (header is not { Length: > 1 } || header[0] != 'L' || !int.TryParse(header.AsSpan(1), out var count) || count < 0) return null;
            var lines = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                if (reader.ReadLine() is not { } line) return null;
                lines.Add(line);
            }
            return reader.Peek() < 0 ? lines : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void WriteText(string repoPath, string blobId, string? kind, string text) =>
        Write(repoPath, blobId, kind, w =>
        {
            w.Write('T');
            w.Write(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.Write('\n');
            w.Write(text);
        });

    /// <summary>Stores lines, unless one holds a line break or a carriage return (a file with old Mac line ends is not stored).</summary>
    public void WriteLines(string repoPath, string blobId, string? kind, IReadOnlyList<string> lines)
    {
        if (lines.Any(l => l.AsSpan().IndexOfAny('\n', '\r') >= 0)) return;
        Write(repoPath, blobId, kind, w =>
        {
            w.Write('L');
            w.Write(lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.Write('\n');
            foreach (var line in lines)
            {
                w.Write(line);
                w.Write('\n');
            }
        });
    }

    /// <summary>Stores a rendering, unless one is there already (same key, same content).</summary>
    private static void Write(string repoPath, string blobId, string? kind, Action<StreamWriter> write)
    {
        if (PathOf(repoPath, blobId, kind) is not { } path || File.Exists(path)) return;
        if (!Forge.Git.RepositoryStore.CreateInside(repoPath, Path.GetDirectoryName(path)!)) return;
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
            write(writer);
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
