using Forge.Tests.MergeRequests;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>
/// In a real browser, with the keyboard where a person would use it: Carole opens an issue on Alice's course and
/// comments it; Bob (a writer) labels it and closes it. Each page is checked with axe-core on the way.
/// </summary>
public sealed class IssueInBrowserTests : InBrowserFixture
{
    [Fact]
    public async Task Carole_opens_and_comments_an_issue_Bob_labels_and_closes_it()
    {
        using (var api = Server.Client(Alice))
            Assert.True((await api.PostAsync("/api/v1/repos/alice/cours/labels", System.Net.Http.Json.JsonContent.Create(new { name = "erreur", color = "rouge" }))).IsSuccessStatusCode);
        var violations = new List<string>();

        var carole = await SignedInPageAsync("carole");
        await carole.GotoAsync("/alice/cours");
        await carole.GetByRole(AriaRole.Link, new() { Name = "Tickets (0)" }).ClickAsync();
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByRole(AriaRole.Link, new() { Name = "Nouveau ticket" }).ClickAsync();
        // Sent empty with the keyboard: the error is said at the field.
        await carole.GetByLabel("Titre").FocusAsync();
        await carole.Keyboard.PressAsync("Enter");
        await Assertions.Expect(carole.Locator("#Title-error")).ToHaveTextAsync("Donnez un titre au ticket.");
        violations.AddRange(await AxeAsync(carole, expectStatus: 422));
        await carole.GetByLabel("Titre").FillAsync("Coquille ligne 3");
        await carole.GetByLabel("Description").FillAsync("La ligne 3 dit **faux**, cc @bob.");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le ticket" }).PressAsync("Enter");
        await Assertions.Expect(carole.GetByRole(AriaRole.Heading, new() { Name = "Coquille ligne 3 #1", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(carole.Locator("#description a.mention")).ToHaveAttributeAsync("href", "/bob");
        await carole.GetByLabel("Votre commentaire").FillAsync("Et la ligne 4 aussi.");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Commenter" }).PressAsync("Enter");
        await Assertions.Expect(carole.Locator(".comment", new() { HasText = "Et la ligne 4 aussi." })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(carole));

        var bob = await SignedInPageAsync("bob");
        await Assertions.Expect(bob.Locator("header.site-header").GetByRole(AriaRole.Link, new() { Name = "Notifications 1 non lues" })).ToBeVisibleAsync();
        await bob.GotoAsync("/notifications");
        violations.AddRange(await AxeAsync(bob));
        await bob.GetByRole(AriaRole.Link, new() { Name = "alice/cours#1 · Coquille ligne 3" }).ClickAsync();
        // Labels with the keyboard: open the disclosure, tick, save.
        await bob.GetByText("Modifier les labels").FocusAsync();
        await bob.Keyboard.PressAsync("Enter");
        await bob.GetByRole(AriaRole.Checkbox, new() { Name = "erreur" }).FocusAsync();
        await bob.Keyboard.PressAsync("Space");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les labels" }).PressAsync("Enter");
        await Assertions.Expect(bob.GetByRole(AriaRole.Status)).ToHaveTextAsync("Labels enregistrés.");
        await Assertions.Expect(bob.Locator("aside a.label")).ToHaveTextAsync("erreur");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Fermer le ticket" }).PressAsync("Enter");
        await Assertions.Expect(bob.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ticket fermé.");
        await Assertions.Expect(bob.Locator(".mr-head .badge")).ToHaveTextAsync("Fermé");
        violations.AddRange(await AxeAsync(bob));
        await bob.GotoAsync("/alice/cours/issues?state=closed");
        await Assertions.Expect(bob.GetByRole(AriaRole.Link, new() { Name = "Coquille ligne 3" })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(bob));
        await bob.GotoAsync("/alice/cours/labels");
        violations.AddRange(await AxeAsync(bob));
        var alice = await SignedInPageAsync("alice");
        await alice.GotoAsync("/alice/cours/labels");
        violations.AddRange(await AxeAsync(alice));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
