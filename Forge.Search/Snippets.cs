using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Forge.Search;

/// <summary>
/// Cuts a snippet around the first match of a text: analyses the text token by token and stops as soon as the
/// window after the first matching token is complete, so a page of results costs a few hundred characters of
/// analysis per hit rather than whole documents (the general-purpose highlighter analyses everything).
/// </summary>
internal static class Snippets
{
    private const int Width = 200;
    private const int Before = 50;

    /// <summary>HTML-encoded text around the first match with every match in the window in <c>&lt;mark&gt;</c>; null without a match.</summary>
    public static string? Cut(string text, IReadOnlySet<string> terms, Analyzer analyzer, string field)
    {
        if (terms.Count == 0 || text.Length == 0) return null;
        var marks = new List<(int Start, int End)>();
        int windowStart = -1, windowEnd = -1;
        using (var stream = analyzer.GetTokenStream(field, text))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var offsets = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                if (windowEnd >= 0 && offsets.StartOffset >= windowEnd) break;
                if (!terms.Contains(term.ToString())) continue;
                if (windowStart < 0)
                {
                    windowStart = WordStart(text, Math.Max(0, offsets.StartOffset - Before));
                    windowEnd = Math.Min(text.Length, windowStart + Width);
                }
                if (offsets.EndOffset <= windowEnd) marks.Add((offsets.StartOffset, offsets.EndOffset));
            }
            stream.End();
        }
        if (windowStart < 0) return null;
        windowEnd = WordEnd(text, windowEnd);
        var sb = new StringBuilder();
        if (windowStart > 0) sb.Append('…');
        var at = windowStart;
        foreach (var (start, end) in marks)
        {
            if (start < at) continue;
            sb.Append(Encode(text[at..start])).Append("<mark>").Append(Encode(text[start..end])).Append("</mark>");
            at = end;
        }
        sb.Append(Encode(text[at..windowEnd]));
        if (windowEnd < text.Length) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>Escapes the five HTML-significant characters only (accented letters stay readable in JSON and HTML); line breaks become spaces.</summary>
    internal static string Encode(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\n' or '\r': sb.Append(' '); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private static int WordStart(string text, int at)
    {
        while (at > 0 && !char.IsWhiteSpace(text[at - 1])) at--;
        return at;
    }

    private static int WordEnd(string text, int at)
    {
        var limit = Math.Min(text.Length, at + 30);
        while (at < limit && !char.IsWhiteSpace(text[at])) at++;
        return at;
    }
}
