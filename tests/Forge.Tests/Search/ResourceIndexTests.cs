using Forge.Core.Resources;
using Forge.Search;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>The index on its own: facets, permissions, spelling, sorting, paging, code search, cursors.</summary>
public sealed class ResourceIndexTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly LuceneResourceIndex _index;
    private static readonly DateTimeOffset Day = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

    public ResourceIndexTests()
    {
        _index = new LuceneResourceIndex(_tmp.Path);
        Add(1, "Algorithmes de tri", "Le tri par sélection et le tri fusion en Python.", ["nsi"], ["tle"], ["cours"], stars: 5, age: 3,
            programme: ["nsi-tle.algorithmique.tri-fusion"], duration: 110, exercises: true, licence: "CC-BY-SA-4.0");
        Add(2, "Booléens et portes logiques", "Exercices sur les tables de vérité.", ["nsi"], ["1re"], ["exercice"], stars: 1, age: 1,
            programme: ["nsi-1re.types-base.booleens"], duration: 25, exercises: true, licence: "CC-BY-4.0");
        Add(3, "Fonctions affines", "Représenter une fonction affine.", ["mathematiques"], ["tle"], ["cours"], stars: 9, age: 2,
            duration: 55, exercises: false, licence: "CC-BY-4.0");
        Add(4, "Évaluation secrète de tri", "Sujet confidentiel : algorithmes de tri, barème.", ["nsi"], ["tle"], ["evaluation"], isPublic: false,
            programme: ["nsi-tle.algorithmique.tri-fusion"], duration: 55, exercises: true, licence: "CC-BY-4.0");
    }

    private void Add(long id, string title, string body, string[] disciplines, string[] grades, string[] types, bool isPublic = true,
        int stars = 0, int age = 0, string[]? programme = null, int? duration = null, bool? exercises = null, string? licence = null,
        string[]? languages = null, string? basedOn = null) =>
        _index.Upsert(new ResourceDocument
        {
            RepositoryId = id, Owner = id == 4 ? "bob" : "alice", Name = $"depot-{id}", IsPublic = isPublic, CommitSha = new string('a', 40),
            Fingerprint = "f", Title = title, Body = body, Disciplines = disciplines, Grades = grades,
            Cycles = grades.Select(g => ResourceVocabulary.CycleOf(g)!).Distinct().ToList(), Types = types, Stars = stars,
            UpdatedAt = Day.AddDays(-age), Programme = programme ?? [], DurationMinutes = duration, HasExercises = exercises, Licence = licence,
            Languages = languages ?? [], BasedOn = basedOn,
        });

    private SearchResults Search(string q, long[]? readable = null, Dictionary<string, string[]>? filters = null, SearchSort sort = SearchSort.Relevance,
        int page = 1, int size = 20) =>
        _index.Search(new SearchRequest(q, readable ?? [], page, size)
        {
            Filters = (filters ?? []).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            Sort = sort,
        });

    private static List<long> Ids(SearchResults r) => r.Hits.Select(h => h.RepositoryId).ToList();

    private static Dictionary<string, int> Counts(SearchResults r, string facet) =>
        r.Facets[facet].ToDictionary(c => c.Value, c => c.Count);

    [Fact]
    public void Facet_counts_cover_the_readable_results_only()
    {
        var anonymous = Search("");
        Assert.Equal(3, anonymous.Total);
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 2, ["mathematiques"] = 1 }, Counts(anonymous, Facets.Discipline));
        Assert.Equal(new Dictionary<string, int> { ["cours"] = 2, ["exercice"] = 1 }, Counts(anonymous, Facets.Type)); // no "evaluation"
        Assert.Equal(new Dictionary<string, int> { ["30-60"] = 1, ["lt30"] = 1, ["60-120"] = 1 }, Counts(anonymous, Facets.Duration));
        Assert.Equal(new Dictionary<string, int> { ["oui"] = 2, ["non"] = 1 }, Counts(anonymous, Facets.Exercises));

        var reader = Search("", readable: [4]);
        Assert.Equal(4, reader.Total);
        Assert.Equal(3, Counts(reader, Facets.Discipline)["nsi"]);
        Assert.Equal(1, Counts(reader, Facets.Type)["evaluation"]);
        Assert.Equal(2, Counts(reader, Facets.Duration)["30-60"]);
    }

    [Fact]
    public void Facets_combine_with_and_across_or_within_and_count_multi_select()
    {
        Assert.Equal([1L, 2L, 3L], Ids(Search("", filters: new() { [Facets.Grade] = ["1re", "tle"] })).Order());
        var r = Search("", filters: new() { [Facets.Discipline] = ["nsi"], [Facets.Grade] = ["tle"] });
        Assert.Equal([1L], Ids(r));
        Assert.Equal(1, r.Total);
        // A facet's own filter is left out of its counts (values can be added), the other facets' filters are applied.
        Assert.Equal(new Dictionary<string, int> { ["1re"] = 1, ["tle"] = 1 }, Counts(r, Facets.Grade));
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 1, ["mathematiques"] = 1 }, Counts(r, Facets.Discipline));
        Assert.Equal(new Dictionary<string, int> { ["cours"] = 1 }, Counts(r, Facets.Type));
        // The private resource (nsi, tle) counts nowhere for a reader who may not see it, and everywhere for one who may.
        var withPrivate = Search("", readable: [4], filters: new() { [Facets.Discipline] = ["nsi"], [Facets.Grade] = ["tle"] });
        Assert.Equal(2, withPrivate.Total);
        Assert.Equal(2, Counts(withPrivate, Facets.Grade)["tle"]);
    }

    [Fact]
    public void Programme_filters_match_an_item_or_any_prefix_and_count_every_level()
    {
        Assert.Equal([1L], Ids(Search("", filters: new() { [Facets.Programme] = ["nsi-tle"] })));
        Assert.Equal([1L], Ids(Search("", filters: new() { [Facets.Programme] = ["nsi-tle.algorithmique.tri-fusion"] })));
        Assert.Equal([2L], Ids(Search("", filters: new() { [Facets.Programme] = ["nsi-1re.types-base"] })));
        Assert.Empty(Ids(Search("", filters: new() { [Facets.Programme] = ["nsi-1re.types"] }))); // a prefix is whole segments
        var counts = Counts(Search(""), Facets.Programme);
        Assert.Equal(1, counts["nsi-tle"]);
        Assert.Equal(1, counts["nsi-tle.algorithmique"]);
        Assert.Equal(1, counts["nsi-1re.types-base.booleens"]);
    }

    [Fact]
    public void Lineage_owner_and_repository_filters()
    {
        Add(5, "Tri adapté", "Adaptation du cours de tri.", ["nsi"], ["tle"], ["cours"], basedOn: "Alice/Depot-1");
        Assert.Equal([5L], Ids(Search("", filters: new() { ["based_on"] = ["alice/depot-1"] })));
        Assert.Empty(Ids(Search("", filters: new() { ["based_on"] = ["alice/depot"] })));
        Assert.Equal([4L], Ids(_index.Search(new SearchRequest("", [4]) { Owner = "BOB" })));
        Assert.Empty(Ids(_index.Search(new SearchRequest("", []) { Owner = "bob" })));
        Assert.Equal([3L], Ids(_index.Search(new SearchRequest("", []) { RepositoryId = 3 })));
    }

    [Fact]
    public void A_misspelt_word_is_corrected_from_readable_words_only()
    {
        var r = Search("algoritme");
        Assert.Equal([1L], Ids(r));
        Assert.Equal("algorithmes", r.SpellingNote);
        Assert.Null(Search("algorithmes").SpellingNote);

        // "confidentiel" exists only in the private resource: never suggested to those who may not read it.
        var hidden = Search("confidantiel");
        Assert.Empty(hidden.Hits);
        Assert.Null(hidden.SpellingNote);
        Assert.Equal("confidentiel", Search("confidantiel", readable: [4]).SpellingNote);
        // Short words are not guessed at.
        Assert.Null(Search("tru").SpellingNote);
    }

    [Fact]
    public void Sorting_by_relevance_recency_and_stars_and_paging()
    {
        Assert.Equal([2L, 3L, 1L], Ids(Search("", sort: SearchSort.Recent)));
        Assert.Equal([3L, 1L, 2L], Ids(Search("", sort: SearchSort.Stars)));
        Assert.Equal([1L], Ids(Search("tri")).Take(1)); // title match first
        var page1 = Search("", sort: SearchSort.Stars, page: 1, size: 2);
        var page2 = Search("", sort: SearchSort.Stars, page: 2, size: 2);
        Assert.Equal([3L, 1L], Ids(page1));
        Assert.Equal([2L], Ids(page2));
        Assert.Equal(3, page2.Total);
        Assert.Contains("<mark>tri</mark>", Search("tri fusion").Hits[0].SnippetHtml);
    }

    [Fact]
    public void A_long_text_ranks_similar_resources_instead_of_requiring_every_word()
    {
        // Seven words: the first resource holds five of them, the other none; all-required would find nothing.
        var similar = Search("Cours algorithmes tri sélection fusion Python terminale", filters: new() { [Facets.Discipline] = ["nsi"] });
        Assert.Equal(1L, similar.Hits[0].RepositoryId);
        Assert.DoesNotContain(3L, Ids(similar));
        Assert.Empty(Search("tri fonction affine").Hits); // up to six words, all must match
    }

    [Fact]
    public void English_resources_are_also_analysed_in_english()
    {
        Add(6, "Sorting", "The children are running sorting algorithms.", ["anglais"], ["1re"], ["activite"], languages: ["en"]);
        Add(7, "Course", "Le running du mercredi.", ["eps"], ["1re"], ["activite"]);
        Assert.Equal([6L], Ids(Search("runs")));
    }

    [Fact]
    public void Concealing_hides_a_repository_from_results_and_counts_at_once()
    {
        _index.Conceal(3);
        var r = Search("");
        Assert.Equal(2, r.Total);
        Assert.False(Counts(r, Facets.Discipline).ContainsKey("mathematiques"));
        Assert.Equal([3L], Ids(Search("affine", readable: [3])));
        Assert.False(_index.IndexedState(3)!.IsPublic);
    }

    [Fact]
    public void Applying_an_update_checks_the_cursor_first()
    {
        var update = new RepositoryUpdate
        {
            RepositoryId = 3, Owner = "alice", Name = "depot-3", IsPublic = true, Cursor = new IndexedState(new string('b', 40), "f"),
            Files = [new FileDocument("calcul.py", "python", "x = 1\n")],
        };
        Assert.False(_index.TryApply(update, new IndexedState(new string('c', 40), "f")));
        Assert.Equal(new string('a', 40), _index.IndexedState(3)!.CommitSha);
        Assert.True(_index.TryApply(update, _index.IndexedState(3)));
        Assert.Equal(new string('b', 40), _index.IndexedState(3)!.CommitSha);
        Assert.Equal(4, _index.IndexedStates().Count);
    }

    [Fact]
    public void Code_search_finds_identifiers_with_their_lines_and_obeys_filters_and_permissions()
    {
        Apply(1, isPublic: true,
            new FileDocument("tris/fusion.py", "python", "# Tri fusion\n\ndef tri_fusion(liste):\n    if len(liste) <= 1:\n        return liste\n    return fusion(tri_fusion(liste[:m]), tri_fusion(liste[m:]))\n"),
            new FileDocument("tris/selection.py", "python", "def tri_selection(liste):\n    pass\n"),
            new FileDocument("cours.md", "markdown", "# Cours\n\nLes algorithmes de tri fusion.\n"));
        Apply(4, isPublic: false, new FileDocument("secret.py", "python", "def tri_fusion(x):\n    return x\n"));

        var r = _index.SearchCode(new CodeSearchRequest("def tri_fusion", []));
        var hit = Assert.Single(r.Hits);
        Assert.Equal("tris/fusion.py", hit.Path);
        Assert.Equal("python", hit.Language);
        Assert.Equal("alice", hit.Owner);
        // The definition line, numbered as in the file; the comment "Tri fusion" matches the identifier's parts.
        Assert.Equal([1, 3, 6], hit.Lines.Select(l => l.Number));
        Assert.Equal("<mark>def</mark> <mark>tri_fusion</mark>(liste):", hit.Lines[1].Html);
        Assert.Equal("# <mark>Tri</mark> <mark>fusion</mark>", hit.Lines[0].Html);

        // camelCase meets snake_case through the parts; the prose "tri fusion" of cours.md matches too, after the code.
        Assert.Equal(["tris/fusion.py", "cours.md"], _index.SearchCode(new CodeSearchRequest("triFusion", [])).Hits.Select(h => h.Path));
        Assert.Equal(2, _index.SearchCode(new CodeSearchRequest("tri_fusion", [])).Total);
        Assert.Equal(3, _index.SearchCode(new CodeSearchRequest("tri_fusion", [4])).Total);
        Assert.Equal(2, _index.SearchCode(new CodeSearchRequest("tri", [])).Total - 1); // fusion.py, selection.py, cours.md
        Assert.Equal("cours.md", Assert.Single(_index.SearchCode(new CodeSearchRequest("Algorithmes", [])).Hits).Path);
        Assert.Empty(_index.SearchCode(new CodeSearchRequest("algorithme", [])).Hits); // no stemming in code search
        Assert.Empty(_index.SearchCode(new CodeSearchRequest("tri", []) { Language = "markdown", PathPrefix = "tris/" }).Hits);
        Assert.Equal(2, _index.SearchCode(new CodeSearchRequest("tri", []) { PathPrefix = "tris/" }).Total);
        Assert.Empty(_index.SearchCode(new CodeSearchRequest("tri", []) { Owner = "bob" }).Hits);
        Assert.Single(_index.SearchCode(new CodeSearchRequest("tri", [4]) { Owner = "bob" }).Hits);
        Assert.Empty(_index.SearchCode(new CodeSearchRequest("<script>", [])).Hits);
    }

    private void Apply(long id, bool isPublic, params FileDocument[] files) =>
        Assert.True(_index.TryApply(new RepositoryUpdate
        {
            RepositoryId = id, Owner = id == 4 ? "bob" : "alice", Name = $"depot-{id}", IsPublic = isPublic,
            Cursor = new IndexedState(new string('a', 40), "f") { IsPublic = isPublic }, Files = files,
        }, _index.IndexedState(id)));

    [Fact]
    public void Snippets_and_code_lines_are_html_encoded()
    {
        Add(8, "Piège", "Un <img src=x onerror=alert(1)> glissé dans la séquence « zèbre » & co.", ["nsi"], ["1re"], ["cours"]);
        Assert.Equal("Un &lt;img src=x onerror=alert(1)&gt; glissé dans la <mark>séquence</mark> « zèbre » &amp; co.", Search("sequence").Hits[0].SnippetHtml);
        Apply(8, isPublic: true, new FileDocument("piege.html", "html", "<script>tri_fusion()</script>\n"));
        Assert.Equal("&lt;script&gt;<mark>tri_fusion</mark>()&lt;/script&gt;",
            Assert.Single(_index.SearchCode(new CodeSearchRequest("tri_fusion", []) { Language = "html" }).Hits).Lines[0].Html);
    }

    [Fact]
    public void Duration_ranges_mirror_the_vocabulary() =>
        Assert.Equal(ResourceVocabulary.DurationRanges.Select(r => (r.Code, r.Min, r.Max)), Facets.DurationRanges);

    [Fact]
    public void Query_string_parameters_become_a_request()
    {
        var request = SearchParameters.Parse(new Dictionary<string, IEnumerable<string?>>
        {
            ["q"] = ["tri"], ["grade"] = ["1re", "tle", "tle"], ["usage"] = ["maison"], ["sort"] = ["stars"], ["page"] = ["2"], ["limit"] = ["500"],
            ["based_on"] = ["alice/tri"], ["unknown"] = ["x"], ["discipline"] = [""],
        }, [7]);
        Assert.Equal("tri", request.Text);
        Assert.Equal(["1re", "tle"], request.Filters[Facets.Grade]);
        Assert.Equal(["maison"], request.Filters[Facets.Usage]);
        Assert.Equal(["alice/tri"], request.Filters["based_on"]);
        Assert.False(request.Filters.ContainsKey(Facets.Discipline));
        Assert.False(request.Filters.ContainsKey("unknown"));
        Assert.Equal(SearchSort.Stars, request.Sort);
        Assert.Equal(2, request.Page);
        Assert.Equal(SearchParameters.MaxPageSize, request.PageSize);
    }

    public void Dispose()
    {
        _index.Dispose();
        _tmp.Dispose();
    }
}
