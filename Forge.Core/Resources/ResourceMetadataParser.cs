using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Forge.Core.Resources;

/// <summary>
/// Reads <c>resource.yml</c>. Never throws on user input: an invalid file yields the valid fields plus a list
/// of problems. The YAML is read as a flat event stream (no object graph, no alias expansion, bounded depth),
/// so a hostile file can neither blow the stack nor the memory.
/// </summary>
public static partial class ResourceMetadataParser
{
    public const string FileName = "resource.yml";
    public const int MaxBytes = 64 * 1024;
    private const int MaxDepth = 16;
    private const int MaxListItems = 100;
    private const int MaxTextLength = 2000;

    private static readonly Dictionary<string, string> GradeAliases = new()
    {
        ["petite-section"] = "ps", ["moyenne-section"] = "ms", ["grande-section"] = "gs",
        ["6eme"] = "6e", ["sixieme"] = "6e", ["5eme"] = "5e", ["cinquieme"] = "5e",
        ["4eme"] = "4e", ["quatrieme"] = "4e", ["3eme"] = "3e", ["troisieme"] = "3e",
        ["2de"] = "2nde", ["seconde"] = "2nde", ["1ere"] = "1re", ["premiere"] = "1re",
        ["terminale"] = "tle", ["tale"] = "tle", ["term"] = "tle",
    };

    private static readonly Dictionary<string, string> DisciplineAliases = new()
    {
        ["maths"] = "mathematiques", ["math"] = "mathematiques", ["pc"] = "physique-chimie",
        ["hg"] = "histoire-geographie", ["histoire-geo"] = "histoire-geographie", ["informatique"] = "nsi",
    };

    private static readonly HashSet<string> KnownFields =
        ["title", "description", "disciplines", "discipline", "grades", "cycles", "usage", "type", "duration_minutes", "licence", "license", "keywords"];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpdxPattern();

    public static ResourceMetadataResult Parse(string? yaml)
    {
        var problems = new List<MetadataProblem>();
        if (string.IsNullOrWhiteSpace(yaml))
            return new(ResourceMetadata.Empty, [new("resource.yml", null, "Le fichier est vide.")]);
        if (Encoding.UTF8.GetByteCount(yaml) > MaxBytes)
            return new(ResourceMetadata.Empty, [new("resource.yml", null, $"Le fichier dépasse {MaxBytes / 1024} Kio ; il n’a pas été lu.")]);

        Dictionary<string, RawValue> raw;
        try
        {
            raw = ReadTopLevel(yaml, problems);
        }
        catch (YamlException e)
        {
            var where = e.Start.Line > 0 ? $" (ligne {e.Start.Line}, colonne {e.Start.Column})" : "";
            return new(ResourceMetadata.Empty, [new("resource.yml", null, $"Le fichier n’est pas du YAML valide{where} : {e.Message}")]);
        }

        foreach (var key in raw.Keys.Where(k => !KnownFields.Contains(k)))
            problems.Add(new(key, null, "Champ inconnu, ignoré. Champs reconnus : " + string.Join(", ", KnownFields.Where(f => f is not ("discipline" or "license")))));

        var grades = Vocabulary(raw, problems, "grades", g => GradeAliases.GetValueOrDefault(g, g),
            ResourceVocabulary.GradeLabels.Keys, "niveaux");
        grades = grades.OrderBy(ResourceVocabulary.GradeOrder).ToList();
        var cycles = Vocabulary(raw, problems, "cycles", NormaliseCycle, ResourceVocabulary.Cycles.Keys, "cycles");
        var derived = false;
        if (cycles.Count == 0 && !raw.ContainsKey("cycles") && grades.Count > 0)
        {
            cycles = grades.Select(g => ResourceVocabulary.CycleOf(g)!).Distinct().ToList();
            derived = true;
        }

        var metadata = new ResourceMetadata
        {
            Title = Text(raw, problems, "title"),
            Description = Text(raw, problems, "description"),
            Disciplines = Vocabulary(raw, problems, raw.ContainsKey("disciplines") ? "disciplines" : "discipline",
                d => DisciplineAliases.GetValueOrDefault(d, d), ResourceVocabulary.Disciplines.Keys, "disciplines"),
            Grades = grades,
            Cycles = cycles,
            CyclesDerived = derived,
            // Version 1 listed autonomie/accompagne under usage; they now live in autonomy (ScoLOMFR voc-018).
            Usage = Vocabulary(raw, problems, "usage", u => u, [.. ResourceVocabulary.Usages.Keys, "autonomie", "accompagne"], "usages")
                .Where(ResourceVocabulary.Usages.ContainsKey).ToList(),
            Autonomy = raw.TryGetValue("usage", out var legacy)
                ? legacy.Items.Select(Slug).Select(u => u == "autonomie" ? "autonome" : u).Where(ResourceVocabulary.Autonomies.ContainsKey).Distinct().ToList()
                : [],
            Types = Vocabulary(raw, problems, "type", t => t == "activité" ? "activite" : t, ResourceVocabulary.Types.Keys, "types"),
            DurationMinutes = Duration(raw, problems),
            Licence = Licence(raw, problems),
            Keywords = Keywords(raw, problems),
        };
        return new(metadata, problems);
    }

    private sealed record RawValue(IReadOnlyList<string> Items, bool IsList, bool Invalid);

