using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>
/// In a real browser, with the keyboard: Alice turns the automatic checks on, pushes tests, and Carole (a reader) follows the
/// result from the commit to the run page. Each page is checked with axe-core, the run page in both colour schemes.
/// </summary>
public sealed class ChecksInBrowserTests : InBrowserFixture
{
    [Fact]
    public async Task Alice_enables_the_checks_and_Carole_reads_a_run_test_by_test()
    {
        var violations = new List<string>();
        var alice = await SignedInPageAsync("alice");
        await alice.GotoAsync("/alice/cours/settings/checks");
        violations.AddRange(await AxeAsync(alice));
        await alice.GetByLabel("Activer les vérifications automatiques").FocusAsync();
        await alice.Keyboard.PressAsync("Space");
        await alice.GetByLabel("Dossier des tests").FillAsync("tests");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).PressAsync("Enter");
        await Assertions.Expect(alice.GetByRole(AriaRole.Status)).ToHaveTextAsync("Vérifications automatiques activées : elles s’exécuteront après chaque push.");

        await AliceWs.CommitAsync("tests/test_cours.py", "def test_titre():\n    assert True\n\ndef test_faux():\n    assert 1 + 1 == 3, \"le calcul est faux\"\n", "Tests");
        var sha = await AliceWs.HeadAsync();
        await AliceWs.MustAsync("push", "-q", Url, "main");

        var carole = await SignedInPageAsync("carole");
        await Wait.UntilAsync(async () =>
        {
            await carole.GotoAsync($"/alice/cours/commit/{sha}");
            return await carole.GetByRole(AriaRole.Heading, new() { Name = "Vérifications : échec" }).CountAsync() == 1;
        }, "the run finishes and the commit page shows it", 90);
        await Assertions.Expect(carole.Locator(".commit-statuses")).ToContainTextAsync("1 test réussi sur 2");
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByRole(AriaRole.Link, new() { Name = "Détails" }).PressAsync("Enter");
        await Assertions.Expect(carole.GetByRole(AriaRole.Row, new() { Name = "test_faux" })).ToContainTextAsync("le calcul est faux");
        await Assertions.Expect(carole.GetByRole(AriaRole.Row, new() { Name = "test_titre" })).ToContainTextAsync("réussi");
        violations.AddRange(await AxeAsync(carole));
        await carole.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        violations.AddRange(await AxeAsync(carole));
        await carole.GotoAsync("/alice/cours/commits/main");
        await Assertions.Expect(carole.GetByRole(AriaRole.Link, new() { Name = "Vérifications : échec" })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(carole));
        Assert.Empty(violations);
    }
}
