using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;

namespace Forge.Tests.MergeRequests;

/// <summary>
/// Bob proposes a change to Alice's course from a branch; Alice comments on a line, Bob pushes again, Alice approves and
/// merges. Every step through the web forms, every push with the real git client.
/// </summary>
public sealed class MergeRequestFlowTests : MergeRequestFixture
{
    [Fact]
    public async Task A_request_is_opened_reviewed_on_a_line_outdated_by_a_new_push_approved_and_merged()
    {
        var bobWs = await PushBranchAsync("correction-ligne-3", Lesson((3, "Ligne 3 corrigée du cours")));
        var repoId = await RepoIdAsync("alice", "cours");
        using var bob = await SignInAsync("bob");
        var preview = await bob.GetAsync($"/alice/cours/merge_requests/new?Source={repoId}:correction-ligne-3&Target=main");
        Assert.Contains("Proposition sur correction-ligne-3", preview);
        Assert.Contains("Créer la demande de fusion", preview);

        var number = await OpenAsync(bob, repoId, "correction-ligne-3", "Corriger la ligne 3");
        Assert.Equal(1, number);
        var mr = await CheckedAsync(number, MergeStatus.Mergeable);
        Assert.Equal(await bobWs.HeadAsync(), mr.HeadSha);

        // The head is fetchable as on GitLab.
        var fetched = await AliceWs.MustAsync("fetch", Url, "refs/merge-requests/1/head");
        Assert.Equal(mr.HeadSha, (await AliceWs.MustAsync("rev-parse", "FETCH_HEAD")).Trim());

        // The author may retitle it; an empty title is refused with the reason.
        var edit = await PostOnRequestAsync(bob, 1, "Edit", new() { ["title"] = "  ", ["description"] = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, edit.StatusCode);
        Assert.Contains("Donnez un titre à la demande de fusion.", await edit.Content.ReadAsStringAsync());
        await PostOnRequestAsync(bob, 1, "Edit", new() { ["title"] = "Corriger la ligne 3", ["description"] = "Voir **le cours**." });
        using (var dan = await SignInAsync("dan"))
            Assert.Equal(HttpStatusCode.Forbidden, (await PostOnRequestAsync(dan, 1, "Edit", new() { ["title"] = "Piraté" })).StatusCode);

        using var alice = await SignInAsync("alice");
        var list = await alice.GetAsync("/alice/cours/merge_requests");
        Assert.Contains("Corriger la ligne 3", list);
        Assert.Contains("Ouvertes (1)", list);
        var page = await alice.GetAsync("/alice/cours/merge_requests/1");
        Assert.Contains("Fusion possible", page);
        Assert.Contains("<strong>le cours</strong>", page);

        // Word-level highlighting in the changes, and the comment link of line 3 (new side).
        var changes = await alice.GetAsync("/alice/cours/merge_requests/1/changes");
        Assert.Contains("<mark>corrigée </mark>", changes);
        var split = await alice.GetAsync("/alice/cours/merge_requests/1/changes?view=split");
        Assert.Contains("class=\"diff split\"", split);
        var form = await alice.GetAsync("/alice/cours/merge_requests/1/changes?comment=cours.md:new:3");
        Assert.Contains("Commentaire sur la ligne 3 de", form);

        var response = await PostOnRequestAsync(alice, 1, "Comment",
            new() { ["path"] = "cours.md", ["side"] = "new", ["line"] = "3", ["body"] = "Préférez « rectifiée »." }, "/changes?comment=cours.md:new:3");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        changes = await alice.GetAsync("/alice/cours/merge_requests/1/changes");
        Assert.Contains("Préférez « rectifiée ».", changes);
        // A comment on a line that is not there is refused with the reason.
        response = await PostOnRequestAsync(alice, 1, "Comment", new() { ["path"] = "cours.md", ["side"] = "new", ["line"] = "99", ["body"] = "?" }, "/changes");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("La ligne 99 de « cours.md » n’existe pas", await response.Content.ReadAsStringAsync());

        // Alice approves... then Bob pushes again on line 3: the comment is outdated and the approval no longer counts.
        await PostOnRequestAsync(alice, 1, "Review", new() { ["verdict"] = "approve", ["body"] = "Bien." });
        Assert.Contains("Approbations : 1 (alice)", await alice.GetAsync("/alice/cours/merge_requests/1"));
        await bobWs.CommitAsync("cours.md", Lesson((3, "Ligne 3 rectifiée du cours")), "Rectifier");
        await bobWs.MustAsync("push", "-q", "origin", "correction-ligne-3");
        var newHead = await bobWs.HeadAsync();
        await Wait.UntilAsync(async () => (await RequestAsync(1)).HeadSha == newHead, "head follows the push");
        Assert.True((await RequestAsync(1)).Comments.Single().Outdated);
        await AliceWs.MustAsync("fetch", Url, "refs/merge-requests/1/head");
        Assert.Equal(newHead, (await AliceWs.MustAsync("rev-parse", "FETCH_HEAD")).Trim());
        page = await alice.GetAsync("/alice/cours/merge_requests/1");
        Assert.Contains("obsolète", page);
        Assert.Contains("Préférez « rectifiée ».", page);
        Assert.Contains("Approbations : 0", page);
        Assert.DoesNotContain("Préférez « rectifiée ».", await alice.GetAsync("/alice/cours/merge_requests/1/changes"));

        await PostOnRequestAsync(alice, 1, "Review", new() { ["verdict"] = "approve", ["body"] = "" });
        await CheckedAsync(1, MergeStatus.Mergeable);
        response = await PostOnRequestAsync(alice, 1, "Merge", new() { ["deleteSourceBranch"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        page = await alice.GetAsync("/alice/cours/merge_requests/1");
        Assert.Contains("Demande de fusion fusionnée. La branche « correction-ligne-3 » a été supprimée.", page);
        mr = await RequestAsync(1);
        Assert.Equal(MergeRequestState.Merged, mr.State);

        // A merge commit on main with main's previous tip and Bob's head as parents; the branch is gone.
        await AliceWs.MustAsync("pull", "-q", Url, "main");
        Assert.Equal(mr.MergeSha, await AliceWs.HeadAsync());
        var parents = (await AliceWs.MustAsync("log", "-1", "--format=%P")).Trim().Split(' ');
        Assert.Equal(newHead, parents[1]);
        Assert.Contains("Fusion de la demande !1 : Corriger la ligne 3", await AliceWs.MustAsync("log", "-1", "--format=%B"));
        Assert.Contains("Ligne 3 rectifiée du cours", File.ReadAllText(Path.Combine(AliceWs.Dir, "cours.md")));
        Assert.DoesNotContain("refs/heads/correction-ligne-3", await LsRemoteAsync());
        Assert.Contains("Fusionnées (1)", await alice.GetAsync("/alice/cours/merge_requests?state=merged"));
    }

    [Fact]
    public async Task A_request_pushed_into_its_target_by_hand_is_merged_once_even_when_several_jobs_see_the_push()
    {
        using var bobApi = Server.Client(Bob);
        Assert.Equal(HttpStatusCode.Created, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Ligne 4 fausse" })).StatusCode);
        await PushBranchAsync("ligne-4", Lesson((4, "Ligne 4 corrigée")));
        Assert.Equal(HttpStatusCode.Created, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls",
            new { head = "ligne-4", @base = "main", title = "Corrige la ligne 4", body = "Ferme #1" })).StatusCode);
        await AliceWs.MustAsync("fetch", "-q", Url, "ligne-4");
        await AliceWs.MustAsync("merge", "-q", "--ff-only", "FETCH_HEAD");
        await AliceWs.MustAsync("push", "-q", Url, "main");

        // The push's own job, and others that see the same branches move (as after two quick pushes), all at once.
        var repoId = await RepoIdAsync("alice", "cours");
        await Task.WhenAll(new[] { "refs/heads/main", "refs/heads/ligne-4", "refs/heads/main", "refs/heads/ligne-4" }.Select(async refName =>
        {
            using var scope = Server.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Forge.Jobs.IMergeRequestUpdater>().AfterPushAsync(repoId, [refName], CancellationToken.None);
        }));
        await Wait.UntilAsync(async () => (await RequestAsync(1)).State == MergeRequestState.Merged, "request !1 merged by the push");

        using (var scope = Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            var events = await db.Set<ActivityEvent>().Where(e => e.RepositoryId == repoId && e.Number == 1).Select(e => e.Kind).ToListAsync();
            Assert.Equal(1, events.Count(k => k == ActivityKind.MergeMergeRequest));
            Assert.Equal(1, events.Count(k => k == ActivityKind.CloseIssue));
        }
        var activity = await (await Server.Client().GetAsync("/alice/cours/activity.atom")).Content.ReadAsStringAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(activity, "a fusionné la demande de fusion alice/cours!1"));
    }

    [Fact]
    public async Task A_merge_through_Forge_and_a_job_seeing_it_at_the_same_moment_record_it_once()
    {
        using var bobApi = Server.Client(Bob);
        Assert.Equal(HttpStatusCode.Created, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Ligne 5 fausse" })).StatusCode);
        await PushBranchAsync("ligne-5", Lesson((5, "Ligne 5 corrigée")));
        Assert.Equal(HttpStatusCode.Created, (await bobApi.PostAsJsonAsync("/api/v1/repos/alice/cours/pulls",
            new { head = "ligne-5", @base = "main", title = "Corrige la ligne 5", body = "Ferme #1" })).StatusCode);
        var repoId = await RepoIdAsync("alice", "cours");
        var mergeSha = (await RequestAsync(1)).HeadSha;
        long aliceId;
        using (var users = Server.Services.CreateScope())
            aliceId = await users.ServiceProvider.GetRequiredService<ForgeDbContext>().Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();

        // The web merge and the job after its push both record the merge, each from its own request scope, at once.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var scope = Server.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            var mr = await db.Set<MergeRequest>().SingleAsync(m => m.TargetRepositoryId == repoId && m.Number == 1);
            return await scope.ServiceProvider.GetRequiredService<Forge.Web.MergeRequests.MergeRequestService>().MarkMergedAsync(mr, mergeSha, aliceId, CancellationToken.None);
        }));
        Assert.Single(claims, c => c);
        Assert.Equal(MergeRequestState.Merged, (await RequestAsync(1)).State);
        using var check = Server.Services.CreateScope();
        var events = await check.ServiceProvider.GetRequiredService<ForgeDbContext>().Set<ActivityEvent>()
            .Where(e => e.RepositoryId == repoId && e.Number == 1).Select(e => e.Kind).ToListAsync();
        Assert.Equal(1, events.Count(k => k == ActivityKind.MergeMergeRequest));
        Assert.Equal(1, events.Count(k => k == ActivityKind.CloseIssue));
    }

