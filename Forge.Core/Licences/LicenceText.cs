using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Licences;

/// <summary>A licence text reduced to what identifies it: its words, in order, and the set of distinct words.</summary>
public sealed record NormalisedText(string Text, FrozenSet<string> Words);

/// <summary>
/// Normalises licence texts the way GitHub's licensee does, so that layout never decides a match: case, accents kept but
/// composed, punctuation, bullets and quote styles dropped, whitespace collapsed, copyright lines and
/// « all rights reserved » removed, http and https URLs made equal, British and American spellings made equal, and
/// everything after « END OF TERMS AND CONDITIONS » (the « how to apply » appendices) left out.
/// </summary>
public static partial class LicenceText
{
    /// <summary>Licence files are read up to this size; a longer file is compared on its beginning.</summary>
    public const int MaxChars = 128 * 1024;

    [GeneratedRegex(@"^[ \t>#*_-]*(?:copyright\b|\(c\)|©|spdx-filecopyrighttext\b)[^\n]{0,300}$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CopyrightLine();

    [GeneratedRegex(@"all rights reserved\.?", RegexOptions.CultureInvariant)]
    private static partial Regex AllRightsReserved();

    [GeneratedRegex(@"end of terms and conditions", RegexOptions.CultureInvariant)]
    private static partial Regex EndOfTerms();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <summary>Spellings that vary between copies of the same licence, mapped to one form.</summary>
    private static readonly FrozenDictionary<string, string> Variants = new Dictionary<string, string>
    {
        ["licence"] = "license", ["licences"] = "licenses", ["licenced"] = "licensed", ["licencing"] = "licensing",
        ["organisation"] = "organization", ["organisations"] = "organizations",
        ["acknowledgment"] = "acknowledgement", ["acknowledgments"] = "acknowledgements", ["analogue"] = "analog",
        ["behaviour"] = "behavior", ["favour"] = "favor", ["honour"] = "honor", ["recognised"] = "recognized",
        ["authorised"] = "authorized", ["sublicence"] = "sublicense", ["http"] = "https",
        ["whilst"] = "while", ["fulfil"] = "fulfill",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static NormalisedText Normalise(string text)
    {
        if (text.Length > MaxChars) text = text[..MaxChars];
        var s = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Replace("\r\n", "\n").Replace('\r', '\n');
        if (EndOfTerms().Match(s) is { Success: true } end) s = s[..end.Index];
        s = CopyrightLine().Replace(s, " ");
        s = AllRightsReserved().Replace(s, " ");
        var words = new List<string>(s.Length / 5);
        foreach (Match m in Word().Matches(s))
        {
            var w = m.Value;
            words.Add(Variants.TryGetValue(w, out var v) ? v : w);
        }
        return new NormalisedText(string.Join(' ', words), words.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Licensee's similarity, in percent: the Dice coefficient of the two word sets, lowered by the difference of
    /// length (a quarter of the characters added or removed), so that a clause added to a short licence counts.
    /// </summary>
    public static double Similarity(NormalisedText a, NormalisedText b)
    {
        var (small, large) = a.Words.Count <= b.Words.Count ? (a.Words, b.Words) : (b.Words, a.Words);
        var overlap = 0;
        foreach (var w in small) if (large.Contains(w)) overlap++;
        var total = a.Words.Count + b.Words.Count;
        if (total == 0) return 0;
        var delta = Math.Abs(a.Text.Length - b.Text.Length);
        return Math.Min(100, overlap * 200.0 / (total + delta / 4.0));
    }
}
