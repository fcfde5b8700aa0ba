using Lucene.Net.Index;
using Lucene.Net.Store;

namespace Forge.Search;

/// <summary>
/// Builds a new generation of the index from scratch (<c>forge admin reindex</c>, seeding), beside the one in use:
/// bulk adds with a large buffer, one commit at the end, then <see cref="Publish"/> makes it current. Nothing it
/// writes is visible before that; a build that dies leaves an unpublished folder that the server deletes later.
/// </summary>
public sealed class LuceneIndexBuilder : IDisposable
{
    private readonly string _root;
    private readonly FSDirectory _directory;
    private readonly IndexWriter _writer;
    private bool _closed;

    public LuceneIndexBuilder(string root)
    {
        _root = System.IO.Path.GetFullPath(root);
        Name = IndexGenerations.NewName();
        var path = System.IO.Path.Combine(_root, Name);
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(FrenchFoldingAnalyzer.Version, Analyzers.PerField)
        {
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 256,
        });
    }

    /// <summary>Name of the generation being built.</summary>
    public string Name { get; }

    private int _repositories, _resources, _files;
    public int Repositories => _repositories;
    public int Resources => _resources;
    public int Files => _files;

    /// <summary>Adds one repository's documents (each repository once). Thread-safe: several threads may add at once.</summary>
    public void Add(RepositoryUpdate update)
    {
        IndexSchema.Write(_writer, update, fresh: true);
        Interlocked.Increment(ref _repositories);
        Interlocked.Add(ref _resources, update.Resources.Count);
        Interlocked.Add(ref _files, update.Files.Count);
    }

    /// <summary>Commits, closes and makes this generation the one in use; a running server switches to it within seconds.</summary>
    public void Publish()
    {
        _writer.Commit();
        Close();
        IndexGenerations.Publish(_root, Name);
    }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        _writer.Dispose();
        _directory.Dispose();
    }

    public void Dispose() => Close();
}
