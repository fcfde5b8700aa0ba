using System.Text;
using System.Text.Json;

namespace Forge.Jobs;

/// <summary>Which files of a repository are indexed for search, in which language, and how their text is read.</summary>
public static class ContentFiles
{
    private static readonly Dictionary<string, string> LanguageByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".md"] = "markdown", [".markdown"] = "markdown", [".ipynb"] = "jupyter",
        [".py"] = "python", [".js"] = "javascript", [".mjs"] = "javascript", [".ts"] = "typescript",
        [".html"] = "html", [".htm"] = "html", [".css"] = "css", [".sql"] = "sql",
        [".c"] = "c", [".h"] = "c", [".java"] = "java", [".json"] = "json",
        [".yml"] = "yaml", [".yaml"] = "yaml", [".sh"] = "shell", [".txt"] = "text", [".tex"] = "latex", [".csv"] = "csv",
    };

    /// <summary>Largest file read (longer ones are indexed up to this many bytes).</summary>
    public const int MaxBytesPerFile = 256 * 1024;
    /// <summary>CSV files are data: only small ones are indexed.</summary>
    public const int MaxCsvBytes = 64 * 1024;

    /// <summary>The language of an indexed file, or null when the file is not indexed.</summary>
    public static string? Language(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        if (name.StartsWith("readme", StringComparison.OrdinalIgnoreCase) && !name.Contains('.')) return "text";
        return LanguageByExtension.GetValueOrDefault(System.IO.Path.GetExtension(name));
    }

    public static bool IsIndexed(string path, long size) =>
        Language(path) is { } lang && (lang != "csv" || size <= MaxCsvBytes);

    /// <summary>Markdown-like files whose words make a resource's body.</summary>
    public static bool IsResourceText(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        return name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("readme", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The searchable text of a file: UTF-8 text, or for a notebook its cells' sources one after the other.</summary>
    public static string? Text(string path, byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (Language(path) != "jupyter") return text;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (!doc.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array) return null;
            var sb = new StringBuilder();
            foreach (var cell in cells.EnumerateArray())
            {
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("source", out var source)) continue;
                if (source.ValueKind == JsonValueKind.String) sb.Append(source.GetString());
                else if (source.ValueKind == JsonValueKind.Array)
                    foreach (var part in source.EnumerateArray())
                        if (part.ValueKind == JsonValueKind.String) sb.Append(part.GetString());
                sb.Append("\n\n");
            }
            return sb.ToString();
        }
        catch (JsonException)
        {
            // A truncated or invalid notebook: nothing sensible to index.
            return null;
        }
    }
}
