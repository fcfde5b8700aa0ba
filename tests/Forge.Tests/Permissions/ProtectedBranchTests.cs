using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;

namespace Forge.Tests.Permissions;

/// <summary>
/// Alice protects the « main » branch of her course; Bob (writer) and Carole (maintainer) push with the real git
/// client. Refusals are shown by git as « remote: » lines and leave the repository exactly as it was.
/// </summary>
public sealed class ProtectedBranchTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!, _bob = null!, _carole = null!;
    private string Url => _server.Url("/alice/cours.git");

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        _git = new GitClient(_tmp.Sub("home"));
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        (_, _carole) = await _server.CreateUserAsync("carole");
        await _server.CreateRepositoryAsync(_alice, "cours");
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("alice"), ("alice", _alice));
        await ws.MustAsync("push", "-q", Url, "main");
        await _server.AddCollaboratorAsync("alice", "cours", "bob", CollaboratorRole.Writer);
        await _server.AddCollaboratorAsync("alice", "cours", "carole", CollaboratorRole.Maintainer);
        await _server.ProtectAsync("alice", "cours", "main", PushLevel.Maintainers);
        await _server.ProtectAsync("alice", "cours", "release/*", PushLevel.Writers);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task<string> LsRemoteAsync() => _git.MustAsync(_tmp.Path, ("alice", _alice), "ls-remote", Url);

    [Fact]
    public async Task A_writer_push_to_a_protected_branch_is_refused_with_the_reason_and_changes_nothing()
    {
        var bob = await Workspace.CloneAsync(_git, _tmp.Path, Url, ("bob", _bob));
        await bob.CommitAsync("exercice.md", "# Exercice\n");
        var before = await LsRemoteAsync();

        var (code, output) = await bob.GitAsync("push", "origin", "main");

        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : la branche « main » est protégée ; seuls les mainteneurs", output);
        Assert.Contains("pre-receive hook declined", output);
        Assert.Equal(before, await LsRemoteAsync());
        // The same work on a branch of his own goes through.
        await bob.MustAsync("push", "-q", "origin", "main:proposition-bob");
        Assert.Contains("refs/heads/proposition-bob", await LsRemoteAsync());
    }

    [Fact]
    public async Task A_maintainer_fast_forward_is_accepted_but_a_force_push_is_refused_even_for_the_owner()
    {
        var carole = await Workspace.CloneAsync(_git, _tmp.Path, Url, ("carole", _carole));
        await carole.CommitAsync("chapitre1.md", "# Chapitre 1\n");
        await carole.MustAsync("push", "-q", "origin", "main");
        var head = await carole.HeadAsync();
        Assert.Contains($"{head}\trefs/heads/main", await LsRemoteAsync());

        var alice = await Workspace.CloneAsync(_git, _tmp.Path, Url, ("alice", _alice));
        await alice.MustAsync("reset", "-q", "--hard", "HEAD~1");
        await alice.CommitAsync("autre.md", "# Histoire réécrite\n");
        var (code, output) = await alice.GitAsync("push", "--force", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : la branche « main » est protégée, on ne peut pas y réécrire l’historique (push forcé).", output);
        Assert.Contains($"{head}\trefs/heads/main", await LsRemoteAsync());
    }

    [Fact]
    public async Task Deleting_a_protected_branch_is_refused_while_pushing_to_it_is_allowed_for_writers()
    {
        var bob = await Workspace.CloneAsync(_git, _tmp.Path, Url, ("bob", _bob));
        await bob.CommitAsync("version.md", "v1\n");
        await bob.MustAsync("push", "-q", "origin", "HEAD:refs/heads/release/2026");
        var before = await LsRemoteAsync();
        Assert.Contains("refs/heads/release/2026", before);

        var (code, output) = await bob.GitAsync("push", "origin", ":release/2026");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: Refusé : la branche « release/2026 » est protégée ; elle ne peut pas être supprimée.", output);
        Assert.Equal(before, await LsRemoteAsync());
    }

    [Fact]
    public async Task A_reader_clones_a_private_repository_but_cannot_push_and_a_stranger_sees_nothing()
    {
        var (_, dan) = await _server.CreateUserAsync("dan");
        var (_, eve) = await _server.CreateUserAsync("eve");
        await _server.CreateRepositoryAsync(_alice, "copies", isPrivate: true);
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("copies"), ("alice", _alice), "# Copies des élèves\n");
        await ws.MustAsync("push", "-q", _server.Url("/alice/copies.git"), "main");
        await _server.AddCollaboratorAsync("alice", "copies", "dan", CollaboratorRole.Reader);

        var clone = await Workspace.CloneAsync(_git, _tmp.Path, _server.Url("/alice/copies.git"), ("dan", dan));
        Assert.Equal("# Copies des élèves\n", File.ReadAllText(Path.Combine(clone.Dir, "README.md")));
        await clone.CommitAsync("note.md", "note\n");
        var (code, output) = await clone.GitAsync("push", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("403", output);

        var (eveCode, eveOutput) = await _git.RunAsync(_tmp.Path, ("eve", eve), "clone", _server.Url("/alice/copies.git"), Path.Combine(_tmp.Path, "eve"));
        Assert.NotEqual(0, eveCode);
        Assert.Contains("not found", eveOutput);
        using var eveApi = _server.Client(eve);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await eveApi.GetAsync("/api/v1/repos/alice/copies")).StatusCode);
        using var danApi = _server.Client(dan);
        var json = System.Text.Json.JsonDocument.Parse(await danApi.GetStringAsync("/api/v1/repos/alice/copies")).RootElement;
        Assert.True(json.GetProperty("permissions").GetProperty("pull").GetBoolean());
        Assert.False(json.GetProperty("permissions").GetProperty("push").GetBoolean());
    }
}
