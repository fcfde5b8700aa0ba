using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// Instance roles: an operator makes an account a student from the command line; a student's repositories are private
/// (web form and API) until a teacher of one of their groups allows publishing; their profile is hidden from anonymous
/// visitors and strangers, shown to members of a shared group; the admin changes roles on /admin/users.
/// </summary>
public sealed class AccountsStudentTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _leo = null!;
    private string _prof = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        await _server.CreateUserAsync("direction", "la phrase de direction", admin: true);
        (_, _prof) = await _server.CreateUserAsync("prof");
        (_, _leo) = await _server.CreateUserAsync("leo", "la phrase de leo");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Fact]
    public async Task A_student_publishes_nothing_until_a_teacher_of_their_group_allows_it_and_strangers_do_not_see_their_profile()
    {
        var (code, output) = await ForgeProcess.AdminAsync(null, "user", "role", "leo", "student", "--data", _server.DataPath);
        Assert.True(code == 0, output);
        Assert.Contains("« leo » est maintenant élève.", output);
        (code, output) = await ForgeProcess.AdminAsync(null, "user", "role", "leo", "pirate", "--data", _server.DataPath);
        Assert.Equal(1, code);
        Assert.Contains("Rôle inconnu « pirate »", output);

        // The web form: public refused with the reason, what was typed kept; private accepted.
        using var web = new WebSession(_server);
        await web.SignInAsync("leo", "la phrase de leo");
        var refused = await web.PostFormAsync("/repo/create", "/repo/create", new Dictionary<string, string>
        {
            ["Input.Name"] = "projet", ["Input.Description"] = "Mon projet de NSI", ["Input.Visibility"] = "public",
        });
        var page = AccountsSupport.Text(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Les élèves ne peuvent créer que des dépôts privés, sauf si un enseignant le leur permet.", page);
        Assert.Contains("Mon projet de NSI</textarea>", page);
        var created = await web.PostFormAsync("/repo/create", "/repo/create", new Dictionary<string, string>
        {
            ["Input.Name"] = "projet", ["Input.Visibility"] = "private",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        // The API alike, and the settings cannot open the private one.
        using var leo = _server.Client(_leo);
        var apiRefused = await leo.PostAsJsonAsync("/api/v1/user/repos", new { name = "public", @private = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, apiRefused.StatusCode);
        Assert.Contains("Les élèves ne peuvent créer que des dépôts privés", await apiRefused.Content.ReadAsStringAsync());
        var open = await leo.PatchAsJsonAsync("/api/v1/repos/leo/projet", new { @private = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, open.StatusCode);

        // Anonymous visitors and a teacher who shares no group with leo: no profile.
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/leo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/users/leo")).StatusCode);
        using var prof = new WebSession(_server);
        await prof.SignInAsync("prof", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await prof.Http.GetAsync("/leo")).StatusCode);

        // Nor can a public repository be handed to him.
        using var profApi = _server.Client(_prof);
        Assert.Equal(HttpStatusCode.Created, (await profApi.PostAsJsonAsync("/api/v1/user/repos", new { name = "cadeau" })).StatusCode);
        var transfer = await profApi.PostAsJsonAsync("/api/v1/repos/prof/cadeau/transfer", new { new_owner = "leo" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, transfer.StatusCode);
        Assert.Contains("leo est élève et ne peut avoir que des dépôts privés", await transfer.Content.ReadAsStringAsync());

        // prof creates a class group and adds leo: now prof sees the profile (never the e-mail) and may allow publishing.
        Assert.Equal(HttpStatusCode.Created, (await profApi.PostAsJsonAsync("/api/v1/orgs", new { username = "seconde-3", visibility = "private" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await profApi.PutAsJsonAsync("/api/v1/orgs/seconde-3/members/leo", new { role = "reader" })).StatusCode);
        var profile = AccountsSupport.Text(await prof.GetAsync("/leo"));
        Assert.Contains("ne peut créer que des dépôts privés.", profile);
        Assert.DoesNotContain("leo@ac-lyon.fr", profile);
        var user = JsonDocument.Parse(await profApi.GetStringAsync("/api/v1/users/leo")).RootElement;
        Assert.Equal("", user.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Redirect, (await prof.PostFormAsync("/leo", "/leo?handler=Publishing", new Dictionary<string, string> { ["allow"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await leo.PostAsJsonAsync("/api/v1/user/repos", new { name = "public", @private = false })).StatusCode);

        // Another teacher, who owns none of leo's groups, cannot change that.
        await _server.CreateUserAsync("autre");
        using var other = new WebSession(_server);
        await other.SignInAsync("autre", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync("/", "/leo?handler=Publishing", new Dictionary<string, string> { ["allow"] = "false" })).StatusCode);

        // The admin finds leo on /admin/users and makes him a teacher: his profile is public again.
        using var admin = new WebSession(_server);
        await admin.SignInAsync("direction", "la phrase de direction");
        var list = AccountsSupport.Text(await admin.GetAsync("/admin/users?q=leo"));
        Assert.Contains("<option value=\"student\" selected=\"selected\">élève</option>", list);
        Assert.DoesNotContain(">prof</a>", list);
        var changed = await admin.PostFormAsync("/admin/users?q=leo", "/admin/users?handler=Role", new Dictionary<string, string> { ["name"] = "leo", ["role"] = "teacher" });
        Assert.Contains("« leo » : enseignant.", AccountsSupport.Text(await changed.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/leo")).StatusCode);
        // The last administrator cannot demote himself.
        var last = await admin.PostFormAsync("/admin/users", "/admin/users?handler=Role", new Dictionary<string, string> { ["name"] = "direction", ["role"] = "teacher" });
        Assert.Contains("C’est le dernier administrateur de l’instance", AccountsSupport.Text(await last.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_operator_resets_a_forgotten_password_from_the_command_line()
    {
        using var before = new WebSession(_server);
        await before.SignInAsync("leo", "la phrase de leo");
        var (code, output) = await ForgeProcess.AdminAsync(null, "user", "reset-password", "leo", "--data", _server.DataPath);
        Assert.True(code == 0, output);
        var password = output.Trim().Split('\n')[^1].Trim();
        Assert.True(password.Length >= 16, output);
        using var web = new WebSession(_server);
        Assert.Equal(HttpStatusCode.OK, (await web.LoginAsync("leo", "la phrase de leo")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await web.LoginAsync("leo", password)).StatusCode);
    }
}
