using System.Globalization;
using System.Text;

namespace Forge.Core.Text;

/// <summary>
/// The one accent- and case-folding of Forge, and the slugs made from it: quiz answers, programme items, resource vocabularies,
/// course-site search, section ids, assignment and pupil names all compare or name text the same way.
/// </summary>
public static class TextFolding
{
    /// <summary>
    /// For comparing text: trimmed, lower case, diacritics removed (« Élève » → « eleve »), ligatures spelt out (œ → oe, æ → ae,
    /// ß → ss), typographic apostrophes as <c>'</c>, each run of white space as one space. Other characters (punctuation,
    /// digits, emoji) are kept.
    /// </summary>
    public static string Fold(string text) => Fold(text, expandLigatures: true);

    private static string Fold(string text, bool expandLigatures)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var ch in decomposed)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            Append(sb, ch, expandLigatures);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// One character folded as <see cref="Fold(string)"/> folds it, without trimming or joining spaces: "" for a combining
    /// mark, two letters for a ligature, else one character. For text whose positions must map back to the original.
    /// </summary>
    public static string FoldChar(char c)
    {
        if (c < 128) return Ascii[c];
        var sb = new StringBuilder(2);
        foreach (var ch in char.ToLowerInvariant(c).ToString().Normalize(NormalizationForm.FormD))
            Append(sb, ch, expandLigatures: true);
        return sb.ToString();
    }

    /// <summary>ASCII characters folded: most of a French text, answered without allocating.</summary>
    private static readonly string[] Ascii = Enumerable.Range(0, 128).Select(i => char.ToLowerInvariant((char)i).ToString()).ToArray();

    /// <summary>A lower-case, decomposed character: dropped if a diacritic, spelt out if a ligature, else kept.</summary>
    private static void Append(StringBuilder sb, char ch, bool expandLigatures)
    {
        if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) return;
        switch (ch)
        {
            case '’' or '‘' or 'ʼ':
                sb.Append('\'');
                return;
            case 'œ' when expandLigatures:
                sb.Append("oe");
                return;
            case 'æ' when expandLigatures:
                sb.Append("ae");
                return;
            case 'ß' when expandLigatures:
                sb.Append("ss");
                return;
            default:
                sb.Append(ch);
                return;
        }
    }

    /// <summary>
    /// « L’été de Cœur ! » → « l-ete-de-coeur »: folded (<see cref="Fold(string)"/>), ASCII letters and digits, anything else
    /// one dash between them, at most <paramref name="maxLength"/> characters, no dash at either end; "" when nothing is left.
    /// </summary>
    /// <param name="expandLigatures">false for ids computed again from their text on every read and made before ligatures
    /// were spelt out (a module's section ids: « nœud » stays « n-ud »), so that links and stored progress keep working.</param>
    public static string Slug(string text, int maxLength, bool expandLigatures = true)
    {
        var sb = new StringBuilder(Math.Min(maxLength, text.Length + 8));
        foreach (var ch in Fold(text, expandLigatures))
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= maxLength) break;
        }
        return sb.ToString().Trim('-');
    }
}
