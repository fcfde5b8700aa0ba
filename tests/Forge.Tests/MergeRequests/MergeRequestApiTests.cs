using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Forge.Tests.Support.ApiResponses;

namespace Forge.Tests.MergeRequests;

/// <summary>Merge strategies, conflicts, forks and the Gitea-shaped API (<c>/pulls</c>), with real pushes.</summary>
public sealed class MergeRequestApiTests : MergeRequestFixture
{
    private async Task<int> OpenByApiAsync(string token, string head, string title)
    {
        using var api = Server.Client(token);
        var json = await JsonAsync(await api.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls", new { head, @base = "main", title, body = "Description" }),
            HttpStatusCode.Created);
        return json.GetProperty("number").GetInt32();
    }

    private async Task<string> MainTipAsync() =>
        (await LsRemoteAsync()).Split('\n').First(l => l.EndsWith("\trefs/heads/main", StringComparison.Ordinal)).Split('\t')[0];

    [Fact]
    public async Task Squash_fast_forward_and_merge_commit_give_the_expected_history_and_rebase_is_refused()
    {
        using var alice = Server.Client(Alice);
        var start = await MainTipAsync();
        var a = await PushBranchAsync("ligne-1", Lesson((1, "Ligne 1 revue")));
        await a.CommitAsync("cours.md", Lesson((1, "Ligne 1 revue et corrigée")), "Deuxième retouche");
        await a.MustAsync("push", "-q", "origin", "ligne-1");
        var n1 = await OpenByApiAsync(Bob, "ligne-1", "Revoir la ligne 1");
        await CheckedAsync(n1, MergeStatus.Mergeable);
        var pull = await JsonAsync(await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n1}"), HttpStatusCode.OK);
        Assert.True(pull.GetProperty("mergeable").GetBoolean());
        Assert.Equal("ligne-1", pull.GetProperty("head").GetProperty("ref").GetString());
        Assert.Equal(2, (await JsonAsync(await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n1}/commits"), HttpStatusCode.OK)).GetArrayLength());
        var files = await JsonAsync(await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n1}/files"), HttpStatusCode.OK);
        Assert.Equal("cours.md", files[0].GetProperty("filename").GetString());
        var diff = await alice.GetStringAsync($"/api/v1/repos/alice/cours/pulls/{n1}.diff");
        Assert.Contains("+Ligne 1 revue et corrigée", diff);

        Assert.Contains("rebase", (await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n1}/merge", new { Do = "rebase" }),
            HttpStatusCode.UnprocessableEntity)).GetProperty("message").GetString());
        await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n1}/merge", new { Do = "squash" }), HttpStatusCode.OK);
        var squashed = await MainTipAsync();
        await AliceWs.MustAsync("fetch", "-q", Url, "main");
        Assert.Equal(start, (await AliceWs.MustAsync("log", "-1", "--format=%P", squashed)).Trim());
        Assert.Contains("Revoir la ligne 1 (!1)", await AliceWs.MustAsync("log", "-1", "--format=%B", squashed));
        Assert.Contains("Ligne 1 revue et corrigée", await AliceWs.MustAsync("show", $"{squashed}:cours.md"));
        Assert.Equal(HttpStatusCode.NoContent, (await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n1}/merge")).StatusCode);

        // A branch made from the new main fast-forwards; one made from the old main cannot, and merges with a merge commit.
        var b = await Workspace.CloneAsync(Git, Tmp.Path, Url, ("bob", Bob));
        await b.MustAsync("checkout", "-q", "-b", "ligne-2");
        await b.CommitAsync("cours.md", Lesson((1, "Ligne 1 revue et corrigée"), (2, "Ligne 2 revue")), "Ligne 2");
        await b.MustAsync("push", "-q", "origin", "ligne-2");
        var n2 = await OpenByApiAsync(Bob, "ligne-2", "Revoir la ligne 2");
        await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n2}/merge", new { Do = "fast-forward-only" }), HttpStatusCode.OK);
        Assert.Equal(await b.HeadAsync(), await MainTipAsync());

