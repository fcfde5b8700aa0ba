using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// The Lucene index of resources. One instance per process owns the only <see cref="IndexWriter"/> and a
/// <see cref="SearcherManager"/> refreshed after each write (near-real-time). Queries are built in code from
/// analysed terms; user text never reaches a query parser.
/// </summary>
public sealed class LuceneResourceIndex : IResourceIndex, IResourceSearch, IDisposable
{
    private const int StoredBodyChars = 100_000;
    private static readonly (string Field, float Boost)[] TextFields =
        [("title", 4f), ("keywords", 3f), ("name", 3f), ("description", 2f), ("body", 1f)];

    private readonly FSDirectory _directory;
    private readonly FrenchFoldingAnalyzer _analyzer = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly System.Threading.Lock _writeLock = new();

    public LuceneResourceIndex(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        var config = new IndexWriterConfig(FrenchFoldingAnalyzer.Version, _analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND };
        _writer = new IndexWriter(_directory, config);
        _writer.Commit(); // a fresh folder becomes a valid empty index at once
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
    }

    public IndexedState? IndexedState(long repositoryId)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(new TermQuery(new Term("id", Key(repositoryId))), 1);
            if (top.TotalHits == 0) return null;
            var doc = searcher.Doc(top.ScoreDocs[0].Doc);
            return new IndexedState(doc.Get("commit"), doc.Get("fingerprint"));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Upsert(ResourceDocument d)
    {
        var doc = new Document
        {
            new StringField("id", Key(d.RepositoryId), Field.Store.YES),
            new StringField("repo_id", d.RepositoryId.ToString(), Field.Store.YES),
            new StringField("owner", d.Owner.ToLowerInvariant(), Field.Store.NO),
            new StoredField("owner_display", d.Owner),
            new StoredField("name_display", d.Name),
            new TextField("name", d.Name.Replace('-', ' ').Replace('_', ' '), Field.Store.NO),
            new StringField("public", d.IsPublic ? "1" : "0", Field.Store.YES),
            new StoredField("commit", d.CommitSha),
            new StoredField("fingerprint", d.Fingerprint),
            new TextField("title", d.Title, Field.Store.YES),
            new TextField("description", d.Description ?? "", Field.Store.YES),
            new TextField("body", d.Body.Length > StoredBodyChars ? d.Body[..StoredBodyChars] : d.Body, Field.Store.YES),
            new TextField("keywords", string.Join(" ; ", d.Keywords), Field.Store.NO),
            new Int64Field("updated", d.UpdatedAt.ToUnixTimeSeconds(), Field.Store.YES),
        };
        if (d.Body.Length > StoredBodyChars) doc.Add(new TextField("body_rest", d.Body[StoredBodyChars..], Field.Store.NO));
        AddValues(doc, "discipline", d.Disciplines);
        AddValues(doc, "grade", d.Grades);
        AddValues(doc, "cycle", d.Cycles);
        AddValues(doc, "usage", d.Usage);
        AddValues(doc, "type", d.Types);
        if (d.Licence is not null) doc.Add(new StringField("licence", d.Licence, Field.Store.YES));
        if (d.DurationMinutes is { } m) doc.Add(new Int32Field("duration", m, Field.Store.YES));
        lock (_writeLock)
        {
            _writer.UpdateDocument(new Term("id", Key(d.RepositoryId)), doc);
            _writer.Commit();
        }
        _searchers.MaybeRefreshBlocking();
    }

    public void Remove(long repositoryId)
    {
        lock (_writeLock)
        {
            _writer.DeleteDocuments(new Term("repo_id", repositoryId.ToString()));
            _writer.Commit();
        }
        _searchers.MaybeRefreshBlocking();
    }

    public SearchResults Search(SearchRequest request)
    {
        var pageSize = Math.Clamp(request.PageSize, 1, 100);
        var page = Math.Clamp(request.Page, 1, 1000);
        var terms = Analyze(request.Text ?? "");
        Query textQuery;
        if (terms.Count == 0)
        {
            textQuery = new MatchAllDocsQuery();
        }
        else
        {
            var all = new BooleanQuery();
            foreach (var term in terms)
            {
                var perTerm = new DisjunctionMaxQuery(0.1f);
                foreach (var (field, boost) in TextFields)
                    perTerm.Add(new TermQuery(new Term(field, term)) { Boost = boost });
                perTerm.Add(new TermQuery(new Term("body_rest", term)) { Boost = 0.5f });
                all.Add(perTerm, Occur.MUST);
            }
            textQuery = all;
        }

        var query = new BooleanQuery
        {
            { textQuery, Occur.MUST },
            { new ConstantScoreQuery(ReadableFilter(request.ReadableRepositoryIds)) { Boost = 0f }, Occur.MUST },
        };

        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(query, page * pageSize);
            var highlighter = terms.Count == 0 ? null
                : new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new SimpleHTMLEncoder(), new QueryScorer(textQuery, "body"))
                { TextFragmenter = new SimpleFragmenter(180) };
            var hits = new List<SearchHit>();
            foreach (var sd in top.ScoreDocs.Skip((page - 1) * pageSize))
            {
                var doc = searcher.Doc(sd.Doc);
                string? snippet = null;
                if (highlighter is not null)
                {
                    var body = doc.Get("body") ?? "";
                    snippet = highlighter.GetBestFragment(_analyzer, "body", body);
                }
                hits.Add(new SearchHit(
                    long.Parse(doc.Get("repo_id")), doc.Get("owner_display"), doc.Get("name_display"), doc.Get("title"),
                    NullIfEmpty(doc.Get("description")), snippet,
                    doc.GetValues("discipline"), doc.GetValues("grade"), doc.GetValues("type"), sd.Score));
            }
            return new SearchResults(top.TotalHits, hits);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Public documents, plus those of the repositories the caller may read.</summary>
    private static Query ReadableFilter(IReadOnlyCollection<long> readable)
    {
        var filter = new BooleanQuery { { new TermQuery(new Term("public", "1")), Occur.SHOULD } };
        if (readable.Count > 0)
        {
            var ids = new Lucene.Net.Queries.TermsFilter(readable.Select(id => new Term("repo_id", id.ToString())).ToList());
            filter.Add(new ConstantScoreQuery(ids), Occur.SHOULD);
        }
        return filter;
    }

    private List<string> Analyze(string text)
    {
        var terms = new List<string>();
        if (text.Length > 1000) text = text[..1000];
        using var stream = _analyzer.GetTokenStream("body", text);
        var attr = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < 32)
        {
            var term = attr.ToString();
            if (!terms.Contains(term)) terms.Add(term);
        }
        stream.End();
        return terms;
    }

    private static void AddValues(Document doc, string field, IEnumerable<string> values)
    {
        foreach (var v in values) doc.Add(new StringField(field, v, Field.Store.YES));
    }

    private static string Key(long repositoryId) => "repo:" + repositoryId;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
