using System.Text.RegularExpressions;

namespace Forge.Git;

/// <summary>Parses the unified diff text of one file into hunks with line numbers, within a line budget.</summary>
public static partial class UnifiedDiff
{
    [GeneratedRegex(@"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();

    public static (IReadOnlyList<DiffHunk> Hunks, bool Truncated) Parse(string patch, int maxLines, int maxLineLength)
    {
        var hunks = new List<DiffHunk>();
        List<DiffLine>? lines = null;
        string? header = null;
        int oldLine = 0, newLine = 0, count = 0;
        var truncated = false;
        foreach (var raw in patch.Split('\n'))
        {
            if (raw.StartsWith("@@", StringComparison.Ordinal))
            {
                var m = HunkHeader().Match(raw);
                if (!m.Success) continue;
                if (lines is not null) hunks.Add(new DiffHunk(header!, lines));
                header = raw;
                lines = [];
                oldLine = int.Parse(m.Groups[1].Value);
                newLine = int.Parse(m.Groups[2].Value);
                continue;
            }
            if (lines is null || raw.Length == 0) continue;
            if (count >= maxLines)
            {
                truncated = true;
                break;
            }
            var text = raw.Length - 1 > maxLineLength ? raw[1..(maxLineLength + 1)] + " …" : raw[1..];
            switch (raw[0])
            {
                case '+': lines.Add(new DiffLine(DiffLineKind.Added, null, newLine++, text)); break;
                case '-': lines.Add(new DiffLine(DiffLineKind.Deleted, oldLine++, null, text)); break;
                case ' ': lines.Add(new DiffLine(DiffLineKind.Context, oldLine++, newLine++, text)); break;
                case '\\': lines.Add(new DiffLine(DiffLineKind.Note, null, null, text.Trim())); break;
                default: continue;
            }
            count++;
        }
        if (lines is not null) hunks.Add(new DiffHunk(header!, lines));
        return (hunks, truncated);
    }
}
