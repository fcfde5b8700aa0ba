using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// The words of a text as the spelling checker sees them: elisions removed, lower case, accents folded, but no
/// stemming and no stop words removed, so a correction is a word a person would recognise (<c>algorithme</c>).
/// </summary>
internal sealed class SpellAnalyzer : Analyzer
{
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(FrenchFoldingAnalyzer.Version, reader);
        TokenStream stream = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
        stream = new FastLowerCaseFilter(stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}

/// <summary>
/// Lower case, like Lucene's <see cref="LowerCaseFilter"/> but without its per-token call into ICU (which .NET makes
/// for every culture-aware case change, ASCII or not): ASCII letters by arithmetic, other upper- and title-case letters by
/// <see cref="char.ToLowerInvariant"/>, everything else (most accented letters are already lower case) untouched. The
/// same terms for every letter of the Basic Multilingual Plane; it was a quarter of the indexing time.
/// </summary>
internal sealed class FastLowerCaseFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;

    public FastLowerCaseFilter(TokenStream input) : base(input) => _term = AddAttribute<ICharTermAttribute>();

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken()) return false;
        var buffer = _term.Buffer;
        for (int i = 0, n = _term.Length; i < n; i++)
        {
            var c = buffer[i];
            if (c < 128)
            {
                if ((uint)(c - 'A') <= 'Z' - 'A') buffer[i] = (char)(c | 0x20);
            }
            else if (char.IsUpper(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.TitlecaseLetter)
            {
                buffer[i] = char.ToLowerInvariant(c);
            }
        }
        return true;
    }
}

/// <summary>
/// Lucene's <see cref="EnglishAnalyzer"/> chain (standard tokenizer, possessives, lower case, stop words, Porter stemmer)
/// with <see cref="FastLowerCaseFilter"/> and a stop set that does not case-fold again what is already lower case.
/// </summary>
internal sealed class FastEnglishAnalyzer : Analyzer
{
    private static readonly CharArraySet Stops = new(FrenchFoldingAnalyzer.Version, EnglishAnalyzer.DefaultStopSet, ignoreCase: false);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(FrenchFoldingAnalyzer.Version, reader);
        TokenStream stream = new StandardFilter(FrenchFoldingAnalyzer.Version, source);
        stream = new EnglishPossessiveFilter(FrenchFoldingAnalyzer.Version, stream);
        stream = new FastLowerCaseFilter(stream);
        stream = new StopFilter(FrenchFoldingAnalyzer.Version, stream, Stops);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}

/// <summary>Identifier characters of source code: letters, digits and the underscore.</summary>
internal sealed class IdentifierTokenizer(TextReader reader) : CharTokenizer(FrenchFoldingAnalyzer.Version, reader)
{
    protected override bool IsTokenChar(int c) => c == '_' || char.IsLetterOrDigit((char)c) || (c > char.MaxValue && char.IsLetter(char.ConvertFromUtf32(c), 0));
}

/// <summary>
/// Identifier-aware analysis for code search: every identifier is kept whole (<c>tri_fusion</c>, <c>trifusion</c>
/// for <c>triFusion</c>) and also split into its parts (<c>tri</c>, <c>fusion</c>) at snake_case, camelCase and
/// letter/digit boundaries; lower case, accents folded.
/// </summary>
internal sealed class CodeAnalyzer : Analyzer
{
    private const WordDelimiterFlags Flags = WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS
        | WordDelimiterFlags.SPLIT_ON_CASE_CHANGE | WordDelimiterFlags.SPLIT_ON_NUMERICS | WordDelimiterFlags.PRESERVE_ORIGINAL;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new IdentifierTokenizer(reader);
        TokenStream stream = new WordDelimiterFilter(FrenchFoldingAnalyzer.Version, source, Flags, null);
        stream = new FastLowerCaseFilter(stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}

/// <summary>The analyzers of the index, by field, and helpers to run them on a query.</summary>
internal static class Analyzers
{
    public static Analyzer French { get; } = new FrenchFoldingAnalyzer();
    public static Analyzer English { get; } = new FastEnglishAnalyzer();
    public static Analyzer Spell { get; } = new SpellAnalyzer();
    public static Analyzer Code { get; } = new CodeAnalyzer();

    /// <summary>French by default; <c>*_en</c> fields English; the spelling and code fields their own.</summary>
    public static Analyzer PerField { get; } = new PerFieldAnalyzerWrapper(French, new Dictionary<string, Analyzer>
    {
        [IndexSchema.TitleEn] = English,
        [IndexSchema.DescriptionEn] = English,
        [IndexSchema.BodyEn] = English,
        [IndexSchema.Spell] = Spell,
        [IndexSchema.Code] = Code,
    });

    /// <summary>The terms an analyzer makes of a text, in order, with duplicates.</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text, int max = 64)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var attr = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < max) terms.Add(attr.ToString());
        stream.End();
        return terms;
    }

    /// <summary>Tokens with their offsets (for highlighting lines).</summary>
    public static List<(string Term, int Start, int End)> TokensWithOffsets(Analyzer analyzer, string field, string text)
    {
        var result = new List<(string, int, int)>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) result.Add((term.ToString(), offsets.StartOffset, offsets.EndOffset));
        stream.End();
        return result;
    }

    private static readonly CharArraySet EnglishStops = EnglishAnalyzer.DefaultStopSet;

    /// <summary>
    /// The words of a query as typed (lower case, at most <paramref name="max"/>), without stop words of either
    /// language: a word that is a stop word in French or English is dropped, so that every kept word can be required.
    /// </summary>
    public static List<string> QueryWords(string text, int max = 32)
    {
        if (text.Length > 1000) text = text[..1000];
        var words = new List<string>();
        using var stream = new FastLowerCaseFilter(
            new ElisionFilter(new StandardTokenizer(FrenchFoldingAnalyzer.Version, new StringReader(text)), FrenchAnalyzer.DEFAULT_ARTICLES));
        var attr = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && words.Count < max)
        {
            var word = attr.ToString();
            if (FrenchAnalyzer.DefaultStopSet.Contains(word) || EnglishStops.Contains(word)) continue;
            if (!words.Contains(word)) words.Add(word);
        }
        stream.End();
        return words;
    }
}
