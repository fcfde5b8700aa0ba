using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Forge.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Modules;

/// <summary>
/// Module exports end to end, one server: a teacher pushes a real-shaped module with git and tags it; the tag's three
/// exports are built ahead by the job and downloaded (valid manifests, teacher-only files absent, clear file names); a
/// branch never exported answers « Export en préparation » (202) then the file; a private module is 404 to others; a
/// broken module gives its French errors.
/// </summary>
public sealed class ModuleExportTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private GitClient _git = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _alice) = await _server.CreateUserAsync("alice");
        (_, _bob) = await _server.CreateUserAsync("bob");
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<TestRepo> PushModuleAsync(string repo, bool isPrivate, params string[] refs)
    {
        await _server.CreateRepositoryAsync(_alice, repo, isPrivate);
        var work = new TestRepo(_tmp.Sub(repo));
        foreach (var (path, bytes) in ExportSample.Files) work.WriteBytes(path, bytes);
        work.Commit("Module Débuter en Python");
        work.Git("tag", "v1.0");
        await _git.MustAsync(work.Path, ("alice", _alice), ["push", "-q", _server.Url($"/alice/{repo}.git"), "main", .. refs]);
        return work;
    }

    private static async Task<JsonElement> ExportsAsync(HttpClient client, string repo)
    {
        using var response = await client.GetAsync($"/api/v1/repos/alice/{repo}/module/exports");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Version(JsonElement exports, string reference) =>
        exports.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("ref").GetString() == reference);

    private static string Entry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the package: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task<ZipArchive> DownloadAsync(HttpClient client, string url, string fileName)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_tagged_module_is_exported_to_scorm_common_cartridge_and_html_and_only_to_those_who_may_read_it()
    {
        var work = await PushModuleAsync("python", isPrivate: false, "v1.0");
        using var anonymous = _server.Client();

        // The tag's three exports are built by the job after the push, before anyone asks.
        var started = DateTime.UtcNow;
        await Wait.UntilAsync(async () => Version(await ExportsAsync(anonymous, "python"), "v1.0").GetProperty("exports").EnumerateArray()
            .All(e => e.GetProperty("status").GetString() == "ready"), "the exports of v1.0 are built ahead", 120);
        output.WriteLine($"three exports of the tag built in {(DateTime.UtcNow - started).TotalSeconds:F1} s after the push");
        var exports = await ExportsAsync(anonymous, "python");
        Assert.False(Version(exports, "main").GetProperty("tag").GetBoolean());
        var scormUrl = Version(exports, "v1.0").GetProperty("exports")[0].GetProperty("url").GetString()!;
        Assert.EndsWith("/alice/python/export/scorm/v1.0.zip", scormUrl);

        using (var scorm = await DownloadAsync(anonymous, "/alice/python/export/scorm/v1.0.zip", "python-v1.0-scorm.zip"))
        {
            var manifest = Entry(scorm, "imsmanifest.xml");                                      // at the root, as Moodle requires
            ExportSchemas.AssertValid(ExportSchemas.ValidateScorm(manifest), "the downloaded SCORM manifest");
            Assert.Contains("Premiers pas", Entry(scorm, "sections/section-1.html"));
            Assert.NotNull(scorm.GetEntry("adlcp_rootv1p2.xsd"));
            Assert.NotNull(scorm.GetEntry("files/cours/images/schéma boucle.png"));
            AssertNoTeacherOnly(scorm);
            output.WriteLine($"SCORM package: {scorm.Entries.Count} files, {scorm.Entries.Sum(e => e.CompressedLength)} bytes compressed");
        }
        using (var cc = await DownloadAsync(anonymous, "/alice/python/export/imscc/v1.0.imscc", "python-v1.0-imscc.imscc"))
        {
            ExportSchemas.AssertValid(ExportSchemas.ValidateCommonCartridge(Entry(cc, "imsmanifest.xml")), "the downloaded IMS CC manifest");
            ExportSchemas.AssertValid(ExportSchemas.ValidateWebLink(Entry(cc, "weblinks/section-2-link-1.xml")), "the web link");
            AssertNoTeacherOnly(cc);
        }
        using (var html = await DownloadAsync(anonymous, "/alice/python/export/html/v1.0.zip", "python-v1.0-html.zip"))
        {
            var index = Entry(html, "index.html");
            Assert.Contains("<a href=\"sections/section-1.html\">Premiers pas</a>", index);
            Assert.Contains("<dd>1 h 30</dd>", index);
            Assert.Contains("rel=\"next\" href=\"section-2.html\"", Entry(html, "sections/section-1.html"));
            AssertNoTeacherOnly(html);
        }

        // The listing page offers every version, with its three downloads.
        var listing = await anonymous.GetStringAsync("/alice/python/export");
        Assert.Contains("href=\"/alice/python/export/imscc/v1.0.imscc\"", listing);
        Assert.Contains("main (dernière version)", listing);
        Assert.Contains("href=\"/alice/python/export\"", await anonymous.GetStringAsync("/alice/python/tags"));
        using (var english = new HttpRequestMessage(HttpMethod.Get, "/alice/python/export"))
        {
            english.Headers.TryAddWithoutValidation("Accept-Language", "en");
            Assert.Contains("Exports of the module by version", await (await anonymous.SendAsync(english)).Content.ReadAsStringAsync());
        }
        Assert.Contains("/api/v1/repos/{owner}/{repo}/module/exports", await anonymous.GetStringAsync("/api/v1/openapi.json"));

        // A new commit on the branch, never exported: first « Export en préparation » (202, reloads itself, no JavaScript), then the file.
        work.Write("cours/suite.md", "# Les fonctions\n\nUne fonction se définit avec `def` et renvoie une valeur avec `return`.\n");
        work.Commit("Précision sur return");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/python.git"), "main");
        using (var first = await anonymous.GetAsync("/alice/python/export/html/main.zip"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            var page = await first.Content.ReadAsStringAsync();
            Assert.Contains("Export en préparation", page);
            Assert.Contains("http-equiv=\"refresh\"", page);
        }
        await Wait.UntilAsync(async () => (await anonymous.GetAsync("/alice/python/export/html/main.zip")).StatusCode == HttpStatusCode.OK, "main's HTML export is built", 120);
        using (var fresh = await DownloadAsync(anonymous, "/alice/python/export/html/main.zip", "python-main-html.zip"))
            Assert.Contains("renvoie une valeur", Entry(fresh, "sections/section-2.html"));

        // Unknown ref, unknown format, path traversal: 404.
        foreach (var url in new[] { "/alice/python/export/scorm/v9.zip", "/alice/python/export/pdf/v1.0.zip", "/alice/python/export/scorm/..%2F..%2Fetc.zip", "/alice/python/export/scorm/v1.0.imscc" })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);

        // A private module: 404 to anonymous visitors and to other users, on the web and through the API.
        await PushModuleAsync("prive", isPrivate: true, "v1.0");
        using var bob = _server.Client(_bob);
        foreach (var client in new[] { anonymous, bob })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alice/prive/export/scorm/v1.0.zip")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alice/prive/export")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/repos/alice/prive/module/exports")).StatusCode);
        }
        using var alice = _server.Client(_alice);
        Assert.Equal("v1.0", Version(await ExportsAsync(alice, "prive"), "v1.0").GetProperty("ref").GetString());

        // A broken module: its export fails with the parser's French errors (file and line), nothing to download.
        work.Write("module.yml", ExportSample.ModuleYml.Replace("cours/suite.md", "cours/absente.md"));
        work.Commit("Une page renommée");
        work.Git("tag", "v2.0");
        await _git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/python.git"), "main", "v2.0");
        await Wait.UntilAsync(async () => Version(await ExportsAsync(anonymous, "python"), "v2.0").GetProperty("exports")[0].GetProperty("status").GetString() == "failed",
            "the broken module's export fails", 120);
        var error = Version(await ExportsAsync(anonymous, "python"), "v2.0").GetProperty("exports")[0].GetProperty("errors")[0].GetString()!;
        Assert.Contains("module.yml, ligne", error);
        Assert.Contains("cours/absente.md", error);
        using var failed = await anonymous.GetAsync("/alice/python/export/scorm/v2.0.zip");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        var failedPage = await failed.Content.ReadAsStringAsync();
        Assert.Contains("Export impossible", failedPage);
        Assert.Contains("cours/absente.md", failedPage);
        Assert.DoesNotContain("http-equiv=\"refresh\"", failedPage);
        // The earlier version is still there, unchanged: a tag always gives the same file.
        using (await DownloadAsync(anonymous, "/alice/python/export/scorm/v1.0.zip", "python-v1.0-scorm.zip")) { }

        // The export pages pass axe-core (WCAG 2.1 AA), light and dark.
        var (playwright, browser) = await Forge.Tests.Browser.Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
            foreach (var scheme in new[] { Microsoft.Playwright.ColorScheme.Light, Microsoft.Playwright.ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                Assert.Empty(await Forge.Tests.Browser.Axe.ViolationsAsync(page, "/alice/python/export"));
                Assert.Empty(await Forge.Tests.Browser.Axe.ViolationsAsync(page, "/alice/python/export/scorm/v2.0.zip", expectStatus: 422)); // the failed export's page
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static void AssertNoTeacherOnly(ZipArchive zip)
    {
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("profs/", StringComparison.Ordinal) || e.FullName.Contains("corrig", StringComparison.Ordinal));
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".html", StringComparison.Ordinal) || e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
            Assert.DoesNotContain("RÉPONSE_DU_PROF", Entry(zip, entry.FullName));
    }
}
