using Forge.Git;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>
/// The walk a page runs when no last-commit answers are stored: recent history first, then the entries not met there
/// looked for alone (each a pathspec), which finds entries untouched for a long time without reading every commit.
/// </summary>
public sealed class LastCommitWalkTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Entries_untouched_for_longer_than_the_recent_history_read_are_still_found()
    {
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("LICENCE", "EUPL-1.2\n").Write("lisez-moi.md", "# Cours\n").Write("cours/un.md", "v0\n");
        var first = repo.Commit("Première version");
        repo.Write("lisez-moi.md", "# Cours de NSI\n");
        var readme = repo.Commit("Titre");
        for (var i = 1; i <= 30; i++) repo.Write("cours/un.md", $"v{i}\n").Commit($"Retouche {i}");
        var tip = repo.Git("rev-parse", "HEAD").Trim();

        // Reads only 5 recent commits at once: LICENCE and lisez-moi.md are found by the second, per-path walk.
        var index = new LastCommitIndex(new GitCli(_tmp.Sub("git-home"))) { PageRecentCommits = 5 };
        var (commits, complete) = await index.GetAsync(repo.Path, tip, "", CancellationToken.None);

        Assert.True(complete);
        Assert.Equal(first, commits["LICENCE"].Sha);
        Assert.Equal(readme, commits["lisez-moi.md"].Sha);
        Assert.Equal(tip, commits["cours"].Sha);
        Assert.Equal("Première version", commits["LICENCE"].Subject);
    }
}
