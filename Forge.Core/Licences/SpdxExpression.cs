namespace Forge.Core.Licences;

/// <summary>Reads the licence ids of an SPDX licence expression (<c>MIT OR Apache-2.0</c>, <c>GPL-2.0-only WITH Classpath-exception-2.0</c>).</summary>
public static class SpdxExpression
{
    public const int MaxLength = 500;

    /// <summary>
    /// The licence ids of <paramref name="expression"/>, canonical when SPDX knows them (<c>LicenseRef-…</c> and unknown ids
    /// kept as written), operators and exceptions left out. At most 20 ids.
    /// </summary>
    public static IReadOnlyList<string> Ids(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression)) return [];
        if (expression.Length > MaxLength) expression = expression[..MaxLength];
        // A comment closer or a trailing quote often follows the tag in source files.
        expression = expression.Replace("*/", " ").Replace("-->", " ").Replace("\"", " ").Replace("'", " ");
        var ids = new List<string>();
        var afterWith = false;
        foreach (var raw in expression.Split([' ', '\t', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.Trim();
            if (token.Equals("AND", StringComparison.OrdinalIgnoreCase) || token.Equals("OR", StringComparison.OrdinalIgnoreCase)) continue;
            if (token.Equals("WITH", StringComparison.OrdinalIgnoreCase)) { afterWith = true; continue; }
            if (afterWith) { afterWith = false; continue; }
            if (!IsIdShape(token)) break;
            var id = LicenceCatalogue.Canonical(token) ?? token;
            if (!ids.Contains(id, StringComparer.OrdinalIgnoreCase)) ids.Add(id);
            if (ids.Count == 20) break;
        }
        return ids;
    }

    /// <summary>True when the expression uses OR: the user may choose one of the licences.</summary>
    public static bool IsChoice(string? expression) =>
        expression is not null && expression.Split([' ', '\t', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Any(t => t.Equals("OR", StringComparison.OrdinalIgnoreCase));

    private static bool IsIdShape(string token) =>
        token.Length is > 0 and <= 100 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or ':');
}
