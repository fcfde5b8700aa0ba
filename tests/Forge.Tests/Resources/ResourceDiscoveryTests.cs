using System.Net;
using System.Text.Json;
using Forge.Search;
using Forge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Resources;

/// <summary>
/// Finding one's way among resources: adaptation lineage on the resource page, similar resources before creating one,
/// and the coverage of each official programme — all through the real index, and never showing what the visitor
/// cannot read. Tests marked <c>Requires=search-engine</c> need the search engine's filters and facets (issue 4's
/// engine work): they are written for it and fail against an engine that ignores filters.
/// </summary>
public sealed class ResourceDiscoveryTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private readonly Dictionary<string, string> _tokens = [];

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        _git = new GitClient(_tmp.Sub("home"));
        foreach (var user in new[] { "alice", "bob", "carol", "dave" }) (_, _tokens[user]) = await _server.CreateUserAsync(user);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>Creates <paramref name="owner"/>/<paramref name="name"/> with a README and a resource.yml, pushes it, waits until it is indexed.</summary>
    private async Task PublishAsync(string owner, string name, string resourceYml, bool isPrivate = false, string? readme = null)
    {
        await _server.CreateRepositoryAsync(_tokens[owner], name, isPrivate);
        var work = new TestRepo(_tmp.Sub($"work-{owner}-{name}"));
        work.Write("README.md", readme ?? $"# {name}\n").Write("resource.yml", resourceYml).Commit("Première version");
        await _git.MustAsync(work.Path, (owner, _tokens[owner]), "push", "-q", _server.Url($"/{owner}/{name}.git"), "main");
        using var client = _server.Client(_tokens[owner]);
        var id = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/repos/{owner}/{name}")).RootElement.GetProperty("id").GetInt64();
        var tip = work.Git("rev-parse", "HEAD").Trim();
        var index = _server.Services.GetRequiredService<IResourceIndex>();
        await Wait.UntilAsync(() => Task.FromResult(index.IndexedState(id)?.CommitSha == tip), $"{owner}/{name} indexed");
    }

    private async Task<string> PageAsync(string path, string? user = null)
    {
        if (user is null)
        {
            using var anonymous = _server.Client();
            return WebUtility.HtmlDecode(await (await anonymous.GetAsync(path)).Content.ReadAsStringAsync());
        }
        using var web = new WebSession(_server);
        await web.SignInAsync(user, "motdepasse-solide");
        return WebUtility.HtmlDecode(await web.GetAsync(path));
    }

    [Fact]
    public async Task Adapted_from_links_the_source_with_its_attribution_and_never_leaks_a_private_one()
    {
        await PublishAsync("alice", "booleens-source", "title: Les booléens\nauthors: [Alice Martin <alice@ac-lyon.fr>]\nlicence: CC-BY-SA-4.0\n");
        await PublishAsync("carol", "secret-source", "title: Titre confidentiel\nauthors: [Carol Secrète]\n", isPrivate: true);
        await PublishAsync("bob", "booleens-adaptation", "title: Les booléens, adaptés\nbased_on: alice/booleens-source\n");
        await PublishAsync("dave", "autre-adaptation", "title: Autre adaptation\nbased_on: carol/secret-source\n");
        await PublishAsync("dave", "adaptation-externe", "title: Adaptation externe\nbased_on: https://exemple.fr/cours\n");

        var adaptation = await PageAsync("/bob/booleens-adaptation");
        Assert.Contains("<h4>Adapté de</h4>", adaptation);
        Assert.Contains("<a href=\"/alice/booleens-source\">Les booléens</a>", adaptation);
        Assert.Contains("Auteurs : Alice Martin <alice@ac-lyon.fr> · Licence : CC-BY-SA-4.0", adaptation);

        // A private source: the name written in the file, no link, no title, same words as for a missing one.
        var other = await PageAsync("/dave/autre-adaptation");
        Assert.Contains("carol/secret-source", other);
        Assert.Contains("ressource indisponible", other);
        Assert.DoesNotContain("Titre confidentiel", other);
        Assert.DoesNotContain("href=\"/carol/secret-source\"", other);
        var asCarol = await PageAsync("/dave/autre-adaptation", "carol");
        Assert.Contains("<a href=\"/carol/secret-source\">Titre confidentiel</a>", asCarol);

        var external = await PageAsync("/dave/adaptation-externe");
        Assert.Contains("href=\"https://exemple.fr/cours\" rel=\"noopener noreferrer nofollow\"", external);
    }

    [Fact]
    [Trait("Requires", "search-engine")]
    public async Task Adapted_by_lists_the_readable_adaptations_of_a_resource()
    {
        await PublishAsync("alice", "graphes", "title: Les graphes\nlicence: CC-BY-4.0\n");
        await PublishAsync("bob", "graphes-bob", "title: Les graphes par Bob\nbased_on: alice/graphes\nauthors: [Bob Durand]\n");
        await PublishAsync("carol", "graphes-carol", "title: Les graphes de Carol\nbased_on: alice/graphes\n", isPrivate: true);
        await PublishAsync("dave", "arbres", "title: Les arbres\n"); // unrelated

        var source = await PageAsync("/alice/graphes");
        Assert.Contains("<h4>Adapté par</h4>", source);
        Assert.Contains("<a href=\"/bob/graphes-bob\">Les graphes par Bob</a>", source);
        Assert.Contains("Auteurs : Bob Durand", source);
        Assert.DoesNotContain("graphes-carol", source);
        Assert.DoesNotContain("/dave/arbres", source);
        Assert.Contains("<a href=\"/carol/graphes-carol\">Les graphes de Carol</a>", await PageAsync("/alice/graphes", "carol"));
    }

    [Fact]
    public async Task Before_creating_a_repository_a_teacher_sees_similar_readable_resources_and_keeps_her_input()
    {
        await PublishAsync("alice", "algorithmes-tri", "title: Algorithmes de tri en terminale\ndisciplines: [nsi]\ngrades: [tle]\n");
        await PublishAsync("carol", "tri-secret", "title: Algorithmes de tri confidentiels\ndisciplines: [nsi]\ngrades: [tle]\n", isPrivate: true);

        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        var response = await bob.PostFormAsync("/repo/create", "/repo/create?handler=Similar", new Dictionary<string, string>
        {
            ["Input.Name"] = "tri-terminale", ["Input.Description"] = "Algorithmes de tri", ["Input.Visibility"] = "private",
            ["Input.Discipline"] = "nsi", ["Input.Grade"] = "tle",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Ressources proches", html);
        Assert.Contains("<a href=\"/alice/algorithmes-tri\">Algorithmes de tri en terminale</a>", html);
        Assert.DoesNotContain("confidentiels", html);
        Assert.Contains("value=\"tri-terminale\"", html);
        Assert.Matches(">\\s*Algorithmes de tri</textarea>", html);
        Assert.Matches("id=\"vis-private\"[^>]*checked=\"checked\"", html);
        Assert.Matches("<option value=\"tle\" selected=\"selected\">", html);
        // Nothing was created.
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client(_tokens["bob"]).GetAsync("/api/v1/repos/bob/tri-terminale")).StatusCode);

        // Carol, who can read her private resource, sees it.
        using var carol = new WebSession(_server);
        await carol.SignInAsync("carol", "motdepasse-solide");
        var forCarol = await carol.PostFormAsync("/repo/create", "/repo/create?handler=Similar", new Dictionary<string, string> { ["Input.Name"] = "algorithmes-tri" });
        Assert.Contains("confidentiels", WebUtility.HtmlDecode(await forCarol.Content.ReadAsStringAsync()));

        // The describe form of another resource shows them too, not the resource itself.
        await PublishAsync("bob", "tri-bob", "title: Algorithmes de tri revisités\n");
        var describe = WebUtility.HtmlDecode(await bob.GetAsync("/bob/tri-bob/describe"));
        Assert.Contains("<a href=\"/alice/algorithmes-tri\">Algorithmes de tri en terminale</a>", describe);
        Assert.DoesNotContain(">Algorithmes de tri revisités</a>", describe);
    }

    [Fact]
    public async Task The_programmes_pages_cite_their_sources_and_unknown_programmes_are_not_found()
    {
        var index = await PageAsync("/programmes");
        Assert.Contains("href=\"/programmes/nsi-premiere\"", index);
        Assert.Contains("href=\"/programmes/nsi-terminale\"", index);
        Assert.Contains("href=\"/programmes/snt-seconde\"", index);
        var page = await PageAsync("/programmes/nsi-terminale");
        Assert.Contains("BO spécial n°8 du 25 juillet 2019", page);
        Assert.Contains("href=\"https://cache.media.education.gouv.fr/file/SPE8_MENJ_25_7_2019/93/3/spe247_annexe_1158933.pdf\"", page);
        Assert.Contains("BO n°36 du 30 septembre 2022", page);
        Assert.Contains("évalué à l’épreuve terminale", page);
        Assert.Contains("id=\"nsi-tle.structures-donnees.listes-piles-files\"", page);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/programmes/inconnu")).StatusCode);
    }

    [Fact]
    [Trait("Requires", "search-engine")]
    public async Task The_coverage_page_counts_open_resources_item_by_item_and_shows_what_is_missing()
    {
        const string a = "nsi-1re.types-base.booleens", b = "nsi-1re.types-construits.tableaux", c = "nsi-1re.types-base.flottants";
        await PublishAsync("alice", "booleens", $"title: Booléens\nprogramme: [{a}]\n");
        await PublishAsync("bob", "tableaux-booleens", $"title: Tableaux et booléens\nprogramme: [{a}, {b}]\n");
        await PublishAsync("carol", "flottants-prives", $"title: Flottants\nprogramme: [{a}, {c}]\n", isPrivate: true);

        // Private resources never count, even for their owner.
        foreach (var viewer in new string?[] { null, "carol" })
        {
            var page = await PageAsync("/programmes/nsi-premiere", viewer);
            Assert.Matches($"<tr id=\"{Escape(a)}\"[^>]*>(?s:.*?)<a href=\"/search\\?programme={Escape(a)}\"[^>]*>2 ressources</a>", page);
            Assert.Matches($"<tr id=\"{Escape(b)}\"[^>]*>(?s:.*?)<a href=\"/search\\?programme={Escape(b)}\"[^>]*>1 ressource</a>", page);
            Assert.Matches($"<tr id=\"{Escape(c)}\" class=\"missing\">(?s:.*?)Aucune ressource", page);
            Assert.Contains("29 éléments n’en ont aucune", page);
        }
        Assert.Contains("<td>2 sur 31</td>", await PageAsync("/programmes"));
    }

    private static string Escape(string s) => System.Text.RegularExpressions.Regex.Escape(s);
}
