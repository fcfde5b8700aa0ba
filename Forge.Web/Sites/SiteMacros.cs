using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Web.Sites;

/// <summary>
/// The <c>{{ … }}</c> and <c>{% … %}</c> of mkdocs-macros as teachers' templates use them: <c>{{ config.site_name }}</c>,
/// <c>{{ extra.x }}</c> or <c>{{ x }}</c> for a value of <c>extra:</c>, and pyodide-mkdocs-theme's <c>{{ IDE('exo') }}</c>
/// (an exercise read from <c>exo.py</c>). Anything else is removed from the page, with a notice in the build log: a page
/// never shows broken template text. Fenced code is left alone.
/// </summary>
public static partial class SiteMacros
{
    [GeneratedRegex(@"\{\{-?\s*(?<e>.*?)\s*-?\}\}|\{%-?.*?-?%\}|\{#.*?#\}", RegexOptions.Singleline)]
    private static partial Regex Macro();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_.]*)$")]
    private static partial Regex Variable();

    [GeneratedRegex("""^(?:IDE|IDEv|terminal|IDE_tests)\s*\(\s*['"](?<file>[^'"]{1,200})['"].*\)$""", RegexOptions.Singleline)]
    private static partial Regex Ide();

    /// <summary>
    /// Expands the macros of <paramref name="markdown"/> (a page at <paramref name="pagePath"/>, relative to the docs
    /// folder). <paramref name="readSibling"/> reads a file of the docs folder (null when missing); notices go to <paramref name="log"/>.
    /// </summary>
    public static string Expand(string markdown, string pagePath, SiteConfig config, Func<string, string?> readSibling, List<string> log)
    {
        if (!markdown.Contains("{{", StringComparison.Ordinal) && !markdown.Contains("{%", StringComparison.Ordinal)
            && !markdown.Contains("{#", StringComparison.Ordinal))
            return markdown;
        return Forge.Web.Rendering.MarkdownProse.Rewrite(markdown, (prose, firstLine) => Macro().Replace(prose, m =>
            Replace(m, firstLine + prose[..m.Index].Count(c => c == '\n'))));

        string Replace(Match m, int line)
        {
            var where = $"{pagePath}, ligne {line}";
            if (!m.Groups["e"].Success)
            {
                log.Add($"{where} : instruction de gabarit « {Shorten(m.Value)} » retirée (Forge n’exécute pas les blocs {{% … %}} de mkdocs-macros).");
                return "";
            }
            var expression = m.Groups["e"].Value.Trim();
            if (Variable().Match(expression) is { Success: true } v)
            {
                var name = v.Groups["name"].Value;
                if (name == "config.site_name" && config.SiteName is { } siteName) return siteName;
                var key = name.StartsWith("extra.", StringComparison.Ordinal) ? name["extra.".Length..] : name;
                if (config.Extra.TryGetValue(key, out var value)) return value;
            }
            if (Ide().Match(expression) is { Success: true } ide)
                return Exercise(ide.Groups["file"].Value, pagePath, readSibling, log, where);
            log.Add($"{where} : macro « {Shorten(m.Value)} » inconnue, retirée de la page (seules {{{{ config.site_name }}}}, les valeurs de « extra: » et {{{{ IDE('…') }}}} sont comprises).");
            return "";
        }
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    /// <summary>
    /// pyodide-mkdocs-theme's exercise: <c>exo.py</c> beside the page, cut into <c># --- PYODIDE:code --- #</c> sections. The
    /// editor gets <c>env</c> and <c>code</c>, the pupil's tests <c>tests</c>; <c>corr</c> (the solution) and <c>secrets</c>
    /// (hidden tests) are never published.
    /// </summary>
    private static string Exercise(string file, string pagePath, Func<string, string?> readSibling, List<string> log, string where)
    {
        var folder = pagePath.Contains('/') ? pagePath[..pagePath.LastIndexOf('/')] : "";
        var name = file.EndsWith(".py", StringComparison.Ordinal) ? file : file + ".py";
        var path = folder.Length == 0 ? name : folder + "/" + name;
        var source = readSibling(path);
        if (source is null)
        {
            log.Add($"{where} : l’exercice IDE('{file}') cherche « {path} », absent : la page indique que l’exercice manque.");
            return $"\n!!! warning \"Exercice indisponible\"\n    Le fichier de l’exercice ({Shorten(name)}) est introuvable.\n";
        }
        var sections = Sections(source);
        var code = (sections.GetValueOrDefault("env", "") + sections.GetValueOrDefault("code", sections.Count == 0 ? source : "")).Trim('\n');
        var tests = sections.GetValueOrDefault("tests", "").Trim('\n');
        var block = new StringBuilder("\n```python exercice\n").Append(code).Append("\n```\n");
        if (tests.Length > 0) block.Append("\n```python tests\n").Append(tests).Append("\n```\n");
        return block.ToString();
    }

    [GeneratedRegex(@"^#\s*-+\s*PYODIDE\s*:\s*(?<name>\w+)\s*-+\s*#\s*$", RegexOptions.Multiline)]
    private static partial Regex SectionMark();

    public static Dictionary<string, string> Sections(string source)
    {
        var sections = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var marks = SectionMark().Matches(source);
        for (var i = 0; i < marks.Count; i++)
        {
            var start = marks[i].Index + marks[i].Length;
            var end = i + 1 < marks.Count ? marks[i + 1].Index : source.Length;
            sections[marks[i].Groups["name"].Value] = source[start..end].Replace("\r", "");
        }
        return sections;
    }

    /// <summary>Whether a Python file holds pyodide-mkdocs-theme sections (then it carries a solution: never published as a file).</summary>
    public static bool HasExerciseSections(string source) => SectionMark().IsMatch(source);
}
