using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Licences;

/// <summary>How an annotation of <c>REUSE.toml</c> combines with the licence information inside the files it covers.</summary>
public enum ReusePrecedence { Closest, Aggregate, Override }

/// <summary>
/// Licence information for files matching <see cref="Patterns"/> (globs relative to the repository root), from
/// <c>REUSE.toml</c> or <c>.reuse/dep5</c>.
/// </summary>
public sealed record ReuseAnnotation(IReadOnlyList<string> Patterns, string? LicenceExpression, bool HasCopyright,
    ReusePrecedence Precedence, bool Dep5Syntax)
{
    public bool Covers(string path) => Patterns.Any(p => Glob.Matches(p, path, Dep5Syntax));
}

/// <summary>What a REUSE configuration file says, and what is wrong with it (French).</summary>
public sealed record ReuseConfig(IReadOnlyList<ReuseAnnotation> Annotations, IReadOnlyList<string> Problems)
{
    public const string TomlFile = "REUSE.toml";
    public const string Dep5File = ".reuse/dep5";
    private const int MaxAnnotations = 1000;

    /// <summary>
    /// Reads the subset of TOML that REUSE.toml uses: <c>version</c>, and <c>[[annotations]]</c> tables whose keys are
    /// <c>path</c>, <c>precedence</c>, <c>SPDX-FileCopyrightText</c> and <c>SPDX-License-Identifier</c>, each a string
    /// or an array of strings (possibly over several lines). Never throws; <paramref name="folder"/> is where the file is.
    /// </summary>
    public static ReuseConfig ParseToml(string text, string folder = "")
    {
        var problems = new List<string>();
        var annotations = new List<ReuseAnnotation>();
        Dictionary<string, List<string>>? current = null;
        var lineNo = 0;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        void Close()
        {
            if (current is null) return;
            if (!current.TryGetValue("path", out var paths) || paths.Count == 0)
                problems.Add("Une section [[annotations]] n’a pas de clé « path » : elle est ignorée.");
            else if (annotations.Count < MaxAnnotations)
            {
                var precedence = current.TryGetValue("precedence", out var p) && p.Count > 0 ? p[0] : "closest";
                var prec = precedence switch { "aggregate" => ReusePrecedence.Aggregate, "override" => ReusePrecedence.Override, _ => ReusePrecedence.Closest };
                if (precedence is not ("closest" or "aggregate" or "override"))
                    problems.Add($"« precedence = \"{precedence}\" » n’est pas reconnu (closest, aggregate ou override) : closest est utilisé.");
                var licence = current.TryGetValue("spdx-license-identifier", out var l) ? string.Join(" AND ", l) : null;
                var copyright = current.TryGetValue("spdx-filecopyrighttext", out var c) && c.Any(x => x.Trim().Length > 0);
                annotations.Add(new ReuseAnnotation(paths.Select(x => Prefix(folder, x)).ToList(), licence, copyright, prec, false));
            }
            current = null;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            lineNo = i + 1;
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            if (line == "[[annotations]]")
            {
                Close();
                current = new(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            if (line.StartsWith('['))
            {
                Close();
                problems.Add($"Ligne {lineNo} : section « {line} » inconnue, ignorée.");
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                problems.Add($"Ligne {lineNo} : « clé = valeur » attendu.");
                continue;
            }
            var key = line[..eq].Trim().Trim('"').ToLowerInvariant();
            var value = line[(eq + 1)..].Trim();
            // An array may continue over the next lines until its brackets close.
            while (value.StartsWith('[') && !Balanced(value) && i + 1 < lines.Length)
                value += " " + StripComment(lines[++i]).Trim();
            var values = Values(value, out var error);
            if (error is not null)
            {
                problems.Add($"Ligne {lineNo} : {error}");
                continue;
            }
            if (current is null)
            {
                if (key != "version") problems.Add($"Ligne {lineNo} : « {key} » hors d’une section [[annotations]], ignoré.");
                continue;
            }
            if (key is not ("path" or "precedence" or "spdx-filecopyrighttext" or "spdx-license-identifier"))
            {
                problems.Add($"Ligne {lineNo} : clé « {key} » inconnue, ignorée.");
                continue;
            }
            current[key] = values;
        }
        Close();
        return new ReuseConfig(annotations, problems);
    }

    /// <summary>Reads a Debian copyright file (<c>.reuse/dep5</c>): paragraphs with <c>Files</c>, <c>Copyright</c> and <c>License</c>.</summary>
    public static ReuseConfig ParseDep5(string text)
    {
        var problems = new List<string>();
        var annotations = new List<ReuseAnnotation>();
        foreach (var paragraph in Regex.Split(text.Replace("\r\n", "\n"), @"\n[ \t]*\n"))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var raw in paragraph.Split('\n'))
            {
                if (raw.Length == 0 || raw.StartsWith('#')) continue;
                if ((raw[0] == ' ' || raw[0] == '\t') && last is not null)
                {
                    fields[last] += "\n" + raw.Trim();
                    continue;
                }
                var colon = raw.IndexOf(':');
                if (colon <= 0) continue;
                last = raw[..colon].Trim();
                fields[last] = raw[(colon + 1)..].Trim();
            }
            if (!fields.TryGetValue("Files", out var files)) continue;
            if (!fields.TryGetValue("License", out var licence) || licence.Length == 0)
                problems.Add($"Le paragraphe « Files: {Short(files)} » n’a pas de champ License.");
            var patterns = files.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
            var copyright = fields.TryGetValue("Copyright", out var c) && c.Trim().Length > 0;
            if (annotations.Count < MaxAnnotations)
                annotations.Add(new ReuseAnnotation(patterns, licence?.Split('\n')[0].Trim(), copyright, ReusePrecedence.Closest, true));
        }
        return new ReuseConfig(annotations, problems);
    }

