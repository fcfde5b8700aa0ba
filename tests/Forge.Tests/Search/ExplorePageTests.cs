using System.Net;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

/// <summary><c>/explore</c> and <c>/explore/{discipline}</c> over the shared catalogue (see <see cref="SearchCatalogue"/>).</summary>
[Collection(SearchCatalogueCollection.Name)]
public sealed partial class ExplorePageTests(SearchCatalogue catalogue)
{
    private ForgeServer Server => catalogue.Server;

    [GeneratedRegex(@"\((\d+)\)$")]
    private static partial Regex TrailingCount();

    [Fact]
    public async Task The_catalogue_is_browsed_by_discipline_grade_and_usage_with_counts_that_match_the_search()
    {
        using var client = Server.Client();
        var explore = await SearchView.LoadAsync(client, "/explore");
        Assert.Equal(HttpStatusCode.OK, explore.Status);
        Assert.Equal(
            [("Mathématiques (24)", "/explore/mathematiques"), ("Numérique et sciences informatiques (4)", "/explore/nsi"),
             ("Sciences numériques et technologie (1)", "/explore/snt")],
            explore.EntryLinks("by-discipline").ToArray());
        var byGrade = explore.EntryLinks("by-grade");
        Assert.Equal(
            [("Cycle 3 (CM1–6e) (1)", "/search?cycle=3"), ("CM1 (1)", "/search?grade=cm1"), ("CM2 (1)", "/search?grade=cm2"),
             ("Lycée (5)", "/search?cycle=lycee"), ("Seconde (1)", "/search?grade=2nde"), ("Première (2)", "/search?grade=1re"),
             ("Terminale (3)", "/search?grade=tle")],
            byGrade.ToArray());
        var byUsage = explore.EntryLinks("by-usage");
        Assert.Contains(("En classe (4)", "/search?usage=classe"), byUsage);
        Assert.Contains(("À la maison (3)", "/search?usage=maison"), byUsage);
        Assert.Contains(("En autonomie (1)", "/search?autonomy=autonome"), byUsage);
        Assert.Contains(("Travaux pratiques (1)", "/search?type=tp"), byUsage);

        // Every entry point leads to a search with exactly the announced number of resources.
        foreach (var (text, href) in byGrade.Concat(byUsage))
            Assert.Equal(int.Parse(TrailingCount().Match(text).Groups[1].Value), (await SearchView.LoadAsync(client, href)).Total);

        Assert.Equal(6, explore.CardLinks("newest").Count);
        Assert.All(explore.CardLinks("newest"), l => Assert.StartsWith("/alice/probabilites", l)); // pushed last
        Assert.Contains("Aucune ressource n’a encore reçu d’étoile", explore.Html);
        Assert.Contains("29 ressources ouvertes", explore.Html);
        Assert.DoesNotContain("tri-secret", explore.Html);
        Assert.Equal("page", explore.Document.QuerySelector("header a[href='/explore']")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task A_discipline_page_has_its_description_grades_newest_and_programmes()
    {
        using var client = Server.Client();
        var nsi = await SearchView.LoadAsync(client, "/explore/nsi");
        Assert.Equal(HttpStatusCode.OK, nsi.Status);
        Assert.Equal("Numérique et sciences informatiques", nsi.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("algorithmique", nsi.Document.QuerySelector("p.lead")!.TextContent);
        Assert.Equal(
            [("Première (2)", "/search?discipline=nsi&grade=1re"), ("Terminale (2)", "/search?discipline=nsi&grade=tle")],
            nsi.EntryLinks("by-grade").ToArray());
        Assert.Contains(("Travaux pratiques (1)", "/search?discipline=nsi&type=tp"), nsi.EntryLinks("by-type"));
        Assert.Equal(["/alice/tri-fusion", "/alice/graphes", "/alice/tri-insertion", "/alice/tri-insertion/tree/main/exercices"],
            nsi.CardLinks("newest").Take(2).Concat(nsi.CardLinks("newest").Skip(2).Order()).ToArray());
        Assert.Contains("/programmes/nsi-premiere", nsi.MainLinks);
        Assert.Contains("/programmes/nsi-terminale", nsi.MainLinks);
        Assert.Contains("/search?discipline=nsi", nsi.MainLinks);
        Assert.NotNull(nsi.Document.QuerySelector("form[action='/search'] input[type=hidden][name=discipline][value=nsi]"));
        Assert.DoesNotContain("tri-secret", nsi.Html);
        Assert.Equal(4, (await SearchView.LoadAsync(client, "/search?discipline=nsi")).Total);

        var snt = await SearchView.LoadAsync(client, "/explore/snt");
        Assert.Contains("/programmes/snt-seconde", snt.MainLinks);
        var maths = await SearchView.LoadAsync(client, "/explore/mathematiques");
        Assert.DoesNotContain(maths.MainLinks, l => l.StartsWith("/programmes/", StringComparison.Ordinal));
        Assert.Equal([("CM1 (1)", "/search?discipline=mathematiques&grade=cm1"), ("CM2 (1)", "/search?discipline=mathematiques&grade=cm2"), ("Terminale (1)", "/search?discipline=mathematiques&grade=tle")],
            maths.EntryLinks("by-grade").ToArray());

        var empty = await SearchView.LoadAsync(client, "/explore/philosophie");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Contains("Aucune ressource de cette discipline pour l’instant", empty.Html);
    }

    [Fact]
    public async Task The_owner_of_a_private_resource_sees_it_counted_others_do_not()
    {
        using var bob = await catalogue.SignInAsync("bob");
        using var carol = await catalogue.SignInAsync("carol");
        var bobView = await SearchView.LoadAsync(bob.Http, "/explore/nsi");
        var carolView = await SearchView.LoadAsync(carol.Http, "/explore/nsi");
        Assert.Contains(("Première (2)", "/search?discipline=nsi&grade=1re"), bobView.EntryLinks("by-grade"));
        Assert.Contains(("Première (3)", "/search?discipline=nsi&grade=1re"), carolView.EntryLinks("by-grade"));
        Assert.DoesNotContain("tri-secret", bobView.Html);
        Assert.Contains("/carol/tri-secret", carolView.CardLinks("newest"));
        Assert.Contains(("Numérique et sciences informatiques (5)", "/explore/nsi"), (await SearchView.LoadAsync(carol.Http, "/explore")).EntryLinks("by-discipline"));
        Assert.Contains(("Numérique et sciences informatiques (4)", "/explore/nsi"), (await SearchView.LoadAsync(bob.Http, "/explore")).EntryLinks("by-discipline"));
    }

    [Theory]
    [InlineData("/explore/inconnue")]
    [InlineData("/explore/%3Cscript%3E")]
    [InlineData("/explore/..%2F..%2Fetc")]
    [InlineData("/explore/nsi%00")] // Kestrel itself answers 400 to a NUL in the path
    public async Task Unknown_disciplines_are_not_found(string url)
    {
        using var client = Server.Client();
        Assert.Contains((await client.GetAsync(url)).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest });
    }

    [Fact]
    public async Task A_discipline_in_capitals_redirects_to_its_page()
    {
        using var client = Server.Client();
        var response = await client.GetAsync("/explore/NSI");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/explore/nsi", response.Headers.Location!.OriginalString);
    }
}
