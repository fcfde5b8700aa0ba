using System.Net;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

/// <summary><c>/search/code</c> over the shared catalogue (see <see cref="SearchCatalogue"/>).</summary>
[Collection(SearchCatalogueCollection.Name)]
public sealed class CodeSearchPageTests(SearchCatalogue catalogue)
{
    private ForgeServer Server => catalogue.Server;

    private static IReadOnlyList<string> Files(SearchView view) =>
        view.Document.QuerySelectorAll("ol.results > li h3 a").Select(a => a.GetAttribute("href")!).ToList();

    /// <summary>Line number → text of the matching lines shown under the first hit.</summary>
    private static Dictionary<string, string> Lines(SearchView view) =>
        view.Document.QuerySelectorAll("ol.results > li:first-child pre.code-lines code > span")
            .ToDictionary(s => s.QuerySelector("a")!.TextContent, s => s.TextContent[s.QuerySelector("a")!.TextContent.Length..].Trim());

    [Fact]
    public async Task An_identifier_finds_the_file_with_its_path_and_numbered_matching_lines()
    {
        using var client = Server.Client();
        var view = await SearchView.LoadAsync(client, "/search/code?q=" + Uri.EscapeDataString("def tri_fusion"));
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Equal("1 fichier pour « def tri_fusion »", view.Heading);
        Assert.Equal(["/alice/tri-fusion/blob/main/fusion.py#L1"], Files(view));
        Assert.Equal("fusion.py", view.Document.QuerySelector("ol.results h3 a")!.TextContent);
        Assert.Contains("alice/tri-fusion", view.Document.QuerySelector("ol.results .meta")!.TextContent);
        Assert.Contains("Python", view.Document.QuerySelector("ol.results .meta")!.TextContent);
        var lines = Lines(view);
        Assert.Equal("def tri_fusion(t):", lines["1"]);
        Assert.Equal("return fusionner(tri_fusion(t[:milieu]), tri_fusion(t[milieu:]))", lines["5"]);
        Assert.NotNull(view.Document.QuerySelector("ol.results a[href='/alice/tri-fusion/blob/main/fusion.py#L5'][aria-label='Ligne 5']"));
        Assert.Contains("<mark>tri_fusion</mark>", view.Html);
        // The line anchor exists on the file page.
        Assert.Contains("id=\"L5\"", await client.GetStringAsync("/alice/tri-fusion/blob/main/fusion.py"));
        Assert.Equal("page", view.Document.QuerySelector("nav.tabs a[href^='/search/code']")!.GetAttribute("aria-current"));

        // A Markdown file links to its source view, where lines have anchors.
        var prose = await SearchView.LoadAsync(client, "/search/code?q=Dijkstra&language=markdown");
        Assert.Equal(["/alice/graphes/blob/main/README.md?plain=true#L3"], Files(prose));
        Assert.Contains("id=\"L3\"", await client.GetStringAsync("/alice/graphes/blob/main/README.md?plain=true"));
    }

    [Fact]
    public async Task Owner_repository_language_and_folder_limit_the_search()
    {
        using var client = Server.Client();
        async Task<IReadOnlyList<string>> FilesAsync(string query) => Files(await SearchView.LoadAsync(client, "/search/code?" + query));
        Assert.Equal(["/alice/tri-fusion/blob/main/fusion.py#L1"], await FilesAsync("q=tri_fusion&language=python"));
        Assert.Equal(["/alice/tri-fusion/blob/main/README.md?plain=true#L1"], await FilesAsync("q=tri_fusion&language=markdown")); // « Tri fusion »
        const string file = "/alice/tri-fusion/blob/main/fusion.py#L1";
        Assert.Contains(file, await FilesAsync("q=tri_fusion&owner=alice"));
        Assert.Empty(await FilesAsync("q=tri_fusion&owner=bob"));
        Assert.Contains(file, await FilesAsync("q=tri_fusion&repo=alice/tri-fusion"));
        Assert.Contains(file, await FilesAsync("q=tri_fusion&repo=tri-fusion&owner=alice"));
        Assert.All(await FilesAsync("q=tri_fusion&repo=alice/tri-fusion"), f => Assert.StartsWith("/alice/tri-fusion/", f));
        Assert.Empty(await FilesAsync("q=tri_fusion&repo=alice/graphes"));
        Assert.Empty(await FilesAsync("q=tri_fusion&path=chapitres"));
        var filtered = await SearchView.LoadAsync(client, "/search/code?q=tri_fusion&owner=bob");
        Assert.Contains("Aucun fichier ne contient « tri_fusion » avec ces limites", filtered.EmptyState);
        Assert.Contains("/search/code?q=tri_fusion", filtered.MainLinks);
        Assert.NotNull(filtered.Document.QuerySelector("details.code-filters[open]"));
    }

    [Fact]
    public async Task Private_files_are_found_by_their_owner_only_and_a_private_repository_filter_looks_like_a_missing_one()
    {
        using var bob = await catalogue.SignInAsync("bob");
        using var carol = await catalogue.SignInAsync("carol");
        foreach (var client in new[] { Server.Client(), bob.Http })
        {
            var view = await SearchView.LoadAsync(client, "/search/code?q=zoulou");
            Assert.Equal("0 fichier pour « zoulou »", view.Heading);
            Assert.DoesNotContain("tri-secret", view.Html);
            var secret = await SearchView.LoadAsync(client, "/search/code?q=algorithme&repo=carol/tri-secret");
            var missing = await SearchView.LoadAsync(client, "/search/code?q=algorithme&repo=carol/n-existe-pas");
            Assert.Equal(
                missing.Document.QuerySelector(".notice")!.TextContent.Replace("n-existe-pas", "X"),
                secret.Document.QuerySelector(".notice")!.TextContent.Replace("tri-secret", "X"));
            Assert.Empty(Files(secret));
        }
        var own = await SearchView.LoadAsync(carol.Http, "/search/code?q=zoulou");
        Assert.Equal(["/carol/tri-secret/blob/main/README.md?plain=true#L3"], Files(own));
        Assert.Single(Files(await SearchView.LoadAsync(carol.Http, "/search/code?q=zoulou&repo=carol/tri-secret")));
    }

    [Theory]
    [InlineData("/search/code")]
    [InlineData("/search/code?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&language=%3Cb%3E")]
    [InlineData("/search/code?q=tri&page=-3&repo=%2F%2F%2F&owner=%00&path=..%2F..")]
    [InlineData("/search/code?q=tri&repo=a%2Fb%2Fc%2Fd&page=999999999999")]
    [InlineData("/search/code?q=*%3A*%20OR%20title%3A(&path=%5B")]
    public async Task Odd_inputs_give_a_normal_page(string url)
    {
        using var client = Server.Client();
        var view = await SearchView.LoadAsync(client, url);
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.DoesNotContain("<script>alert", view.Html);
        Assert.DoesNotContain("<b>", view.Html);
        Assert.DoesNotContain("tri-secret", view.Html);
        Assert.NotNull(view.Document.GetElementById("q"));
    }
}
