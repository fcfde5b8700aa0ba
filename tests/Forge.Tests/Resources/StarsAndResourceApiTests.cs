using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Jobs;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Resources;

/// <summary>Stars (web button and Gitea's API) and Forge's own resource description endpoint with its ScoLOMFR ids.</summary>
public sealed class StarsAndResourceApiTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _alice = null!, _bob = null!, _carol = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        (_, _carol) = await _server.CreateUserAsync("carol");
        await _server.CreateRepositoryAsync(_alice, "cours");
        await _server.CreateRepositoryAsync(_alice, "prive", isPrivate: true);
        var work = new TestRepo(_tmp.Sub("work"));
        work.Write("README.md", "# Cours\n")
            .Write("resource.yml", "title: Les booléens\ngrades: [1re]\ntype: [cours, projet]\nusage: [classe, autonomie]\nprogramme: [nsi-1re.types-base.booleens]\ncouleur: bleu\n")
            .Write("tp/resource.yml", "title: TP booléens\ngrades: [3e]\n")
            .Commit("Cours");
        var git = new GitClient(_tmp.Sub("home"));
        await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/cours.git"), "main");
        await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/prive.git"), "main");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Stars_through_the_api_follow_giteas_paths_and_are_counted()
    {
        using var bob = _server.Client(_bob);
        using var carol = _server.Client(_carol);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/user/starred/alice/cours")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync("/api/v1/user/starred/alice/cours", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync("/api/v1/user/starred/alice/cours", null)).StatusCode); // twice: still one star
        Assert.Equal(HttpStatusCode.NoContent, (await carol.PutAsync("/api/v1/user/starred/alice/cours", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.GetAsync("/api/v1/user/starred/alice/cours")).StatusCode);

        Assert.Equal(2, (await JsonAsync(bob, "/api/v1/repos/alice/cours")).GetProperty("stars_count").GetInt32());
        var starred = await JsonAsync(bob, "/api/v1/user/starred");
        Assert.Equal(["alice/cours"], starred.EnumerateArray().Select(r => r.GetProperty("full_name").GetString()));
        var gazers = await JsonAsync(bob, "/api/v1/repos/alice/cours/stargazers");
        Assert.Equal(["bob", "carol"], gazers.EnumerateArray().Select(u => u.GetProperty("login").GetString()!).Order());
        Assert.Equal(["alice/cours"], (await JsonAsync(_server.Client(), "/api/v1/users/bob/starred")).EnumerateArray().Select(r => r.GetProperty("full_name").GetString()));

        // The jobs' view of the repository carries the count (the index sorts by it).
        using (var scope = _server.Services.CreateScope())
        {
            var id = (await JsonAsync(bob, "/api/v1/repos/alice/cours")).GetProperty("id").GetInt64();
            Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<IRepositoryDirectory>().FindAsync(id, default))!.Stars);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await bob.DeleteAsync("/api/v1/user/starred/alice/cours")).StatusCode);
        Assert.Equal(1, (await JsonAsync(bob, "/api/v1/repos/alice/cours")).GetProperty("stars_count").GetInt32());
        Assert.Empty((await JsonAsync(bob, "/api/v1/user/starred")).EnumerateArray());
    }

    [Fact]
    public async Task Stars_never_reveal_or_touch_a_repository_the_caller_cannot_read()
    {
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PutAsync("/api/v1/user/starred/alice/prive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/repos/alice/prive/stargazers")).StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("/api/v1/user/starred/alice/cours", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/user/starred")).StatusCode);

        // Alice stars her private repository; others do not see it in her list.
        using var alice = _server.Client(_alice);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync("/api/v1/user/starred/alice/prive", null)).StatusCode);
        Assert.Equal(["alice/prive"], (await JsonAsync(alice, "/api/v1/user/starred")).EnumerateArray().Select(r => r.GetProperty("full_name").GetString()));
        Assert.Empty((await JsonAsync(bob, "/api/v1/users/alice/starred")).EnumerateArray());
    }

    [Fact]
    public async Task The_star_button_stars_and_unstars_from_the_repository_header()
    {
        using var web = new WebSession(_server);
        await web.SignInAsync("bob", "motdepasse-solide");
        var page = await web.GetAsync("/alice/cours/tree/main/tp");
        Assert.Contains("aria-pressed=\"false\"", page);
        Assert.Contains("0 étoile", WebUtility.HtmlDecode(page));

        var starred = await web.PostFormAsync("/alice/cours/tree/main/tp", "/alice/cours/star",
            new Dictionary<string, string> { ["star"] = "true", ["returnUrl"] = "/alice/cours/tree/main/tp" });
        Assert.Equal(HttpStatusCode.Redirect, starred.StatusCode);
        Assert.Equal("/alice/cours/tree/main/tp", starred.Headers.Location!.ToString());
        page = WebUtility.HtmlDecode(await web.GetAsync("/alice/cours"));
        Assert.Contains("aria-pressed=\"true\"", page);
        Assert.Contains("Retirer mon étoile", page);
        Assert.Contains("1 étoile", page);

        // Anonymous visitors see the count (the cached public page follows it) but no button.
        using var anonymous = _server.Client();
        var seen = WebUtility.HtmlDecode(await (await anonymous.GetAsync("/alice/cours")).Content.ReadAsStringAsync());
        Assert.Contains("1 étoile", seen);
        Assert.DoesNotContain("Mettre une étoile", seen);

        // An outside return address is ignored.
        var unstarred = await web.PostFormAsync("/alice/cours", "/alice/cours/star",
            new Dictionary<string, string> { ["star"] = "false", ["returnUrl"] = "https://ailleurs.example/" });
        Assert.Equal("/alice/cours", unstarred.Headers.Location!.ToString());
        seen = WebUtility.HtmlDecode(await (await anonymous.GetAsync("/alice/cours")).Content.ReadAsStringAsync());
        Assert.Contains("0 étoile", seen);
        // Without the anti-forgery token nothing happens.
        var forged = await web.Http.PostAsync("/alice/cours/star", new FormUrlEncodedContent(new Dictionary<string, string> { ["star"] = "true" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task The_resource_endpoint_gives_the_parsed_description_its_problems_and_scolomfr_ids()
    {
        using var anonymous = _server.Client();
        var resource = await JsonAsync(anonymous, "/api/v1/repos/alice/cours/resource");
        var m = resource.GetProperty("metadata");
        Assert.Equal("Les booléens", m.GetProperty("title").GetString());
        Assert.Equal(["lycee"], m.GetProperty("cycles").EnumerateArray().Select(x => x.GetString()));
        Assert.True(m.GetProperty("cycles_derived").GetBoolean());
        Assert.Equal(["autonome"], m.GetProperty("autonomy").EnumerateArray().Select(x => x.GetString())); // version-1 usage
        Assert.Equal(["nsi-1re.types-base.booleens"], m.GetProperty("programme").EnumerateArray().Select(x => x.GetString()));
        Assert.False(resource.GetProperty("valid").GetBoolean());
        Assert.Equal("couleur", resource.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Equal(["couleur"], resource.GetProperty("unknown_fields").EnumerateArray().Select(x => x.GetString()));
        var scolomfr = resource.GetProperty("scolomfr");
        Assert.Equal(["http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-146", "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-142"],
            scolomfr.GetProperty("educational_level").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["http://data.education.fr/voc/scolomfr/concept/lecture"], scolomfr.GetProperty("learning_resource_type").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-017-num-005"], scolomfr.GetProperty("place").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-018-num-003"], scolomfr.GetProperty("educational_method").EnumerateArray().Select(x => x.GetString()));

        var granule = await JsonAsync(anonymous, "/api/v1/repos/alice/cours/resource?path=tp");
        Assert.Equal("tp/resource.yml", granule.GetProperty("file").GetString());
        Assert.Equal(["http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-023", "http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-621"],
            granule.GetProperty("scolomfr").GetProperty("educational_level").EnumerateArray().Select(x => x.GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/cours/resource?path=README.md")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await anonymous.GetAsync("/api/v1/repos/alice/cours/resource?path=../x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/repos/alice/prive/resource")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client(_alice).GetAsync("/api/v1/repos/alice/prive/resource")).StatusCode);

        var openapi = await (await anonymous.GetAsync("/api/v1/openapi.json")).Content.ReadAsStringAsync();
        Assert.Contains("/api/v1/repos/{owner}/{repo}/resource", openapi);
        Assert.Contains("/api/v1/user/starred/{owner}/{repo}", openapi);
        Assert.Contains("/api/v1/repos/{owner}/{repo}/stargazers", openapi);
    }

    [Fact]
    public async Task A_description_is_written_through_the_api_with_the_same_rules_as_the_form()
    {
        using var alice = _server.Client(_alice);
        // Read, change, write back: the unknown field of the file survives, derived cycles stay derived.
        var current = await JsonAsync(alice, "/api/v1/repos/alice/cours/resource");
        var metadata = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(current.GetProperty("metadata").GetRawText())!;
        metadata["title"] = JsonSerializer.SerializeToElement("Les booléens, revus");
        metadata["has_exercises"] = JsonSerializer.SerializeToElement(true);
        var sha = current.GetProperty("sha").GetString();

        var missingSha = await alice.PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingSha.StatusCode);
        var stale = await alice.PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata, sha = new string('0', 40) });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var invalid = new Dictionary<string, JsonElement>(metadata) { ["grades"] = JsonSerializer.SerializeToElement(new[] { "1re", "7e" }) };
        var refused = await alice.PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata = invalid, sha });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problems = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("problems");
        Assert.Equal("grades", problems[0].GetProperty("field").GetString());
        Assert.Equal("7e", problems[0].GetProperty("value").GetString());

        var saved = await alice.PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata, sha, message = "Titre revu par script" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var raw = await (await alice.GetAsync("/api/v1/repos/alice/cours/raw/resource.yml")).Content.ReadAsStringAsync();
        Assert.Equal("title: Les booléens, revus\ngrades: [1re]\nusage: [classe]\nautonomy: [autonome]\ntype: [cours, projet]\nhas_exercises: true\n"
            + "programme:\n  - nsi-1re.types-base.booleens\ncouleur: bleu\n", raw);

        // A folder without a description gets one (201); readers and strangers may not write.
        var created = await alice.PutAsJsonAsync("/api/v1/repos/alice/cours/resource?path=tp", new { metadata = new { title = "x" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.StatusCode); // tp/resource.yml exists: sha needed
        using var bob = _server.Client(_bob);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata, sha })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PutAsJsonAsync("/api/v1/repos/alice/prive/resource", new { metadata })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client().PutAsJsonAsync("/api/v1/repos/alice/cours/resource", new { metadata })).StatusCode);
        var odd = await alice.PutAsJsonAsync("/api/v1/repos/alice/prive/resource", new { metadata = new { couleur = "bleu" } });
        Assert.Contains("Champ inconnu", await odd.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_new_description_is_created_through_the_api()
    {
        using var alice = _server.Client(_alice);
        await _server.CreateRepositoryAsync(_alice, "neuf");
        var work = new TestRepo(_tmp.Sub("neuf"));
        work.Write("README.md", "# Neuf\n").Commit("Début");
        await new GitClient(_tmp.Sub("home-neuf")).MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/neuf.git"), "main");
        var created = await alice.PutAsJsonAsync("/api/v1/repos/alice/neuf/resource",
            new { metadata = new { title = "Neuf", grades = new[] { "Terminale" }, duration_minutes = 55, languages = new[] { "fr" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["tle"], body.GetProperty("metadata").GetProperty("grades").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("title: Neuf\ngrades: [tle]\nduration_minutes: 55\nlanguage: [fr]\n",
            await (await alice.GetAsync("/api/v1/repos/alice/neuf/raw/resource.yml")).Content.ReadAsStringAsync());
    }
}
