using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Resources;

/// <summary>
/// gitignore-style patterns, as MkDocs' <c>exclude_docs</c> and Forge's <c>teacher_only</c> take them: <c>*</c> within a
/// name, <c>**</c> across folders, <c>?</c> one character; a pattern without a slash matches a name at any depth; a
/// trailing slash (or a folder name) covers everything below; <c>!</c> re-includes.
/// </summary>
public sealed class PathPatterns
{
    private readonly List<(Regex Pattern, bool Negated)> _rules = [];

    public static readonly PathPatterns None = new([]);

    public PathPatterns(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns.Take(500))
        {
            var p = raw.Trim();
            if (p.Length == 0 || p.StartsWith('#') || p.Length > 300) continue;
            var negated = p.StartsWith('!');
            if (negated) p = p[1..];
            var anchored = p.TrimEnd('/').Contains('/');
            p = p.Trim('/');
            if (p.Length == 0) continue;
            var regex = new StringBuilder(anchored ? "^" : "(^|/)");
            for (var i = 0; i < p.Length; i++)
            {
                var c = p[i];
                if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                    if (i + 1 < p.Length && p[i + 1] == '/') i++;
                }
                else if (c == '*') regex.Append("[^/]*");
                else if (c == '?') regex.Append("[^/]");
                else regex.Append(Regex.Escape(c.ToString()));
            }
            regex.Append("(/|$)");
            _rules.Add((new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)), negated));
        }
    }

    public bool IsEmpty => _rules.Count == 0;

    /// <summary>Whether <paramref name="path"/> (slash-separated, relative) is matched; the last matching rule wins.</summary>
    public bool Matches(string path)
    {
        var matched = false;
        foreach (var (pattern, negated) in _rules)
        {
            try
            {
                if (pattern.IsMatch(path)) matched = !negated;
            }
            catch (RegexMatchTimeoutException)
            {
                matched = !negated;
            }
        }
        return matched;
    }
}
