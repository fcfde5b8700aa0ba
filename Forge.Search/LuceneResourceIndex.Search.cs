using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Forge.Search;

public sealed partial class LuceneResourceIndex
{
    /// <summary>Up to this many words, all must match; beyond, it is an OR with a minimum (see <see cref="IResourceSearch.Search"/>).</summary>
    public const int MaxAllRequiredWords = 6;
    /// <summary>Below this many hits, misspelt words are corrected.</summary>
    private const int FewHits = 3;

    private static readonly (string Field, float Boost)[] FrenchFields =
        [(IndexSchema.Title, 4f), (IndexSchema.Keywords, 3f), (IndexSchema.Name, 3f), (IndexSchema.Description, 2f), (IndexSchema.Body, 1f), (IndexSchema.BodyRest, 0.8f)];
    private static readonly (string Field, float Boost)[] EnglishFields =
        [(IndexSchema.TitleEn, 3.6f), (IndexSchema.DescriptionEn, 1.8f), (IndexSchema.BodyEn, 0.9f)];

    public SearchResults Search(SearchRequest request) => WithSearcher(searcher =>
    {
        var readable = new ReadableFilter(request.ReadableRepositoryIds);
        var words = Analyzers.QueryWords(request.Text ?? "");
        var results = Run(searcher, request, words, readable);
        if (results.Total >= FewHits || words.Count == 0) return results;

        var corrected = Correct(searcher, words, readable);
        if (corrected is null) return results;
        var second = Run(searcher, request, corrected, readable);
        return second.Total > results.Total ? second with { SpellingNote = string.Join(' ', corrected) } : results;
    });

