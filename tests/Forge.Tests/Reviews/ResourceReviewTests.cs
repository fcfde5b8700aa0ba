using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Search;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Reviews;

/// <summary>
/// Teachers who reused a resource review it (rating, opinion, what it was used for); its authors answer; the average
/// shows on the resource and sorts search results. Through the web form and the API, with the ugly paths.
/// </summary>
public sealed class ResourceReviewTests : IAsyncLifetime
{
    private const string Password = "motdepasse-solide";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _alice = null!, _bob = null!, _carol = null!, _dan = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        (_, _alice) = await _server.CreateUserAsync("alice", Password);
        (_, _bob) = await _server.CreateUserAsync("bob", Password);
        (_, _carol) = await _server.CreateUserAsync("carol", Password);
        (_, _dan) = await _server.CreateUserAsync("dan", Password);
        var git = new GitClient(_tmp.Sub("home"));
        // « algorithme » matches tri better than graphes (said three times in a short text, against once in a longer one):
        // only the rating sort can put graphes first.
        foreach (var (name, title, text, isPrivate) in new[]
                 {
                     ("tri", "Tri par sélection", "Un algorithme de tri : l’algorithme du minimum, un algorithme simple.", false),
                     ("graphes", "Parcours de graphes", "Un algorithme parmi d’autres notions : sommets, arêtes, voisins, file, pile, largeur, profondeur, marquage, chemins et cycles.", false),
                     ("secret", "Brouillon", "Un algorithme.", true),
                 })
        {
            await _server.CreateRepositoryAsync(_alice, name, isPrivate);
            var work = new TestRepo(_tmp.Sub("work-" + name));
            work.Write("resource.yml", $"title: {title}\ndisciplines: [nsi]\ngrades: [1re]\n").Write("README.md", $"# {title}\n\n{text}\n").Commit("Première version");
            await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
        }
        // dan writes to alice/tri: an author, who answers reviews rather than writing one.
        using var alice = _server.Client(_alice);
        Assert.True((await alice.PutAsJsonAsync("/api/v1/repos/alice/tri/collaborators/dan", new { permission = "write" })).IsSuccessStatusCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<WebSession> SignInAsync(string user)
    {
        var session = new WebSession(_server);
        await session.SignInAsync(user, Password);
        return session;
    }

    private static AngleSharp.Dom.IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static Dictionary<string, string> Review(string rating, string opinion, string usedFor = "") =>
        new() { ["Rating"] = rating, ["Opinion"] = opinion, ["UsedFor"] = usedFor };

    [Fact]
    public async Task A_teacher_reviews_the_authors_answer_and_the_average_follows()
    {
        using var bob = await SignInAsync("bob");
        // Nothing chosen, nothing written: said field by field, in French, and nothing saved.
        var bad = await bob.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("", "   "));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badPage = Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("Choisissez une note de 1 à 5.", badPage.GetElementById("Rating-error")!.TextContent.Trim());
        Assert.Equal("Écrivez votre avis en quelques mots.", badPage.GetElementById("Opinion-error")!.TextContent.Trim());
        Assert.Contains("Opinion-error", badPage.GetElementById("Opinion")!.GetAttribute("aria-describedby"));
        var tooLong = await bob.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("4", new string('a', 2001), "en 1re"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var kept = Parse(await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(2001, kept.GetElementById("Opinion")!.TextContent.Length); // the text is given back, not lost
        Assert.Equal("en 1re", kept.GetElementById("UsedFor")!.GetAttribute("value"));
        Assert.Contains("Personne n’a encore donné son avis", await bob.GetAsync("/alice/tri/reviews"));

        var ok = await bob.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("4", "Très clair.\nLes élèves ont aimé les cartes.", "en 1re NSI, deux séances"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        using var carol = await SignInAsync("carol");
        await carol.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("5", "Parfait <script>alert(1)</script>"));

        using var anonymous = _server.Client();
        var page = Parse(await (await anonymous.GetAsync("/alice/tri/reviews")).Content.ReadAsStringAsync());
        Assert.Contains("Note moyenne : 4,5 / 5 (2 avis)", page.QuerySelector(".review-summary")!.TextContent.Replace('\n', ' ').Split("  ", StringSplitOptions.RemoveEmptyEntries).Aggregate((a, b) => a + " " + b.Trim()).Trim());
        Assert.Equal(2, page.QuerySelectorAll("ol.reviews > li").Length);
        Assert.Contains("Parfait <script>alert(1)</script>", page.QuerySelectorAll(".review-text").Select(p => p.TextContent)); // shown as text
        Assert.Empty(page.QuerySelectorAll("ol.reviews script"));
        Assert.Contains("Connectez-vous pour donner votre avis.", page.DocumentElement.TextContent);
        Assert.Null(page.QuerySelector("form.review-form"));
        Assert.Contains("Avis (4,5 / 5)", Parse(await (await anonymous.GetAsync("/alice/tri")).Content.ReadAsStringAsync()).QuerySelector("nav.tabs")!.TextContent);

        // Bob changes his mind: still one review from him.
        await bob.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("2", "Finalement trop long pour une heure."));
        page = Parse(await bob.GetAsync("/alice/tri/reviews"));
        Assert.Equal(2, page.QuerySelectorAll("ol.reviews > li").Length);
        Assert.Contains("3,5 / 5", page.QuerySelector(".review-summary")!.TextContent);
        Assert.Equal("Finalement trop long pour une heure.", page.GetElementById("Opinion")!.TextContent);

        // The authors (a writer here) do not rate; they answer.
        using var dan = await SignInAsync("dan");
        var danPage = await dan.GetAsync("/alice/tri/reviews");
        Assert.Contains("Les auteurs d’une ressource ne la notent pas", danPage);
        var refused = await dan.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("5", "Ma propre ressource est géniale."));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var bobsReview = Parse(danPage).QuerySelectorAll("ol.reviews > li").First(li => li.TextContent.Contains("bob")).Id!["review-".Length..];
        var answered = await dan.PostFormAsync("/alice/tri/reviews", $"/alice/tri/reviews?handler=Answer&id={bobsReview}",
            new Dictionary<string, string> { ["Answer"] = "Merci ! Une version en deux parties est dans le dossier « court »." });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Contains("Une version en deux parties", (await anonymous.GetStringAsync("/alice/tri/reviews")));
        // A reviewer cannot answer (nor delete someone else's review).
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.PostFormAsync("/alice/tri/reviews", $"/alice/tri/reviews?handler=Answer&id={bobsReview}",
            new Dictionary<string, string> { ["Answer"] = "Je réponds à la place des auteurs." })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carol.PostFormAsync("/alice/tri/reviews", $"/alice/tri/reviews?handler=Delete&id={bobsReview}", new Dictionary<string, string>())).StatusCode);
        Assert.DoesNotContain("Je réponds à la place", await anonymous.GetStringAsync("/alice/tri/reviews"));

        // Bob deletes his review: the average is carol's alone.
        Assert.Equal(HttpStatusCode.Redirect, (await bob.PostFormAsync("/alice/tri/reviews", $"/alice/tri/reviews?handler=Delete&id={bobsReview}", new Dictionary<string, string>())).StatusCode);
        Assert.Contains("5,0 / 5 (1 avis)", Parse(await anonymous.GetStringAsync("/alice/tri/reviews")).QuerySelector(".review-summary")!.TextContent);
    }

    [Fact]
    public async Task The_api_reads_and_writes_reviews_with_the_same_rules()
    {
        using var bob = _server.Client(_bob);
        using var dan = _server.Client(_dan);
        using var anonymous = _server.Client();
        var created = await bob.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "Excellent.", used_for = "en terminale" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var replaced = await bob.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 4, opinion = "Très bien." });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var list = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/graphes/resource/reviews")).RootElement;
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        Assert.Equal(4.0, list.GetProperty("average").GetDouble());
        var review = list.GetProperty("reviews")[0];
        Assert.Equal("bob", review.GetProperty("user").GetProperty("login").GetString());
        Assert.Equal("Très bien.", review.GetProperty("opinion").GetString());
        Assert.Equal(JsonValueKind.Null, review.GetProperty("used_for").ValueKind);

        var invalid = await bob.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 9, opinion = "", used_for = new string('x', 301) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["opinion", "rating", "used_for"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "x" })).StatusCode);
        using var alice = _server.Client(_alice);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "x" })).StatusCode);

        // The answer: writers only.
        var id = review.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutAsJsonAsync($"/api/v1/repos/alice/graphes/resource/reviews/{id}/answer", new { answer = "moi" })).StatusCode);
        var answer = await alice.PutAsJsonAsync($"/api/v1/repos/alice/graphes/resource/reviews/{id}/answer", new { answer = "Merci Bob." });
        Assert.Equal("Merci Bob.", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("answer").GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PutAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews/999999/answer", new { answer = "?" })).StatusCode);

        // A private resource's reviews do not exist for those who cannot read it.
        foreach (var client in new[] { anonymous, bob })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/secret/resource/reviews")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alice/secret/reviews")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync("/api/v1/repos/alice/secret/resource/reviews", new { rating = 5, opinion = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dan.DeleteAsync($"/api/v1/repos/alice/graphes/resource/reviews/{id}")).StatusCode); // not his
        Assert.Equal(HttpStatusCode.NoContent, (await bob.DeleteAsync($"/api/v1/repos/alice/graphes/resource/reviews/{id}")).StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/graphes/resource/reviews")).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Search_sorts_by_rating_and_shows_it()
    {
        using var bob = _server.Client(_bob);
        using var carol = _server.Client(_carol);
        await bob.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "Excellent." });
        await carol.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 4, opinion = "Bien." });
        await bob.PostAsJsonAsync("/api/v1/repos/alice/tri/resource/reviews", new { rating = 3, opinion = "Correct." });
        using var anonymous = _server.Client();
        SearchView view = null!;
        await Wait.UntilAsync(async () =>
        {
            view = await SearchView.LoadAsync(anonymous, "/search?q=algorithme&sort=note");
            // Each repository's ratings reach the index by its own job: wait for both.
            return view.Titles.SequenceEqual(["Parcours de graphes", "Tri par sélection"]) && view.Html.Contains("4,5 / 5 (2 avis)")
                && view.Html.Contains("3,0 / 5 (1 avis)");
        }, "reviews reach the index", 90);
        // By relevance alone, the order is the other one: the rating is what put graphes first.
        Assert.Equal(["Tri par sélection", "Parcours de graphes"], (await SearchView.LoadAsync(anonymous, "/search?q=algorithme")).Titles);
        // The API takes the same orders.
        string[] Names(JsonElement hits) => hits.EnumerateArray().Select(h => h.GetProperty("repository").GetProperty("name").GetString()!).ToArray();
        var api = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/search?q=algorithme&sort=rating")).RootElement;
        Assert.Equal(["graphes", "tri"], Names(api.GetProperty("hits")));
        var first = api.GetProperty("hits")[0];
        Assert.Equal(4.5, first.GetProperty("rating").GetDouble());
        Assert.Equal(2, first.GetProperty("reviews_count").GetInt32());
        Assert.Equal(["tri", "graphes"], Names(JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/search?q=algorithme")).RootElement.GetProperty("hits")));
    }

    [Fact]
    public async Task Students_may_not_review_resources_teachers_and_administrators_may()
    {
        var (_, sami) = await _server.CreateUserAsync("sami", Password);
        var (_, root) = await _server.CreateUserAsync("root", Password, admin: true);
        using (var scope = _server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ForgeDbContext>().Users.Where(u => u.UserName == "sami")
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, InstanceRole.Student));
        const string refusal = "Les avis sur les ressources sont donnés par les enseignants : un compte élève ne peut pas en publier.";

        // On the page: the reason instead of the form, and a forged post is refused.
        using var web = await SignInAsync("sami");
        var page = Parse(await web.GetAsync("/alice/graphes/reviews"));
        Assert.Contains(refusal, page.DocumentElement.TextContent);
        Assert.Null(page.QuerySelector("form.review-form"));
        Assert.Equal(HttpStatusCode.Forbidden, (await web.PostFormAsync("/alice/tri/reviews", "/alice/tri/reviews", Review("5", "Super !"))).StatusCode);
        // Through the API: 403 with the same reason.
        using var samiApi = _server.Client(sami);
        var refused = await samiApi.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "Super !" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(refusal, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());

        // An administrator and a teacher may.
        using var rootApi = _server.Client(root);
        Assert.Equal(HttpStatusCode.Created, (await rootApi.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 4, opinion = "Utile." })).StatusCode);
        using var carol = _server.Client(_carol);
        Assert.Equal(HttpStatusCode.Created, (await carol.PostAsJsonAsync("/api/v1/repos/alice/graphes/resource/reviews", new { rating = 5, opinion = "Parfait." })).StatusCode);
        using var anonymous = _server.Client();
        var list = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/graphes/resource/reviews")).RootElement;
        Assert.Equal(["carol", "root"], list.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("user").GetProperty("login").GetString()!).Order());
    }
}
