using System.Net;
using System.Net.Http.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.MergeRequests;

/// <summary>Who may see, approve and merge: readers, authors, protected targets with required approvals, strangers to a private repository.</summary>
public sealed class MergeRequestPermissionTests : MergeRequestFixture
{
    private async Task<int> OpenAsBobAsync(string branch, string title, string repo = "cours")
    {
        using var api = Server.Client(Bob);
        var response = await api.PostAsJsonAsync($"/api/v1/repos/alice/{repo}/pulls", new { head = branch, title });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("number").GetInt32();
    }

    [Fact]
    public async Task A_reader_can_comment_but_neither_approve_nor_merge()
    {
        await PushBranchAsync("ligne-2", Lesson((2, "Ligne 2 revue")));
        var n = await OpenAsBobAsync("ligne-2", "Ligne 2");
        await CheckedAsync(n, MergeStatus.Mergeable);
        using var carole = Server.Client(Carole);
        Assert.Equal(HttpStatusCode.Forbidden, (await carole.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new { @event = "APPROVED" })).StatusCode);
        var refused = await carole.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Seuls les rédacteurs et mainteneurs du dépôt cible peuvent fusionner", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await carole.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new { @event = "COMMENT", body = "Merci !" })).StatusCode);

        using var web = await SignInAsync("carole");
        var page = await web.GetAsync($"/alice/cours/merge_requests/{n}");
        Assert.DoesNotContain("handler=Merge", page);
        Assert.DoesNotContain("verdict-approve", page);
        Assert.Contains("Merci !", page);
        var response = await PostOnRequestAsync(web, n, "Merge", []);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        response = await PostOnRequestAsync(web, n, "Review", new() { ["verdict"] = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(MergeRequestState.Open, (await RequestAsync(n)).State);
        var reviews = await carole.GetStringAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews");
        Assert.DoesNotContain("APPROVED", reviews);
        Assert.Contains("COMMENT", reviews);
    }

    [Fact]
    public async Task A_protected_target_needing_an_approval_cannot_be_merged_by_its_author_alone()
    {
        await Server.ProtectAsync("alice", "cours", "main", PushLevel.Writers);
        using (var scope = Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            (await db.ProtectedBranches.SingleAsync()).RequiredApprovals = 1;
            await db.SaveChangesAsync();
        }
        await PushBranchAsync("ligne-8", Lesson((8, "Ligne 8 revue")));
        var n = await OpenAsBobAsync("ligne-8", "Ligne 8");
        using var bob = Server.Client(Bob);
        var own = await bob.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new { @event = "APPROVED" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("votre propre demande", await own.Content.ReadAsStringAsync());
        var alone = await bob.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, alone.StatusCode);
        Assert.Contains("exige 1 approbation", await alone.Content.ReadAsStringAsync());
        // A reader's approval would not count either (refused), the owner's does.
        using var alice = Server.Client(Alice);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/reviews", new { @event = "APPROVED" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" })).StatusCode);
        Assert.Equal(MergeRequestState.Merged, (await RequestAsync(n)).State);
    }

    [Fact]
    public async Task A_maintainers_only_target_refuses_a_writer_merge_with_the_reason()
    {
        await Server.ProtectAsync("alice", "cours", "main", PushLevel.Maintainers);
        await PushBranchAsync("ligne-6", Lesson((6, "Ligne 6 revue")));
        var n = await OpenAsBobAsync("ligne-6", "Ligne 6");
        using var bob = Server.Client(Bob);
        var refused = await bob.PostAsJsonAsync($"/api/v1/repos/alice/cours/pulls/{n}/merge", new { Do = "merge" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("seuls les mainteneurs du dépôt", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_from_a_private_fork_does_not_reveal_the_fork_to_those_who_cannot_read_it()
    {
        var forkUrl = await CreateForkAsync("brouillon-bob", isPrivate: true);
        await PushBranchAsync("idee", Lesson((10, "Ligne 10 en brouillon")), "bob", Bob, forkUrl);
        var n = await OpenAsBobAsync("bob:idee", "Une idée");
        using var dan = await SignInAsync("dan");
        foreach (var path in new[] { "/alice/cours/merge_requests", $"/alice/cours/merge_requests/{n}" })
        {
            var page = await dan.GetAsync(path);
            Assert.Contains("(divergence privée):idee", page);
            Assert.DoesNotContain("brouillon-bob", page);
        }
        var json = await Server.Client(Dan).GetStringAsync($"/api/v1/repos/alice/cours/pulls/{n}");
        Assert.DoesNotContain("brouillon-bob", json);
        using var bob = await SignInAsync("bob");
        Assert.Contains("bob/brouillon-bob:idee", await bob.GetAsync($"/alice/cours/merge_requests/{n}"));
    }

    [Fact]
    public async Task The_requests_of_a_private_repository_are_invisible_to_strangers()
    {
        await Server.CreateRepositoryAsync(Alice, "secret", isPrivate: true);
        var secretUrl = Server.Url("/alice/secret.git");
        await AliceWs.MustAsync("push", "-q", secretUrl, "main");
        await Server.AddCollaboratorAsync("alice", "secret", "bob", CollaboratorRole.Writer);
        await PushBranchAsync("copie", Lesson((1, "Notes privées")), url: secretUrl);
        var n = await OpenAsBobAsync("copie", "Notes", "secret");

        using var dan = await SignInAsync("dan");
        foreach (var path in new[] { "/alice/secret/merge_requests", $"/alice/secret/merge_requests/{n}", $"/alice/secret/merge_requests/{n}/changes", "/alice/secret/merge_requests/new" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await dan.Http.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Server.Client().GetAsync(path)).StatusCode);
        }
        using var danApi = Server.Client(Dan);
        foreach (var path in new[] { "/api/v1/repos/alice/secret/pulls", $"/api/v1/repos/alice/secret/pulls/{n}", $"/api/v1/repos/alice/secret/pulls/{n}.diff", $"/api/v1/repos/alice/secret/pulls/{n}/reviews" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await danApi.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Server.Client().GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await danApi.PostAsJsonAsync($"/api/v1/repos/alice/secret/pulls/{n}/merge", new { Do = "merge" })).StatusCode);
        var (code, output) = await Git.RunAsync(Tmp.Path, ("dan", Dan), "ls-remote", secretUrl);
        Assert.NotEqual(0, code);
        // Bob, a writer, sees it.
        using var bob = await SignInAsync("bob");
        Assert.Contains("Notes", await bob.GetAsync($"/alice/secret/merge_requests/{n}"));
    }
}
