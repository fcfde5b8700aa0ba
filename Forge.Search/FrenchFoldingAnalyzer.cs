using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// French analysis for teachers' text: elisions removed (<c>l'élève</c> → <c>élève</c>), stop words dropped, accents
/// folded (so <c>eleve</c> and <c>élève</c> meet) and a light stemmer (<c>exercices</c> and <c>exercice</c> meet).
/// </summary>
internal sealed class FrenchFoldingAnalyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>French stop words, compared as they are: the terms reaching the filter are already lower case.</summary>
    private static readonly CharArraySet Stops = new(Version, FrenchAnalyzer.DefaultStopSet, ignoreCase: false);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new StandardFilter(Version, source);
        stream = new ElisionFilter(stream, FrenchAnalyzer.DEFAULT_ARTICLES);
        stream = new FastLowerCaseFilter(stream);
        stream = new StopFilter(Version, stream, Stops);
        stream = new ASCIIFoldingFilter(stream);
        stream = new FrenchLightStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}
