namespace Forge.Core.Text;

/// <summary>
/// Markdig parses nested blocks and brackets recursively, and a .NET stack overflow cannot be caught: one hostile
/// file could take the whole server down. Text nested deeper than any real course is refused before parsing.
/// </summary>
public static class MarkdownGuard
{
    public const int MaxNesting = 64;

    public static bool IsTooDeep(string markdown)
    {
        foreach (var line in markdown.AsSpan().EnumerateLines())
        {
            var depth = 0;
            foreach (var c in line)
            {
                if (c is '>' or '*' or '-' or '+' or '[') depth++;
                else if (c is not (' ' or '\t')) break;
            }
            if (depth > MaxNesting) return true;
        }
        var brackets = 0;
        foreach (var c in markdown)
        {
            if (c == '[') { if (++brackets > MaxNesting * 4) return true; }
            else if (c == ']') brackets = Math.Max(0, brackets - 1);
        }
        return false;
    }
}
