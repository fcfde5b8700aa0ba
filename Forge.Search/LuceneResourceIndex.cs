using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;

namespace Forge.Search;

/// <summary>
/// The Lucene index of resources and content files. One instance per process owns the only <see cref="IndexWriter"/>
/// of the current generation (see <see cref="IndexGenerations"/>) and a <see cref="SearcherManager"/> refreshed after
/// each write (near-real-time). Every write is one repository's update plus its cursor, committed at once. Queries
/// are built in code from analysed terms; user text never reaches a query parser.
/// </summary>
public sealed partial class LuceneResourceIndex : IResourceIndex, IResourceSearch, ICodeSearch, IDisposable
{
    private readonly string _root;
    private readonly System.Threading.Lock _writeLock = new();
    private readonly Timer? _watch;
    private Generation _generation;
    private bool _disposed;

    /// <summary>Raised after the server switched to a generation published by a rebuild.</summary>
    public event Action? GenerationChanged;

    /// <param name="root">The index folder (<c>data/index</c>).</param>
    /// <param name="watchInterval">How often to look for a generation published by a rebuild; null never looks (tests, tools).</param>
    public LuceneResourceIndex(string root, TimeSpan? watchInterval = null)
    {
        _root = System.IO.Path.GetFullPath(root);
        System.IO.Directory.CreateDirectory(_root);
        var name = IndexGenerations.Current(_root);
        if (name is null)
        {
            name = IndexGenerations.NewName();
            using (var fresh = new Generation(System.IO.Path.Combine(_root, name))) { }
            IndexGenerations.Publish(_root, name);
        }
        _generation = new Generation(System.IO.Path.Combine(_root, name));
        IndexGenerations.CleanUp(_root);
        if (watchInterval is { } every) _watch = new Timer(_ => SafeCheck(), null, every, every);
    }

    /// <summary>Name of the generation in use.</summary>
    public string GenerationName => System.IO.Path.GetFileName(_generation.Path);

