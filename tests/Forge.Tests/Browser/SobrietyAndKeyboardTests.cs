using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>Light pages (bytes really transferred, cold cache) and pages usable with the keyboard alone.</summary>
public sealed class SobrietyAndKeyboardTests : IAsyncLifetime
{
    private const long HomeBudgetBytes = 150 * 1024;
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        (_playwright, _browser) = await Chromium.LaunchAsync();
        var (_, token) = await _server.CreateUserAsync("alice");
        await _server.CreateRepositoryAsync(token, "nsi-terminale");
        var repo = new TestRepo(_tmp.Sub("work"));
        Courses.WriteNsiCourse(repo.Path);
        repo.Commit("Première version");
        await new GitClient(_tmp.Sub("home")).MustAsync(repo.Path, ("alice", token), "push", "-q", _server.Url("/alice/nsi-terminale.git"), "main");
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    [Theory]
    [InlineData("/alice/nsi-terminale")]
    [InlineData("/")]
    [InlineData("/search?q=tri")]
    [InlineData("/explore")]
    [InlineData("/alice/nsi-terminale/blob/main/chapitres/tris/insertion.py")]
    public async Task A_main_page_transfers_less_than_150_KB_with_a_cold_cache_and_nothing_from_elsewhere(string path)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        var foreign = new List<string>();
        page.Response += (_, r) => responses.Add(r);
        page.Request += (_, r) => { if (!r.Url.StartsWith(_server.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:")) foreign.Add(r.Url); };
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        long total = 0;
        foreach (var r in responses)
        {
            var sizes = await r.Request.SizesAsync();
            total += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }
        Assert.Empty(foreign);
        Assert.True(total > 1000, $"measured only {total} bytes: the measure itself is wrong");
        Assert.True(total < HomeBudgetBytes, $"{path} transferred {total / 1024.0:0.0} KiB (budget {HomeBudgetBytes / 1024} KiB): "
            + string.Join(", ", responses.Select(r => r.Url)));
        await context.CloseAsync();
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/assets/forge.js", "text/javascript")]
    [InlineData("/assets/site.css", "text/css")]
    [InlineData("/assets/vendor/pyodide/pyodide.asm.js", "text/javascript")]
    [InlineData("/assets/vendor/pyodide/pyodide.asm.wasm", "application/wasm")]
    public async Task Text_scripts_and_webassembly_travel_compressed(string path, string type)
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None };
        using var client = new HttpClient(handler) { BaseAddress = _server.BaseAddress };
        var plain = await client.GetByteArrayAsync(path);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var response = await client.SendAsync(request);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length * 0.6, $"{path}: {compressed.Length} bytes compressed for {plain.Length}");
        await using var decoded = new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var back = new MemoryStream();
        await decoded.CopyToAsync(back);
        Assert.Equal(plain.Length, back.Length);
    }

    [Fact]
    public async Task Searching_and_signing_in_work_with_the_keyboard_alone()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await page.GotoAsync("/");
        // The first Tab reaches the skip link, which moves the focus to the main content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("contenu", await page.EvaluateAsync<string>("document.activeElement.id"));

        // Search from the header box: Tab until it has the focus, type, Enter.
        await page.GotoAsync("/");
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("document.activeElement.id") != "site-q"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("site-q", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("insertion");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=insertion");
        Assert.Contains("/search", page.Url);

        // Sign in: the fields and the button come in order; Enter submits.
        await page.GotoAsync("/user/login");
        for (var i = 0; i < 15 && await page.EvaluateAsync<string>("document.activeElement.id") != "Input_UserName"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Input_UserName", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("alice");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Input_Password", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("motdepasse-solide");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();

        // The focus is visible: a focused link has an outline.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element matches <paramref name="focused"/> (a JavaScript test on <c>e</c>).</summary>
    private static async Task TabToAsync(IPage page, string focused, string what, bool backwards = false, int max = 60)
    {
        var test = $"() => {{ const e = document.activeElement; return !!e && ({focused}); }}";
        for (var i = 0; i < max && !await page.EvaluateAsync<bool>(test); i++)
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        Assert.True(await page.EvaluateAsync<bool>(test), $"{what} never got the focus with {(backwards ? "Shift+Tab" : "Tab")} on {page.Url}");
    }

    [Fact]
    public async Task A_teacher_edits_a_file_and_saves_it_with_the_keyboard_alone()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
        await page.GotoAsync("/user/login");
        await TabToAsync(page, "e.id === 'Input_UserName'", "the user name");
        await page.Keyboard.TypeAsync("alice");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("motdepasse-solide");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();

        // From the repository's home: the file's link, then « Modifier » on its page.
        await page.GotoAsync("/alice/nsi-terminale/tree/main/chapitres/tris");
        await TabToAsync(page, "e.textContent.trim() === 'insertion.py'", "the file's link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/blob/main/chapitres/tris/insertion.py");
        await TabToAsync(page, "e.textContent.trim() === 'Modifier'", "« Modifier »");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/edit/main/chapitres/tris/insertion.py");

        // The content: select all, type the new version (Enter makes new lines; Tab must leave the field, not be typed in).
        await TabToAsync(page, "e.id === 'Form_Content'", "the content field");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("def tri_insertion(t):\n    return sorted(t)\n");
        await page.Keyboard.PressAsync("Tab");
        await TabToAsync(page, "e.id === 'Form_Message'", "the description of the change", max: 5);
        await page.Keyboard.TypeAsync("Tri par insertion raccourci au clavier");
        // Past the button to « Annuler », and back: no trap either way.
        await TabToAsync(page, "e.textContent.trim() === 'Annuler'", "« Annuler »", max: 6);
        await TabToAsync(page, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Enregistrer'", "« Enregistrer »", backwards: true, max: 2);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/blob/main/chapitres/tris/insertion.py");
        await Assertions.Expect(page.Locator("pre.code")).ToContainTextAsync("return sorted(t)");

        using var anonymous = _server.Client();
        Assert.Equal("def tri_insertion(t):\n    return sorted(t)\n",
            await anonymous.GetStringAsync("/alice/nsi-terminale/raw/main/chapitres/tris/insertion.py"));
        var commits = await anonymous.GetStringAsync("/alice/nsi-terminale/commits/main");
        Assert.Contains("Tri par insertion raccourci au clavier", commits);
        await page.Context.CloseAsync();
    }
}
