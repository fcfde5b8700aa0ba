using Forge.Git;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repos;

/// <summary>
/// Deleting a repository while a job writes derived data into its folder (the last commits of a branch tip, prepared
/// file views, just after a push): the deletion succeeds, and the job does not bring the folder back.
/// </summary>
public sealed class RepositoryStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task A_repository_is_deleted_while_a_job_writes_into_it_and_the_job_does_not_bring_it_back()
    {
        var store = new RepositoryStore(_tmp.Sub("repos"), new GitCli(_tmp.Sub("git-home")));
        for (var round = 0; round < 5; round++)
        {
            var id = 40 + round;
            await store.CreateAsync(id, "main");
            var path = store.PathOf(id);
            using var stop = new CancellationTokenSource();
            var written = 0;
            var refused = false;
            var writer = Task.Run(() =>
            {
                // What LastCommitIndex and RenderingStore do: a folder per key, files in it, as fast as they can.
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var folder = Path.Combine(path, "forge", "last-commits", $"{i:x40}");
                    if (!RepositoryStore.CreateInside(path, folder))
                    {
                        refused = true;
                        return;
                    }
                    try
                    {
                        for (var f = 0; f < 20; f++) File.WriteAllBytes(Path.Combine(folder, $"{f}.bin"), new byte[64]);
                        Interlocked.Increment(ref written);
                    }
                    catch (DirectoryNotFoundException)
                    {
                        // The folder was moved away between its creation and this write.
                    }
                }
            });
            await Wait.UntilAsync(() => Task.FromResult(Volatile.Read(ref written) > 20), "the writer is busy", 30);

            store.Delete(id);

            await Wait.UntilAsync(() => Task.FromResult(writer.IsCompleted), "the writer sees the repository is gone", 30);
            await stop.CancelAsync();
            await writer;
            Assert.True(refused);
            Assert.False(Directory.Exists(path), "the job must not recreate the deleted repository's folder");
            Assert.False(store.Exists(id));
        }
        store.EmptyTrash();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, ".trash")));
    }

    [Fact]
    public void A_folder_outside_the_repository_is_refused()
    {
        var repo = _tmp.Sub("repos/01/1.git");
        Assert.Throws<ArgumentException>(() => RepositoryStore.CreateInside(repo, Path.Combine(repo, "..", "2.git", "forge")));
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "repos", "01", "2.git")));
    }

    [Fact]
    public async Task A_site_folder_a_build_still_writes_into_is_removed_later_without_an_error_now()
    {
        var site = _tmp.Sub("sites/7");
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var builder = Task.Run(() =>
        {
            // A site build: folders made as needed (parents included), files written into them.
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    // The same 400 pages over and over: the folder stays small however long this runs.
                    var page = Path.Combine(site, "main", "pages", $"{i % 20}");
                    Directory.CreateDirectory(page);
                    File.WriteAllBytes(Path.Combine(page, $"{i % 400 / 20}.html"), new byte[128]);
                    Interlocked.Increment(ref writes);
                }
                catch (IOException)
                {
                    // Deleted under it.
                }
            }
        });
        await Wait.UntilAsync(() => Task.FromResult(Volatile.Read(ref writes) > 100), "the build is busy", 30);
        for (var i = 0; i < 5; i++) FolderRemoval.TryDelete(site); // never throws, busy or not
        await stop.CancelAsync();
        await builder;
        Assert.True(FolderRemoval.TryDelete(site));
        Assert.False(Directory.Exists(site));
        Assert.True(FolderRemoval.TryDelete(site), "a folder already gone counts as removed");
    }
}
