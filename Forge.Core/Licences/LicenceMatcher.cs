using System.Text.RegularExpressions;

namespace Forge.Core.Licences;

/// <summary>How a licence was recognised.</summary>
public enum MatchMethod
{
    /// <summary>The file holds the licence's full text (confidence ≥ 98 %).</summary>
    Text,
    /// <summary>The file holds a text close to a licence's (80 – 98 %): a modified licence.</summary>
    ModifiedText,
    /// <summary>The file names the licence (SPDX id, Creative Commons URL or name) without holding its text.</summary>
    Mention,
}

/// <summary>A licence recognised in a file, with the confidence of the match in percent.</summary>
public sealed record LicenceMatch(string Id, double Confidence, MatchMethod Method);

/// <summary>Recognises licences in licence files, by full text (as licensee does) or by mention.</summary>
public static partial class LicenceMatcher
{
    /// <summary>Confidence from which a text is the licence.</summary>
    public const double Threshold = 98;
    /// <summary>Confidence from which a text is reported as a modified copy of the licence.</summary>
    public const double CloseThreshold = 80;

    private static readonly Lazy<IReadOnlyList<(KnownLicence Licence, NormalisedText Text)>> Templates = new(() =>
        LicenceCatalogue.WithText.Select(l => (l, LicenceText.Normalise(l.Text!))).ToList());

    /// <summary>
    /// The licence a licence file holds: its full text (≥ 98 %), a modified copy (80 – 98 %), or else the licences it
    /// mentions. Null when nothing is recognised.
    /// </summary>
    public static LicenceMatch? Match(string content)
    {
        var text = LicenceText.Normalise(content);
        if (text.Words.Count == 0) return null;
        if (BestText(text) is { } best) return best;
        return Mentions(content).FirstOrDefault();
    }

    /// <summary>The closest vendored licence text, when at least <see cref="CloseThreshold"/> % similar.</summary>
    public static LicenceMatch? BestText(NormalisedText text)
    {
        KnownLicence? bestLicence = null;
        double bestScore = 0;
        foreach (var (licence, template) in Templates.Value)
        {
            // Cheap bound first: the Dice coefficient cannot exceed 2·min/(a+b).
            var bound = 200.0 * Math.Min(text.Words.Count, template.Words.Count) / (text.Words.Count + template.Words.Count);
            if (bound < CloseThreshold || bound <= bestScore) continue;
            var score = LicenceText.Similarity(text, template);
            if (score > bestScore)
            {
                bestScore = score;
                bestLicence = licence;
            }
        }
        if (bestLicence is null || bestScore < CloseThreshold) return null;
        return new LicenceMatch(bestLicence.Id, Math.Round(bestScore, 1), bestScore >= Threshold ? MatchMethod.Text : MatchMethod.ModifiedText);
    }

    [GeneratedRegex(@"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)(/fr)?|creativecommons\.org/publicdomain/zero/1\.0",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreativeCommonsUrl();

    [GeneratedRegex(@"\bCC[\s_-]?(BY(?:[\s_-]NC)?(?:[\s_-](?:SA|ND))?)(?:[\s_-]*(\d\.\d))?\b|\bCC[\s_-]?0\b|\bCC[\s_-]?Zero\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreativeCommonsName();

    [GeneratedRegex(@"licence\s+ouverte|open\s+licen[cs]e\s+(?:v(?:ersion)?\s*)?2\.0|\betalab[\s-]*2\.0",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Etalab();

    [GeneratedRegex(@"\bMIT\s+licen[cs]e\b|\blicen[cs]e\s+MIT\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MitName();

    [GeneratedRegex(@"SPDX-License-Identifier:\s*([^\r\n*]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpdxTag();

    [GeneratedRegex(@"(?<![\w.-])[A-Za-z0-9][A-Za-z0-9.+]*-[A-Za-z0-9.+-]*[0-9A-Za-z+](?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex IdLike();

    /// <summary>
    /// Licences a short text names: SPDX tags and ids (<c>CC-BY-SA-4.0</c>), Creative Commons URLs and names
    /// (« CC BY-NC-SA 4.0 »), the Licence Ouverte. Most explicit first, without repeats.
    /// </summary>
    public static IReadOnlyList<LicenceMatch> Mentions(string content)
    {
        if (content.Length > LicenceText.MaxChars) content = content[..LicenceText.MaxChars];
        var found = new List<LicenceMatch>();
        void Add(string? id, double confidence)
        {
            if (LicenceCatalogue.Canonical(id) is { } c && !found.Any(f => f.Id == c)) found.Add(new LicenceMatch(c, confidence, MatchMethod.Mention));
        }
        foreach (Match m in SpdxTag().Matches(content))
            foreach (var id in SpdxExpression.Ids(m.Groups[1].Value)) Add(id, 100);
        foreach (Match m in CreativeCommonsUrl().Matches(content))
            Add(m.Groups[1].Success ? CreativeCommonsId(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Success) : "CC0-1.0", 100);
        foreach (Match m in IdLike().Matches(content))
            if (m.Value.Length >= 5) Add(m.Value, 100);
        foreach (Match m in CreativeCommonsName().Matches(content))
            Add(m.Groups[1].Success ? CreativeCommonsId(m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : "4.0", false) : "CC0-1.0",
                m.Groups[2].Success || !m.Groups[1].Success ? 95 : 85);
        if (Etalab().IsMatch(content)) Add("etalab-2.0", 95);
        if (MitName().IsMatch(content)) Add("MIT", 90);
        return found;
    }

    private static string CreativeCommonsId(string kind, string version, bool french)
    {
        var parts = Regex.Split(kind.ToUpperInvariant(), @"[\s_-]+");
        var id = "CC-" + string.Join('-', parts) + "-" + version;
        return french && LicenceCatalogue.Canonical(id + "-FR") is { } fr ? fr : id;
    }
}
