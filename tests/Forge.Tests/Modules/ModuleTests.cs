using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Modules;

/// <summary>
/// A real-shaped training module pushed with git (accented file names, a notebook page, a video, a quiz of each kind, a
/// teacher-only file) is rendered as a course: outline, pages, the quiz graded by the server, progress, the certificate
/// refused then given, its public verification, the teacher's aggregate view, a private module's 404 and the API.
/// </summary>
public sealed class ModuleTests : IAsyncLifetime
{
    private const string Password = "motdepasse-solide";
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _alice = null!, _bob = null!, _carol = null!;
    private string _commit = null!;

    private const string ModuleYml = """
        # Un module de formation (Magistère) publié par Forge
        title: Enseigner Python en SNT
        description: Un parcours de 3 heures pour débuter.
        objectives: [Écrire un premier programme, Concevoir une activité débranchée]
        duration: 3h
        audience: enseignants de SNT
        sections:
          - title: Découvrir
            pages: [01-découvrir/intro.md, {path: 01-découvrir/carnet.ipynb, title: Le carnet}]
            resources:
              - {title: Vidéo d’introduction, file: media/intro.mp4}
              - {title: Documentation Python, url: "https://docs.python.org/fr/3/"}
            quiz: 01-découvrir/quiz.md
          - title: Pratiquer
            pages: [02-pratiquer/exercice.md, profs/corrigé.md]
        """;

    private const string QuizMd = """
        # Quiz de découverte

        ## Que vaut `2 + 3` en Python ?
        - [ ] 23
          > Les nombres sont additionnés, pas collés.
        - [x] 5

        > L’addition de deux entiers donne un entier.

        ## Quels types sont des nombres ?
        - [x] int
        - [x] float
        - [ ] str
          > Une chaîne de caractères n’est pas un nombre.

        ## Quel mot-clé définit une fonction ?
        = def
        > On écrit `def nom():` puis le corps indenté.
        """;

