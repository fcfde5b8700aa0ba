using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Permissions;

/// <summary>
/// git over HTTP with the account's password (not a token): git sends it with every request, and Forge remembers a
/// verified password for a few minutes. What must hold anyway: a changed password stops working at once, and a locked
/// account is locked for git too.
/// </summary>
public sealed class PasswordOverHttpTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice", "motdepasse-solide");
        await _server.CreateRepositoryAsync(_token, "copies", isPrivate: true);
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task<(int ExitCode, string Output)> LsRemoteAsync(string password) =>
        _git.RunAsync(_tmp.Path, ("alice", password), "ls-remote", _server.Url("/alice/copies.git"));

    [Fact]
    public async Task A_changed_password_stops_working_at_once_and_a_locked_account_is_locked_for_git()
    {
        var ws = await Workspace.InitAsync(_git, _tmp.Sub("copies"), ("alice", "motdepasse-solide"));
        await ws.MustAsync("push", "-q", _server.Url("/alice/copies.git"), "main");
        Assert.Equal(0, (await LsRemoteAsync("motdepasse-solide")).ExitCode);
        Assert.NotEqual(0, (await LsRemoteAsync("pas-le-bon")).ExitCode);

        using (var scope = _server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>();
            var alice = (await users.FindByNameAsync("alice"))!;
            Assert.True((await users.ChangePasswordAsync(alice, "motdepasse-solide", "nouveau-motdepasse")).Succeeded);
        }
        Assert.NotEqual(0, (await LsRemoteAsync("motdepasse-solide")).ExitCode);
        Assert.Equal(0, (await LsRemoteAsync("nouveau-motdepasse")).ExitCode);

        // Five wrong passwords lock the account (as on the sign-in page): the right one, just verified, no longer opens it.
        for (var i = 0; i < 5; i++) Assert.NotEqual(0, (await LsRemoteAsync($"faux-{i}")).ExitCode);
        var (code, output) = await LsRemoteAsync("nouveau-motdepasse");
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output);
    }
}