    private SearchResults Run(IndexSearcher searcher, SearchRequest request, List<string> words, ReadableFilter readable)
    {
        var pageSize = Math.Clamp(request.PageSize, 1, 100);
        var page = Math.Clamp(request.Page, 1, 1000);
        var text = TextQuery(words);

        var query = new BooleanQuery { { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.KindResource)) { Boost = 0f }, Occur.MUST } };
        if (text is not null) query.Add(text, Occur.MUST);
        if (!string.IsNullOrWhiteSpace(request.Owner))
            query.Add(new TermQuery(new Term(IndexSchema.Owner, request.Owner.Trim().ToLowerInvariant())) { Boost = 0f }, Occur.MUST);
        if (request.RepositoryId is { } repo)
            query.Add(new TermQuery(new Term(IndexSchema.Repo, repo.ToString())) { Boost = 0f }, Occur.MUST);
        var facetFilters = new Dictionary<string, HashSet<string>>();
        foreach (var (name, values) in request.Filters)
        {
            var set = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            if (set.Count == 0) continue;
            if (name == "based_on")
            {
                var any = new BooleanQuery();
                foreach (var v in set) any.Add(new TermQuery(new Term(IndexSchema.BasedOn, v.ToLowerInvariant())), Occur.SHOULD);
                query.Add(new ConstantScoreQuery(any) { Boost = 0f }, Occur.MUST);
            }
            else if (Facets.All.Contains(name))
            {
                facetFilters[name] = set;
            }
        }

        var sort = request.Sort switch
        {
            SearchSort.Recent => new Sort(new SortField(IndexSchema.Updated, SortFieldType.INT64, true), SortField.FIELD_SCORE),
            SearchSort.Stars => new Sort(new SortField(IndexSchema.Stars, SortFieldType.INT64, true), SortField.FIELD_SCORE,
                new SortField(IndexSchema.Updated, SortFieldType.INT64, true)),
            SearchSort.Rating => new Sort(new SortField(IndexSchema.Rating, SortFieldType.INT64, true), new SortField(IndexSchema.Reviews, SortFieldType.INT64, true),
                SortField.FIELD_SCORE),
            _ => new Sort(SortField.FIELD_SCORE, new SortField(IndexSchema.Updated, SortFieldType.INT64, true)),
        };
        var top = TopFieldCollector.Create(sort, page * pageSize, fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: true);
        var collector = new FacetingCollector(top, request.WithFacets, facetFilters);
        searcher.Search(new FilteredQuery(query, readable), collector);

        // The French terms of the words, for snippets of the text (or, failing that, of the description).
        var snippetTerms = text is null || !request.WithSnippets ? null
            : words.SelectMany(w => Analyzers.Terms(Analyzers.French, IndexSchema.Body, w, 4)).ToHashSet(StringComparer.Ordinal);
        var hits = new List<SearchHit>();
        var leaves = searcher.IndexReader.Leaves;
        foreach (var sd in top.GetTopDocs((page - 1) * pageSize, pageSize).ScoreDocs)
        {
            var doc = searcher.Doc(sd.Doc);
            var leaf = leaves[ReaderUtil.SubIndex(sd.Doc, leaves)];
            var local = sd.Doc - leaf.DocBase;
            string? snippet = null;
            if (snippetTerms is not null)
                snippet = Snippets.Cut(doc.Get(IndexSchema.Body) ?? "", snippetTerms, Analyzers.French, IndexSchema.Body)
                    ?? Snippets.Cut(doc.Get(IndexSchema.Description) ?? "", snippetTerms, Analyzers.French, IndexSchema.Description);
            hits.Add(ToHit(doc, leaf.AtomicReader, local, snippet, float.IsNaN(sd.Score) ? 0 : sd.Score));
        }
        return new SearchResults(collector.Total, hits) { Facets = request.WithFacets ? collector.Counts() : new Dictionary<string, IReadOnlyList<FacetCount>>() };
    }

    private static SearchHit ToHit(Document doc, AtomicReader reader, int local, string? snippet, float score) =>
        new(long.Parse(doc.Get(IndexSchema.Repo)), doc.Get(IndexSchema.OwnerDisplay), doc.Get(IndexSchema.NameDisplay), doc.Get(IndexSchema.Title),
            NullIfEmpty(doc.Get(IndexSchema.Description)), snippet, doc.GetValues("s_discipline"), doc.GetValues("s_grade"), doc.GetValues("s_type"), score)
        {
            Path = doc.Get(IndexSchema.Path) ?? "",
            Cycles = doc.GetValues("s_cycle"),
            Usage = doc.GetValues("s_usage"),
            Licence = doc.Get("s_licence"),
            DurationMinutes = doc.GetField(IndexSchema.Duration)?.GetInt32Value(),
            Stars = (int)(reader.GetNumericDocValues(IndexSchema.Stars)?.Get(local) ?? 0),
            RatingTenths = (int)(reader.GetNumericDocValues(IndexSchema.Rating)?.Get(local) ?? 0),
            ReviewCount = (int)(reader.GetNumericDocValues(IndexSchema.Reviews)?.Get(local) ?? 0),
            UpdatedAt = DateTimeOffset.FromUnixTimeSeconds(reader.GetNumericDocValues(IndexSchema.Updated)?.Get(local) ?? 0),
        };

    /// <summary>One clause per word (best field wins), all required for a short text, a minimum of them for a long one.</summary>
    private static Query? TextQuery(List<string> words)
    {
        var clauses = new List<Query>();
        foreach (var word in words)
        {
            var perWord = new DisjunctionMaxQuery(0.1f);
            foreach (var term in Analyzers.Terms(Analyzers.French, IndexSchema.Body, word, 4).Distinct())
                foreach (var (field, boost) in FrenchFields)
                    perWord.Add(new TermQuery(new Term(field, term)) { Boost = boost });
            foreach (var term in Analyzers.Terms(Analyzers.English, IndexSchema.BodyEn, word, 4).Distinct())
                foreach (var (field, boost) in EnglishFields)
                    perWord.Add(new TermQuery(new Term(field, term)) { Boost = boost });
            if (perWord.Disjuncts.Count > 0) clauses.Add(perWord);
        }
        if (clauses.Count == 0) return null;
        var all = new BooleanQuery(disableCoord: false);
        var required = clauses.Count <= MaxAllRequiredWords;
        foreach (var c in clauses) all.Add(c, required ? Occur.MUST : Occur.SHOULD);
        if (!required) all.MinimumNumberShouldMatch = Math.Max(2, clauses.Count / 4);
        return all;
    }

    /// <summary>
    /// The words with each one that no readable resource contains replaced by the closest word some readable
    /// resource does contain; null when nothing could be corrected. Private documents never suggest a word.
    /// </summary>
    private static List<string>? Correct(IndexSearcher searcher, List<string> words, ReadableFilter readable)
    {
        var terms = MultiFields.GetTerms(searcher.IndexReader, IndexSchema.Spell);
        if (terms is null) return null;
        var result = new List<string>();
        var changed = false;
        foreach (var word in words)
        {
            var folded = Analyzers.Terms(Analyzers.Spell, IndexSchema.Spell, word, 2);
            if (folded.Count != 1 || folded[0].Length < 4 || ReadableCount(searcher, folded[0], readable))
            {
                result.Add(word);
                continue;
            }
            var target = folded[0];
            // One edit first (cheap to enumerate, and the likeliest); two only for long words that one edit did not fix.
            string? best = null;
            for (var edits = 1; edits <= (target.Length <= 7 ? 1 : 2) && best is null; edits++)
            {
                var candidates = new List<(string Term, int Distance, int DocFreq)>();
                var fuzzy = new FuzzyTermsEnum(terms, new AttributeSource(), new Term(IndexSchema.Spell, target), edits, 1, true);
                BytesRef? next;
                while (candidates.Count < 500 && fuzzy.MoveNext() && (next = fuzzy.Term) is not null)
                {
                    var candidate = next.Utf8ToString();
                    candidates.Add((candidate, EditDistance(target, candidate), fuzzy.DocFreq));
                }
                best = candidates.OrderBy(c => c.Distance).ThenByDescending(c => c.DocFreq).ThenBy(c => c.Term, StringComparer.Ordinal)
                    .Take(10).FirstOrDefault(c => ReadableCount(searcher, c.Term, readable)).Term;
            }
            if (best is null) result.Add(word);
            else
            {
                result.Add(best);
                changed = true;
            }
        }
        return changed ? result : null;
    }

    private static bool ReadableCount(IndexSearcher searcher, string spellTerm, ReadableFilter readable)
    {
        var query = new BooleanQuery
        {
            { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.KindResource)), Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Spell, spellTerm)), Occur.MUST },
        };
        return searcher.Search(new FilteredQuery(query, readable), 1).TotalHits > 0;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