    private const string Notebook = """
        {"cells":[{"cell_type":"markdown","metadata":{},"source":["# Premier carnet\n","Exécutez les cellules."]},
        {"cell_type":"code","execution_count":1,"metadata":{},"outputs":[{"name":"stdout","output_type":"stream","text":["5\n"]}],"source":["print(2 + 3)"]}],
        "metadata":{},"nbformat":4,"nbformat_minor":5}
        """;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        (_, _alice) = await _server.CreateUserAsync("alice", Password);
        var (bob, bobToken) = await _server.CreateUserAsync("bob", Password);
        _bob = bobToken;
        (_, _carol) = await _server.CreateUserAsync("carol", Password);
        using (var scope = _server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>();
            var b = await users.FindByIdAsync(bob.Id.ToString());
            b!.FullName = "Bob Martin";
            await users.UpdateAsync(b);
        }
        var git = new GitClient(_tmp.Sub("home"));
        await _server.CreateRepositoryAsync(_alice, "python-snt");
        await _server.CreateRepositoryAsync(_alice, "prive", isPrivate: true);
        var work = new TestRepo(_tmp.Sub("work"));
        work.Write("module.yml", ModuleYml)
            .Write("resource.yml", "title: Enseigner Python en SNT\nteacher_only: [profs/]\n")
            .Write("01-découvrir/intro.md", "# Bienvenue en SNT\n\nDans ce module, on écrit **un premier programme**.\n")
            .Write("01-découvrir/carnet.ipynb", Notebook)
            .Write("01-découvrir/quiz.md", QuizMd)
            .WriteBytes("media/intro.mp4", [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, 0, 0, 0, 0])
            .Write("media/intro.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour !\n")
            .Write("02-pratiquer/exercice.md", "# Un exercice\n\nÉcrivez une fonction `somme`.\n")
            .Write("profs/corrigé.md", "# Corrigé secret\n\nLa solution de l’exercice.\n");
        _commit = work.Commit("Module de formation");
        await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/python-snt.git"), "main");
        work.Write("module.yml", ModuleYml.Replace("title: Enseigner Python en SNT", "title: Enseigner Python en SNT (version 2)")).Commit("Version 2");
        await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/python-snt.git"), "HEAD:refs/heads/v2");
        await git.MustAsync(work.Path, ("alice", _alice), "push", "-q", _server.Url("/alice/prive.git"), "main");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private static AngleSharp.Dom.IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static string Text(AngleSharp.Dom.IElement? e) => string.Join(' ', (e?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Facts(AngleSharp.Dom.IDocument page) => string.Join(" | ", page.QuerySelector(".module-facts")!.Children.Select(Text));

    private static async Task<HttpResponseMessage> AnswerAsync(WebSession session, string url, params (string Name, string Value)[] answers)
    {
        var (token, _) = await session.FormAsync(url);
        var fields = answers.Select(a => new KeyValuePair<string, string>(a.Name, a.Value)).Append(new("__csrf", token));
        return await session.Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_pushed_module_is_followed_graded_and_certified()
    {
        const string outline = "/alice/python-snt/module/";
        using var anonymous = _server.Client();
        Assert.Contains("href=\"/alice/python-snt/module/\"", await anonymous.GetStringAsync("/alice/python-snt")); // the « Module » tab

        var page = Parse(await anonymous.GetStringAsync(outline));
        Assert.Equal("Enseigner Python en SNT", Text(page.QuerySelector("h1")));
        Assert.Equal("Durée | 3 h | Public | enseignants de SNT | Contenu | 2 sections, 3 pages", Facts(page));
        Assert.Equal(["Écrire un premier programme", "Concevoir une activité débranchée"], page.QuerySelectorAll(".module-objectives li").Select(Text));
        Assert.Equal(["Bienvenue en SNT", "Le carnet", "Un exercice"], page.QuerySelectorAll(".module-pages a").Select(Text));
        Assert.Contains("gardée dans ce navigateur seulement", Text(page.GetElementById("module-progress")));
        var video = page.QuerySelector(".module-resources video")!;
        Assert.Equal("/alice/python-snt/raw/main/media/intro.mp4", video.GetAttribute("src"));
        Assert.Equal("/alice/python-snt/raw/main/media/intro.vtt", video.QuerySelector("track[kind=captions]")!.GetAttribute("src"));
        Assert.Equal("200", ((int)(await anonymous.GetAsync(video.GetAttribute("src"))).StatusCode).ToString());
        var external = page.QuerySelector(".module-resources a[href^='https://docs.python.org']")!;
        Assert.Contains("noopener", external.GetAttribute("rel"));
        // The teacher-only page is never part of the module, and its problem is for the authors only.
        Assert.DoesNotContain("orrigé", page.DocumentElement.TextContent);
        Assert.Null(page.QuerySelector(".module-errors"));

        var intro = Parse(await anonymous.GetStringAsync("/alice/python-snt/module/decouvrir/1"));
        Assert.Equal("Bienvenue en SNT", Text(intro.QuerySelector(".module-page h1")));
        Assert.NotNull(intro.QuerySelector(".module-page strong"));
        Assert.Equal("/alice/python-snt/module/decouvrir/2", intro.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        var notebook = await anonymous.GetStringAsync("/alice/python-snt/module/decouvrir/2");
        Assert.Contains("Premier carnet", notebook);
        Assert.Contains("print", notebook);
        Assert.Equal("/alice/python-snt/module/decouvrir/quiz", Parse(notebook).QuerySelector("a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/python-snt/module/decouvrir/3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/python-snt/module/absente/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/python-snt/module/pratiquer/quiz")).StatusCode);

        // The quiz: one fieldset per question, and nothing of the answers before submitting.
        var quizHtml = await anonymous.GetStringAsync("/alice/python-snt/module/decouvrir/quiz");
        var quiz = Parse(quizHtml);
        Assert.Equal(["Question 1", "Question 2 (plusieurs réponses possibles)", "Question 3"], quiz.QuerySelectorAll("fieldset.quiz-question legend").Select(Text));
        Assert.Equal(2, quiz.QuerySelectorAll("input[type=radio][name=q1]").Length);
        Assert.Equal(3, quiz.QuerySelectorAll("input[type=checkbox][name=q2]").Length);
        Assert.NotNull(quiz.QuerySelector("label[for=q3-answer]"));
        foreach (var secret in new[] { "additionnés", "entier donne", "pas un nombre", "corps indenté", "correct" }) Assert.DoesNotContain(secret, quizHtml);

        // Another ref shows that version of the module.
        Assert.Equal("Enseigner Python en SNT (version 2)", Text(Parse(await anonymous.GetStringAsync(outline + "?ref=v2")).QuerySelector("h1")));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(outline + "?ref=nulle-part")).StatusCode);

        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", Password);
        Assert.Contains("0 / 3 pages vues", Text(Parse(await bob.GetAsync(outline)).GetElementById("module-progress")));
        // Not complete: the certificate page says what is missing.
        var refused = Parse(await bob.GetAsync("/alice/python-snt/module/-/certificate"));
        Assert.Null(refused.QuerySelector(".certificate"));
        var missing = Text(refused.QuerySelector(".module-missing"));
        Assert.Contains("Découvrir : pages à ouvrir : Bienvenue en SNT, Le carnet ; quiz à faire", missing);
        Assert.Contains("Pratiquer : pages à ouvrir : Un exercice", missing);

        await bob.GetAsync("/alice/python-snt/module/decouvrir/1");
        await bob.GetAsync("/alice/python-snt/module/decouvrir/2");
        await bob.GetAsync("/alice/python-snt/module/pratiquer/1");
        const string quizUrl = "/alice/python-snt/module/decouvrir/quiz";
        // An unanswered question: refused, said at the question, the other answers kept.
        var incomplete = await AnswerAsync(bob, quizUrl, ("q2", "0"), ("q3", "  Déf "));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, incomplete.StatusCode);
        var form = Parse(await incomplete.Content.ReadAsStringAsync());
        Assert.Equal("Choisissez une réponse à la question 1.", Text(form.GetElementById("q1-error")));
        Assert.Contains("q1-error", form.GetElementById("q1")!.GetAttribute("aria-describedby"));
        Assert.Equal("  Déf ", form.GetElementById("q3-answer")!.GetAttribute("value"));
        Assert.True(form.QuerySelector("input[name=q2][value='0']")!.HasAttribute("checked"));
        Assert.Null(form.QuerySelector(".module-score"));

        var wrong = Parse(await (await AnswerAsync(bob, quizUrl, ("q1", "0"), ("q2", "0"), ("q3", "function"))).Content.ReadAsStringAsync());
        Assert.Contains("Score : 0 / 3 (0 %)", Text(wrong.QuerySelector(".module-score")));
        Assert.Contains("Pas encore réussi", Text(wrong.QuerySelector(".module-score")));
        Assert.Contains("Réponse incorrecte. Les nombres sont additionnés, pas collés. L’addition de deux entiers donne un entier.", Text(wrong.GetElementById("q1-result")));
        Assert.Contains("Réponse incorrecte.", Text(wrong.GetElementById("q2-result")));
        Assert.Contains("quiz à réussir (meilleur score : 0 %)", Text(Parse(await bob.GetAsync("/alice/python-snt/module/-/certificate")).QuerySelector(".module-missing")));

        var right = Parse(await (await AnswerAsync(bob, quizUrl, ("q1", "1"), ("q2", "0"), ("q2", "1"), ("q3", "  Déf "))).Content.ReadAsStringAsync());
        Assert.Contains("Score : 3 / 3 (100 %)", Text(right.QuerySelector(".module-score")));
        Assert.Contains("Quiz réussi", Text(right.QuerySelector(".module-score")));
        Assert.Contains("Bonne réponse. On écrit def nom(): puis le corps indenté.", Text(right.GetElementById("q3-result")));

        var progressed = Parse(await bob.GetAsync(outline));
        Assert.Contains("3 / 3 pages vues · 2 / 2 sections terminées", Text(progressed.GetElementById("module-progress")));
        Assert.Contains("quiz : 100 %", Text(progressed.QuerySelector("[data-module-section=decouvrir] .meta")));
        Assert.NotNull(progressed.QuerySelector("#section-pratiquer .module-done"));

        var certificate = Parse(await bob.GetAsync("/alice/python-snt/module/-/certificate"));
        var card = Text(certificate.QuerySelector(".certificate"));
        Assert.Contains("Bob Martin", card);
        Assert.Contains("Enseigner Python en SNT", card);
        Assert.StartsWith("Durée | 3 h | Terminé le | ", Facts(certificate));
        Assert.Contains("alice/python-snt", card);
        Assert.Contains(_commit, card);
        var verification = certificate.QuerySelector(".certificate a[href*='/module/-/certificate/']")!.GetAttribute("href")!;
        var verified = Parse(await anonymous.GetStringAsync(new Uri(verification).PathAndQuery));
        Assert.StartsWith("Apprenant | Bob Martin | Module | Enseigner Python en SNT | Terminé le | ", Facts(verified));
        Assert.DoesNotContain(_commit, verified.DocumentElement.OuterHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/python-snt/module/-/certificate/inconnu")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/alice/python-snt/module/-/certificate")).StatusCode); // sign in first

        // The author sees the module's problems and the learners' aggregate progress, without names.
        using var alice = new WebSession(_server);
        await alice.SignInAsync("alice", Password);
        var authors = Parse(await alice.GetAsync(outline));
        Assert.Contains("module.yml, ligne 15 : page « profs/corrigé.md » est réservé(e) aux enseignants", Text(authors.QuerySelector(".module-errors")));
        var learners = authors.QuerySelector(".module-learners")!;
        Assert.Contains("Apprenants connectés ayant commencé ce module : 1 ; l’ayant terminé : 1.", Text(learners));
        Assert.Equal(["Découvrir | 1 | 1 | 100 %", "Pratiquer | 1 | — | —"], learners.QuerySelectorAll("tbody tr").Select(tr => string.Join(" | ", tr.Children.Select(Text))));
        Assert.DoesNotContain("bob", Text(learners), StringComparison.OrdinalIgnoreCase);

        // A private module is the repository's: 404 to a stranger, on the pages and the API.
        using var carol = new WebSession(_server);
        await carol.SignInAsync("carol", Password);
        Assert.Contains("Enseigner Python en SNT", await alice.GetAsync("/alice/prive/module/"));
        foreach (var url in new[] { "/alice/prive/module/", "/alice/prive/module/decouvrir/1", "/alice/prive/module/decouvrir/quiz", "/alice/prive/module/-/certificate" })
            Assert.Equal(HttpStatusCode.NotFound, (await carol.Http.GetAsync(url)).StatusCode);
        using var carolApi = _server.Client(_carol);
        Assert.Equal(HttpStatusCode.NotFound, (await carolApi.GetAsync("/api/v1/repos/alice/prive/module")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carolApi.PostAsJsonAsync("/api/v1/repos/alice/prive/module/quizzes/decouvrir", new { answers = new { q1 = new[] { "1" } } })).StatusCode);

        await TheApiGivesTheOutlineTheProgressAndGradesQuizzes(anonymous);
    }

    // Same server as above (a server start is the costly part of a test).
    private async Task TheApiGivesTheOutlineTheProgressAndGradesQuizzes(HttpClient anonymous)
    {
        var module = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/python-snt/module")).RootElement;
        Assert.Equal("Enseigner Python en SNT", module.GetProperty("title").GetString());
        Assert.Equal(180, module.GetProperty("duration_minutes").GetInt32());
        Assert.Equal(50, module.GetProperty("pass_mark").GetInt32());
        Assert.Equal(_commit, module.GetProperty("commit").GetString());
        var first = module.GetProperty("sections")[0];
        Assert.Equal("decouvrir", first.GetProperty("id").GetString());
        Assert.Equal(["01-découvrir/intro.md", "01-découvrir/carnet.ipynb"], first.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("path").GetString()));
        Assert.Equal("video", first.GetProperty("resources")[0].GetProperty("kind").GetString());
        var questions = first.GetProperty("quiz").GetProperty("questions");
        Assert.Equal(["single_choice", "multiple_choice", "short_answer"], questions.EnumerateArray().Select(q => q.GetProperty("kind").GetString()));
        Assert.DoesNotContain("\"correct\"", module.GetRawText());
        Assert.DoesNotContain("additionnés", module.GetRawText());
        Assert.Contains(module.GetProperty("errors").EnumerateArray(), e => e.GetProperty("line").GetInt32() == 15);
        Assert.Equal("Enseigner Python en SNT (version 2)",
            JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/repos/alice/python-snt/module?ref=v2")).RootElement.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/repos/alice/python-snt/module/progress")).StatusCode);

        using var carol = _server.Client(_carol);
        var graded = await carol.PostAsJsonAsync("/api/v1/repos/alice/python-snt/module/quizzes/decouvrir",
            new { answers = new Dictionary<string, object> { ["q1"] = new[] { "1" }, ["q2"] = new[] { "0" }, ["q3"] = "DEF" } });
        var result = JsonDocument.Parse(await graded.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((2, 3, 66, true), (result.GetProperty("score").GetInt32(), result.GetProperty("max").GetInt32(), result.GetProperty("percent").GetInt32(), result.GetProperty("passed").GetBoolean()));
        Assert.False(result.GetProperty("questions")[1].GetProperty("correct").GetBoolean());

        var bad = await carol.PostAsJsonAsync("/api/v1/repos/alice/python-snt/module/pages/seen", new { path = "profs/corrigé.md" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("n’est pas une page de ce module", await bad.Content.ReadAsStringAsync());
        foreach (var path in new[] { "01-découvrir/intro.md", "01-découvrir/carnet.ipynb" })
            Assert.Equal(HttpStatusCode.OK, (await carol.PostAsJsonAsync("/api/v1/repos/alice/python-snt/module/pages/seen", new { path })).StatusCode);
        var progress = JsonDocument.Parse(await carol.GetStringAsync("/api/v1/repos/alice/python-snt/module/progress")).RootElement;
        Assert.Equal(2, progress.GetProperty("pages_seen").GetInt32());
        Assert.Equal(3, progress.GetProperty("pages_total").GetInt32());
        Assert.True(progress.GetProperty("sections")[0].GetProperty("complete").GetBoolean());
        Assert.Equal(66, progress.GetProperty("sections")[0].GetProperty("quiz_score").GetInt32());
        Assert.False(progress.GetProperty("complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("certificate_url").ValueKind);
        var done = await carol.PostAsJsonAsync("/api/v1/repos/alice/python-snt/module/pages/seen", new { path = "02-pratiquer/exercice.md" });
        var completed = JsonDocument.Parse(await done.Content.ReadAsStringAsync()).RootElement;
        Assert.True(completed.GetProperty("complete").GetBoolean());
        Assert.Contains("/alice/python-snt/module/-/certificate/", completed.GetProperty("certificate_url").GetString());

        var openapi = await anonymous.GetStringAsync("/api/v1/openapi.json");
        foreach (var path in new[] { "/repos/{owner}/{repo}/module", "/repos/{owner}/{repo}/module/progress", "/repos/{owner}/{repo}/module/pages/seen", "/repos/{owner}/{repo}/module/quizzes/{section}" })
            Assert.Contains($"\"/api/v1{path}\"", openapi);
    }
}
