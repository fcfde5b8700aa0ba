using System.Text;

namespace Forge.Web.Rendering;

/// <summary>Text rewrites that must leave fenced code alone (arithmatex's delimiters, mkdocs-macros' <c>{{ … }}</c>).</summary>
public static class MarkdownProse
{
    /// <summary>
    /// Applies <paramref name="rewrite"/> to each run of lines outside <c>```</c> / <c>~~~</c> fences, given the run and the
    /// number (from 1) of its first line; fenced blocks are copied as they are.
    /// </summary>
    public static string Rewrite(string markdown, Func<string, int, string> rewrite)
    {
        var result = new StringBuilder(markdown.Length);
        var prose = new StringBuilder();
        string? fence = null;
        var lineNumber = 0;
        var proseStart = 1;
        foreach (var line in markdown.Split('\n'))
        {
            lineNumber++;
            var trimmed = line.TrimStart();
            var opens = fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal));
            if (opens || fence is not null)
            {
                Flush();
                if (opens) fence = trimmed[..3];
                else if (trimmed.StartsWith(fence!, StringComparison.Ordinal)) fence = null;
                result.Append(line).Append('\n');
                proseStart = lineNumber + 1;
                continue;
            }
            prose.Append(line).Append('\n');
        }
        Flush();
        if (!markdown.EndsWith('\n') && result.Length > 0) result.Length--;
        return result.ToString();

        void Flush()
        {
            if (prose.Length == 0) return;
            result.Append(rewrite(prose.ToString(), proseStart));
            prose.Clear();
        }
    }
}
