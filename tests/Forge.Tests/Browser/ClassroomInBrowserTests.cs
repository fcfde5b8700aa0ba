using System.Net.Http.Json;
using System.Text.Json;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Forge.Tests.Browser;

/// <summary>
/// The student's way through a class in Chromium: Carole (a student) joins Alice's class with its code (a wrong code first),
/// accepts the assignment, edits a file of her copy in the web editor, follows the real checks of her commit (run in the
/// sandbox by this server's workers: « Actualiser la page » while they run, then « Échec » with the failing test's name, as on
/// the teacher's dashboard), and finds the teacher's grade and line comment on the assignment page. Alice's class pages are
/// checked with axe-core too.
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
        // The exercise: a sum to complete, and its tests (the starter code fails both), with automatic checks on.
        var template = (await Server.CreateRepositoryAsync(Alice, "somme")).GetProperty("id").GetInt64();
        var exercise = await Workspace.InitAsync(Git, Tmp.Sub("somme"), ("alice", Alice), "# Somme\n");
        await exercise.CommitAsync("somme.py", "def somme(a, b):\n    return None\n");
        await exercise.CommitAsync("tests/test_somme.py",
            "from somme import somme\n\ndef test_positifs():\n    assert somme(2, 3) == 5\n\ndef test_negatifs():\n    assert somme(-2, -3) == -5\n");
        await exercise.MustAsync("push", "-q", Server.Url("/alice/somme.git"), "main");
        using (var scope = Server.Services.CreateScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<Forge.Web.Checks.CheckSettingsService>().EnableAsync(template, "tests"));
        await JsonAsync(await alice.PostAsJsonAsync("/api/v1/orgs", new { username = "college-hugo", visibility = "private" }));
        var room = await JsonAsync(await alice.PostAsJsonAsync("/api/v1/classes", new { group = "college-hugo", name = "hugo-4e" }));
        var code = room.GetProperty("join_code").GetString()!;
        var id = (await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/classes/{room.GetProperty("id").GetInt64()}/assignments",
            new { title = "Relire le cours", template = "alice/somme", instructions = "Corrigez la **ligne 3**.", closes_at = DateTimeOffset.UtcNow.AddDays(7) })))
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
        violations.AddRange(await AxeAsync(carole));

        // The web editor of her copy (the existing editor pages): right for positive numbers only.
        await carole.GotoAsync("/hugo-4e/relire-le-cours-carole/edit/main/somme.py");
        await carole.GetByLabel("Contenu").FillAsync("def somme(a, b):\n    return abs(a) + abs(b)\n");
        await carole.GetByLabel("Description de la modification").FillAsync("Somme de Carole");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).PressAsync("Enter");
        await Assertions.Expect(carole.Locator("body")).ToContainTextAsync("abs(a) + abs(b)");

        // Her assignment page while the checks of that commit run: « Actualiser la page » (a plain link, no script), until the
        // result of her commit — not the starter code's « 0 test réussi sur 2 » — is there.
        await carole.GotoAsync($"/hugo-4e/-/assignments/{id}");
        var checks = carole.Locator("#checks-title + p.checks");
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!(await checks.InnerTextAsync()).Contains("1 test réussi sur 2"))
        {
            Assert.True(DateTime.UtcNow < until, "the checks of Carole's web edit did not finish in 60 s: " + await checks.InnerTextAsync());
            var refresh = carole.GetByRole(AriaRole.Link, new() { Name = "Actualiser la page" });
            Assert.Equal(1, await refresh.CountAsync()); // offered for as long as her commit's verdict is not there
            if (violations.Count == 0) violations.AddRange(await AxeAsync(carole));
            await carole.WaitForTimeoutAsync(500); // the sandboxed run takes a few hundred milliseconds; the page is re-read by hand
            await refresh.ClickAsync();
        }
        await Assertions.Expect(checks.Locator("strong.check-state")).ToHaveTextAsync("Échec");
        await Assertions.Expect(checks.Locator(".failed-tests code")).ToHaveTextAsync(["test_negatifs"]);
        await Assertions.Expect(carole.GetByRole(AriaRole.Link, new() { Name = "Actualiser la page" })).ToHaveCountAsync(0);
        violations.AddRange(await AxeAsync(carole));

        // Alice opens the feedback request, comments the line and grades (her pages checked on the way).
        var aliceWeb = await SignedInPageAsync("alice");
        await aliceWeb.GotoAsync($"/hugo-4e/-/assignments/{id}");
        await Assertions.Expect(aliceWeb.Locator("tr[data-student=carole] td.status")).ToHaveTextAsync("en cours");
        var teacherChecks = aliceWeb.Locator("tr[data-student=carole] td.checks");
        await Assertions.Expect(teacherChecks.Locator("strong.check-state")).ToHaveTextAsync("Échec");
        await Assertions.Expect(teacherChecks).ToContainTextAsync("1 test réussi sur 2");
        await Assertions.Expect(teacherChecks.Locator(".failed-tests code")).ToHaveTextAsync(["test_negatifs"]);
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GetByRole(AriaRole.Link, new() { Name = "Retour et note carole" }).ClickAsync();
        violations.AddRange(await AxeAsync(aliceWeb));
        await aliceWeb.GetByRole(AriaRole.Button, new() { Name = "Ouvrir la demande de retour" }).PressAsync("Enter");
        await aliceWeb.WaitForURLAsync("**/hugo-4e/relire-le-cours-carole/merge_requests/1/changes");
        await JsonAsync(await alice.PostAsJsonAsync("/api/v1/repos/hugo-4e/relire-le-cours-carole/pulls/1/reviews",
            new { @event = "COMMENT", body = "", comments = new[] { new { path = "somme.py", body = "Et pour les nombres négatifs ?", new_position = 2 } } }));
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
        await Assertions.Expect(feedback).ToContainTextAsync("Et pour les nombres négatifs ?");
        await Assertions.Expect(feedback).ToContainTextAsync("somme.py, ligne 2");
        await Assertions.Expect(checks.Locator("strong.check-state")).ToHaveTextAsync("Échec");
        violations.AddRange(await AxeAsync(carole));
        // A team assignment: Carole creates her team from the page (an empty name is explained on its field first).
        var team = (await JsonAsync(await alice.PostAsJsonAsync($"/api/v1/classes/{room.GetProperty("id").GetInt64()}/assignments",
            new { title = "Projet en binôme", template = "alice/somme", team_size = 2 }))).GetProperty("id").GetInt64();
        await carole.GotoAsync($"/hugo-4e/-/assignments/{team}");
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByRole(AriaRole.Button, new() { Name = "Créer l’équipe" }).PressAsync("Enter");
        await Assertions.Expect(carole.Locator("#Team-error")).ToContainTextAsync("donnez le nom d’une équipe");
        violations.AddRange(await AxeAsync(carole));
        await carole.GetByLabel("Nom de la nouvelle équipe").FillAsync("Les Hiboux");
        await carole.GetByRole(AriaRole.Button, new() { Name = "Créer l’équipe" }).PressAsync("Enter");
        await Assertions.Expect(carole.GetByRole(AriaRole.Status)).ToContainTextAsync("Vous êtes dans l’équipe « Les Hiboux »");
        await Assertions.Expect(carole.Locator("#copy-title + p.team")).ToContainTextAsync("Membres : carole");
        violations.AddRange(await AxeAsync(carole));
        await aliceWeb.GotoAsync($"/hugo-4e/-/assignments/{team}");
        await Assertions.Expect(aliceWeb.Locator("tr[data-team='Les Hiboux'] th")).ToContainTextAsync("carole");
        violations.AddRange(await AxeAsync(aliceWeb));

        // The teacher's page of her work is not hers to open.
        Assert.Equal(404, (await carole.GotoAsync($"/hugo-4e/-/assignments/{id}/students/carole"))!.Status);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
