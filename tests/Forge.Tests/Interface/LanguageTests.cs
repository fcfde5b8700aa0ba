using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Forge.Tests.Support;
using Forge.Web.Rendering;
using Xunit;

namespace Forge.Tests.Interface;

/// <summary>French by default, English on request (cookie set by the language switch, else the browser's languages).</summary>
public sealed partial class LanguageTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string? acceptLanguage = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        if (cookie is not null) request.Headers.TryAddWithoutValidation("Cookie", cookie);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Pages_are_French_by_default_and_English_when_the_browser_asks_for_it()
    {
        using var anonymous = _server.Client();
        var french = await GetAsync(anonymous, "/");
        Assert.Contains("<html lang=\"fr\">", french);
        Assert.Contains("Aller au contenu", french);
        Assert.Contains("Derniers dépôts publics", french);
        Assert.Contains(">Se connecter<", french);

        var english = await GetAsync(anonymous, "/", acceptLanguage: "en-GB,en;q=0.8");
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Skip to content", english);
        Assert.Contains("Latest public repositories", english);
        Assert.Contains(">Sign in<", english);
        Assert.DoesNotContain("Se connecter", english);

        // A language Forge does not speak falls back to French; French preferred over English stays French.
        Assert.Contains("<html lang=\"fr\">", await GetAsync(anonymous, "/", acceptLanguage: "de-DE"));
        Assert.Contains("<html lang=\"fr\">", await GetAsync(anonymous, "/", acceptLanguage: "fr-BE,en;q=0.5"));
        // The API keeps speaking French whatever the browser asks.
        var refused = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/repos/personne/rien") { Headers = { { "Accept-Language", "en" } } });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task The_language_switch_sets_a_cookie_that_wins_over_the_browser_and_returns_to_the_page()
    {
        using var web = new WebSession(_server);
        var form = await web.GetAsync("/user/language?culture=en&returnUrl=%2Fexplore");
        Assert.Contains("value=\"/explore\"", form);
        Assert.Matches("value=\"en\"[^>]*checked", form);

        var switched = await web.PostFormAsync("/user/language", "/user/language",
            new Dictionary<string, string> { ["Culture"] = "en", ["ReturnUrl"] = "/explore" });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/explore", switched.Headers.Location!.OriginalString);
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("forge_culture=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var home = await web.GetAsync("/");
        Assert.Contains("<html lang=\"en\">", home);
        Assert.Contains("Skip to content", home);
        // The footer now offers French, in French.
        Assert.Contains("lang=\"fr\" hreflang=\"fr\">Français</a>", home);

        // Back to French: the cookie wins over a browser asking for English.
        await web.PostFormAsync("/user/language", "/user/language", new Dictionary<string, string> { ["Culture"] = "fr-FR", ["ReturnUrl"] = "/" });
        web.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");
        var french = await web.GetAsync("/");
        Assert.Contains("<html lang=\"fr\">", french);
        Assert.Contains("Aller au contenu", french);
    }

    /// <summary>A new account signed in with a browser that asks for English.</summary>
    private async Task<WebSession> EnglishSessionAsync(string name, bool admin = false)
    {
        var (_, token) = await _server.CreateUserAsync(name, "motdepasse-solide", admin);
        await _server.CreateRepositoryAsync(token, "cours-de-" + name);
        var web = new WebSession(_server);
        await web.SignInAsync(name, "motdepasse-solide");
        web.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");
        return web;
    }

    [Fact]
    public async Task Form_errors_and_pages_that_were_french_only_speak_english_when_asked()
    {
        using var web = await EnglishSessionAsync("bob");

        var form = await web.GetAsync("/repo/create");
        Assert.Contains("<h1>New repository</h1>", form);
        Assert.Contains("Create the repository", form);
        Assert.DoesNotContain("Créer le dépôt", form);
        // A service's French error, shown on an English page, is put in English (the API keeps French).
        var similar = await web.PostFormAsync("/repo/create", "/repo/create?handler=Similar", new Dictionary<string, string> { ["Input.Name"] = "", ["Input.Visibility"] = "public" });
        var html = await similar.Content.ReadAsStringAsync();
        Assert.Contains("First type a name or a description: similar resources are looked for from them.", html);
        Assert.Contains("There is an error:", html);
        Assert.DoesNotContain("Tapez d’abord un nom", html);

        Assert.Contains("New group", await web.GetAsync("/groups/new"));
        Assert.Contains("Official curricula", await web.GetAsync("/programmes"));
        // The controlled vocabularies of resource.yml (subjects, grades) are labelled in English too.
        Assert.Contains(">Computer science (NSI)</option>", form);
        Assert.Contains(">Terminale (age 17)</option>", form);
        // Signing in elsewhere with Forge: the device page, its error with the code the user typed, linked accounts.
        var device = await web.GetAsync("/connect/device");
        Assert.Contains("<h1>Connect a device</h1>", device);
        Assert.Contains("The code “ABCD-EFGH” is not valid or has expired.", await web.GetAsync("/connect/device?user_code=ABCD-EFGH"));
        Assert.Contains("No provider is linked to this account.", await web.GetAsync("/user/settings/linked"));
        // The header of every repository page.
        var home = await web.GetAsync("/bob/cours-de-bob");
        Assert.Contains("☆ Star</button>", home);
        Assert.DoesNotContain("Mettre une étoile", home);
    }

    [Fact]
    public async Task Administration_pages_speak_english_when_asked()
    {
        using var web = await EnglishSessionAsync("root", admin: true);
        var applications = await web.GetAsync("/admin/applications");
        Assert.Contains("<h1>OpenID Connect applications</h1>", applications);
        Assert.Contains("know your e-mail address", applications);
        Assert.DoesNotContain("Enregistrer l’application", applications);
        Assert.Contains("No provider is configured", await web.GetAsync("/admin/federation"));
        var users = await web.GetAsync("/admin/users");
        Assert.Contains("Registration and e-mail", users);
        Assert.Contains(">administrator</option>", users);
        var unknown = await web.PostFormAsync("/admin/users", "/admin/users?handler=Role", new Dictionary<string, string> { ["name"] = "personne", ["role"] = "teacher" });
        Assert.Contains("User “personne” not found.", await unknown.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task The_language_switch_never_redirects_to_another_site(string hostile)
    {
        using var web = new WebSession(_server);
        var switched = await web.PostFormAsync("/user/language", "/user/language",
            new Dictionary<string, string> { ["Culture"] = "en", ["ReturnUrl"] = hostile });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/", switched.Headers.Location!.OriginalString);
        // The form shown with that address does not carry it either, nor its link back.
        var form = await web.GetAsync("/user/language?returnUrl=" + Uri.EscapeDataString(hostile));
        Assert.Contains("name=\"ReturnUrl\" value=\"/\"", form);
        Assert.Contains("<a href=\"/\">", form);
    }

    [Fact]
    public async Task The_language_switch_refuses_a_post_without_anti_forgery_token_and_an_unknown_language()
    {
        using var plain = _server.Client(cookies: true);
        var forged = await plain.PostAsync("/user/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["Culture"] = "en", ["ReturnUrl"] = "/" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("forge_culture", StringComparison.Ordinal)));

        using var web = new WebSession(_server);
        var unknown = await web.PostFormAsync("/user/language", "/user/language", new Dictionary<string, string> { ["Culture"] = "xx-evil", ["ReturnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.DoesNotContain(unknown.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("forge_culture", StringComparison.Ordinal));
        Assert.Contains("<html lang=\"fr\">", await web.GetAsync("/"));
    }

    [Fact]
    public async Task Cached_public_pages_are_kept_per_language()
    {
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "cours");
        var git = new GitClient(_tmp.Sub("home"));
        var repo = new TestRepo(_tmp.Sub("work"));
        repo.Write("README.md", "# Cours\n").Write("tp/exercice.py", "print(1)\n").Commit("un");
        await git.MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        using var anonymous = _server.Client();
        const string english = "forge_culture=c%3Den%7Cuic%3Den";

        // Alternate the two visitors so that each second visit is served from the page cache.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            foreach (var path in new[] { "/alice/cours", "/alice/cours/tree/main/tp" })
            {
                var fr = await GetAsync(anonymous, path);
                Assert.Contains("<html lang=\"fr\">", fr);
                // Relative dates too (the test repository's commits are dated September 2025).
                Assert.Matches(@">il y a \d+ (an|ans|mois)</time>", fr);
                Assert.DoesNotContain(" ago</time>", fr);
                var en = await GetAsync(anonymous, path, cookie: english);
                Assert.Contains("<html lang=\"en\">", en);
                Assert.Matches(@">\d+ (years?|months?) ago</time>", en);
                Assert.DoesNotContain("il y a ", en);
                Assert.Contains("Skip to content", en);
                var byBrowser = await GetAsync(anonymous, path, acceptLanguage: "en");
                Assert.Contains("<html lang=\"en\">", byBrowser);
            }
        }

        // Conditional GET: the French page's tag does not answer 304 to an English visitor.
        var first = await anonymous.GetAsync("/alice/cours");
        var etag = first.Headers.ETag!.ToString();
        Assert.Contains("Accept-Language", string.Join(",", first.Headers.Vary));
        var request = new HttpRequestMessage(HttpMethod.Get, "/alice/cours");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        request.Headers.TryAddWithoutValidation("Cookie", english);
        var other = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains("Skip to content", await other.Content.ReadAsStringAsync());
        var same = new HttpRequestMessage(HttpMethod.Get, "/alice/cours");
        same.Headers.TryAddWithoutValidation("If-None-Match", etag);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(same)).StatusCode);
    }
}

/// <summary>Dates, sizes and plurals follow the culture; every translated key of the views has its English text.</summary>
public sealed partial class LanguageFormattingTests
{
    private static T In<T>(string culture, Func<T> f)
    {
        var (c, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try { return f(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (c, ui); }
    }

    [Fact]
    public void Relative_and_absolute_dates_sizes_and_plurals_follow_the_culture()
    {
        var now = new DateTimeOffset(2026, 12, 3, 14, 5, 0, TimeSpan.Zero);
        Assert.Equal("il y a 3 minutes", In("fr-FR", () => Formatting.Relative(now.AddMinutes(-3), now)));
        Assert.Equal("3 minutes ago", In("en", () => Formatting.Relative(now.AddMinutes(-3), now)));
        Assert.Equal("il y a 1 heure", In("fr-FR", () => Formatting.Relative(now.AddHours(-1), now)));
        Assert.Equal("1 hour ago", In("en", () => Formatting.Relative(now.AddHours(-1), now)));
        Assert.Equal("il y a 2 mois", In("fr-FR", () => Formatting.Relative(now.AddDays(-62), now)));
        Assert.Equal("2 months ago", In("en", () => Formatting.Relative(now.AddDays(-62), now)));
        Assert.Equal("à l’instant", In("fr-FR", () => Formatting.Relative(now, now)));
        Assert.Equal("just now", In("en", () => Formatting.Relative(now, now)));
        Assert.Equal("3 décembre 2026 à 14:05", In("fr-FR", () => Formatting.Date(now)));
        Assert.Equal("December 3, 2026 at 14:05", In("en", () => Formatting.Date(now)));
        Assert.Equal("3 décembre 2026", In("fr-FR", () => Formatting.Date(now.UtcDateTime)));
        Assert.Equal("1,5 Kio", In("fr-FR", () => Formatting.Size(1536)));
        Assert.Equal("1.5 KiB", In("en", () => Formatting.Size(1536)));
        Assert.Equal("0 fichier", In("fr-FR", () => Formatting.Plural(0, "fichier", "fichiers")));
        Assert.Equal("0 files", In("en", () => Formatting.Plural(0, "file", "files")));
        // One entry serves both cases of a key's first letter.
        Assert.Equal("File", In("en", () => Forge.Web.SharedResource.T("Fichier")));
        Assert.Equal("file", In("en", () => Forge.Web.SharedResource.T("fichier")));
        Assert.Equal("Closed", In("en", () => Forge.Web.SharedResource.T("Fermé")));
        Assert.Equal("closed", In("en", () => Forge.Web.SharedResource.T("fermé")));
        Assert.Equal("fermé", In("fr-FR", () => Forge.Web.SharedResource.T("fermé")));
        Assert.Equal("Pas traduit", In("en", () => Forge.Web.SharedResource.T("Pas traduit")));
        Assert.Equal("1 234 fichiers", In("fr-FR", () => Formatting.Plural(1234, "fichier", "fichiers")).Replace('\u202f', ' ').Replace('\u00a0', ' '));
    }

    [GeneratedRegex("""L\["((?:[^"\\]|\\.)+)"\]""")]
    private static partial Regex Key();

    [Fact]
    public void Every_text_the_views_translate_has_its_English_version()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Forge.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Forge.sln not found");
        var web = Path.Combine(root, "Forge.Web");
        var entries = XDocument.Load(Path.Combine(web, "Resources", "SharedResource.en.resx")).Root!.Elements("data")
            .Select(d => (Name: (string)d.Attribute("name")!, Value: (string)d.Element("value")!)).ToList();
        // The resource compiler keeps one of two names that differ only by case and drops the other (warning MSB3568):
        // « Fichier » is the one entry, « fichier » is derived from it by the lookup.
        var twins = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twins.Count == 0, "Entries that differ only by case:\n" + string.Join("\n", twins));
        var english = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.OrdinalIgnoreCase);
        var used = Directory.EnumerateFiles(Path.Combine(web, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => Key().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(web, f), Text: Regex.Unescape(m.Groups[1].Value))))
            .ToList();
        Assert.True(used.Count > 100, $"only {used.Count} translated texts found");
        var missing = used.Where(u => !english.ContainsKey(u.Text)).Select(u => $"{u.File}: {u.Text}").Distinct().ToList();
        Assert.True(missing.Count == 0, "No English for:\n" + string.Join("\n", missing));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
    }
}
