using System.Net;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Forge.Web.Data;
using Xunit;

namespace Forge.Tests.Resources;

/// <summary>
/// « Décrire cette ressource »: a teacher fills a form and Forge commits resource.yml for her. Errors are shown at their
/// field with what she typed kept; nobody's work is overwritten silently; only writers may use it.
/// </summary>
public sealed partial class DescribeFormTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private WebSession _alice = null!;
    private GitClient _git = null!;
    private string _token = null!;
    private TestRepo _work = null!;

    [GeneratedRegex("name=\"Form.ExpectedTip\" value=\"([0-9a-f]{40})\"")]
    private static partial Regex ExpectedTipPattern();

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateRepositoryAsync(_token, "cours");
        _git = new GitClient(_tmp.Sub("home"));
        _work = new TestRepo(_tmp.Sub("work"));
        _work.Write("README.md", "# Cours de NSI\n").Write("chapitre-1/cours.md", "# Chapitre 1\n");
        _work.Commit("Première version");
        await PushAsync();
        _alice = new WebSession(_server);
        await _alice.SignInAsync("alice", "motdepasse-solide");
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private Task PushAsync() => _git.MustAsync(_work.Path, ("alice", _token), "push", "-q", "-f", _server.Url("/alice/cours.git"), "main");

    private async Task<string> RawAsync(string path)
    {
        using var client = _server.Client();
        var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : $"<{(int)response.StatusCode}>";
    }

    /// <summary>Opens the form, then posts <paramref name="fields"/> (names may repeat, like checkboxes) with its token and tip.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(WebSession session, string page, IEnumerable<(string Name, string Value)> fields)
    {
        var (token, html) = await session.FormAsync(page);
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        all.Add(new("__csrf", token));
        if (all.All(f => f.Key != "Form.ExpectedTip")) all.Add(new("Form.ExpectedTip", ExpectedTipPattern().Match(html).Groups[1].Value));
        return await session.Http.PostAsync(page, new FormUrlEncodedContent(all));
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task A_teacher_describes_her_resource_and_the_description_is_committed_and_shown()
    {
        var form = await _alice.GetAsync("/alice/cours/describe");
        Assert.Contains("Décrire cette ressource", form);
        Assert.Contains("<legend>Niveaux</legend>", form);
        Assert.Contains("name=\"Form.Programme\" value=\"nsi-1re.types-base.booleens\"", form);
        Assert.Contains("<option value=\"CC-BY-SA-4.0\"", form);

        var response = await SubmitAsync(_alice, "/alice/cours/describe",
        [
            ("Form.Title", "Booléens et tables de vérité"),
            ("Form.Description", "Cours et exercices.\r\nAvec corrigés."),
            ("Form.Disciplines", "nsi"), ("Form.Grades", "1re"), ("Form.Usage", "classe"), ("Form.Usage", "maison"),
            ("Form.Autonomy", "autonome"), ("Form.Audience", "eleve"), ("Form.Types", "cours"), ("Form.Types", "exercice"),
            ("Form.Personalisation", "aucune"), ("Form.HasExercises", "true"), ("Form.TeacherSeesResults", ""),
            ("Form.DurationMinutes", "55"), ("Form.FocusMinutes", "20"), ("Form.Accessibility", "texte-alternatif"),
            ("Form.Languages", "fr"), ("Form.OtherLanguages", "oc"), ("Form.Programme", "nsi-1re.types-base.booleens"),
            ("Form.Authors", "Alice Martin <alice@ac-lyon.fr>\r\n\r\nBruno Petit"), ("Form.BasedOn", "https://exemple.fr/booleens"),
            ("Form.Licence", "CC-BY-SA-4.0"), ("Form.Keywords", "logique, booléens , tables"), ("Form.Message", ""),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/alice/cours", response.Headers.Location!.ToString());

        Assert.Equal("""
            title: Booléens et tables de vérité
            description: |-
              Cours et exercices.
              Avec corrigés.
            disciplines: [nsi]
            grades: [1re]
            usage: [classe, maison]
            autonomy: [autonome]
            audience: [eleve]
            type: [cours, exercice]
            personalisation: aucune
            has_exercises: true
            duration_minutes: 55
            focus_minutes: 20
            accessibility: [texte-alternatif]
            language: [fr, oc]
            programme:
              - nsi-1re.types-base.booleens
            authors:
              - Alice Martin <alice@ac-lyon.fr>
              - Bruno Petit
            based_on: https://exemple.fr/booleens
            licence: CC-BY-SA-4.0
            keywords: [logique, booléens, tables]

            """.Replace("\r\n", "\n"), await RawAsync("/alice/cours/raw/main/resource.yml"));

        var home = WebUtility.HtmlDecode(await _alice.GetAsync("/alice/cours"));
        Assert.Contains("Fiche de la ressource", home);
        Assert.Contains("<dd>Première</dd>", home);
        Assert.Contains("<dd>Lycée (déduits des niveaux)</dd>", home);
        Assert.Contains("<dd>En classe, À la maison</dd>", home);
        Assert.Contains("Valeurs booléennes : 0, 1.", home); // the programme item, by its BO text
        Assert.Contains("href=\"/programmes/nsi-premiere#nsi-1re.types-base.booleens\"", home);
        Assert.Contains("Modifier la description", home);

        // One real commit, by alice, with the default message.
        var clone = Path.Combine(_tmp.Path, "clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/cours.git"), clone);
        var log = await _git.MustAsync(clone, null, "log", "--format=%an|%s", "--name-only", "-1");
        Assert.Equal("alice|Décrire la ressource\n\nresource.yml", log.Trim());

        // Opening the form again shows what is saved.
        var again = WebUtility.HtmlDecode(await _alice.GetAsync("/alice/cours/describe"));
        Assert.Contains("value=\"Booléens et tables de vérité\"", again);
        Assert.Matches("id=\"Form_Grades_1re\" name=\"Form.Grades\" value=\"1re\" checked=\"checked\"", again);
        Assert.Contains("<details open=\"open\">", again); // the theme holding a ticked item is open
        Assert.Contains("value=\"oc\"", again);
    }

    [Fact]
    public async Task Each_error_is_shown_at_its_field_in_french_and_everything_typed_is_kept()
    {
        var response = await SubmitAsync(_alice, "/alice/cours/describe",
        [
            ("Form.Title", "Mon cours « important »"), ("Form.Grades", "1re"), ("Form.Grades", "7e"), ("Form.Usage", "maison"),
            ("Form.DurationMinutes", "une heure"), ("Form.FocusMinutes", "30"), ("Form.Authors", "alice@ac-lyon.fr"),
            ("Form.BasedOn", "pas un lien"), ("Form.Licence", "autre"), ("Form.LicenceOther", "CC BY NC"),
            ("Form.Programme", "nsi-1re.types-base.boolens"), ("Form.OtherLanguages", "klingon"),
        ]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await HtmlAsync(response);
        Assert.Contains("Il y a des erreurs", html);
        // The summary links to each field; each field says what is wrong and is described by its error.
        foreach (var field in new[] { "Grades", "DurationMinutes", "Authors", "BasedOn", "LicenceOther", "Programme", "Languages" })
        {
            Assert.Contains($"href=\"#Form_{field}\"", html);
            Assert.Contains($"id=\"Form_{field}-error\"", html);
            Assert.Matches($"id=\"Form_{field}\"[^>]*aria-describedby=\"[^\"]*Form_{field}-error", html);
        }
        Assert.Contains("« 7e » : Valeur inconnue. Valeurs possibles pour les niveaux", html);
        Assert.Contains("« une heure » : La durée doit être un nombre entier de minutes", html);
        Assert.Contains("« CC BY NC » : La licence doit être un identifiant SPDX", html);
        Assert.Contains("Éléments les plus proches : nsi-1re.types-base.booleens", html);
        Assert.Matches("id=\"Form_DurationMinutes\"[^>]*aria-invalid=\"true\"", html);
        // What she typed is still there.
        Assert.Contains("value=\"Mon cours « important »\"", html);
        Assert.Contains("value=\"une heure\"", html);
        Assert.Contains("value=\"pas un lien\"", html);
        Assert.Contains(">alice@ac-lyon.fr</textarea>", html);
        Assert.Matches("id=\"Form_Usage_maison\" name=\"Form.Usage\" value=\"maison\" checked=\"checked\"", html);
        Assert.Matches("<option value=\"autre\" selected=\"selected\">", html);
        // Nothing was committed.
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/resource.yml"));
    }

    [Fact]
    public async Task An_empty_form_asks_for_at_least_one_field()
    {
        var response = await SubmitAsync(_alice, "/alice/cours/describe", [("Form.Title", "   ")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Remplissez au moins un champ", await HtmlAsync(response));
    }

    [Fact]
    public async Task A_concurrent_push_refuses_the_save_explains_why_and_keeps_the_input()
    {
        var (token, html) = await _alice.FormAsync("/alice/cours/describe");
        var tip = ExpectedTipPattern().Match(html).Groups[1].Value;
        _work.Write("resource.yml", "title: Version du collègue\n");
        _work.Commit("Description par un collègue");
        await PushAsync();

        var response = await _alice.Http.PostAsync("/alice/cours/describe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["Form.ExpectedTip"] = tip, ["Form.Title"] = "Ma description de la soirée", ["Form.Grades"] = "tle",
        }));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await HtmlAsync(response);
        Assert.Contains("a été modifiée depuis que vous avez ouvert cette page", page);
        Assert.Contains("value=\"Ma description de la soirée\"", page);
        Assert.Equal("title: Version du collègue\n", await RawAsync("/alice/cours/raw/main/resource.yml"));
    }

    [Fact]
    public async Task A_hand_written_file_keeps_its_unknown_fields_and_the_form_warns_about_what_goes()
    {
        _work.Write("resource.yml", "# Décrit à la main\ntitle: Ancien titre\ngrades: [1re, 7e]\nniveau_de_difficulte: 3\nressources_liees:\n  - a\n  - b\n");
        _work.Commit("Description à la main");
        await PushAsync();

        var form = WebUtility.HtmlDecode(await _alice.GetAsync("/alice/cours/describe"));
        Assert.Contains("À savoir avant d’enregistrer", form);
        Assert.Contains("ne seront pas conservées", form);           // 7e is not a grade
        Assert.Contains("« 7e »", form);
        Assert.Contains("seront conservés tels quels", form);
        Assert.Contains("niveau_de_difficulte", form);
        Assert.Contains("Les commentaires", form);
        Assert.Contains("value=\"Ancien titre\"", form);

        var response = await SubmitAsync(_alice, "/alice/cours/describe", [("Form.Title", "Nouveau titre"), ("Form.Grades", "1re"), ("Form.Message", "Titre revu")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("title: Nouveau titre\ngrades: [1re]\nniveau_de_difficulte: 3\nressources_liees:\n  - a\n  - b\n",
            await RawAsync("/alice/cours/raw/main/resource.yml"));
        Assert.Contains("Titre revu", await _alice.GetAsync("/alice/cours/commits/main"));
    }

    [Fact]
    public async Task A_folder_is_described_as_a_resource_of_its_own()
    {
        var before = await _alice.GetAsync("/alice/cours/tree/main/chapitre-1");
        Assert.Contains("href=\"/alice/cours/describe?path=chapitre-1\">Décrire ce dossier comme une ressource</a>", before);
        Assert.DoesNotContain("Fiche de la ressource", before); // an undescribed folder is just a folder
        var response = await SubmitAsync(_alice, "/alice/cours/describe?path=chapitre-1", [("Form.Title", "Chapitre 1 : les booléens"), ("Form.Types", "activite")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/alice/cours/tree/main/chapitre-1", response.Headers.Location!.ToString());
        Assert.Equal("title: 'Chapitre 1 : les booléens'\ntype: [activite]\n", await RawAsync("/alice/cours/raw/main/chapitre-1/resource.yml"));
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/resource.yml"));
        var tree = WebUtility.HtmlDecode(await _alice.GetAsync("/alice/cours/tree/main/chapitre-1"));
        Assert.Contains("<dd>Chapitre 1 : les booléens</dd>", tree);
        Assert.Contains("href=\"/alice/cours/describe?path=chapitre-1\"", tree);
        // A folder that does not exist, or a path that climbs out, is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.Http.GetAsync("/alice/cours/describe?path=nulle-part")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.Http.GetAsync("/alice/cours/describe?path=../..")).StatusCode);
    }

    [Fact]
    public async Task Only_writers_may_open_or_post_the_form()
    {
        await _server.AddCollaboratorAsync("alice", "cours", "bob", CollaboratorRole.Reader);
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Http.GetAsync("/alice/cours/describe")).StatusCode);
        var home = await bob.GetAsync("/alice/cours");
        Assert.DoesNotContain("/describe", home); // readers see no button
        var (token, _) = await bob.FormAsync("/repo/create");
        var post = await bob.Http.PostAsync("/alice/cours/describe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["Form.Title"] = "Vandalisme", ["Form.ExpectedTip"] = new string('0', 40),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/resource.yml"));

        // Anonymous visitors are sent to sign in; a private repository is not found for strangers.
        using var anonymous = _server.Client();
        var challenge = await anonymous.GetAsync("/alice/cours/describe");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/user/login", challenge.Headers.Location!.PathAndQuery);
        await _server.CreateRepositoryAsync(_token, "prive", isPrivate: true);
        using var carol = new WebSession(_server);
        await _server.CreateUserAsync("carol");
        await carol.SignInAsync("carol", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.NotFound, (await carol.Http.GetAsync("/alice/prive/describe")).StatusCode);
    }

    [Fact]
    public async Task A_protected_branch_refuses_a_writer_with_the_reason()
    {
        await _server.AddCollaboratorAsync("alice", "cours", "bob", CollaboratorRole.Writer);
        await _server.ProtectAsync("alice", "cours", "main", PushLevel.Maintainers);
        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        var response = await SubmitAsync(bob, "/alice/cours/describe", [("Form.Title", "Par Bob")]);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await HtmlAsync(response);
        Assert.Contains("protégée", html);
        Assert.Contains("value=\"Par Bob\"", html);
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/resource.yml"));

        // Offered alternative: the same description on a new branch.
        var proposal = await SubmitAsync(bob, "/alice/cours/describe", [("Form.Title", "Par Bob"), ("Form.Target", "new"), ("Form.NewBranch", "description-bob")]);
        Assert.Equal(HttpStatusCode.Redirect, proposal.StatusCode);
        Assert.Equal("title: Par Bob\n", await RawAsync("/alice/cours/raw/description-bob/resource.yml"));
    }

    [Fact]
    public async Task The_home_page_invites_writers_to_describe_an_undescribed_resource()
    {
        var home = await _alice.GetAsync("/alice/cours");
        Assert.Contains("n’est pas encore décrit", WebUtility.HtmlDecode(home));
        Assert.Contains("href=\"/alice/cours/describe\"", home);
        using var anonymous = _server.Client();
        var page = await (await anonymous.GetAsync("/alice/cours")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("/describe", page);
    }
}
