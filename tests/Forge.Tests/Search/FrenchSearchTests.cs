using Forge.Search;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

public sealed class FrenchSearchTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly LuceneResourceIndex _index;

    public FrenchSearchTests()
    {
        _index = new LuceneResourceIndex(_tmp.Path);
        _index.Upsert(Doc(1, "Exercice de tri", "Un exercice où l'élève programme le tri par sélection.", isPublic: true));
        _index.Upsert(Doc(2, "Réseaux", "Les protocoles d'Internet expliqués aux élèves de seconde.", isPublic: true));
        _index.Upsert(Doc(3, "Bulletins", "Évaluations confidentielles des élèves.", isPublic: false));
    }

    private static ResourceDocument Doc(long id, string title, string body, bool isPublic) => new()
    {
        RepositoryId = id, Owner = "alice", Name = $"depot-{id}", IsPublic = isPublic, CommitSha = new string('a', 40), Fingerprint = "f",
        Title = title, Body = body, UpdatedAt = DateTimeOffset.UtcNow,
    };

    private IReadOnlyList<long> Find(string q, params long[] readable) =>
        _index.Search(new SearchRequest(q, readable)).Hits.Select(h => h.RepositoryId).Order().ToList();

    [Fact]
    public void Plurals_accents_and_elisions_are_folded() 
    {
        Assert.Equal([1L], Find("exercices"));
        Assert.Equal([1L, 2L], Find("eleve"));
        Assert.Equal([1L, 2L], Find("ÉLÈVES"));
        Assert.Equal([2L], Find("internet"));     // "d'Internet"
        Assert.Equal([2L], Find("protocole"));
    }

    [Fact]
    public void The_fast_lower_case_filter_gives_lucenes_terms_for_every_letter()
    {
        // Every character of the Basic Multilingual Plane but surrogates, one token each (letters only: the tokenizer keeps them).
        var text = new System.Text.StringBuilder();
        for (var c = 1; c <= char.MaxValue; c++)
            if (!char.IsSurrogate((char)c) && char.IsLetter((char)c)) text.Append((char)c).Append(' ');
        static List<string> Terms(Lucene.Net.Analysis.TokenStream stream)
        {
            var terms = new List<string>();
            var attr = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) terms.Add(attr.ToString());
            stream.End();
            stream.Dispose();
            return terms;
        }
        Lucene.Net.Analysis.Tokenizer Letters() => new Lucene.Net.Analysis.Core.WhitespaceTokenizer(FrenchFoldingAnalyzer.Version, new StringReader(text.ToString()));
        var lucene = Terms(new Lucene.Net.Analysis.Core.LowerCaseFilter(FrenchFoldingAnalyzer.Version, Letters()));
        var fast = Terms(new FastLowerCaseFilter(Letters()));
        Assert.True(lucene.Count > 40_000, $"{lucene.Count} letters");
        var differ = lucene.Zip(fast).Where(p => p.First != p.Second).Select(p => $"{p.First} ≠ {p.Second}").ToList();
        Assert.True(differ.Count == 0, string.Join(", ", differ.Take(20)));
        Assert.Equal(lucene.Count, fast.Count);
    }

    [Fact]
    public void All_words_must_match_and_unknown_words_find_nothing()
    {
        Assert.Equal([1L], Find("tri élève"));
        Assert.Empty(Find("photosynthèse"));
    }

    [Fact]
    public void Private_documents_are_found_only_when_the_caller_may_read_them()
    {
        Assert.Empty(Find("évaluations"));
        Assert.Equal([3L], Find("évaluations", 3));
        Assert.Equal(2, _index.Search(new SearchRequest("eleve", [])).Total);
        Assert.Equal(3, _index.Search(new SearchRequest("eleve", [3])).Total);
    }

    [Fact]
    public void Query_syntax_in_user_text_is_just_text()
    {
        Assert.Empty(Find("title:Bulletins"));
        Assert.Equal([1L, 2L], Find("*:*")); // no words at all: the public catalogue, never the private document
        Assert.Empty(Find("tri AND NOT réseaux"));
        Assert.Equal([1L, 2L], Find("((( [ ~ ^ \" : ) \\")); // no words: everything public, nothing private
        Assert.Empty(Find("tri~ réseau*"));
    }

    [Fact]
    public void Reindexing_replaces_and_removing_deletes()
    {
        _index.Upsert(Doc(1, "Exercice de tri", "Nouveau contenu sur les graphes.", isPublic: true));
        Assert.Equal([1L], Find("graphe"));
        Assert.Equal(new string('a', 40), _index.IndexedState(1)!.CommitSha);
        _index.Remove(1);
        Assert.Empty(Find("graphe"));
        Assert.Null(_index.IndexedState(1));
    }

    public void Dispose()
    {
        _index.Dispose();
        _tmp.Dispose();
    }
}
