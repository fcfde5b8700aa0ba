using Forge.Tests.MergeRequests;
using Forge.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>
/// In a real browser: Bob opens a merge request from the branch he pushed, Alice comments on a line of the diff (the
/// « + » link opens the form at that line), approves and merges; the target branch then has Bob's change.
/// </summary>
public sealed class MergeRequestInBrowserTests : InBrowserFixture
{
    [Fact]
    public async Task Bob_opens_a_request_Alice_comments_a_line_approves_and_merges()
    {
        await PushBranchAsync("correction", Lesson((3, "Ligne 3 corrigée du cours")));
        var violations = new List<string>();

        var bob = await SignedInPageAsync("bob");
        await bob.GotoAsync("/alice/cours");
        await bob.GetByRole(AriaRole.Link, new() { Name = "Demandes de fusion (0)" }).ClickAsync();
        await bob.GetByRole(AriaRole.Link, new() { Name = "Nouvelle demande de fusion" }).ClickAsync();
        await bob.GetByLabel("Branche source").SelectOptionAsync(new SelectOptionValue { Label = "correction" });
        await bob.GetByRole(AriaRole.Button, new() { Name = "Comparer" }).ClickAsync();
        await Assertions.Expect(bob.GetByText("Proposition sur correction").First).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(bob));
        await bob.GetByLabel("Titre").FillAsync("Corriger la ligne 3");
        await bob.GetByLabel("Description").FillAsync("Une **coquille**.");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Créer la demande de fusion" }).ClickAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "Corriger la ligne 3 !1", Level = 1 })).ToBeVisibleAsync();
        await CheckedAsync(1, Forge.Web.Data.MergeStatus.Mergeable);

        var alice = await SignedInPageAsync("alice");
        await alice.GotoAsync("/alice/cours/merge_requests");
        await alice.GetByRole(AriaRole.Link, new() { Name = "Corriger la ligne 3" }).ClickAsync();
        await Assertions.Expect(alice.GetByText("Fusion possible")).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(alice));
        await alice.GetByRole(AriaRole.Link, new() { Name = "Différences (1)" }).ClickAsync();
        await Assertions.Expect(alice.Locator("mark", new() { HasText = "corrigée" })).ToBeVisibleAsync();
        await alice.GetByRole(AriaRole.Link, new() { Name = "Commenter la ligne 3" }).Last.ClickAsync();
        var box = alice.GetByLabel("Commentaire sur la ligne 3 de cours.md");
        await Assertions.Expect(box).ToBeFocusedAsync();
        violations.AddRange(await AxeAsync(alice));
        await box.FillAsync("Préférez « rectifiée ».");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Commenter la ligne" }).ClickAsync();
        await Assertions.Expect(alice.Locator(".thread", new() { HasText = "Préférez « rectifiée »." })).ToBeVisibleAsync();
        await alice.GetByRole(AriaRole.Link, new() { Name = "côte à côte" }).ClickAsync();
        await Assertions.Expect(alice.Locator("table.diff.split")).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(alice));

        await alice.GetByRole(AriaRole.Link, new() { Name = "Conversation (1)" }).ClickAsync();
        await alice.GetByLabel("Approuver").CheckAsync();
        await alice.GetByLabel("Votre commentaire").FillAsync("Merci Bob.");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Envoyer mon avis" }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Status)).ToContainTextAsync("Vous avez approuvé ces modifications.");
        await Assertions.Expect(alice.GetByText("Approbations : 1 (alice).")).ToBeVisibleAsync();
        await alice.GetByLabel("Supprimer la branche source après fusion").CheckAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Fusionner" }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Status)).ToContainTextAsync("Demande de fusion fusionnée.");
        await Assertions.Expect(alice.Locator(".mr-head .badge")).ToHaveTextAsync("Fusionnée");
        violations.AddRange(await AxeAsync(alice));

        await AliceWs.MustAsync("pull", "-q", Url, "main");
        Assert.Contains("Ligne 3 corrigée du cours", File.ReadAllText(Path.Combine(AliceWs.Dir, "cours.md")));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
