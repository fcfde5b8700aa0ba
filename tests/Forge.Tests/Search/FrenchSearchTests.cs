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