    /// <summary>The last annotation covering <paramref name="path"/> (later annotations take precedence), or null.</summary>
    public ReuseAnnotation? For(string path)
    {
        for (var i = Annotations.Count - 1; i >= 0; i--)
            if (Annotations[i].Covers(path)) return Annotations[i];
        return null;
    }

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s.Replace('\n', ' ');

    private static string Prefix(string folder, string pattern) => folder.Length == 0 ? pattern : folder.TrimEnd('/') + "/" + pattern;

    private static string StripComment(string line) => OutsideStrings(line, c => c == '#') is var i and >= 0 ? line[..i] : line;

    private static bool Balanced(string value)
    {
        var depth = 0;
        OutsideStrings(value, c =>
        {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            return false;
        });
        return depth <= 0;
    }

    /// <summary>Calls <paramref name="visit"/> on each character outside TOML strings; the index of the first it stops at, or -1.</summary>
    private static int OutsideStrings(string text, Func<char, bool> visit)
    {
        var inString = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString != '\0')
            {
                if (c == '\\' && inString == '"') i++;
                else if (c == inString) inString = '\0';
            }
            else if (c is '"' or '\'') inString = c;
            else if (visit(c)) return i;
        }
        return -1;
    }

    /// <summary>A TOML string or array of strings (integers are accepted for <c>version</c>).</summary>
    private static List<string> Values(string value, out string? error)
    {
        error = null;
        var result = new List<string>();
        var pos = 0;
        var array = value.StartsWith('[');
        if (array) pos = 1;
        while (pos < value.Length)
        {
            var c = value[pos];
            if (char.IsWhiteSpace(c) || c == ',') { pos++; continue; }
            if (c == ']' && array) return result;
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                pos++;
                var closed = false;
                while (pos < value.Length)
                {
                    var d = value[pos++];
                    if (d == c) { closed = true; break; }
                    if (d == '\\' && c == '"' && pos < value.Length)
                    {
                        var e = value[pos++];
                        sb.Append(e switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', _ => e });
                    }
                    else sb.Append(d);
                }
                if (!closed) { error = "chaîne non terminée."; return result; }
                result.Add(sb.ToString());
                if (!array) return result;
                continue;
            }
            if (char.IsAsciiDigit(c) && !array)
            {
                result.Add(value[pos..].Trim());
                return result;
            }
            error = $"valeur « {Short(value)} » illisible (une chaîne entre guillemets ou une liste de chaînes est attendue).";
            return result;
        }
        if (array) error = "liste non terminée (« ] » manquant).";
        return result;
    }
}

/// <summary>Path globs of REUSE.toml (<c>*</c> within a folder, <c>**</c> across folders) and of dep5 (<c>*</c> across folders).</summary>
public static class Glob
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), Regex> Cache = new();

    public static bool Matches(string pattern, string path, bool dep5 = false)
    {
        if (Cache.Count > 10_000) Cache.Clear();
        var regex = Cache.GetOrAdd((pattern, dep5), key => new Regex(ToRegex(key.Item1, key.Item2),
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)));
        try
        {
            return regex.IsMatch(path);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string ToRegex(string pattern, bool dep5)
    {
        pattern = pattern.Trim().TrimStart('/');
        if (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
            else if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                sb.Append(".*");
                i++;
            }
            else if (c == '*') sb.Append(dep5 ? ".*" : "[^/]*");
            else if (c == '?') sb.Append(dep5 ? "." : "[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append('$').ToString();
    }
}
