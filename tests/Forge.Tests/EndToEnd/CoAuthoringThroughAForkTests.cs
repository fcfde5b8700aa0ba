using System.Net;
using System.Net.Http.Json;
using Forge.Tests.MergeRequests;
using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;

namespace Forge.Tests.EndToEnd;

/// <summary>
/// Two teachers co-author a course through a fork, with real git and the web pages: Dan, who has no right on Alice's
/// course, forks it, pushes a branch to his fork and opens a merge request; Alice comments a line and requests a change;
/// Dan's new push marks the comment outdated; Alice approves and merges; her main has Dan's commits. Then a request that
/// conflicts with Alice's own change is detected and cannot be merged. Finally a fork into a group.
/// </summary>
public sealed class CoAuthoringThroughAForkTests : MergeRequestFixture
{
    [Fact]
    public async Task A_teacher_forks_proposes_is_reviewed_on_a_line_updates_is_approved_and_merged_and_a_conflict_is_refused()
    {
        using var danApi = Server.Client(Dan);
        var forked = await danApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { });
        Assert.Equal(HttpStatusCode.Accepted, forked.StatusCode);
        var forkUrl = Server.Url("/dan/cours.git");
        var forkId = await RepoIdAsync("dan", "cours");
        var danWs = await PushBranchAsync("exercice-ligne-4", Lesson((4, "Ligne 4 avec un exercice")), "dan", Dan, forkUrl);
        var proposed = await danWs.HeadAsync();
        using var dan = await SignInAsync("dan");
        var number = await OpenAsync(dan, forkId, "exercice-ligne-4", "Un exercice à la ligne 4");
        Assert.Equal(proposed, (await CheckedAsync(number, MergeStatus.Mergeable)).HeadSha);

        // Alice comments line 4 and requests a change.
        using var alice = await SignInAsync("alice");
        var commented = await PostOnRequestAsync(alice, number, "Comment",
            new() { ["path"] = "cours.md", ["side"] = "new", ["line"] = "4", ["body"] = "Précisez la consigne de l’exercice." }, "/changes?comment=cours.md:new:4");
        Assert.Equal(HttpStatusCode.Redirect, commented.StatusCode);
        await PostOnRequestAsync(alice, number, "Review", new() { ["verdict"] = "request_changes", ["body"] = "Presque." });
        var page = await alice.GetAsync($"/alice/cours/merge_requests/{number}");
        Assert.Contains("Précisez la consigne", page);
        Assert.Contains("dan/cours", page); // the source, named with its fork
        Assert.False((await RequestAsync(number)).Comments.Single().Outdated);

        // Dan changes that line and pushes to his fork: the request follows, the comment is outdated.
        await danWs.CommitAsync("cours.md", Lesson((4, "Ligne 4 avec un exercice : trier la liste [3, 1, 2]")), "Consigne précisée");
        await danWs.MustAsync("push", "-q", "origin", "exercice-ligne-4");
        var updated = await danWs.HeadAsync();
        await Wait.UntilAsync(async () => (await RequestAsync(number)).HeadSha == updated, "the request follows the fork's branch");
        Assert.True((await RequestAsync(number)).Comments.Single().Outdated);
        Assert.Contains("obsolète", await alice.GetAsync($"/alice/cours/merge_requests/{number}"));

        // Alice approves and merges: her main has both of Dan's commits.
        await PostOnRequestAsync(alice, number, "Review", new() { ["verdict"] = "approve", ["body"] = "Merci !" });
        await CheckedAsync(number, MergeStatus.Mergeable);
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnRequestAsync(alice, number, "Merge", new())).StatusCode);
        Assert.Equal(MergeRequestState.Merged, (await RequestAsync(number)).State);
        await AliceWs.MustAsync("pull", "-q", Url, "main");
        var history = await AliceWs.MustAsync("log", "--format=%H %s", "main");
        Assert.Contains(proposed, history);
        Assert.Contains(updated, history);
        Assert.Contains("Ligne 4 avec un exercice : trier la liste [3, 1, 2]", File.ReadAllText(Path.Combine(AliceWs.Dir, "cours.md")));

        // A second proposal on line 7 while Alice rewrites line 7 herself: detected as a conflict, the merge refused.
        await danWs.MustAsync("checkout", "-q", "-b", "ligne-7", "origin/exercice-ligne-4");
        await danWs.CommitAsync("cours.md", Lesson((4, "Ligne 4 avec un exercice : trier la liste [3, 1, 2]"), (7, "Ligne 7 selon Dan")), "Ligne 7");
        await danWs.MustAsync("push", "-q", "origin", "ligne-7");
        await AliceWs.CommitAsync("cours.md", Lesson((4, "Ligne 4 avec un exercice : trier la liste [3, 1, 2]"), (7, "Ligne 7 selon Alice")), "Ligne 7 réécrite");
        await AliceWs.MustAsync("push", "-q", Url, "HEAD:main");
        var aliceMain = await AliceWs.HeadAsync();
        var conflicting = await OpenAsync(dan, forkId, "ligne-7", "Ligne 7");
        var checkedConflict = await CheckedAsync(conflicting, MergeStatus.Conflicts);
        page = await alice.GetAsync($"/alice/cours/merge_requests/{conflicting}");
        Assert.Contains("cours.md", page);
        var refused = await PostOnRequestAsync(alice, conflicting, "Merge", new());
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(MergeRequestState.Open, (await RequestAsync(conflicting)).State);
        Assert.Contains(aliceMain, await Git.MustAsync(Tmp.Path, ("alice", Alice), "ls-remote", Url, "refs/heads/main"));
        Assert.Equal(["cours.md"], checkedConflict.ConflictList);
    }

    [Fact]
    public async Task A_teacher_forks_into_her_group_and_a_stranger_cannot_fork_into_it()
    {
        using var danApi = Server.Client(Dan);
        var group = await danApi.PostAsJsonAsync("/api/v1/orgs", new { username = "nsi-lyon", visibility = "public" });
        Assert.True(group.IsSuccessStatusCode, await group.Content.ReadAsStringAsync());
        var forked = await danApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { organization = "nsi-lyon", name = "cours-nsi" });
        Assert.Equal(HttpStatusCode.Accepted, forked.StatusCode);
        var clone = await Workspace.CloneAsync(Git, Tmp.Path, Server.Url("/nsi-lyon/cours-nsi.git"), ("dan", Dan));
        Assert.Contains("Ligne 4 du cours", File.ReadAllText(Path.Combine(clone.Dir, "cours.md")));
        using var bobApi = Server.Client(Bob);
        var refused = await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/forks", new { organization = "nsi-lyon", name = "intrus" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("au moins rédacteur", await refused.Content.ReadAsStringAsync());
    }
}
