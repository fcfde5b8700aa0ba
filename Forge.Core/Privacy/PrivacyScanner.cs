using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Privacy;

/// <summary>
/// Looks for pupils' personal data in a file: tables of first and last names with marks, classes or birth dates;
/// e-mail addresses; French phone numbers; INE numbers; dates of birth. Tuned to stay quiet on course material:
/// names without marks (a bibliography), historical dates of birth (Ada Lovelace, 1815), a single contact address or
/// a phone number reserved for fiction are not findings. Excerpts are masked: the data itself is never repeated.
/// </summary>
public static partial class PrivacyScanner
{
    /// <summary>Files larger than this are not scanned.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;
    private const int MinRows = 3;

    public static IReadOnlyList<PrivacyFinding> Scan(string path, byte[] bytes, DateOnly today)
    {
        if (bytes.Length == 0 || bytes.Length > MaxBytes || !DocumentReader.IsCandidate(path)) return [];
        var doc = DocumentReader.Read(path, bytes);
        var findings = new List<PrivacyFinding>();
        foreach (var table in doc.Tables)
            if (ClassList(table, today) is { } f) findings.Add(f);
        // Several tables of one file make one finding per kind: the worst one, with the rows counted together.
        findings = findings.GroupBy(f => f.Kind)
            .Select(g => g.OrderByDescending(f => f.Confidence).ThenByDescending(f => f.Count).First() with { Count = g.Sum(f => f.Count) }).ToList();
        var inTable = findings.Count > 0;
        if (Emails(doc.Text, inTable) is { } e) findings.Add(e);
        if (Phones(doc.Text, inTable) is { } p) findings.Add(p);
        if (Ines(doc.Text, inTable) is { } i) findings.Add(i);
        if (BirthDates(doc, today) is { } b) findings.Add(b);
        return findings;
    }

    // ---- Tables of pupils ----

