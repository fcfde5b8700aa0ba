using System.Net;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.MergeRequests;

/// <summary>
/// Alice's public course « cours » (main: a lesson of ten numbered lines), Bob a writer, Carole a reader, Dan a stranger, and
/// helpers to push branches with the real git client and to drive merge requests through the web forms.
/// </summary>
public abstract class MergeRequestFixture : IAsyncLifetime
{
    protected const string Password = "motdepasse-solide";
    protected readonly TempDir Tmp = new("forge-mr");
    protected ForgeServer Server = null!;
    protected GitClient Git = null!;
    protected string Alice = null!, Bob = null!, Carole = null!, Dan = null!;
    protected Workspace AliceWs = null!;
    protected string Url => Server.Url("/alice/cours.git");

    protected static string Lesson(params (int Line, string Text)[] changes)
    {
        var lines = Enumerable.Range(1, 10).Select(i => $"Ligne {i} du cours").ToArray();
        foreach (var (line, text) in changes) lines[line - 1] = text;
        return string.Join('\n', lines) + "\n";
    }

    public virtual async Task InitializeAsync()
    {
        Server = await ForgeServer.StartAsync(Tmp.Sub("data"), workers: 1);
        Git = new GitClient(Tmp.Sub("home"));
        (_, Alice) = await Server.CreateUserAsync("alice");
        (_, Bob) = await Server.CreateUserAsync("bob");
        (_, Carole) = await Server.CreateUserAsync("carole");
        (_, Dan) = await Server.CreateUserAsync("dan");
        await Server.CreateRepositoryAsync(Alice, "cours");
        AliceWs = await Workspace.InitAsync(Git, Tmp.Sub("alice"), ("alice", Alice));
        await AliceWs.CommitAsync("cours.md", Lesson(), "Le cours");
        await AliceWs.MustAsync("push", "-q", Url, "main");
        await Server.AddCollaboratorAsync("alice", "cours", "bob", CollaboratorRole.Writer);
        await Server.AddCollaboratorAsync("alice", "cours", "carole", CollaboratorRole.Reader);
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Tmp.Dispose();
    }

    /// <summary>Bob clones, commits <paramref name="content"/> to cours.md on <paramref name="branch"/> and pushes it.</summary>
    protected async Task<Workspace> PushBranchAsync(string branch, string content, string user = "bob", string? token = null, string? url = null)
    {
        var ws = await Workspace.CloneAsync(Git, Tmp.Path, url ?? Url, (user, token ?? Bob));
        await ws.MustAsync("checkout", "-q", "-b", branch);
        await ws.CommitAsync("cours.md", content, $"Proposition sur {branch}");
        await ws.MustAsync("push", "-q", "origin", branch);
        return ws;
    }

    protected async Task<WebSession> SignInAsync(string user)
    {
        var session = new WebSession(Server);
        await session.SignInAsync(user, Password);
        return session;
    }

    /// <summary>Opens a request from the web form; returns its number.</summary>
    protected async Task<int> OpenAsync(WebSession session, long sourceRepoId, string branch, string title, string target = "main")
    {
        var response = await session.PostFormAsync($"/alice/cours/merge_requests/new?Source={sourceRepoId}:{Uri.EscapeDataString(branch)}&Target={target}",
            "/alice/cours/merge_requests/new",
            new Dictionary<string, string> { ["Source"] = $"{sourceRepoId}:{branch}", ["Target"] = target, ["Title"] = title, ["Description"] = "Voir **le cours**." });
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    protected async Task<long> RepoIdAsync(string owner, string name)
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        return await db.Repositories.Where(r => r.Owner.UserName == owner && r.Name == name).Select(r => r.Id).SingleAsync();
    }

    protected async Task<MergeRequest> RequestAsync(int number, string repo = "cours")
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        return await db.Set<MergeRequest>().Include(m => m.Comments).AsNoTracking()
            .SingleAsync(m => m.TargetRepository.Name == repo && m.Number == number);
    }

    /// <summary>Waits for the background check of the current head and target.</summary>
    protected async Task<MergeRequest> CheckedAsync(int number, MergeStatus expected)
    {
        MergeRequest? mr = null;
        await Wait.UntilAsync(async () => (mr = await RequestAsync(number)).MergeStatus == expected && mr.CheckedHeadSha == mr.HeadSha,
            $"request !{number} checked as {expected} (last: {mr?.MergeStatus})");
        return mr!;
    }

    protected async Task<HttpResponseMessage> PostOnRequestAsync(WebSession session, int number, string handler, Dictionary<string, string> fields, string tab = "")
    {
        var page = $"/alice/cours/merge_requests/{number}{tab}";
        var action = $"/alice/cours/merge_requests/{number}{tab.Split('?')[0]}?handler={handler}";
        return await session.PostFormAsync(page, action, fields);
    }

    /// <summary>Bob forks the course through the API (a real fork: objects shared with the course). Returns its clone URL.</summary>
    protected async Task<string> CreateForkAsync(string name, bool isPrivate = false)
    {
        using var api = Server.Client(Bob);
        var response = await api.PostAsync("/api/v1/repos/alice/cours/forks", System.Net.Http.Json.JsonContent.Create(new { name, @private = isPrivate }));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Server.Url($"/bob/{name}.git");
    }

    protected async Task<string> LsRemoteAsync() => await Git.MustAsync(Tmp.Path, ("alice", Alice), "ls-remote", Url);
}