    private static Dictionary<string, RawValue> ReadTopLevel(string yaml, List<MetadataProblem> problems)
    {
        var result = new Dictionary<string, RawValue>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return result;
        parser.Consume<DocumentStart>();
        if (!parser.TryConsume<MappingStart>(out _))
        {
            problems.Add(new("resource.yml", null, "Le fichier doit être une liste de champs « nom: valeur »."));
            return result;
        }
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var keyEvent))
            {
                Skip(parser);
                Skip(parser);
                problems.Add(new("resource.yml", null, "Une clé n’est pas un simple mot ; elle a été ignorée."));
                continue;
            }
            var key = keyEvent.Value.Trim().ToLowerInvariant();
            var value = ReadValue(parser, key, problems);
            if (!result.TryAdd(key, value))
                problems.Add(new(key, null, "Ce champ apparaît plusieurs fois ; seule la première valeur est gardée."));
        }
        return result;
    }

    private static RawValue ReadValue(IParser parser, string key, List<MetadataProblem> problems)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return new([scalar.Value], false, false);
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<string>();
            var invalid = false;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (parser.TryConsume<Scalar>(out var item)) items.Add(item.Value);
                else { Skip(parser); invalid = true; }
            }
            if (invalid) problems.Add(new(key, null, "Cette liste ne doit contenir que des valeurs simples."));
            return new(items, true, false);
        }
        Skip(parser);
        problems.Add(new(key, null, "Valeur de forme inattendue (ni texte ni liste)."));
        return new([], false, true);
    }

    /// <summary>Skips one node (scalar, alias or a whole collection) without recursion, refusing absurd depth.</summary>
    private static void Skip(IParser parser)
    {
        var depth = 0;
        do
        {
            var e = parser.Consume<ParsingEvent>();
            depth += e.NestingIncrease;
            if (depth > MaxDepth) throw new YamlException(e.Start, e.End, $"imbrication de plus de {MaxDepth} niveaux");
        } while (depth > 0);
    }

    private static string? Text(Dictionary<string, RawValue> raw, List<MetadataProblem> problems, string field)
    {
        if (!raw.TryGetValue(field, out var value) || value.Invalid) return null;
        if (value.IsList)
        {
            problems.Add(new(field, null, "Ce champ attend un texte, pas une liste."));
            return null;
        }
        var text = value.Items[0].Trim();
        if (text.Length > MaxTextLength)
        {
            problems.Add(new(field, text[..40] + "…", $"Texte trop long ({text.Length} caractères, au plus {MaxTextLength})."));
            return text[..MaxTextLength];
        }
        return text.Length == 0 ? null : text;
    }

    private static List<string> Vocabulary(Dictionary<string, RawValue> raw, List<MetadataProblem> problems, string field,
        Func<string, string> alias, IEnumerable<string> allowed, string what)
    {
        var result = new List<string>();
        if (!raw.TryGetValue(field, out var value) || value.Invalid) return result;
        var allowedSet = allowed.ToList();
        foreach (var item in value.Items.Take(MaxListItems))
        {
            if (string.IsNullOrWhiteSpace(item)) continue;
            var code = alias(Slug(item));
            if (allowedSet.Contains(code))
            {
                if (!result.Contains(code)) result.Add(code);
            }
            else
            {
                problems.Add(new(field, item, $"Valeur inconnue. Valeurs possibles pour les {what} : {string.Join(", ", allowedSet)}."));
            }
        }
        return result;
    }

    private static string NormaliseCycle(string cycle)
    {
        var c = cycle.StartsWith("cycle-", StringComparison.Ordinal) ? cycle["cycle-".Length..] : cycle;
        return c.StartsWith('c') && c.Length == 2 && char.IsDigit(c[1]) ? c[1..] : c;
    }

    private static int? Duration(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        if (!raw.TryGetValue("duration_minutes", out var value) || value.Invalid) return null;
        var text = value.IsList ? string.Join(",", value.Items) : value.Items[0].Trim();
        if (!value.IsList && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is > 0 and <= 100_000)
            return minutes;
        problems.Add(new("duration_minutes", text, "La durée doit être un nombre entier de minutes, positif (par exemple 55)."));
        return null;
    }

    private static string? Licence(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var field = raw.ContainsKey("licence") ? "licence" : "license";
        var text = Text(raw, problems, field);
        if (text is null) return null;
        if (SpdxPattern().IsMatch(text) && text.Length <= 64) return text;
        problems.Add(new(field, text, "La licence doit être un identifiant SPDX, par exemple CC-BY-SA-4.0, CC-BY-4.0, etalab-2.0 ou MIT."));
        return null;
    }

    private static List<string> Keywords(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        if (!raw.TryGetValue("keywords", out var value) || value.Invalid) return [];
        IEnumerable<string> items = value.IsList ? value.Items : value.Items[0].Split(',');
        var list = items.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (list.Count > MaxListItems || list.Any(k => k.Length > 100))
        {
            problems.Add(new("keywords", null, $"Au plus {MaxListItems} mots-clés de 100 caractères chacun."));
            list = list.Where(k => k.Length <= 100).Take(MaxListItems).ToList();
        }
        return list;
    }

    /// <summary>Lower case, accents removed, spaces as dashes: « Mathématiques » → « mathematiques ».</summary>
    public static string Slug(string value)
    {
        var decomposed = value.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsWhiteSpace(ch) || ch == '_' ? '-' : ch);
        }
        return sb.ToString();
    }
}