        await b.MustAsync("checkout", "-q", "-b", "annexe", start);
        await b.CommitAsync("annexe.md", "# Annexe\n", "Annexe");
        await b.MustAsync("push", "-q", "origin", "annexe");
        var n3 = await OpenByApiAsync(Bob, "annexe", "Ajouter une annexe");
        var refused = await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n3}/merge", new { Do = "fast-forward-only" }), HttpStatusCode.Conflict);
        Assert.Contains("avance rapide est impossible", refused.GetProperty("message").GetString());
        var before = await MainTipAsync();
        await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n3}/merge", new { Do = "merge", delete_branch_after_merge = true }), HttpStatusCode.OK);
        var merged = await MainTipAsync();
        await AliceWs.MustAsync("fetch", "-q", Url, "main");
        Assert.Equal($"{before} {await b.HeadAsync()}", (await AliceWs.MustAsync("log", "-1", "--format=%P", merged)).Trim());
        Assert.DoesNotContain("refs/heads/annexe", await LsRemoteAsync());
        var list = await JsonAsync(await alice.GetAsync("/api/v1/repos/alice/cours/pulls?state=closed"), HttpStatusCode.OK);
        Assert.Equal(3, list.GetArrayLength());
        Assert.All(list.EnumerateArray(), p => Assert.True(p.GetProperty("merged").GetBoolean()));
    }

    [Fact]
    public async Task A_conflicting_request_lists_its_files_and_cannot_be_merged_and_a_target_moved_into_conflict_refuses_cleanly()
    {
        using var alice = Server.Client(Alice);
        await PushBranchAsync("ligne-5", Lesson((5, "Ligne 5 selon Bob")));
        await AliceWs.CommitAsync("cours.md", Lesson((5, "Ligne 5 selon Alice")), "Ligne 5");
        await AliceWs.MustAsync("push", "-q", Url, "main");
        var n = await OpenByApiAsync(Bob, "ligne-5", "Ligne 5");
        await CheckedAsync(n, MergeStatus.Conflicts);
        var pull = await JsonAsync(await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n}"), HttpStatusCode.OK);
        Assert.False(pull.GetProperty("mergeable").GetBoolean());
        Assert.Equal("cours.md", pull.GetProperty("conflicting_files")[0].GetString());
        using (var web = await SignInAsync("alice"))
        {
            var page = await web.GetAsync($"/alice/cours/merge_requests/{n}");
            Assert.Contains("ces fichiers sont en conflit avec « main »", page);
            Assert.Contains("<li class=\"mono\">cours.md</li>", page);
            Assert.DoesNotContain("handler=Merge", page);
        }
        var tip = await MainTipAsync();
        var refused = await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" }), HttpStatusCode.Conflict);
        Assert.Contains("Fusion impossible : des conflits", refused.GetProperty("message").GetString());
        Assert.Equal(tip, await MainTipAsync());

        // Mergeable when checked; then main moves into a conflict: the merge is refused and main stays where Alice put it.
        await PushBranchAsync("ligne-7", Lesson((5, "Ligne 5 selon Alice"), (7, "Ligne 7 selon Bob")));
        var m = await OpenByApiAsync(Bob, "ligne-7", "Ligne 7");
        await CheckedAsync(m, MergeStatus.Mergeable);
        await AliceWs.CommitAsync("cours.md", Lesson((5, "Ligne 5 selon Alice"), (7, "Ligne 7 selon Alice")), "Ligne 7");
        await AliceWs.MustAsync("push", "-q", Url, "main");
        var moved = await AliceWs.HeadAsync();
        refused = await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{m}/merge", new { Do = "merge" }), HttpStatusCode.Conflict);
        Assert.Contains("cours.md", refused.GetProperty("message").GetString());
        Assert.Equal(moved, await MainTipAsync());
        Assert.Equal(MergeRequestState.Open, (await RequestAsync(m)).State);
    }

    [Fact]
    public async Task A_request_from_a_fork_follows_the_fork_branch_and_merges_into_the_source()
    {
        var forkUrl = await CreateForkAsync("cours-bob");
        var ws = await PushBranchAsync("exercices", Lesson((9, "Ligne 9 avec un exercice")), "bob", Bob, forkUrl);
        // Carole (a reader of Alice's course) cannot use Bob's fork as a source.
        using (var carole = Server.Client(Carole))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await carole.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls", new { head = "bob:exercices", title = "x" })).StatusCode);
        var n = await OpenByApiAsync(Bob, "bob:exercices", "Des exercices");
        var pull = await JsonAsync(await Server.Client(Alice).GetAsync($"/api/v1/repos/alice/cours/pulls/{n}"), HttpStatusCode.OK);
        Assert.Equal("bob:exercices", pull.GetProperty("head").GetProperty("label").GetString());
        await AliceWs.MustAsync("fetch", "-q", Url, $"refs/merge-requests/{n}/head");
        Assert.Equal(await ws.HeadAsync(), (await AliceWs.MustAsync("rev-parse", "FETCH_HEAD")).Trim());

        await ws.CommitAsync("cours.md", Lesson((9, "Ligne 9 avec deux exercices")), "Encore un exercice");
        await ws.MustAsync("push", "-q", "origin", "exercices");
        var head = await ws.HeadAsync();
        await Wait.UntilAsync(async () => (await RequestAsync(n)).HeadSha == head, "the request follows the fork's branch");
        await AliceWs.MustAsync("fetch", "-q", Url, $"refs/merge-requests/{n}/head");
        Assert.Equal(head, (await AliceWs.MustAsync("rev-parse", "FETCH_HEAD")).Trim());

        using var alice = Server.Client(Alice);
        await CheckedAsync(n, MergeStatus.Mergeable);
        await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" }), HttpStatusCode.OK);
        await AliceWs.MustAsync("pull", "-q", Url, "main");
        Assert.Contains("Ligne 9 avec deux exercices", File.ReadAllText(Path.Combine(AliceWs.Dir, "cours.md")));
    }

    [Fact]
    public async Task Reviews_through_the_api_carry_line_comments_and_approvals_of_the_latest_head()
    {
        var bob = await PushBranchAsync("ligne-4", Lesson((4, "Ligne 4 revue")));
        var n = await OpenByApiAsync(Bob, "ligne-4", "Ligne 4");
        using var alice = Server.Client(Alice);
        var review = await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new
        {
            @event = "REQUEST_CHANGES", body = "Presque.",
            comments = new[] { new { path = "cours.md", body = "Un mot manque ici.", new_position = 4 } },
        }), HttpStatusCode.OK);
        Assert.Equal("REQUEST_CHANGES", review.GetProperty("state").GetString());
        Assert.Equal(1, review.GetProperty("comments_count").GetInt32());
        var bad = await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new
        {
            @event = "COMMENT", comments = new[] { new { path = "absent.md", body = "?", new_position = 1 } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("« absent.md » n’existe pas", bad.GetProperty("message").GetString());

        // A line added above: the comment follows its line (now 5) and is not outdated.
        await bob.CommitAsync("cours.md", "# Titre\n" + Lesson((4, "Ligne 4 revue")), "Un titre");
        await bob.MustAsync("push", "-q", "origin", "ligne-4");
        var head = await bob.HeadAsync();
        await Wait.UntilAsync(async () => (await RequestAsync(n)).HeadSha == head, "head follows the push");
        var comment = (await RequestAsync(n)).Comments.Single();
        Assert.False(comment.Outdated);
        Assert.Equal(5, comment.Line);
        using (var web = await SignInAsync("alice"))
        {
            // Shown under line 5 of the new version, before line 6.
            var changes = await web.GetAsync($"/alice/cours/merge_requests/{n}/changes");
            var at = changes.IndexOf("Un mot manque ici.", StringComparison.Ordinal);
            Assert.InRange(at, changes.IndexOf("id=\"f1-n5\"", StringComparison.Ordinal) + 1, changes.IndexOf("id=\"f1-n6\"", StringComparison.Ordinal));
        }
        await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new { @event = "APPROVED" }), HttpStatusCode.OK);
        var reviews = await JsonAsync(await alice.GetAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews"), HttpStatusCode.OK);
        Assert.Equal(["REQUEST_CHANGES", "COMMENT", "APPROVED"], reviews.EnumerateArray().Select(r => r.GetProperty("state").GetString()!).ToArray());
        var edited = await JsonAsync(await alice.PatchAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}", new { title = "Ligne 4, revue", state = "closed" }),
            HttpStatusCode.Created);
        Assert.Equal("closed", edited.GetProperty("state").GetString());
        Assert.Equal("Ligne 4, revue", edited.GetProperty("title").GetString());
        var openapi = await Server.Client().GetStringAsync("/api/v1/openapi.json");
        Assert.Contains("/api/v1/repos/{owner}/{repo}/pulls/{index}/merge", openapi);
        Assert.Contains("/api/v1/repos/{owner}/{repo}/pulls/{index}/reviews", openapi);
    }
}
