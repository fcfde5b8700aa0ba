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
            // Containers nest by markers (`> > -`) and by indentation (lists, admonitions: four columns a level).
            // A list marker only opens a list when a space follows it: a long `-----` rule is not nesting.
            int depth = 0, columns = 0;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c is '>' or '[') depth++;
                else if (c is '*' or '-' or '+') { if (i + 1 == line.Length || line[i + 1] is ' ' or '\t') depth++; }
                else if (c == ' ') columns++;
                else if (c == '\t') columns += 4;
                else break;
            }
            if (depth + columns / 4 > MaxNesting) return true;
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