    [GeneratedRegex(@"^(?:(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[-'’][A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿ]+)*|[A-ZÀ-ÖØ-Þ]{2,}(?:[-'’ ][A-ZÀ-ÖØ-Þ]{2,})*|de|du|des|le|la|d’|d'|van|von)\s?){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameCell();

    [GeneratedRegex(@"^(?:\d{1,2}(?:[.,]\d{1,2})?(?:\s*/\s*20)?|abs\.?|absent(?:e)?|disp\.?|NN|EX)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkCell();

    [GeneratedRegex(@"^(?:[3-6]\s?(?:e|è|ème|eme)?\s?[A-Z1-9]|2(?:nde|de|GT)?\s?[A-Z0-9]{1,2}|1(?:re|ère|G|T|STMG|STI2D)\s?[A-Z0-9]{0,2}|T(?:le|erm|G)?\s?[A-Z0-9]{1,2}|C[PE][12]?|CM[12]|[PMG]S)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClassCell();

    [GeneratedRegex(@"note|moy|\bds\s?\d*\b|\bdm\s?\d*\b|devoir|interro|contr[oô]le|[ée]val|examen|\bbac\b|trimestre|\bt[123]\b|/\s*20|points?|score|r[ée]sultat|bilan|comp[ée]tence",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkHeader();

    [GeneratedRegex(@"classe|groupe|\bdiv", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClassHeader();

    private static readonly string[] PersonWords = ["nom", "prénom", "prenom", "élève", "eleve", "élèves", "eleves", "étudiant", "etudiant", "name", "surname"];
    private static readonly string[] SchoolWords = ["note", "notes", "moyenne", "classe", "groupe", "ine", "naissance", "ddn", "appréciation", "appreciation",
        "absences", "devoir", "ds", "dm", "interro", "trimestre", "bulletin", "résultat", "resultat", "courriel", "email", "mail", "téléphone", "telephone", "tél", "tel"];

    private static PrivacyFinding? ClassList(DocumentTable table, DateOnly today)
    {
        var rows = table.Rows.Where(r => r.Any(c => c.Length > 0)).ToList();
        if (rows.Count < MinRows) return null;
        var header = rows[0];
        var headerWords = header.SelectMany(c => Regex.Split(c.ToLowerInvariant(), @"[^\p{L}]+")).Where(w => w.Length > 0).ToHashSet();
        var hasHeader = header.Count(c => c.Length > 0 && !double.TryParse(c.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) >= 2
                        && header.All(c => !MarkCell().IsMatch(c.Trim()));
        var data = hasHeader ? rows.Skip(1).ToList() : rows;
        if (data.Count < MinRows) return null;
        var width = data.Max(r => r.Length);
        if (width < 2) return null;

        var nameColumns = new List<int>();
        var twoWordNames = false;
        string? marksColumn = null, classColumn = null, datesColumn = null;
        for (var col = 0; col < width && col < DocumentReader.MaxColumns; col++)
        {
            var cells = data.Select(r => col < r.Length ? r[col].Trim() : "").ToList();
            var filled = cells.Where(c => c.Length > 0).ToList();
            if (filled.Count < MinRows || filled.Count < data.Count * 0.6) continue;
            var named = filled.Count(c => c.Length <= 40 && NameCell().IsMatch(c));
            if (named >= filled.Count * 0.8 && filled.Distinct().Count() >= filled.Count * 0.7)
            {
                nameColumns.Add(col);
                if (filled.Count(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2) >= filled.Count * 0.8) twoWordNames = true;
                continue;
            }
            // With a header, a column is one of marks (or classes) only when its header says so: « Âge », « Édition » or
            // « Pages » hold small numbers too. Without one, marks must look like marks: spread over the scale.
            var title = hasHeader && col < header.Length ? header[col] : null;
            var marks = filled.Count(c => MarkCell().IsMatch(c) && MarkValue(c) is null or <= 20);
            var values = filled.Select(MarkValue).Where(v => v is not null).Select(v => v!.Value).Distinct().ToList();
            var spread = values.Count >= 4 && values.Max() - values.Min() >= 4;
            if (marks >= filled.Count * 0.8 && values.Count >= 3 && (title is null ? spread : MarkHeader().IsMatch(title)))
                marksColumn ??= Header(header, col, hasHeader);
            else if (filled.Count(c => ClassCell().IsMatch(c)) >= filled.Count * 0.8 && (title is null || ClassHeader().IsMatch(title)))
                classColumn ??= Header(header, col, hasHeader);
            else if (filled.Count(c => PupilBirthDate(c, today)) >= filled.Count * 0.8) datesColumn ??= Header(header, col, hasHeader);
        }
        var firstAndLast = twoWordNames || nameColumns.Count >= 2
                           || (nameColumns.Count == 1 && headerWords.Contains("nom") && (headerWords.Contains("prénom") || headerWords.Contains("prenom")));
        if (nameColumns.Count == 0 || !firstAndLast) return null;
        var about = new[] { marksColumn is null ? null : "des notes", classColumn is null ? null : "des classes", datesColumn is null ? null : "des dates de naissance" }
            .Where(x => x is not null).ToList();
        if (about.Count == 0) return null;

        var headerSays = PersonWords.Any(headerWords.Contains) && SchoolWords.Any(headerWords.Contains);
        var confidence = headerSays || data.Count >= 5 ? PrivacyConfidence.High : PrivacyConfidence.Medium;
        var sample = data[0];
        var masked = string.Join(" | ", nameColumns.Select(c => c < sample.Length ? Mask(sample[c]) : "")) + " | …";
        var line = table.FirstLine + (hasHeader ? 1 : 0);
        return new PrivacyFinding(PrivacyFinding.ClassList, confidence, line, data.Count,
            $"{table.Where} : {data.Count} lignes, par exemple « {masked} »",
            $"Ce fichier semble contenir une liste d’élèves : {data.Count} noms et prénoms avec {string.Join(", ", about)} ({table.Where}). " +
            "Les notes et la classe d’un élève sont des données personnelles d’un mineur : elles ne doivent pas être publiées. " +
            "Retirez ce fichier (ou remplacez les noms par des données fictives), et rendez le dépôt privé le temps de nettoyer l’historique : " +
            "une suppression simple laisse le fichier dans les versions précédentes.");
    }

    private static string Header(string[] header, int col, bool hasHeader) => hasHeader && col < header.Length && header[col].Length > 0 ? header[col] : $"colonne {col + 1}";

    private static double? MarkValue(string cell)
    {
        var m = Regex.Match(cell, @"^\d{1,2}(?:[.,]\d{1,2})?");
        return m.Success && double.TryParse(m.Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    // ---- E-mail addresses ----

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    private static readonly string[] ExampleDomains = ["example.com", "example.org", "example.net", "exemple.fr", "exemple.com", "test.fr", "domaine.fr",
        "domain.com", "mail.com", "forge.invalid", "localhost"];

    private static PrivacyFinding? Emails(string text, bool inTable)
    {
        var all = EmailAddress().Matches(text).Select(m => m.Value.ToLowerInvariant())
            .Where(a => !ExampleDomains.Any(d => a.EndsWith("@" + d, StringComparison.Ordinal) || a.EndsWith("." + d, StringComparison.Ordinal))
                        && !a.StartsWith("noreply@", StringComparison.Ordinal) && !a.StartsWith("no-reply@", StringComparison.Ordinal))
            .ToList();
        var distinct = all.Distinct().ToList();
        // One address is usually the author's own contact: not a finding.
        if (distinct.Count < 2) return null;
        var confidence = distinct.Count >= 5 || inTable ? PrivacyConfidence.High : PrivacyConfidence.Medium;
        var first = distinct[0];
        return new PrivacyFinding(PrivacyFinding.Email, confidence, LineOf(text, first), distinct.Count,
            $"{distinct.Count} adresses, par exemple « {Mask(first[..first.IndexOf('@')])}@{first[(first.IndexOf('@') + 1)..]} »",
            $"Ce fichier contient {distinct.Count} adresses électroniques. Si ce sont celles d’élèves (ou de leurs parents), ce sont des données " +
            "personnelles qui ne doivent pas être publiées : retirez-les, ou remplacez-les par des adresses d’exemple (prenom.nom@exemple.fr).");
    }

    // ---- Phone numbers ----

    [GeneratedRegex(@"(?<![\d+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)([1-9])(?:[\s.-]?(\d{2})){4}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();

    /// <summary>Number blocks ARCEP reserves for films and fiction (01 99 00…, 06 39 98…): never real people.</summary>
    private static readonly string[] FictionPrefixes = ["0199", "0261", "0353", "0465", "0536", "0639"];

    private static PrivacyFinding? Phones(string text, bool inTable)
    {
        var numbers = new List<string>();
        string? first = null;
        foreach (Match m in PhoneNumber().Matches(text))
        {
            var digits = "0" + Regex.Replace(m.Value, @"^(?:\+|00)33|\D", "").TrimStart('0');
            if (digits.Length != 10 || FictionPrefixes.Any(p => digits.StartsWith(p, StringComparison.Ordinal)) || digits.Distinct().Count() <= 2) continue;
            numbers.Add(digits);
            first ??= m.Value;
        }
        var distinct = numbers.Distinct().ToList();
        if (distinct.Count < 2 || first is null) return null;
        var confidence = distinct.Count >= 5 || inTable ? PrivacyConfidence.High : PrivacyConfidence.Medium;
        return new PrivacyFinding(PrivacyFinding.Phone, confidence, LineOf(text, first), distinct.Count,
            $"{distinct.Count} numéros, par exemple « {distinct[0][..2]} •• •• •• {distinct[0][^2..]} »",
            $"Ce fichier contient {distinct.Count} numéros de téléphone français. Ceux d’élèves ou de familles ne doivent pas être publiés : " +
            "retirez-les, ou utilisez les numéros réservés à la fiction (01 99 00 xx xx, 06 39 98 xx xx).");
    }

    // ---- INE ----

    [GeneratedRegex(@"(?<![\w])(?:\d{9}[A-HJ-NPR-Z]{2}|\d{10}[A-HJ-NPR-Z])(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex IneNumber();

    [GeneratedRegex(@"\bINE\b|identifiant national", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IneWord();

    private static PrivacyFinding? Ines(string text, bool inTable)
    {
        var all = IneNumber().Matches(text).Select(m => m.Value).ToList();
        var distinct = all.Distinct().ToList();
        var named = IneWord().IsMatch(text);
        if (distinct.Count == 0 || (!named && distinct.Count < 3)) return null;
        var confidence = named || inTable || distinct.Count >= 5 ? PrivacyConfidence.High : PrivacyConfidence.Medium;
        return new PrivacyFinding(PrivacyFinding.Ine, confidence, LineOf(text, distinct[0]), distinct.Count,
            $"{distinct.Count} numéros, par exemple « {distinct[0][..2]}•••••••{distinct[0][^2..]} »",
            $"Ce fichier contient {distinct.Count} numéro(s) qui ont la forme d’un INE (identifiant national élève). L’INE identifie un élève " +
            "pour toute sa scolarité : il ne doit jamais être publié. Retirez ces numéros du fichier et de l’historique du dépôt.");
    }

    // ---- Dates of birth ----

    [GeneratedRegex(@"\b(?:né(?:e|\(e\))?\s+le|date\s+de\s+naissance|naissance|ddn)\b\s*[:\-]?\s*(?:le\s+)?(\d{1,2}(?:[/.-]\d{1,2}[/.-]|\s+(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+)\d{4})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BirthContext();

    private static PrivacyFinding? BirthDates(DocumentText doc, DateOnly today)
    {
        var dates = BirthContext().Matches(doc.Text).Where(m => PupilBirthDate(m.Groups[1].Value, today)).ToList();
        // Tables: a column whose header says « naissance » and whose cells are dates of children's births.
        var tableDates = 0;
        foreach (var table in doc.Tables)
        {
            if (table.Rows.Count < 2) continue;
            var header = table.Rows[0];
            for (var col = 0; col < header.Length; col++)
            {
                var h = header[col].ToLowerInvariant();
                if (!h.Contains("naissance") && h != "ddn" && !h.Contains("birth")) continue;
                tableDates += table.Rows.Skip(1).Count(r => col < r.Length && PupilBirthDate(r[col], today));
            }
        }
        var count = dates.Count + tableDates;
        if (count == 0) return null;
        var confidence = count >= 3 ? PrivacyConfidence.High : PrivacyConfidence.Medium;
        var line = dates.Count > 0 ? LineOf(doc.Text, dates[0].Value) : (int?)null;
        return new PrivacyFinding(PrivacyFinding.BirthDate, confidence, line, count,
            $"{count} date(s) de naissance d’enfants ou d’adolescents",
            $"Ce fichier contient {count} date(s) de naissance récentes (élèves d’âge scolaire). Associée à un nom, une date de naissance " +
            "identifie un élève : retirez-la, ou remplacez-la par une date fictive.");
    }

    /// <summary>A date (dd/mm/yyyy, dd-mm-yyyy, « 3 mars 2012 ») of someone aged 2 to 25 today.</summary>
    private static bool PupilBirthDate(string cell, DateOnly today)
    {
        var m = Regex.Match(cell.Trim(), @"^(?:\d{1,2}[/.-]\d{1,2}[/.-]|\d{1,2}\s+\p{L}+\s+)(\d{4})$|^(\d{4})-\d{2}-\d{2}$");
        if (!m.Success) return false;
        var year = int.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, CultureInfo.InvariantCulture);
        return year >= today.Year - 25 && year <= today.Year - 2;
    }

    // ---- Helpers ----

    /// <summary>First letter of each word, the rest hidden: « Léa Martin » → « L•• M••••• ».</summary>
    public static string Mask(string value)
    {
        var sb = new StringBuilder(value.Length);
        var start = true;
        foreach (var c in value.Length > 40 ? value[..40] : value)
        {
            if (char.IsLetterOrDigit(c)) { sb.Append(start ? c : '•'); start = false; }
            else { sb.Append(c); start = true; }
        }
        return sb.ToString();
    }

    private static int? LineOf(string text, string value)
    {
        var index = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        if (index < 0) return null;
        var line = 1;
        for (var i = 0; i < index; i++) if (text[i] == '\n') line++;
        return line;
    }
}
