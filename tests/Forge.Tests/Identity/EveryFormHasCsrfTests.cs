using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Identity;

/// <summary>
/// CSRF protection on every form: an administrator who owns a repository with an issue walks the site (links followed
/// two levels deep from the main pages) and every POST form met carries the anti-forgery token — a form without it would
/// either be refused to its honest user or, worse, mean a handler that does not check it. A POST without the token is refused.
/// </summary>
public sealed class EveryFormHasCsrfTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), 0);
        var (_, token) = await _server.CreateUserAsync("alice", admin: true);
        await _server.CreateRepositoryAsync(token, "cours");
        var ws = await Workspace.InitAsync(new GitClient(_tmp.Sub("home")), _tmp.Sub("work"), ("alice", token), "# Cours\n\nUn cours.\n");
        await ws.MustAsync("push", "-q", _server.Url("/alice/cours.git"), "main");
        using var api = _server.Client(token);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/repos/alice/cours/issues", new { title = "Une question", body = "Texte." })).StatusCode);
        // A class with an assignment and one copy, for the class pages' forms.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/orgs", new { username = "lycee", visibility = "private" })).StatusCode);
        var room = await (await api.PostAsJsonAsync("/api/v1/classes", new { group = "lycee", name = "seconde" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/classes/{room.GetProperty("id")}/assignments", new { title = "Devoir", template = "alice/cours" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/assignments/1/accept", null)).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static bool Skipped(string path) =>
        path.StartsWith("/user/logout", StringComparison.Ordinal) || path.StartsWith("/assets/", StringComparison.Ordinal)
        || path.StartsWith("/admin/jobs", StringComparison.Ordinal) || path.Contains("/raw/", StringComparison.Ordinal)
        || path.Contains("/archive/", StringComparison.Ordinal) || path.Contains("/thumbnail/", StringComparison.Ordinal)
        || path.StartsWith("/api/", StringComparison.Ordinal) || path.EndsWith(".git", StringComparison.Ordinal);

    [Fact]
    public async Task Every_post_form_met_on_the_site_carries_the_anti_forgery_token()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("alice", "motdepasse-solide");
        var parser = new HtmlParser();
        var queue = new Queue<(string Path, int Depth)>(new[]
        {
            "/", "/explore", "/search?q=cours", "/alice", "/alice/cours", "/alice/cours/issues", "/alice/cours/issues/1", "/alice/cours/settings",
            "/repo/create", "/groups/new", "/notifications", "/user/settings/applications", "/admin/users",
            "/classes/new", "/classes/join", "/seconde/-/class", "/seconde/-/pupils", "/seconde/-/assignments/new", "/seconde/-/assignments/1/students/alice",
        }.Select(p => (p, 0)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = 0;
        var missing = new List<string>();
        while (queue.Count > 0 && seen.Count < 250)
        {
            var (path, depth) = queue.Dequeue();
            if (!seen.Add(path)) continue;
            var response = await web.Http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var document = parser.ParseDocument(await response.Content.ReadAsStringAsync());
            foreach (var form in document.QuerySelectorAll("form"))
            {
                if (!string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)) continue;
                forms++;
                if (form.QuerySelector("input[name=__csrf]") is null)
                    missing.Add($"{path}: form {form.GetAttribute("action") ?? "(this page)"}");
            }
            if (depth >= 2) continue;
            foreach (var a in document.QuerySelectorAll("a[href]"))
            {
                var href = a.GetAttribute("href")!.Split('#')[0];
                if (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && !Skipped(href)) queue.Enqueue((href, depth + 1));
            }
        }
        Assert.True(seen.Count > 40, $"only {seen.Count} pages walked");
        Assert.True(forms > 30, $"only {forms} POST forms met");
        Assert.True(missing.Count == 0, "Forms without the anti-forgery token:\n" + string.Join("\n", missing.Distinct()));

        // And a POST without it is refused, signed in or not.
        var forged = await web.Http.PostAsync("/alice/cours/issues/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["Title"] = "forgé" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
