using System.Net.Http.Json;
using System.Text.Json;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>
/// The student's way through a class in Chromium: Carole (a student) joins Alice's class with its code (a wrong code first),
/// accepts the assignment, edits a file of her copy in the web editor, and finds the teacher's grade and line comment on the
/// assignment page, beside the checks area (« — » while no checks run). Alice's class pages are checked with axe-core too.
/// </summary>
public sealed class ClassroomInBrowserTests : InBrowserFixture
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Carole_joins_with_the_code_accepts_edits_in_the_browser_and_reads_the_feedback()
    {
        using (var scope = Server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ForgeDbContext>().Users.Where(u => u.UserName == "carole")
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, InstanceRole.Student));
        using var alice = Server.Client(Alice);
        await JsonAsync(await alice.PostAsJsonAsync("/api/v1/orgs", new { username = "college-hugo", visibility = "private" }));
        var room = await JsonAsync(await alice.PostAsJsonAsync("/api/v1/classes", new { group = "college-hugo", name = "hugo-4e" }));
        var code = room.GetProperty("join_code").GetString()!;
        var id = (await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/classes/{room.GetProperty("id").GetInt64()}/assignments",
            new { title = "Relire le cours", template = "alice/cours", instructions = "Corrigez la **ligne 3**.", closes_at = DateTimeOffset.UtcNow.AddDays(7) })))
            .GetProperty("id").GetInt64();
        var violations = new List<string>();

        var carole = await SignedInPageAsync("carole");
        await carole.GotoAsync("/classes/join");
        await carole.GetByLabel("Code de la classe").FillAsync("AAAA2222");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la classe" }).PressAsync("Enter");
        await Assertions.Expect(carole.Locator("#Code-error")).ToContainTextAsync("Aucune classe n’a le code « AAAA2222 »");
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByLabel("Code de la classe").FillAsync(code.ToLowerInvariant());
        await carole.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la classe" }).PressAsync("Enter");
        await Assertions.Expect(carole.GetByRole(AriaRole.Heading, new() { Name = "Classe hugo-4e", Level = 1 })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByRole(AriaRole.Link, new() { Name = "Relire le cours" }).ClickAsync();
        await Assertions.Expect(carole.Locator("strong", new() { HasText = "ligne 3" })).ToBeVisibleAsync();
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByRole(AriaRole.Button, new() { Name = "Accepter le devoir" }).PressAsync("Enter");
        await Assertions.Expect(carole.GetByRole(AriaRole.Status)).ToContainTextAsync("Votre copie est prête : hugo-4e/relire-le-cours-carole");
        await Assertions.Expect(carole.Locator("#checks-title + p.checks")).ToHaveTextAsync("—");
        violations.AddRange(await AxeAsync(carole));

        // The web editor of her copy (the existing editor pages).
        await carole.GotoAsync("/hugo-4e/relire-le-cours-carole/edit/main/cours.md");
        await carole.GetByLabel("Contenu").FillAsync(Lesson((3, "Ligne 3 corrigée par Carole")));
        await carole.GetByLabel("Description de la modification").FillAsync("Correction de la ligne 3");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).PressAsync("Enter");
        await Assertions.Expect(carole.Locator("body")).ToContainTextAsync("Ligne 3 corrigée par Carole");

        // Alice opens the feedback request, comments the line and grades (her pages checked on the way).
        var aliceWeb = await SignedInPageAsync("alice");
        await aliceWeb.GotoAsync($"/hugo-4e/-/assignments/{id}");
        await Assertions.Expect(aliceWeb.Locator("tr[data-student=carole] td.status")).ToHaveTextAsync("en cours");
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GetByRole(AriaRole.Link, new() { Name = "Retour et note carole" }).ClickAsync();
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GetByRole(AriaRole.Button, new() { Name = "Ouvrir la demande de retour" }).PressAsync("Enter");
        await aliceWeb.WaitForURLAsync("**/hugo-4e/relire-le-cours-carole/merge_requests/1/changes");
        await JsonAsync(await alice.PostAsJsonAsync("/api/v1/repos/hugo-4e/relire-le-cours-carole/pulls/1/reviews",
            new { @event = "COMMENT", body = "", comments = new[] { new { path = "cours.md", body = "Bien vu, mais « corrigée » suffit.", new_position = 3 } } }));
        await aliceWeb.GotoAsync($"/hugo-4e/-/assignments/{id}/students/carole");
        await aliceWeb.GetByRole(AriaRole.Textbox, new() { Name = "Note" }).FillAsync("16/20");
        await aliceWeb.GetByLabel("acquis", new() { Exact = true }).CheckAsync();
        await aliceWeb.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la note" }).PressAsync("Enter");
        await Assertions.Expect(aliceWeb.GetByRole(AriaRole.Status)).ToContainTextAsync("Note enregistrée");
        await aliceWeb.GotoAsync("/hugo-4e/-/class");
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GotoAsync("/hugo-4e/-/assignments/new");
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GotoAsync("/hugo-4e/-/pupils");
        await aliceWeb.GetByLabel("Prénoms ou pseudonymes, un par ligne").FillAsync("Inès\nTom");
        await aliceWeb.GetByRole(AriaRole.Button, new() { Name = "Créer les comptes" }).PressAsync("Enter");
        await Assertions.Expect(aliceWeb.Locator(".pupil-card")).ToHaveCountAsync(2);
        violations.AddRange(await AxeAsync(aliceWeb));

        // Carole sees the feedback where she works.
        await carole.GotoAsync($"/hugo-4e/-/assignments/{id}");
        var feedback = carole.Locator("section[aria-labelledby=feedback-title]");
        await Assertions.Expect(feedback.Locator("dd.grade")).ToHaveTextAsync("16/20");
        await Assertions.Expect(feedback.Locator("dd.competency")).ToHaveTextAsync("acquis");
        await Assertions.Expect(feedback).ToContainTextAsync("Bien vu, mais « corrigée » suffit.");
        await Assertions.Expect(feedback).ToContainTextAsync("cours.md, ligne 3");
        await Assertions.Expect(carole.Locator("#checks-title + p.checks")).ToHaveTextAsync("—");
        violations.AddRange(await AxeAsync(carole));
        // The teacher's page of her work is not hers to open.
        Assert.Equal(404, (await carole.GotoAsync($"/hugo-4e/-/assignments/{id}/students/carole"))!.Status);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
