using System.Diagnostics;
using Forge.Tests.Browser;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Forge.Tests.Federation;

/// <summary>
/// The proof, in real Chromium: two Forge processes on two loopback addresses, A the identity provider of B.
/// Alice has an account on A only; she signs in to B with it, lands on B with a new account named after her, creates a
/// repository there; signs in again (same account); and someone who refuses at A's consent gets a French error on B.
/// </summary>
public sealed class SignInWithAnotherForgeInBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeProcess _a = null!;
    private ForgeProcess _b = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        var a = new Uri($"http://127.0.0.1:{ForgeProcess.FreePort()}");
        var b = new Uri($"http://127.0.0.2:{ForgeProcess.FreePort()}");
        var dataA = _tmp.Sub("a");
        // A: alice's and bruno's accounts, and B registered as a client of A, with the operator commands.
        foreach (var args in new[]
        {
            new[] { "user", "create", "alice", "--email", "alice@ac-lyon.fr", "--password", "motdepasse-solide" },
            ["user", "create", "bruno", "--email", "bruno@ac-lyon.fr", "--password", "motdepasse-solide"],
            ["client", "create", "forge-b", "--name", "Forge B", "--secret", "secret-de-forge-b-assez-long",
                "--redirect-uri", $"{b}signin-oidc/a", "--scopes", "openid,profile,email"],
        })
        {
            var (code, text) = await ForgeProcess.AdminAsync(null, [.. args, "--data", dataA]);
            Assert.True(code == 0, $"forge admin {string.Join(' ', args)}: {text}");
        }
        _a = await ForgeProcess.StartAsync(a, dataA);
        _b = await ForgeProcess.StartAsync(b, _tmp.Sub("b"), ProviderArgs.For("a", "Forge A", a.ToString(), "forge-b", "secret-de-forge-b-assez-long"));
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<IPage> SignInWithAAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(_b.Url("/user/login"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter avec Forge A" }).ClickAsync();
        // On A now: its own sign-in form.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_a.Url("/user/login"))));
        await page.GetByLabel("Nom d’utilisateur ou adresse électronique").FillAsync(user);
        await page.GetByLabel("Mot de passe").FillAsync("motdepasse-solide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Autoriser « " })).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Alice_signs_in_to_b_with_her_account_on_a_creates_a_repository_and_comes_back_to_the_same_account()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var clock = Stopwatch.StartNew();
        var page = await SignInWithAAsync(context, "alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Autoriser" }).ClickAsync();

        // Back on B, signed in with a new account named after her.
        await Assertions.Expect(page).ToHaveURLAsync(_b.Url("/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "alice", Exact = true })).ToBeVisibleAsync();
        output.WriteLine($"first sign-in through A, from B's button to B's home: {clock.ElapsedMilliseconds} ms (including typing)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau dépôt" }).First.ClickAsync();
        await page.GetByLabel("Nom du dépôt").FillAsync("nsi-premiere");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le dépôt" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_b.Url("/alice/nsi-premiere"));

        // « Comptes liés » shows A.
        await page.GotoAsync(_b.Url("/user/settings/linked"));
        await Assertions.Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Forge A" })).ToBeVisibleAsync();
        Assert.Empty(await AccessibilityTests.CheckAsync(page, null));

        // Signed out of B, she signs in again: A remembers her and her consent, B finds the same account.
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GotoAsync(_b.Url("/user/login"));
        Assert.Empty(await AccessibilityTests.CheckAsync(page, null));
        clock.Restart();
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter avec Forge A" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_b.Url("/"));
        output.WriteLine($"second sign-in (A remembers her): {clock.ElapsedMilliseconds} ms");
        await page.GotoAsync(_b.Url("/alice"));
        await Assertions.Expect(page.Locator("h3").GetByRole(AriaRole.Link, new() { Name = "nsi-premiere" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "alice-2" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Refusing_at_a_s_consent_ends_on_b_with_a_french_explanation()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "fr-FR" });
        var page = await SignInWithAAsync(context, "bruno");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refuser" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_b.Url("/user/login/external/error"))));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vous avez refusé de transmettre votre identité à Forge depuis « Forge A »");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" })).ToBeVisibleAsync(); // still signed out of B
        Assert.Empty(await Forge.Tests.Browser.Axe.ViolationsAsync(page, expectStatus: 400)); // the refusal page answers 400
    }
}
