using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Forge.Jobs;
using Forge.Tests.Browser;
using Forge.Tests.Support;
using Forge.Web.Modules.Exports;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Modules;

/// <summary>
/// The exported SCO in Chromium, inside a page that plays the LMS: a minimal SCORM 1.2 <c>window.API</c> that records
/// every call. The SCORM zip (built by the export code, unzipped) is served from its folder through Playwright's routing, as
/// an LMS serves it: one origin for the player page and the SCO, nothing else reachable.
/// </summary>
public sealed class ScoInBrowserTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _tmp.Dispose();
    }

    private const string Lms = "http://lms.test/";

    private const string PlayerPage = """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Plateforme</title>
        <script src="/lms-api.js"></script></head>
        <body><main><h1>Plateforme</h1><iframe title="Activité SCORM" src="/SCO_HREF" width="900" height="700"></iframe></main></body></html>
        """;

    // The LMS side: the SCORM 1.2 run-time API, recording each call with its arguments.
    private const string ApiStub = """
        window.calls = [];
        function record(name, result) { return function () { window.calls.push([name].concat(Array.prototype.slice.call(arguments))); return result; }; }
        window.API = {
          LMSInitialize: record("LMSInitialize", "true"),
          LMSFinish: record("LMSFinish", "true"),
          LMSGetValue: function (key) { window.calls.push(["LMSGetValue", key]); return key === "cmi.core.lesson_status" ? "not attempted" : ""; },
          LMSSetValue: record("LMSSetValue", "true"),
          LMSCommit: record("LMSCommit", "true"),
          LMSGetLastError: function () { return "0"; },
          LMSGetErrorString: function () { return ""; },
          LMSGetDiagnostic: function () { return ""; }
        };
        """;

    [Fact]
    public async Task A_learner_answers_the_quiz_of_an_exported_sco_and_finishes_and_the_lms_receives_score_status_commit_and_finish_in_order()
    {
        // The package as Forge writes it, unzipped where the « LMS » serves it from.
        var zip = Path.Combine(_tmp.Path, "scorm.zip");
        PackageWriter.WriteZip(ExportSample.Package(ModuleExportFormats.Scorm), zip);
        var folder = _tmp.Sub("sco");
        ZipFile.ExtractToDirectory(zip, folder);
        XNamespace cp = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
        var scoHref = XDocument.Load(Path.Combine(folder, "imsmanifest.xml")).Descendants(cp + "resource").First().Attribute("href")!.Value;

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var requested = new List<string>();
        context.Request += (_, request) => requested.Add(request.Url);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (!route.Request.Url.StartsWith(Lms, StringComparison.Ordinal)) { await route.AbortAsync(); return; }
            var path = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
            if (path == "player.html") await route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = PlayerPage.Replace("SCO_HREF", scoHref) });
            else if (path == "lms-api.js") await route.FulfillAsync(new() { ContentType = "text/javascript", Body = ApiStub });
            else if (Path.GetFullPath(Path.Combine(folder, path)) is var file && file.StartsWith(folder + "/", StringComparison.Ordinal) && File.Exists(file))
                await route.FulfillAsync(new() { Path = file });
            else await route.FulfillAsync(new() { Status = 404 });
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Lms + "player.html");
        var sco = page.FrameLocator("iframe[title='Activité SCORM']");
        await Assertions.Expect(sco.GetByRole(AriaRole.Heading, new() { Name = "Premiers pas", Level = 1 })).ToBeVisibleAsync();
        Assert.Contains("Schéma de la boucle", await sco.Locator("img").First.GetAttributeAsync("alt") ?? "");
        await Assertions.Expect(sco.Locator("img").First).ToHaveJSPropertyAsync("naturalWidth", 1);      // the image is in the package

        // « Terminer » before answering asks for the quiz first (nothing is reported yet).
        await sco.GetByRole(AriaRole.Button, new() { Name = "Terminer" }).ClickAsync();
        await Assertions.Expect(sco.Locator("[data-finish-status]")).ToContainTextAsync("Répondez d’abord au quiz");

        // The learner answers: one right single choice, both right boxes, a short answer typed in capitals with spaces.
        await sco.GetByLabel("5", new() { Exact = true }).CheckAsync();
        await sco.GetByLabel("int", new() { Exact = true }).CheckAsync();
        await sco.GetByLabel("float", new() { Exact = true }).CheckAsync();
        await sco.GetByLabel("Votre réponse").FillAsync("  DEF ");
        await sco.GetByRole(AriaRole.Button, new() { Name = "Vérifier mes réponses" }).ClickAsync();
        await Assertions.Expect(sco.Locator("[data-score]")).ToHaveTextAsync("Score : 100 / 100 — quiz réussi.");
        await Assertions.Expect(sco.Locator("#q1-3 [data-feedback]")).ToBeVisibleAsync();
        await sco.GetByRole(AriaRole.Button, new() { Name = "Terminer" }).ClickAsync();
        await Assertions.Expect(sco.Locator("[data-finish-status]")).ToContainTextAsync("progression est enregistrée");

        var calls = JsonSerializer.Deserialize<List<List<string>>>(await page.EvaluateAsync<string>("JSON.stringify(window.calls)"))!
            .Select(c => string.Join(" ", c)).ToList();
        string[] expected =
        [
            "LMSInitialize ",
            "LMSSetValue cmi.core.lesson_status incomplete",
            "LMSSetValue cmi.core.score.raw 100",
            "LMSSetValue cmi.core.lesson_status passed",
            "LMSCommit ",
            "LMSFinish ",
        ];
        var at = 0;
        foreach (var call in calls) if (at < expected.Length && call == expected[at]) at++;
        Assert.True(at == expected.Length, $"expected, in this order: {string.Join(" | ", expected)}\nrecorded: {string.Join(" | ", calls)}");
        Assert.Equal("LMSFinish ", calls[^1]);
        Assert.Single(calls, c => c.StartsWith("LMSInitialize", StringComparison.Ordinal));
        Assert.Contains("LMSSetValue cmi.core.score.min 0", calls);
        Assert.Contains("LMSSetValue cmi.core.score.max 100", calls);
        // Offline: the SCO asked for nothing outside the package.
        Assert.All(requested, url => Assert.StartsWith(Lms, url));

        // Without an LMS the same page is plain reading, and passes axe-core (light and dark).
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync(Lms + scoHref);
            Assert.Empty(await Axe.ViolationsAsync(page));
        }
    }
}
