using System.Text.RegularExpressions;

namespace Forge.Git;

/// <summary>A piece of a diff line; <see cref="Changed"/> when it differs from the paired line (word-level highlighting).</summary>
public sealed record DiffSegment(string Text, bool Changed);

/// <summary>A diff line with its word-level segments.</summary>
public sealed record WordLine(DiffLine Line, IReadOnlyList<DiffSegment> Segments);

/// <summary>One row of a side-by-side diff: the old line on the left, the new one on the right (either may be missing).</summary>
public sealed record SplitRow(WordLine? Left, WordLine? Right);

/// <summary>
/// Word-level highlighting of modified lines: within a hunk, a run of deleted lines followed by a run of added lines is
/// paired line by line, and the words that differ between the two lines of a pair are marked. Lines too long for the
/// comparison are marked whole.
/// </summary>
public static partial class WordDiff
{
    private const int MaxCells = 40_000;

    [GeneratedRegex(@"\w+|\s+|[^\w\s]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public static IReadOnlyList<WordLine> Highlight(DiffHunk hunk)
    {
        var lines = hunk.Lines;
        var result = new WordLine[lines.Count];
        var i = 0;
        while (i < lines.Count)
        {
            if (lines[i].Kind != DiffLineKind.Deleted)
            {
                result[i] = Plain(lines[i]);
                i++;
                continue;
            }
            var delStart = i;
            while (i < lines.Count && lines[i].Kind == DiffLineKind.Deleted) i++;
            var addStart = i;
            while (i < lines.Count && lines[i].Kind == DiffLineKind.Added) i++;
            var pairs = Math.Min(addStart - delStart, i - addStart);
            for (var k = delStart; k < i; k++) result[k] = Plain(lines[k]);
            for (var p = 0; p < pairs; p++)
            {
                var (o, n) = Compare(lines[delStart + p].Text, lines[addStart + p].Text);
                result[delStart + p] = new WordLine(lines[delStart + p], o);
                result[addStart + p] = new WordLine(lines[addStart + p], n);
            }
        }
        return result;
    }

    /// <summary>Rows of a side-by-side view: context on both sides, deletions paired with the additions that follow them.</summary>
    public static IReadOnlyList<SplitRow> SideBySide(IReadOnlyList<WordLine> lines)
    {
        var rows = new List<SplitRow>();
        var i = 0;
        while (i < lines.Count)
        {
            var kind = lines[i].Line.Kind;
            if (kind is DiffLineKind.Context or DiffLineKind.Note)
            {
                rows.Add(new SplitRow(lines[i], lines[i]));
                i++;
                continue;
            }
            var dels = new List<WordLine>();
            var adds = new List<WordLine>();
            while (i < lines.Count && lines[i].Line.Kind == DiffLineKind.Deleted) dels.Add(lines[i++]);
            while (i < lines.Count && lines[i].Line.Kind == DiffLineKind.Added) adds.Add(lines[i++]);
            for (var k = 0; k < Math.Max(dels.Count, adds.Count); k++)
                rows.Add(new SplitRow(k < dels.Count ? dels[k] : null, k < adds.Count ? adds[k] : null));
        }
        return rows;
    }

    /// <summary>Segments of <paramref name="oldText"/> and <paramref name="newText"/>, the words not in their longest common subsequence marked.</summary>
    public static (IReadOnlyList<DiffSegment> Old, IReadOnlyList<DiffSegment> New) Compare(string oldText, string newText)
    {
        var a = Token().Matches(oldText).Select(m => m.Value).ToArray();
        var b = Token().Matches(newText).Select(m => m.Value).ToArray();
        if ((long)a.Length * b.Length > MaxCells) return ([new DiffSegment(oldText, true)], [new DiffSegment(newText, true)]);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var x = a.Length - 1; x >= 0; x--)
            for (var y = b.Length - 1; y >= 0; y--)
                lcs[x, y] = a[x] == b[y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
        var oldSegments = new List<DiffSegment>();
        var newSegments = new List<DiffSegment>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j])
            {
                Append(oldSegments, a[i++], false);
                Append(newSegments, b[j++], false);
            }
            else if (j < b.Length && (i == a.Length || lcs[i, j + 1] >= lcs[i + 1, j])) Append(newSegments, b[j++], true);
            else Append(oldSegments, a[i++], true);
        }
        return (oldSegments, newSegments);
    }

    private static WordLine Plain(DiffLine line) => new(line, [new DiffSegment(line.Text, false)]);

    /// <summary>Adds a token, merged with the previous segment when both are (un)changed; whitespace between two changes stays changed.</summary>
    private static void Append(List<DiffSegment> segments, string token, bool changed)
    {
        if (segments.Count > 0 && segments[^1].Changed == changed)
            segments[^1] = segments[^1] with { Text = segments[^1].Text + token };
        else
            segments.Add(new DiffSegment(token, changed));
    }
}