    [Fact]
    public async Task Nothing_to_merge_is_explained_and_pushing_to_merge_request_refs_is_refused()
    {
        await AliceWs.MustAsync("push", "-q", Url, "main:copie");
        var repoId = await RepoIdAsync("alice", "cours");
        using var alice = await SignInAsync("alice");
        var response = await alice.PostFormAsync($"/alice/cours/merge_requests/new", "/alice/cours/merge_requests/new",
            new Dictionary<string, string> { ["Source"] = $"{repoId}:copie", ["Target"] = "main", ["Title"] = "Rien" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Rien à fusionner : « main » contient déjà toutes les modifications de « copie »", await response.Content.ReadAsStringAsync());

        var (code, output) = await AliceWs.GitAsync("push", Url, "main:refs/merge-requests/7/head");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : les références refs/merge-requests/ sont tenues à jour par Forge", output);
    }

    [Fact]
    public async Task Threads_are_answered_resolved_and_reopened_requests_closed_and_reopened_and_the_setting_chooses_squash()
    {
        var bobWs = await PushBranchAsync("plan", Lesson((1, "Plan du cours")));
        using var bob = await SignInAsync("bob");
        var number = await OpenAsync(bob, await RepoIdAsync("alice", "cours"), "plan", "Ajouter un plan");
        using var alice = await SignInAsync("alice");
        await PostOnRequestAsync(alice, number, "Comment", new() { ["body"] = "Pourquoi un plan ?" });
        var thread = (await RequestAsync(number)).Comments.Single();
        await PostOnRequestAsync(bob, number, "Comment", new() { ["body"] = "Pour les élèves.", ["replyTo"] = thread.Id.ToString() });
        var reply = (await RequestAsync(number)).Comments.Single(c => c.Id != thread.Id);
        Assert.Equal(thread.Id, reply.ThreadId);
        // A stranger may read and comment a public request, but not resolve someone else's thread.
        using (var dan = await SignInAsync("dan"))
            Assert.Equal(HttpStatusCode.Forbidden, (await PostOnRequestAsync(dan, number, "Resolve", new() { ["commentId"] = thread.Id.ToString(), ["resolved"] = "true" })).StatusCode);
        await PostOnRequestAsync(bob, number, "Resolve", new() { ["commentId"] = thread.Id.ToString(), ["resolved"] = "true" });
        Assert.True((await RequestAsync(number)).Comments.Single(c => c.Id == thread.Id).Resolved);
        var page = await alice.GetAsync($"/alice/cours/merge_requests/{number}");
        Assert.Contains("Rouvrir le fil", page);
        Assert.Contains("Pour les élèves.", page);
        await PostOnRequestAsync(alice, number, "Resolve", new() { ["commentId"] = thread.Id.ToString(), ["resolved"] = "false" });
        Assert.False((await RequestAsync(number)).Comments.Single(c => c.Id == thread.Id).Resolved);

        await PostOnRequestAsync(bob, number, "State", new() { ["to"] = "closed" });
        Assert.Equal(MergeRequestState.Closed, (await RequestAsync(number)).State);
        Assert.Contains("Fermées (1)", await alice.GetAsync("/alice/cours/merge_requests?state=closed"));
        Assert.Equal(HttpStatusCode.Conflict, (await Server.Client(Alice).PostAsync($"/api/v1/repos/alice/cours/pulls/{number}/merge",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        await PostOnRequestAsync(alice, number, "State", new() { ["to"] = "open" });
        Assert.Equal(MergeRequestState.Open, (await RequestAsync(number)).State);

        var settings = await alice.PostFormAsync("/alice/cours/settings", "/alice/cours/settings?handler=MergeStyle", new Dictionary<string, string> { ["MergeStyle"] = "Squash" });
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        Assert.Contains("value=\"Squash\" checked", await alice.GetAsync("/alice/cours/settings"));
        var tip = (await AliceWs.MustAsync("rev-parse", "HEAD")).Trim();
        await CheckedAsync(number, MergeStatus.Mergeable);
        Assert.Contains("les modifications sont réunies en une seule (squash)", await alice.GetAsync($"/alice/cours/merge_requests/{number}"));
        Assert.Equal(HttpStatusCode.Redirect, (await PostOnRequestAsync(alice, number, "Merge", [])).StatusCode);
        await AliceWs.MustAsync("pull", "-q", Url, "main");
        Assert.Equal(tip, (await AliceWs.MustAsync("log", "-1", "--format=%P")).Trim());
        Assert.Equal("Ajouter un plan (!1)", (await AliceWs.MustAsync("log", "-1", "--format=%s")).Trim());
        Assert.Contains("refs/heads/plan", await LsRemoteAsync());
    }
}
