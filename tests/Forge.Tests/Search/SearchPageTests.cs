using System.Net;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>
/// The <c>/search</c> page over a real pushed catalogue (see <see cref="SearchCatalogue"/>): facet counts, filters
/// through the URL, pagination, sort, spelling, permissions, and inputs a browser would never send.
/// </summary>
[Collection(SearchCatalogueCollection.Name)]
public sealed class SearchPageTests(SearchCatalogue catalogue)
{
    private ForgeServer Server => catalogue.Server;

    private async Task<SearchView> AnonymousAsync(string url)
    {
        using var client = Server.Client();
        var view = await SearchView.LoadAsync(client, url);
        Assert.Equal(HttpStatusCode.OK, view.Status);
        return view;
    }

    [Fact]
    public async Task Facet_counts_are_exact_and_values_without_resources_are_not_offered()
    {
        var all = await AnonymousAsync("/search");
        Assert.Equal(SearchCatalogue.PublicResources, all.Total);
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 4, ["snt"] = 1, ["mathematiques"] = 24 }, all.Facets["discipline"]);
        Assert.Equal(new Dictionary<string, int> { ["cm1"] = 1, ["cm2"] = 1, ["2nde"] = 1, ["1re"] = 2, ["tle"] = 3 }, all.Facets["grade"]);
        Assert.Equal(new Dictionary<string, int> { ["3"] = 1, ["lycee"] = 5 }, all.Facets["cycle"]);
        Assert.Equal(new Dictionary<string, int> { ["classe"] = 4, ["maison"] = 3 }, all.Facets["usage"]);
        Assert.Equal(new Dictionary<string, int> { ["autonome"] = 1 }, all.Facets["autonomy"]);
        Assert.Equal(new Dictionary<string, int> { ["lt30"] = 2, ["30-60"] = 3, ["60-120"] = 1, ["gt120"] = 1 }, all.Facets["duration"]);
        Assert.Equal(new Dictionary<string, int> { ["CC-BY-4.0"] = 25, ["CC-BY-SA-4.0"] = 3, ["CC0-1.0"] = 1 }, all.Facets["licence"]);
        // Labels say the value in French and its count; grades come in school order.
        Assert.Equal(new Dictionary<string, int> { ["activite"] = 2, ["exercice"] = 3, ["cours"] = 1, ["tp"] = 1 }, all.Facets["type"]);
        Assert.Equal("Première (2)", all.Label("grade", "1re"));
        Assert.Equal("Numérique et sciences informatiques (4)", all.Label("discipline", "nsi"));
        Assert.Equal(["cm1", "cm2", "2nde", "1re", "tle"], all.Document.QuerySelectorAll("input[name=grade]").Select(i => i.GetAttribute("value")!).ToArray());
        Assert.Null(all.Label("grade", "cp"));   // no resource: not offered
        Assert.Equal(new Dictionary<string, int> { ["oui"] = 2, ["non"] = 1 }, all.Facets["exercises"]);
        Assert.Equal("Avec exercices (2)", all.Label("exercises", "oui"));
        Assert.Equal(new Dictionary<string, int> { ["eleve"] = 2, ["enseignant"] = 1 }, all.Facets["audience"]);
        Assert.Null(all.Label("audience", "formateur"));
        // Programmes: levels and themes are offered, labelled from the official programmes, in their order.
        Assert.Equal(["nsi-1re", "nsi-1re.algorithmique", "nsi-tle", "nsi-tle.algorithmique"],
            all.Document.QuerySelectorAll("input[name=programme]").Select(i => i.GetAttribute("value")!).ToArray());
        Assert.Equal("NSI première (1)", all.Label("programme", "nsi-1re"));
        Assert.Equal("NSI terminale · Algorithmique (1)", all.Label("programme", "nsi-tle.algorithmique"));

        var algo = await AnonymousAsync("/search?q=algorithme");
        Assert.Equal(4, algo.Total);
        Assert.Equal("4 ressources pour « algorithme »", algo.Heading);
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 3, ["snt"] = 1 }, algo.Facets["discipline"]);
        Assert.Equal(new Dictionary<string, int> { ["2nde"] = 1, ["1re"] = 2, ["tle"] = 2 }, algo.Facets["grade"]);
        Assert.Contains("<mark>", algo.Html);
        Assert.Equal(["/alice/graphes", "/alice/tri-fusion", "/alice/tri-insertion", "/bob/reseaux-snt"], algo.Results.Order().ToArray());
    }

    [Fact]
    public async Task Values_of_one_facet_are_ORed_facets_are_ANDed_and_chips_remove_one_value()
    {
        var either = await AnonymousAsync("/search?q=algorithme&grade=1re&grade=2nde");
        Assert.Equal(["/alice/tri-fusion", "/alice/tri-insertion", "/bob/reseaux-snt"], either.Results.Order().ToArray());
        Assert.True(either.IsChecked("grade", "1re") && either.IsChecked("grade", "2nde") && !either.IsChecked("grade", "tle"));
        // A facet's own counts ignore its own selection (so more values can be added); other facets' counts follow it.
        Assert.Equal(new Dictionary<string, int> { ["2nde"] = 1, ["1re"] = 2, ["tle"] = 2 }, either.Facets["grade"]);
        Assert.Equal(new Dictionary<string, int> { ["nsi"] = 2, ["snt"] = 1 }, either.Facets["discipline"]);

        var both = await AnonymousAsync("/search?q=algorithme&grade=1re&grade=2nde&usage=maison");
        Assert.Equal(["/alice/tri-fusion", "/bob/reseaux-snt"], both.Results.Order().ToArray());
        Assert.Equal(2, both.Total);
        Assert.Equal(
            [("Retirer le filtre Niveau : Seconde ×", "/search?q=algorithme&grade=1re&usage=maison")],
            both.Chips.Where(c => c.Text.Contains("Seconde")).ToArray());
        Assert.Contains(("Retirer tous les filtres", "/search?q=algorithme"), both.Chips);

        var afterChip = await AnonymousAsync("/search?q=algorithme&grade=1re&usage=maison");
        Assert.Equal(["/alice/tri-fusion"], afterChip.Results);

        // Nothing matches: the empty state explains and leads to the catalogue.
        var none = await AnonymousAsync("/search?q=algorithme&grade=cm1");
        Assert.Equal(0, none.Total);
        Assert.Contains("Aucune ressource ne correspond à « algorithme » avec ces filtres", none.EmptyState);
        Assert.Contains("/explore", none.MainLinks);
        Assert.Contains("/search?q=algorithme", none.MainLinks);
        Assert.True(none.IsChecked("grade", "cm1")); // a ticked value stays offered so it can be unticked
    }

    [Fact]
    public async Task A_programme_item_from_a_coverage_link_filters_and_is_named_by_its_contents()
    {
        var item = await AnonymousAsync("/search?programme=nsi-1re.algorithmique.tris");
        Assert.Equal(["/alice/tri-insertion"], item.Results);
        Assert.Equal("Tris par insertion, par sélection (1)", item.Label("programme", "nsi-1re.algorithmique.tris"));
        Assert.True(item.IsChecked("programme", "nsi-1re.algorithmique.tris"));
        Assert.Contains(("Retirer le filtre Programme officiel : Tris par insertion, par sélection ×", "/search"), item.Chips);
        var theme = await AnonymousAsync("/search?programme=nsi-1re.algorithmique&exercises=oui");
        Assert.Equal(["/alice/tri-insertion"], theme.Results);
        Assert.Empty((await AnonymousAsync("/search?programme=nsi-1re&exercises=non")).Results);
        Assert.Equal(["/alice/tri-fusion"], (await AnonymousAsync("/search?programme=nsi-tle&audience=enseignant")).Results);
    }

    [Fact]
    public async Task Results_are_paged_twenty_at_a_time_and_granules_link_to_their_folder()
    {
        var first = await AnonymousAsync("/search?q=probabilites");
        Assert.Equal(23, first.Total);
        Assert.Equal(20, first.Results.Count);
        Assert.Equal("Page 1 sur 2", first.Pager);
        Assert.Null(first.Link("prev"));
        Assert.Equal("/search?q=probabilites&page=2", first.Link("next"));
        Assert.Equal("Page suivante, 2 sur 2", first.Document.QuerySelector(".pager a[rel=next]")!.GetAttribute("aria-label"));

        var second = await AnonymousAsync(first.Link("next")!);
        Assert.Equal(3, second.Results.Count);
        Assert.Equal("Page 2 sur 2", second.Pager);
        Assert.Equal("/search?q=probabilites", second.Link("prev"));
        Assert.Equal("21", second.Document.QuerySelector("ol.results")!.GetAttribute("start"));
        var every = first.Results.Concat(second.Results).ToList();
        Assert.Equal(23, every.Distinct().Count());
        Assert.Contains("/alice/probabilites", every);
        Assert.Equal(22, every.Count(l => l.StartsWith("/alice/probabilites/tree/main/ex", StringComparison.Ordinal)));
        Assert.Contains("Exercice de probabilités n° 7", first.Titles.Concat(second.Titles));

        var beyond = await AnonymousAsync("/search?q=probabilites&page=3");
        Assert.Empty(beyond.Results);
        Assert.Contains("Cette page ne contient aucun résultat", beyond.Html);

        // The granule of alice/tri-insertion (the repository, which covers every folder, matches too): its own title and
        // type, the repository's discipline, a link to its folder.
        var granule = await AnonymousAsync("/search?q=corriges&type=exercice");
        Assert.Equal(["/alice/tri-insertion/tree/main/exercices"], granule.Results);
        Assert.Equal(["Exercices de tri par insertion"], granule.Titles);
        Assert.Equal("Numérique et sciences informatiques Exercice", string.Join(" ", granule.Document.QuerySelectorAll("ol.results .tags li").Select(li => li.TextContent)));
        using var client = Server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(granule.Results[0])).StatusCode);
        Assert.Equal(["/alice/tri-insertion", "/alice/tri-insertion/tree/main/exercices"], (await AnonymousAsync("/search?q=corriges")).Results.Order().ToArray());
    }

    [Fact]
    public async Task Sorting_by_recency_puts_the_last_pushed_first_and_the_choice_is_kept()
    {
        var recent = await AnonymousAsync("/search?q=algorithme&sort=recent");
        Assert.Equal(["/alice/tri-fusion", "/bob/reseaux-snt", "/alice/graphes", "/alice/tri-insertion"], recent.Results);
        Assert.Equal("recent", recent.Document.QuerySelector("#sort option[selected]")!.GetAttribute("value"));
        // Links of the page keep the sort.
        var paged = await AnonymousAsync("/search?q=probabilites&sort=recent");
        Assert.Equal("/search?q=probabilites&sort=recent&page=2", paged.Link("next"));

        var stars = await AnonymousAsync("/search?q=algorithme&sort=etoiles");
        Assert.Equal(4, stars.Total);
        Assert.Equal("etoiles", stars.Document.QuerySelector("#sort option[selected]")!.GetAttribute("value"));
        Assert.Contains("0 étoile", stars.Document.QuerySelector("ol.results")!.TextContent);

        // Without words, the newest come first; with words, relevance.
        var browse = await AnonymousAsync("/search");
        Assert.Equal("recent", browse.Document.QuerySelector("#sort option[selected]")!.GetAttribute("value"));
        Assert.StartsWith("/alice/probabilites", browse.Results[0]);
        Assert.Equal("pertinence", (await AnonymousAsync("/search?q=tri")).Document.QuerySelector("#sort option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_misspelt_word_finds_the_resources_and_says_what_was_searched()
    {
        var typo = await AnonymousAsync("/search?q=algoritme");
        Assert.Equal(4, typo.Total);
        Assert.Contains("Résultats pour « algorithme »", typo.SpellingNote);
        Assert.Null((await AnonymousAsync("/search?q=algorithme")).SpellingNote);
    }

    [Fact]
    public async Task A_private_resource_of_another_user_never_appears_nor_counts_while_its_owner_sees_and_counts_it()
    {
        using var bob = await catalogue.SignInAsync("bob");
        using var carol = await catalogue.SignInAsync("carol");
        foreach (var url in new[] { "/search", "/search?q=algorithme", "/search?q=tri&grade=1re", "/search?licence=CC-BY-SA-4.0&duration=30-60" })
        {
            var anonymous = await AnonymousAsync(url);
            var other = await SearchView.LoadAsync(bob.Http, url);
            var owner = await SearchView.LoadAsync(carol.Http, url);
            Assert.DoesNotContain("tri-secret", anonymous.Html);
            Assert.DoesNotContain("tri-secret", other.Html);
            if (owner.Total <= 20) Assert.Contains("/carol/tri-secret", owner.Results);
            Assert.Equal(anonymous.Total, other.Total);
            Assert.Equal(anonymous.Total + 1, owner.Total);
            Assert.Equal(Flatten(anonymous), Flatten(other));

            // The owner's counts are the others' plus exactly the private resource's own values.
            var expected = Flatten(anonymous);
            foreach (var key in new[] { "discipline=nsi", "grade=1re", "cycle=lycee", "usage=classe", "type=activite", "licence=CC-BY-SA-4.0",
                         "duration=30-60", "exercises=oui", "audience=eleve", "programme=nsi-1re", "programme=nsi-1re.algorithmique" })
                expected[key] = expected.GetValueOrDefault(key) + 1;
            Assert.Equal(expected, Flatten(owner));
        }

        foreach (var client in new[] { Server.Client(), bob.Http })
        {
            var secret = await SearchView.LoadAsync(client, "/search?q=zoulou");
            Assert.Equal(0, secret.Total);
            Assert.DoesNotContain("tri-secret", secret.Html);
            // The spelling help never suggests a word only a private resource contains.
            var typo = await SearchView.LoadAsync(client, "/search?q=zoulo");
            Assert.Equal(0, typo.Total);
            Assert.DoesNotContain("zoulou", typo.SpellingNote ?? "");
        }
        Assert.Equal(["/carol/tri-secret"], (await SearchView.LoadAsync(carol.Http, "/search?q=zoulou")).Results);
        Assert.Contains("« zoulou »", (await SearchView.LoadAsync(carol.Http, "/search?q=zoulo")).SpellingNote);
    }

    private static Dictionary<string, int> Flatten(SearchView view) =>
        view.Facets.SelectMany(f => f.Value.Select(v => ($"{f.Key}={v.Key}", v.Value))).ToDictionary(p => p.Item1, p => p.Item2);

    [Theory]
    [InlineData("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")]
    [InlineData("/search?q=*%3A*&grade=%3Cscript%3E&discipline=%22%3E%3Cb%3E")]
    [InlineData("/search?q=title%3A(%5B&sort=DROP%20TABLE&page=-5")]
    [InlineData("/search?page=99999999999999999999999&sort=&q=")]
    [InlineData("/search?page=abc&grade=&grade=%20&usage=classe&usage=classe")]
    [InlineData("/search?q=%00%01%7F%E2%80%AE&programme=..%2F..%2Fetc&licence=%3Cb%3E")]
    [InlineData("/search?q=%ED%A0%80%F0%9F%98%80&discipline[]=nsi&grade.x=1")]
    [InlineData("/search?q=tri&page=2147483648&duration=lt30&exercises=peut-etre&audience=eleve")]
    public async Task Odd_and_hostile_inputs_give_a_normal_page(string url)
    {
        var view = await AnonymousAsync(url);
        Assert.Matches(@"^\d+ ressources?", view.Heading);
        Assert.DoesNotContain("<script>alert", view.Html);
        Assert.DoesNotContain("<img src=x", view.Html);
        Assert.DoesNotContain("<b>", view.Html);
        Assert.DoesNotContain("tri-secret", view.Html);
        // Unknown values never become filters.
        Assert.All(view.Chips, c => Assert.DoesNotContain("script", c.Text));
    }

    [Fact]
    public async Task Markup_in_a_resource_is_shown_as_text_in_results_and_extracts()
    {
        var view = await AnonymousAsync("/search?q=gateaux");
        Assert.Equal(["/bob/fractions"], view.Results);
        Assert.DoesNotContain("<img src=x", view.Html);
        Assert.DoesNotContain("<script>alert(2)", view.Html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", view.Html);
        Assert.Empty(view.Document.QuerySelectorAll("main img, main script"));
        Assert.Contains("<mark>", view.Html);
    }

    [Fact]
    public async Task Unknown_values_are_ignored_a_long_text_is_cut_and_many_values_are_bounded()
    {
        var mixed = await AnonymousAsync("/search?grade=cinquantieme&grade=1re&usage=partout&cycle=9");
        Assert.Equal(2, mixed.Total);
        Assert.Equal(["Retirer le filtre Niveau : Première ×", "Retirer tous les filtres"], mixed.Chips.Select(c => c.Text).ToArray());

        var longText = new string('a', 5000);
        var cut = await AnonymousAsync("/search?q=" + longText);
        Assert.Equal(200, cut.Document.GetElementById("q")!.GetAttribute("value")!.Length);

        var many = await AnonymousAsync("/search?" + string.Join('&', Enumerable.Repeat("grade=1re", 400)) + "&" + string.Join('&', Enumerable.Range(0, 100).Select(i => $"licence=L-{i}")));
        Assert.Equal(0, many.Total); // 1re AND a licence nobody uses
        Assert.Equal(1 + 20 + 1, many.Chips.Count); // one grade, at most 20 licences, « retirer tous »
    }

    [Fact]
    public async Task The_page_works_without_javascript_as_one_GET_form()
    {
        var view = await AnonymousAsync("/search?q=tri&grade=1re");
        var form = view.Document.GetElementById("search-form")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/search", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector("button[type=submit]:not(.primary):not(.small)")); // « Appliquer les filtres »
        Assert.Contains("Appliquer les filtres", form.TextContent);
        Assert.All(form.QuerySelectorAll("fieldset.facet"), f => Assert.NotNull(f.QuerySelector("legend")));
        Assert.All(form.QuerySelectorAll("input[type=checkbox]"), i => Assert.NotNull(view.Document.QuerySelector($"label[for='{i.Id}']")));
        Assert.Equal("tri", form.QuerySelector("#q")!.GetAttribute("value"));
        // One search box on this page: the header's is not repeated.
        Assert.Null(view.Document.GetElementById("site-q"));
        Assert.Equal("page", view.Document.QuerySelector("nav.tabs a[href='/search?q=tri']")!.GetAttribute("aria-current"));
        Assert.NotNull(view.Document.QuerySelector("nav.tabs a[href='/search/code?q=tri']"));
        Assert.StartsWith("« tri » : ", view.Document.Title);
    }

    [Fact]
    public async Task Each_result_shows_its_licence_verdict_as_on_the_repository()
    {
        using var client = Server.Client();
        // The licence check follows the push in the background.
        await Wait.UntilAsync(async () => (await SearchView.LoadAsync(client, "/search?q=fusion")).Document
            .QuerySelector("ol.results > li a.licence-badge[href='/alice/tri-fusion/licences']") is not null, "verdict shown in results");
        var view = await AnonymousAsync("/search?q=fusion");
        var badge = view.Document.QuerySelector("ol.results > li a.licence-badge[href='/alice/tri-fusion/licences']")!;
        var repository = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync("/alice/tri-fusion"));
        var onRepository = repository.QuerySelector("header.repo-header a.licence-badge")!;
        Assert.Equal(onRepository.ClassName, badge.ClassName);
        Assert.Equal(onRepository.TextContent.Trim(), badge.TextContent.Trim());
    }
}
