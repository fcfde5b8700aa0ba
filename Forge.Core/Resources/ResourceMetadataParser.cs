using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Forge.Core.Naming;
using Forge.Core.Programmes;
using Forge.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Forge.Core.Resources;

/// <summary>A top-level field of a <c>resource.yml</c> that Forge does not know, with its source text (null when it
/// cannot be carried over verbatim, e.g. it uses YAML anchors).</summary>
public sealed record UnknownField(string Key, string? Source);

/// <summary>
/// Reads <c>resource.yml</c>. Never throws on user input: an invalid file yields the valid fields plus a list
/// of problems. The YAML is read as a flat event stream (no object graph, no alias expansion, bounded depth),
/// so a hostile file can neither blow the stack nor the memory. These are the only validation rules of a
/// description: the web form builds a YAML document from what was typed and runs it through here.
/// </summary>
public static partial class ResourceMetadataParser
{
    public const string FileName = "resource.yml";
    public const int MaxBytes = 64 * 1024;
    private const int MaxDepth = 16;
    public const int MaxListItems = 100;
    public const int MaxTextLength = 2000;
    public const int MaxMinutes = 100_000;
    private const int MaxAuthorLength = 200;
    private const int MaxUrlLength = 500;

    /// <summary>Every field, in the order the writer puts them.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "title", "description", "disciplines", "grades", "cycles", "usage", "autonomy", "audience", "type", "personalisation",
        "has_exercises", "teacher_sees_results", "duration_minutes", "focus_minutes", "accessibility", "language", "programme",
        "authors", "based_on", "licence", "keywords",
    ];

    /// <summary>Fields other features read (course sites: <c>site</c>, <c>teacher_only</c>): not a problem of this sheet, carried over verbatim.</summary>
    public static readonly IReadOnlySet<string> FeatureFields = new HashSet<string>(StringComparer.Ordinal) { "site", "teacher_only" };

    /// <summary>Other spellings of field names, read as the field they stand for.</summary>
    private static readonly Dictionary<string, string> FieldAliases = new()
    {
        ["discipline"] = "disciplines", ["grade"] = "grades", ["cycle"] = "cycles", ["types"] = "type", ["languages"] = "language",
        ["license"] = "licence", ["programmes"] = "programme", ["author"] = "authors", ["personnalisation"] = "personalisation",
        ["personalization"] = "personalisation", ["keyword"] = "keywords",
    };

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

    private static readonly Dictionary<string, string> TypeAliases = new()
    {
        ["activites"] = "activite", ["exercices"] = "exercice", ["travaux-pratiques"] = "tp", ["projets"] = "projet",
        ["evaluations"] = "evaluation", ["module-de-formation"] = "module", ["outils"] = "outil",
    };

    private static readonly Dictionary<string, string> UsageAliases = new()
    {
        ["en-classe"] = "classe", ["a-la-maison"] = "maison", ["domicile"] = "maison", ["a-domicile"] = "maison",
    };

    private static readonly Dictionary<string, string> AutonomyAliases = new()
    {
        ["autonomie"] = "autonome", ["en-autonomie"] = "autonome", ["accompagnement"] = "accompagne", ["guide"] = "accompagne",
        ["classe-entiere"] = "accompagne", ["en-classe-entiere"] = "accompagne",
    };

    private static readonly Dictionary<string, string> PersonalisationAliases = new()
    {
        ["none"] = "aucune", ["aucun"] = "aucune", ["non"] = "aucune",
        ["adaptive"] = "adaptative", ["adaptatif"] = "adaptative", ["adaptatifs"] = "adaptative",
        ["differentiated"] = "differenciee", ["differencie"] = "differenciee", ["differenciation"] = "differenciee",
    };

    private static readonly Dictionary<string, string> AudienceAliases = new()
    {
        ["eleves"] = "eleve", ["student"] = "eleve", ["students"] = "eleve", ["pupil"] = "eleve", ["pupils"] = "eleve",
        ["apprenant"] = "eleve", ["apprenants"] = "eleve", ["learner"] = "eleve", ["learners"] = "eleve",
        ["enseignants"] = "enseignant", ["enseignante"] = "enseignant", ["enseignantes"] = "enseignant", ["professeur"] = "enseignant",
        ["professeurs"] = "enseignant", ["professeure"] = "enseignant", ["prof"] = "enseignant", ["profs"] = "enseignant",
        ["teacher"] = "enseignant", ["teachers"] = "enseignant",
        ["formateurs"] = "formateur", ["formatrice"] = "formateur", ["formatrices"] = "formateur", ["trainer"] = "formateur",
        ["trainers"] = "formateur",
    };

    private static readonly Dictionary<string, string> AccessibilityAliases = new()
    {
        ["alt-text"] = "texte-alternatif", ["alt"] = "texte-alternatif", ["alternative-text"] = "texte-alternatif",
        ["textes-alternatifs"] = "texte-alternatif", ["alt-texts"] = "texte-alternatif",
        ["captions"] = "sous-titres", ["caption"] = "sous-titres", ["subtitles"] = "sous-titres", ["sous-titrage"] = "sous-titres",
        ["sous-titre"] = "sous-titres",
        ["transcript"] = "transcription", ["transcripts"] = "transcription", ["transcriptions"] = "transcription",
        ["dyslexia"] = "police-dys", ["dyslexie"] = "police-dys", ["dys"] = "police-dys", ["dyslexia-friendly"] = "police-dys",
        ["opendyslexic"] = "police-dys",
        ["audio-description"] = "audiodescription", ["audio-descriptions"] = "audiodescription",
        ["high-contrast"] = "contraste-eleve", ["contraste"] = "contraste-eleve", ["contraste-fort"] = "contraste-eleve",
        ["keyboard"] = "navigation-clavier", ["clavier"] = "navigation-clavier", ["keyboard-navigation"] = "navigation-clavier",
        ["screen-reader"] = "lecteur-ecran", ["lecteur-d'ecran"] = "lecteur-ecran", ["lecteur-d-ecran"] = "lecteur-ecran",
        ["lecteurs-d'ecran"] = "lecteur-ecran",
    };

    private static readonly Dictionary<string, string> LanguageAliases = new()
    {
        ["francais"] = "fr", ["french"] = "fr", ["anglais"] = "en", ["english"] = "en", ["allemand"] = "de", ["german"] = "de",
        ["espagnol"] = "es", ["spanish"] = "es", ["italien"] = "it", ["italian"] = "it", ["portugais"] = "pt", ["arabe"] = "ar",
        ["chinois"] = "zh", ["latin"] = "la", ["grec"] = "el", ["occitan"] = "oc", ["breton"] = "br", ["corse"] = "co",
        ["basque"] = "eu", ["catalan"] = "ca",
    };

    /// <summary>ISO 639-1 two-letter language codes.</summary>
    public static readonly IReadOnlySet<string> IsoLanguages = new HashSet<string>(
        ("aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es " +
         "et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj " +
         "kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv " +
         "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti " +
         "tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu").Split(' '), StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpdxPattern();

    [GeneratedRegex(@"^[^<>@\r\n]*[^<>@\s][^<>@\r\n]*\s<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>$", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorWithEmailPattern();

    public static ResourceMetadataResult Parse(string? yaml)
    {
        var problems = new List<MetadataProblem>();
        if (Read(yaml, problems) is not { } raw) return new(ResourceMetadata.Empty, problems);

        foreach (var key in raw.Keys.Where(k => !Fields.Contains(k) && !FeatureFields.Contains(k)))
            problems.Add(new(key, null, "Champ inconnu, ignoré. Champs reconnus : " + string.Join(", ", Fields) + "."));

        var grades = Vocabulary(raw, problems, "grades", g => GradeAliases.GetValueOrDefault(g, g), ResourceVocabulary.GradeLabels.Keys, "niveaux");
        grades = grades.OrderBy(ResourceVocabulary.GradeOrder).ToList();
        var cycles = Vocabulary(raw, problems, "cycles", NormaliseCycle, ResourceVocabulary.Cycles.Keys, "cycles");
        var derived = false;
        if (cycles.Count == 0 && !raw.ContainsKey("cycles") && grades.Count > 0)
        {
            cycles = grades.Select(g => ResourceVocabulary.CycleOf(g)!).Distinct().ToList();
            derived = true;
        }
        var (usage, legacyAutonomy) = Usage(raw, problems);
        var duration = Minutes(raw, problems, "duration_minutes", "La durée", 55);
        var focus = Minutes(raw, problems, "focus_minutes", "La durée de concentration", 15);
        if (focus is { } f && duration is { } d && f > d)
            problems.Add(new("focus_minutes", f.ToString(CultureInfo.InvariantCulture),
                $"La durée de concentration ({f} min) dépasse la durée totale de l’activité ({d} min)."));

        var metadata = new ResourceMetadata
        {
            Title = Text(raw, problems, "title"),
            Description = Text(raw, problems, "description"),
            Disciplines = Vocabulary(raw, problems, "disciplines", d => DisciplineAliases.GetValueOrDefault(d, d), ResourceVocabulary.Disciplines.Keys, "disciplines"),
            Grades = grades,
            Cycles = cycles,
            CyclesDerived = derived,
            Usage = usage,
            Autonomy = legacyAutonomy
                .Concat(Vocabulary(raw, problems, "autonomy", a => AutonomyAliases.GetValueOrDefault(a, a), ResourceVocabulary.Autonomies.Keys, "modalités"))
                .Distinct().ToList(),
            Audience = Vocabulary(raw, problems, "audience", a => AudienceAliases.GetValueOrDefault(a, a), ResourceVocabulary.Audiences.Keys, "publics"),
            Types = Vocabulary(raw, problems, "type", t => TypeAliases.GetValueOrDefault(t, t), ResourceVocabulary.Types.Keys, "types"),
            Personalisation = Personalisation(raw, problems),
            HasExercises = Boolean(raw, problems, "has_exercises"),
            TeacherSeesResults = Boolean(raw, problems, "teacher_sees_results"),
            DurationMinutes = duration,
            FocusMinutes = focus,
            Accessibility = Vocabulary(raw, problems, "accessibility", a => AccessibilityAliases.GetValueOrDefault(a, a),
                ResourceVocabulary.AccessibilityFeatures.Keys, "fonctions d’accessibilité"),
            Languages = Languages(raw, problems),
            Programme = Programme(raw, problems),
            Authors = Authors(raw, problems),
            BasedOn = BasedOn(raw, problems),
            Licence = Licence(raw, problems),
            Keywords = Keywords(raw, problems),
        };
        return new(metadata, problems);
    }

    /// <summary>
    /// The top-level fields of <paramref name="yaml"/> that Forge does not know, in file order, with their source text so a
    /// rewrite can carry them over. Empty when the file cannot be read.
    /// </summary>
    public static IReadOnlyList<UnknownField> UnknownFields(string? yaml)
    {
        var raw = Read(yaml, []);
        return raw is null ? [] : raw.Where(kv => !Fields.Contains(kv.Key)).OrderBy(kv => kv.Value.Start).Select(kv => new UnknownField(kv.Key, kv.Value.Source)).ToList();
    }

    /// <summary>Whether the file holds YAML comments (a rewrite does not keep them).</summary>
    public static bool HasComments(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml) || Encoding.UTF8.GetByteCount(yaml) > MaxBytes) return false;
        try
        {
            var scanner = new Scanner(new StringReader(yaml), skipComments: false);
            while (scanner.MoveNext())
                if (scanner.Current is YamlDotNet.Core.Tokens.Comment) return true;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // YamlDotNet throws InvalidOperationException instead of YamlException on some malformed input (« [a » then « - b »).
        }
        return false;
    }

    private sealed record RawValue(IReadOnlyList<string> Items, bool IsList, bool Invalid, long Start, string? Source);

    private static Dictionary<string, RawValue>? Read(string? yaml, List<MetadataProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            problems.Add(new("resource.yml", null, "Le fichier est vide."));
            return null;
        }
        if (Encoding.UTF8.GetByteCount(yaml) > MaxBytes)
        {
            problems.Add(new("resource.yml", null, $"Le fichier dépasse {MaxBytes / 1024} Kio ; il n’a pas été lu."));
            return null;
        }
        try
        {
            return ReadTopLevel(yaml, problems);
        }
        catch (YamlException e)
        {
            var where = e.Start.Line > 0 ? $" (ligne {e.Start.Line}, colonne {e.Start.Column})" : "";
            problems.Add(new("resource.yml", null, $"Le fichier n’est pas du YAML valide{where} : {e.Message}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed input (an unclosed « [ » before a « - »).
            problems.Add(new("resource.yml", null, "Le fichier n’est pas du YAML valide : une liste « [ » ou un texte entre guillemets n’est pas fermé ?"));
            return null;
        }
    }

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
            var written = keyEvent.Value.Trim().ToLowerInvariant();
            var key = FieldAliases.GetValueOrDefault(written, written);
            var (value, end, portable) = ReadValue(parser, key, problems);
            var start = keyEvent.Start.Index;
            var source = portable && keyEvent.Anchor.IsEmpty && end > start && end <= yaml.Length
                ? yaml[(int)start..(int)end].TrimEnd()
                : null;
            if (!result.TryAdd(key, value with { Start = start, Source = source }))
                problems.Add(new(key, null, "Ce champ apparaît plusieurs fois ; seule la première valeur est gardée."));
        }
        return result;
    }

    /// <summary>One value; also where it ends in the text and whether it can be copied verbatim (no anchor, alias or tag).</summary>
    private static (RawValue Value, long End, bool Portable) ReadValue(IParser parser, string key, List<MetadataProblem> problems)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return (new([scalar.Value], false, false, 0, null), scalar.End.Index, scalar.Anchor.IsEmpty && scalar.Tag.IsEmpty);
        if (parser.TryConsume<SequenceStart>(out var start))
        {
            var items = new List<string>();
            var invalid = false;
            var portable = start.Anchor.IsEmpty && start.Tag.IsEmpty;
            long end;
            while (true)
            {
                if (parser.TryConsume<SequenceEnd>(out var close))
                {
                    end = close.End.Index;
                    break;
                }
                if (parser.TryConsume<Scalar>(out var item))
                {
                    items.Add(item.Value);
                    portable &= item.Anchor.IsEmpty && item.Tag.IsEmpty;
                }
                else
                {
                    var (_, nestedPortable) = Skip(parser);
                    portable &= nestedPortable;
                    invalid = true;
                }
            }
            if (invalid) problems.Add(new(key, null, "Cette liste ne doit contenir que des valeurs simples."));
            return (new(items, true, false, 0, null), end, portable);
        }
        var (last, ok) = Skip(parser);
        // Another feature's field (a course site's settings) may be a mapping: not this sheet's problem.
        if (!FeatureFields.Contains(key)) problems.Add(new(key, null, "Valeur de forme inattendue (ni texte ni liste)."));
        return (new([], false, true, 0, null), last, ok);
    }

    /// <summary>Skips one node (scalar, alias or a whole collection) without recursion, refusing absurd depth.</summary>
    private static (long End, bool Portable) Skip(IParser parser)
    {
        var depth = 0;
        var portable = true;
        ParsingEvent e;
        do
        {
            e = parser.Consume<ParsingEvent>();
            portable &= e is not AnchorAlias && (e is not NodeEvent node || (node.Anchor.IsEmpty && node.Tag.IsEmpty));
            depth += e.NestingIncrease;
            if (depth > MaxDepth) throw new YamlException(e.Start, e.End, $"imbrication de plus de {MaxDepth} niveaux");
        } while (depth > 0);
        return (e.End.Index, portable);
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
            return text[..MaxTextLength].TrimEnd();
        }
        return text.Length == 0 ? null : text;
    }

    /// <summary>The items of a list field, or of a scalar written as one value or as comma-separated values.</summary>
    private static IEnumerable<string> Items(RawValue value) =>
        (value.IsList ? value.Items : value.Items[0].Split(',')).Take(MaxListItems).Where(i => !string.IsNullOrWhiteSpace(i));

    private static List<string> Vocabulary(Dictionary<string, RawValue> raw, List<MetadataProblem> problems, string field,
        Func<string, string> alias, IEnumerable<string> allowed, string what)
    {
        var result = new List<string>();
        if (!raw.TryGetValue(field, out var value) || value.Invalid) return result;
        var allowedSet = allowed.ToList();
        foreach (var item in Items(value))
        {
            var code = alias(Slug(item));
            if (allowedSet.Contains(code))
            {
                if (!result.Contains(code)) result.Add(code);
            }
            else
            {
                problems.Add(new(field, item.Trim(), $"Valeur inconnue. Valeurs possibles pour les {what} : {string.Join(", ", allowedSet)}."));
            }
        }
        return result;
    }

    /// <summary>
    /// Place of use. Version 1 of the format also listed the educational method here (<c>autonomie</c>,
    /// <c>accompagne</c>); such values are still read, as <see cref="ResourceMetadata.Autonomy"/>.
    /// </summary>
    private static (List<string> Usage, List<string> Autonomy) Usage(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var usage = new List<string>();
        var autonomy = new List<string>();
        if (!raw.TryGetValue("usage", out var value) || value.Invalid) return (usage, autonomy);
        foreach (var item in Items(value))
        {
            var code = Slug(item);
            code = UsageAliases.GetValueOrDefault(code, code);
            var method = AutonomyAliases.GetValueOrDefault(code, code);
            if (ResourceVocabulary.Usages.ContainsKey(code))
            {
                if (!usage.Contains(code)) usage.Add(code);
            }
            else if (ResourceVocabulary.Autonomies.ContainsKey(method))
            {
                if (!autonomy.Contains(method)) autonomy.Add(method);
            }
            else
            {
                problems.Add(new("usage", item.Trim(), "Valeur inconnue. Valeurs possibles pour les usages : classe, maison "
                    + "(le travail en autonomie ou accompagné se décrit dans autonomy : autonome, accompagne)."));
            }
        }
        return (usage, autonomy);
    }

    private static string? Personalisation(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        if (Text(raw, problems, "personalisation") is not { } text) return null;
        var code = Slug(text);
        code = PersonalisationAliases.GetValueOrDefault(code, code);
        if (ResourceVocabulary.Personalisations.ContainsKey(code)) return code;
        problems.Add(new("personalisation", text, "Valeur inconnue. Valeurs possibles : aucune, adaptative (le parcours s’ajuste aux réponses), "
            + "differenciee (versions selon les élèves) ; en anglais none, adaptive, differentiated."));
        return null;
    }

    private static bool? Boolean(Dictionary<string, RawValue> raw, List<MetadataProblem> problems, string field)
    {
        if (Text(raw, problems, field) is not { } text) return null;
        switch (Slug(text))
        {
            case "true" or "yes" or "y" or "on" or "oui" or "o" or "vrai" or "1":
                return true;
            case "false" or "no" or "n" or "off" or "non" or "faux" or "0":
                return false;
            default:
                problems.Add(new(field, text, "Répondez par oui ou non (ou true / false)."));
                return null;
        }
    }

    private static int? Minutes(Dictionary<string, RawValue> raw, List<MetadataProblem> problems, string field, string what, int example)
    {
        if (!raw.TryGetValue(field, out var value) || value.Invalid) return null;
        var text = value.IsList ? string.Join(",", value.Items) : value.Items[0].Trim();
        if (!value.IsList && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is > 0 and <= MaxMinutes)
            return minutes;
        problems.Add(new(field, text, $"{what} doit être un nombre entier de minutes, positif (par exemple {example})."));
        return null;
    }

    private static List<string> Languages(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var result = new List<string>();
        if (!raw.TryGetValue("language", out var value) || value.Invalid) return result;
        foreach (var item in Items(value))
        {
            var slug = Slug(item);
            // A regional tag (fr-FR, pt_BR) names its language.
            var code = LanguageAliases.GetValueOrDefault(slug, slug.Length > 2 && slug[2] == '-' ? slug[..2] : slug);
            if (IsoLanguages.Contains(code))
            {
                if (!result.Contains(code)) result.Add(code);
            }
            else
            {
                problems.Add(new("language", item.Trim(), "Langue inconnue. Indiquez un code de langue à deux lettres (ISO 639-1), par exemple fr, en, de, es, it, oc, br."));
            }
        }
        return result;
    }

    private static List<string> Programme(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var result = new List<string>();
        if (!raw.TryGetValue("programme", out var value) || value.Invalid) return result;
        var catalogue = ProgrammeCatalogue.Default;
        foreach (var item in Items(value))
        {
            if (catalogue.Find(item) is { } found)
            {
                if (!result.Contains(found.Id)) result.Add(found.Id);
                continue;
            }
            var closest = catalogue.Closest(item);
            problems.Add(new("programme", item.Trim(), "Élément de programme inconnu. "
                + (closest.Count > 0 ? "Éléments les plus proches : " + string.Join(", ", closest) + ". " : "")
                + "La liste complète est sur la page Programmes (/programmes)."));
        }
        return result;
    }

    private static List<string> Authors(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var result = new List<string>();
        if (!raw.TryGetValue("authors", out var value) || value.Invalid) return result;
        // A single text is one author: « Dupont, Jeanne » is a name, not two authors.
        foreach (var item in value.Items.Take(MaxListItems))
        {
            var author = item.Trim();
            if (author.Length == 0) continue;
            string? problem = null;
            if (author.Length > MaxAuthorLength) problem = $"Nom trop long (au plus {MaxAuthorLength} caractères).";
            else if (author.Any(char.IsControl)) problem = "Un auteur s’écrit sur une seule ligne.";
            else if ((author.Contains('<') || author.Contains('>') || author.Contains('@')) && !AuthorWithEmailPattern().IsMatch(author))
                problem = "Écrivez « Nom » ou « Nom <adresse@exemple.fr> » (l’adresse entre chevrons, après le nom).";
            if (problem is null)
            {
                if (!result.Contains(author)) result.Add(author);
            }
            else
            {
                problems.Add(new("authors", author.Length > 60 ? author[..60] + "…" : author, problem));
            }
        }
        if (value.Items.Count > MaxListItems) problems.Add(new("authors", null, $"Au plus {MaxListItems} auteurs."));
        return result;
    }

    private static string? BasedOn(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        if (Text(raw, problems, "based_on") is not { } text) return null;
        if (IsForgeReference(text)) return text;
        if (text.Length <= MaxUrlLength && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0 && !text.Any(char.IsWhiteSpace) && string.IsNullOrEmpty(uri.UserInfo))
            return text;
        problems.Add(new("based_on", text.Length > 80 ? text[..80] + "…" : text,
            "Indiquez la ressource adaptée : « propriétaire/dépôt » pour un dépôt de cette forge, ou une adresse web complète (https://…)."));
        return null;
    }

    /// <summary>Whether <paramref name="text"/> is a repository of this forge written <c>owner/repo</c>.</summary>
    public static bool IsForgeReference(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && NameRules.ValidateUserName(parts[0]) is null && NameRules.ValidateRepositoryName(parts[1]) is null;
    }

    private static string? Licence(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        var text = Text(raw, problems, "licence");
        if (text is null) return null;
        if (SpdxPattern().IsMatch(text) && text.Length <= 64) return text;
        problems.Add(new("licence", text, "La licence doit être un identifiant SPDX, par exemple CC-BY-SA-4.0, CC-BY-4.0, etalab-2.0 ou MIT."));
        return null;
    }

    private static List<string> Keywords(Dictionary<string, RawValue> raw, List<MetadataProblem> problems)
    {
        if (!raw.TryGetValue("keywords", out var value) || value.Invalid) return [];
        IEnumerable<string> items = value.IsList ? value.Items : value.Items[0].Split(',');
        var list = items.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (list.Count > MaxListItems || list.Any(k => k.Length > 100 || k.Any(char.IsControl)))
        {
            problems.Add(new("keywords", null, $"Au plus {MaxListItems} mots-clés de 100 caractères chacun, sur une seule ligne."));
            list = list.Where(k => k.Length <= 100 && !k.Any(char.IsControl)).Take(MaxListItems).ToList();
        }
        return list;
    }

    private static string NormaliseCycle(string cycle)
    {
        var c = cycle.StartsWith("cycle-", StringComparison.Ordinal) ? cycle["cycle-".Length..] : cycle;
        return c.StartsWith('c') && c.Length == 2 && char.IsDigit(c[1]) ? c[1..] : c;
    }

    /// <summary>
    /// A vocabulary code as written: folded (<see cref="TextFolding.Fold"/>), spaces and <c>_</c> as dashes, other punctuation
    /// kept so that a value never silently becomes another: « Mathématiques » → « mathematiques », « fr_FR » → « fr-fr ».
    /// </summary>
    public static string Slug(string value) => TextFolding.Fold(value).Replace(' ', '-').Replace('_', '-');
}