    /// <summary>Switches to the generation named in <c>CURRENT</c> if it changed; true if it did.</summary>
    public bool CheckForNewGeneration()
    {
        var name = IndexGenerations.Current(_root);
        if (name is null || name == GenerationName) return false;
        Generation old;
        lock (_writeLock)
        {
            if (_disposed || name == GenerationName) return false;
            var next = new Generation(System.IO.Path.Combine(_root, name));
            old = _generation;
            _generation = next;
        }
        // Searches in flight keep their own reader; close the old generation once they are surely done.
        _ = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ =>
        {
            old.Dispose();
            IndexGenerations.CleanUp(_root);
        }, TaskScheduler.Default);
        GenerationChanged?.Invoke();
        return true;
    }

    private void SafeCheck()
    {
        try
        {
            CheckForNewGeneration();
        }
        catch (Exception e) when (e is IOException or LockObtainFailedException or UnauthorizedAccessException)
        {
            // Published but still locked by the rebuilding process: try again on the next tick.
        }
    }

    public IndexedState? IndexedState(long repositoryId) =>
        WithSearcher(s => ReadCursor(s, repositoryId));

    public IReadOnlyDictionary<long, IndexedState> IndexedStates() => WithSearcher(searcher =>
    {
        var result = new Dictionary<long, IndexedState>();
        var cursors = new TermQuery(new Term(IndexSchema.Kind, IndexSchema.KindCursor));
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var weight = searcher.CreateNormalizedWeight(cursors);
            var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            if (scorer is null) continue;
            int doc;
            while ((doc = scorer.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                var state = CursorOf(leaf, doc, out var repositoryId);
                result[repositoryId] = state;
            }
        }
        return result;
    });

    private static IndexedState? ReadCursor(IndexSearcher searcher, long repositoryId)
    {
        var top = searcher.Search(new TermQuery(new Term(IndexSchema.Key, IndexSchema.CursorKey(repositoryId))), 1);
        if (top.TotalHits == 0) return null;
        var docId = top.ScoreDocs[0].Doc;
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(docId, leaves)];
        return CursorOf(leaf, docId - leaf.DocBase, out _);
    }

    private static IndexedState CursorOf(AtomicReaderContext leaf, int doc, out long repositoryId)
    {
        var reader = leaf.AtomicReader;
        var stored = reader.Document(doc);
        repositoryId = long.Parse(stored.Get(IndexSchema.Repo));
        return new IndexedState(stored.Get(IndexSchema.Commit), stored.Get(IndexSchema.Fingerprint))
        {
            Schema = stored.GetField(IndexSchema.SchemaField)?.GetInt32Value() ?? 0,
            Stars = (int)(reader.GetNumericDocValues(IndexSchema.Stars)?.Get(doc) ?? 0),
            RatingTenths = (int)(reader.GetNumericDocValues(IndexSchema.Rating)?.Get(doc) ?? 0),
            ReviewCount = (int)(reader.GetNumericDocValues(IndexSchema.Reviews)?.Get(doc) ?? 0),
            UpdatedAt = reader.GetNumericDocValues(IndexSchema.Updated)?.Get(doc) ?? 0,
            IsPublic = (reader.GetNumericDocValues(IndexSchema.Public)?.Get(doc) ?? 0) == 1,
        };
    }

    public void Upsert(ResourceDocument d) =>
        Write(w => IndexSchema.Write(w, new RepositoryUpdate
        {
            RepositoryId = d.RepositoryId, Owner = d.Owner, Name = d.Name, IsPublic = d.IsPublic,
            Cursor = new IndexedState(d.CommitSha, d.Fingerprint) { Stars = d.Stars, RatingTenths = d.RatingTenths, ReviewCount = d.ReviewCount, UpdatedAt = d.UpdatedAt.ToUnixTimeSeconds(), IsPublic = d.IsPublic },
            Resources = [d],
        }));

    public bool TryApply(RepositoryUpdate update, IndexedState? expected)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var g = _generation;
            var current = ReadCursorFresh(g, update.RepositoryId);
            if (!SameCursor(current, expected)) return false;
            IndexSchema.Write(g.Writer, update);
            g.Writer.Commit();
            g.Searchers.MaybeRefreshBlocking();
            return true;
        }
    }

    private static bool SameCursor(IndexedState? a, IndexedState? b) =>
        a is null ? b is null : b is not null && a.CommitSha == b.CommitSha && a.Fingerprint == b.Fingerprint && a.Schema == b.Schema;

    private static IndexedState? ReadCursorFresh(Generation g, long repositoryId)
    {
        var searcher = g.Searchers.Acquire();
        try
        {
            return ReadCursor(searcher, repositoryId);
        }
        finally
        {
            g.Searchers.Release(searcher);
        }
    }

    public void Conceal(long repositoryId) =>
        Write(w => w.UpdateNumericDocValue(new Term(IndexSchema.Repo, repositoryId.ToString()), IndexSchema.Public, 0));

    public void Remove(long repositoryId) =>
        Write(w => w.DeleteDocuments(new Term(IndexSchema.Repo, repositoryId.ToString())));

    private void Write(Action<IndexWriter> change)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var g = _generation;
            try
            {
                change(g.Writer);
            }
            catch (ArgumentException) when (g.Writer.MaxDoc == 0)
            {
                // An in-place update on an empty index (no such field yet) has nothing to change.
            }
            g.Writer.Commit();
            g.Searchers.MaybeRefreshBlocking();
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> use)
    {
        var g = _generation;
        var searcher = g.Searchers.Acquire();
        try
        {
            return use(searcher);
        }
        finally
        {
            g.Searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _watch?.Dispose();
        _generation.Dispose();
    }

    /// <summary>One open generation: its directory, writer and searchers.</summary>
    internal sealed class Generation : IDisposable
    {
        public Generation(string path)
        {
            Path = path;
            System.IO.Directory.CreateDirectory(path);
            Directory = FSDirectory.Open(path);
            var config = new IndexWriterConfig(FrenchFoldingAnalyzer.Version, Analyzers.PerField)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = 64,
            };
            Writer = new IndexWriter(Directory, config);
            Writer.Commit(); // a fresh folder becomes a valid empty index at once
            Searchers = new SearcherManager(Writer, applyAllDeletes: true, searcherFactory: null);
        }

        public string Path { get; }
        public FSDirectory Directory { get; }
        public IndexWriter Writer { get; }
        public SearcherManager Searchers { get; }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            Directory.Dispose();
        }
    }
}
