using Forge.Git;
using Forge.Jobs;
using Forge.Search;
using Forge.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>The indexing job on real git repositories: full builds, granules, incremental updates, reconciliation.</summary>
public sealed class IndexRepositoryJobTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly RepositoryStore _store;
    private readonly GitReader _reader = new();
    private readonly LuceneResourceIndex _index;
    private readonly Directory _directory = new();
    private readonly IndexRepositoryJob _job;

    public IndexRepositoryJobTests()
    {
        _store = new RepositoryStore(_tmp.Sub("repos"), new GitCli(_tmp.Sub("git-home")));
        _index = new LuceneResourceIndex(_tmp.Sub("index"));
        _job = new IndexRepositoryJob(_directory, _store, _reader, _index, new RepositoryIndexer(_store, _reader, new IndexingOptions()),
            new AfterPush(client: null!), // these tests run the job itself, never its after-push scheduling
            NullLogger<IndexRepositoryJob>.Instance);
    }

    private sealed class Directory : IRepositoryDirectory
    {
        public Dictionary<long, RepositorySnapshot> Repositories { get; } = [];
        public Task<RepositorySnapshot?> FindAsync(long repositoryId, CancellationToken ct) => Task.FromResult(Repositories.GetValueOrDefault(repositoryId));
        public Task<IReadOnlyList<long>> AllIdsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<long>>([.. Repositories.Keys.Order()]);
    }

    /// <summary>Records what would be queued.</summary>
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];
        public string Create(Job job, IState state)
        {
            Created.Add(job);
            return Created.Count.ToString();
        }
        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private async Task<TestRepo> CreateAsync(long id, string name, bool isPrivate = false)
    {
        await _store.CreateAsync(id, "main");
        _directory.Repositories[id] = new RepositorySnapshot(id, "alice", name, "Un dépôt", isPrivate, "main", DateTimeOffset.UtcNow);
        return new TestRepo(_tmp.Sub("work-" + id));
    }

    private void Push(TestRepo work, long id, bool force = false) =>
        work.Git(["push", "-q", .. force ? new[] { "--force" } : [], _store.PathOf(id), "main"]);

    private List<string> Find(string q, params long[] readable) =>
        _index.Search(new SearchRequest(q, readable)).Hits.Select(h => $"{h.RepositoryId}:{h.Path}").Order().ToList();

    private List<string> FindCode(string q) => _index.SearchCode(new CodeSearchRequest(q, [])).Hits.Select(h => h.Path).Order().ToList();

    private static string Yaml(string title, string extra = "") => $"title: {title}\ndisciplines: [nsi]\ngrades: [tle]\n{extra}";

    [Fact]
    public async Task A_repository_is_indexed_with_its_granules_and_files_then_only_what_changed_is_read_again()
    {
        var work = await CreateAsync(1, "nsi-terminale");
        work.Write("resource.yml", Yaml("Cours de NSI", "licence: CC-BY-SA-4.0\nhas_exercises: true\n"))
            .Write("README.md", "# NSI\n\nProgression annuelle.\n")
            .Write("tris/resource.yml", "title: Les tris\ngrades: [tle]\n")
            .Write("tris/README.md", "# Tris\n\nLe tri fusion expliqué.\n")
            .Write("tris/fusion.py", "def tri_fusion(liste):\n    return liste\n")
            .Write("graphes/resource.yml", "title: Graphes\n")
            .Write("graphes/parcours.md", "Parcours en largeur d'un graphe.\n")
            .Write("image.png", "\u0089PNG\0\0binaire");
        work.Commit("premier jet");
        Push(work, 1);

        var first = await _job.IndexAsync(1, default);
        Assert.Equal(IndexKind.Full, first.Kind);
        Assert.Equal(3, first.ResourcesBuilt);
        Assert.Equal(["1:", "1:graphes"], Find("parcours largeur"));
        Assert.Equal(["1:", "1:tris"], Find("fusion"));
        var granule = _index.Search(new SearchRequest("fusion", []) { Filters = new Dictionary<string, IReadOnlyList<string>> { [Facets.Discipline] = ["nsi"] } })
            .Hits.Single(h => h.Path == "tris");
        Assert.Equal("Les tris", granule.Title);
        Assert.Equal(["nsi"], granule.Disciplines); // inherited from the repository's resource.yml
        Assert.Equal("CC-BY-SA-4.0", granule.Licence);
        Assert.Equal(["tris/fusion.py"], FindCode("def tri_fusion"));
        Assert.Equal(IndexKind.Unchanged, (await _job.IndexAsync(1, default)).Kind);

        // A code file changes: that file alone is read, no resource is rebuilt.
        work.Write("tris/fusion.py", "def tri_fusion(liste):\n    return sorted(liste)\n\ndef tri_rapide(liste):\n    return liste\n");
        work.Commit("tri rapide");
        Push(work, 1);
        var second = await _job.IndexAsync(1, default);
        Assert.Equal(new IndexOutcome(IndexKind.Incremental, 1, 0, 0), second);
        Assert.Equal(["tris/fusion.py"], FindCode("tri_rapide"));
        Assert.Equal(["1:", "1:graphes"], Find("parcours largeur")); // untouched documents kept

        // A Markdown page of a granule is deleted: its file document goes, the granule and the repository are rebuilt.
        System.IO.File.Delete(Path.Combine(work.Path, "graphes/parcours.md"));
        work.Write("notes.txt", "Penser aux dictionnaires.\n");
        work.Commit("menage");
        Push(work, 1);
        var third = await _job.IndexAsync(1, default);
        Assert.Equal(IndexKind.Incremental, third.Kind);
        Assert.Equal(1, third.FilesRemoved);
        Assert.Equal(2, third.ResourcesBuilt);
        Assert.Empty(Find("parcours largeur"));
        Assert.Empty(FindCode("largeur"));
        Assert.Equal(["notes.txt"], FindCode("dictionnaires"));

        // A granule's resource.yml is deleted: it is a granule no more.
        System.IO.File.Delete(Path.Combine(work.Path, "graphes/resource.yml"));
        work.Commit("graphes rattaché au cours");
        Push(work, 1);
        await _job.IndexAsync(1, default);
        Assert.Equal(["", "tris"], _index.Search(new SearchRequest("", []) { RepositoryId = 1 }).Hits.Select(h => h.Path).Order());
        Assert.Equal(_reader.BranchTip(_store.PathOf(1), "main"), _index.IndexedState(1)!.CommitSha);
    }

    [Fact]
    public async Task A_rewritten_history_a_lost_cursor_or_a_privatisation_rebuilds_fully()
    {
        var work = await CreateAsync(2, "snt");
        work.Write("README.md", "# SNT\n\nPhotographie numérique.\n").Commit("v1");
        Push(work, 2);
        await _job.IndexAsync(2, default);

        // Force-push of an unrelated history: the old commit still exists, the tree diff is enough.
        work.Git("checkout", "-q", "--orphan", "neuf");
        work.Write("README.md", "# SNT\n\nRéseaux sociaux.\n").Commit("v2");
        work.Git("branch", "-q", "-M", "main");
        Push(work, 2, force: true);
        Assert.Equal(IndexKind.Incremental, (await _job.IndexAsync(2, default)).Kind);
        Assert.Equal(["2:"], Find("sociaux"));
        Assert.Empty(Find("photographie"));

        // The indexed commit is unknown to the repository (garbage-collected): full rebuild.
        var state = _index.IndexedState(2)!;
        Assert.True(_index.TryApply(new RepositoryUpdate { RepositoryId = 2, Owner = "alice", Name = "snt", IsPublic = true,
            Cursor = state with { CommitSha = new string('e', 40) } }, state));
        Assert.Equal(IndexKind.Full, (await _job.IndexAsync(2, default)).Kind);

        // Made private: rebuilt as private, found by its readers only.
        _directory.Repositories[2] = _directory.Repositories[2] with { IsPrivate = true };
        Assert.Equal(IndexKind.Full, (await _job.IndexAsync(2, default)).Kind);
        Assert.Empty(Find("sociaux"));
        Assert.Equal(["2:"], Find("sociaux", 2));

        // Stars and dates are updated in place.
        _directory.Repositories[2] = _directory.Repositories[2] with { Stars = 7 };
        Assert.Equal(IndexKind.Soft, (await _job.IndexAsync(2, default)).Kind);
        Assert.Equal(7, _index.Search(new SearchRequest("sociaux", [2])).Hits[0].Stars);

        // Deleted: removed.
        _directory.Repositories.Remove(2);
        Assert.Equal(IndexKind.Removed, (await _job.IndexAsync(2, default)).Kind);
        Assert.Empty(Find("sociaux", 2));
        Assert.Null(_index.IndexedState(2));
    }

    [Fact]
    public async Task Reconciliation_queues_only_the_repositories_whose_index_is_behind()
    {
        foreach (var id in new long[] { 3, 4, 5 })
        {
            var work = await CreateAsync(id, "depot-" + id);
            work.Write("README.md", $"# Dépôt {id}\n").Commit("v1");
            Push(work, id);
            await _job.IndexAsync(id, default);
        }
        // Repository 4 moved on without being indexed (the server died), 5 was deleted meanwhile, 6 is new.
        var four = new TestRepo(Path.Combine(_tmp.Path, "work-4"));
        four.Write("cours.md", "Nouveau chapitre.\n").Commit("v2");
        Push(four, 4);
        _directory.Repositories.Remove(5);
        var six = await CreateAsync(6, "depot-6");
        six.Write("README.md", "# Six\n").Commit("v1");
        Push(six, 6);

        var jobs = new RecordingJobs();
        var report = await new ReconcileIndexJob(_directory, _store, _reader, _index, jobs, NullLogger<ReconcileIndexJob>.Instance).ReconcileAsync(default);
        Assert.Equal(3, report.Checked);
        Assert.Equal([4L, 5L, 6L], report.Reindexed.Order());
        Assert.Equal([4L, 5L, 6L], jobs.Created.Select(j => (long)j.Args[0]).Order());
        Assert.Equal(IndexKind.Incremental, (await _job.IndexAsync(4, default)).Kind);
    }

    public void Dispose()
    {
        _index.Dispose();
        _tmp.Dispose();
    }
}
