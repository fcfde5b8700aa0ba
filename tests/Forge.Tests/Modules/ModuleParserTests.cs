using Forge.Core.Modules;
using Xunit;

namespace Forge.Tests.Modules;

public sealed class ModuleParserTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["01-découvrir/intro.md"] = "---\ntitle: Bienvenue\n---\n# Pas ce titre\n",
        ["01-découvrir/notions.md"] = "# Les variables\n\nTexte.",
        ["01-découvrir/carnet.ipynb"] = """{"cells":[{"cell_type":"markdown","source":["# Premier carnet\n","texte"]}],"nbformat":4}""",
        ["01-découvrir/quiz.md"] = """
            # Quiz de découverte

            ## Que vaut `2 + 3` ?
            - [ ] 23
              > Les nombres sont additionnés, pas collés.
            - [x] 5

            > L’addition de deux entiers donne un entier.

            ## Quels types sont des nombres ?

            ```python
            x = 3.5
            ```

            - [x] int
            - [x] float
            - [ ] str
              > Une chaîne n’est pas un nombre.

            ## Quel mot-clé définit une fonction ?
            = def
            = DEF
            > On écrit `def nom():`.
            """,
        ["media/intro.mp4"] = "",
        ["media/fiche.pdf"] = "",
        ["profs/corrigé.md"] = "# Corrigé",
    };

    private static string? Read(string path) => Files.GetValueOrDefault(path);

    private const string Valid = """
        title: Enseigner Python en SNT
        description: Un parcours de 3 heures pour débuter.
        objectives: [Écrire un premier programme, Concevoir une activité débranchée]
        duration: 3h
        audience: enseignants de SNT
        pass_mark: 70
        sections:
          - title: Découvrir
            pages: [01-découvrir/intro.md, {path: 01-découvrir/notions.md, title: Les notions}, 01-découvrir/carnet.ipynb]
            resources:
              - {title: Vidéo d’introduction, file: media/intro.mp4}
              - {title: Documentation Python, url: "https://docs.python.org/fr/3/"}
              - media/fiche.pdf
            quiz: 01-découvrir/quiz.md
          - title: Découvrir
            id: approfondir
            pages: 01-découvrir/notions.md
        """;

    [Fact]
    public void A_valid_module_is_read_with_its_pages_resources_and_quiz()
    {
        var result = ModuleParser.Parse(Valid, Read);
        Assert.Empty(result.Errors);
        var m = result.Module!;
        Assert.Equal("Enseigner Python en SNT", m.Title);
        Assert.Equal(["Écrire un premier programme", "Concevoir une activité débranchée"], m.Objectives);
        Assert.Equal(180, m.DurationMinutes);
        Assert.Equal("enseignants de SNT", m.Audience);
        Assert.Equal(70, m.PassMarkPercent);
        Assert.Equal(["decouvrir", "approfondir"], m.Sections.Select(s => s.Id));
        var s = m.Sections[0];
        Assert.Equal([("01-découvrir/intro.md", "Bienvenue"), ("01-découvrir/notions.md", "Les notions"), ("01-découvrir/carnet.ipynb", "Premier carnet")],
            s.Pages.Select(p => (p.Path, p.Title)));
        Assert.Equal(new ModuleResourceLink("Vidéo d’introduction", "media/intro.mp4", null, ResourceLinkKind.Video), s.Resources[0]);
        Assert.Equal(new ModuleResourceLink("Documentation Python", null, "https://docs.python.org/fr/3/", ResourceLinkKind.Link), s.Resources[1]);
        Assert.Equal(new ModuleResourceLink("fiche.pdf", "media/fiche.pdf", null, ResourceLinkKind.File), s.Resources[2]);

        var quiz = s.Quiz!;
        Assert.Equal("Quiz de découverte", quiz.Title);
        Assert.Equal([QuestionKind.SingleChoice, QuestionKind.MultipleChoice, QuestionKind.ShortAnswer], quiz.Questions.Select(q => q.Kind));
        Assert.Equal(["q1", "q2", "q3"], quiz.Questions.Select(q => q.Id));
        var q1 = quiz.Questions[0];
        Assert.Equal("Que vaut `2 + 3` ?", q1.PromptMarkdown);
        Assert.Equal("Les nombres sont additionnés, pas collés.", q1.Choices[0].FeedbackMarkdown);
        Assert.Equal("L’addition de deux entiers donne un entier.", q1.FeedbackMarkdown);
        Assert.Contains("```python\nx = 3.5\n```", quiz.Questions[1].PromptMarkdown);
        Assert.Equal(3, quiz.Questions[1].Choices.Count);
        Assert.Equal(["def", "DEF"], quiz.Questions[2].AcceptedAnswers);
        Assert.Equal("On écrit `def nom():`.", quiz.Questions[2].FeedbackMarkdown);
    }

    [Fact]
    public void The_grader_scores_each_kind_and_gives_the_chosen_choices_feedback()
    {
        var quiz = ModuleParser.Parse(Valid, Read).Module!.Sections[0].Quiz!;
        Dictionary<string, IReadOnlyList<string>> right = new() { ["q1"] = ["1"], ["q2"] = ["0", "1"], ["q3"] = ["  Déf "] };
        var all = QuizGrader.Grade(quiz, right);
        Assert.Equal((3, 3, 100), (all.Score, all.Max, all.Percent));
        Assert.All(all.Questions, q => Assert.True(q.Correct));

        Dictionary<string, IReadOnlyList<string>> wrong = new() { ["q1"] = ["0"], ["q2"] = ["0", "1", "2"], ["q3"] = ["function"] };
        var none = QuizGrader.Grade(quiz, wrong);
        Assert.Equal((0, 3), (none.Score, none.Max));
        Assert.Equal("Les nombres sont additionnés, pas collés.\n\nL’addition de deux entiers donne un entier.", none.Questions[0].FeedbackMarkdown);
        Assert.Equal("Une chaîne n’est pas un nombre.", none.Questions[1].FeedbackMarkdown);

        // Partial multiple choice, a forged index, two answers to a single choice, nothing at all: all wrong.
        Dictionary<string, IReadOnlyList<string>> forged = new() { ["q1"] = ["1", "0"], ["q2"] = ["0", "7"] };
        Assert.Equal(0, QuizGrader.Grade(quiz, forged).Score);
        Assert.Equal(0, QuizGrader.Grade(quiz, new Dictionary<string, IReadOnlyList<string>>()).Score);
    }

    [Theory]
    [InlineData("title: M\nsections:\n  - title: A\n  pages: x", 4, "erreur de syntaxe YAML")]
    [InlineData("title: M\ncolour: bleu\nsections:\n  - title: A\n    pages: [01-découvrir/notions.md]", 2, "clé inconnue « colour »")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages:\n      - 01-découvrir/absente.md", 5, "« 01-découvrir/absente.md » : ce fichier n’existe pas")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages: [../secret.md]", 4, "contient « .. »")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages: [01-découvrir/notions.md]\n    resources:\n      - {title: X, url: \"javascript:alert(1)\"}", 6, "n’est pas un lien http ou https")]
    [InlineData("title: M\nduration: bientôt\nsections:\n  - title: A\n    pages: [01-découvrir/notions.md]", 2, "durée « bientôt » incomprise")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages: [media/fiche.pdf]", 4, "seuls les fichiers .md, .markdown, .ipynb")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages: [01-découvrir/notions.md]\n  - title: B\n    id: A B\n    pages: [01-découvrir/notions.md]", 6, "un identifiant de section")]
    [InlineData("title: M\nsections:\n  - title: A\n    pages: [profs/corrigé.md]", 4, "réservé(e) aux enseignants")]
    public void Each_problem_of_module_yml_is_explained_with_its_line(string yaml, int line, string message)
    {
        var result = ModuleParser.Parse(yaml, Read, p => p.StartsWith("profs/", StringComparison.Ordinal));
        var error = Assert.Single(result.Errors);
        Assert.Equal("module.yml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"module.yml, ligne {line} : ", error.ToString());
    }

    [Fact]
    public void A_module_without_title_or_sections_is_not_a_module()
    {
        var broken = ModuleParser.Parse("title: M\nsections:\n  - title: A\n    pages: [a.md\n  - title: B", Read);
        Assert.Null(broken.Module);
        Assert.Contains("erreur de syntaxe YAML", Assert.Single(broken.Errors).Message);

        var result = ModuleParser.Parse("description: rien\n", Read);
        Assert.Null(result.Module);
        Assert.Contains(result.Errors, e => e.Message.Contains("« title: » manque"));
        Assert.Contains(result.Errors, e => e.Message.Contains("« sections: » manque"));
    }

    [Theory]
    [InlineData("# Q\n\n## Deux et deux ?\n- [ ] 3\n- [ ] 5\n", 3, "aucune bonne réponse")]
    [InlineData("# Q\n\n## Deux et deux ?\n\n## Suivante\n= x\n", 3, "ni choix")]
    [InlineData("# Q\n\n## Deux et deux ?\n- [x] 4\n= quatre\n", 5, "mélanger des choix")]
    [InlineData("# Q\n\n## Deux et deux ?\n- [x] 4\n- [ ] 5\n\nTexte perdu\n", 7, "texte inattendu")]
    [InlineData("# Q\n\n## Deux et deux ?\n- [x] 4\n", 3, "un seul choix")]
    [InlineData("# Q\n\n## Deux et deux ?\n=   \n", 4, "réponse vide")]
    public void Each_problem_of_a_quiz_is_explained_with_its_line_and_the_question_is_left_out(string markdown, int line, string message)
    {
        var (quiz, errors) = QuizParser.Parse("quiz.md", markdown);
        var error = Assert.Single(errors);
        Assert.Equal(("quiz.md", line), (error.File, error.Line));
        Assert.Contains(message, error.Message);
        Assert.Contains("Deux et deux ?", error.Message);
        Assert.DoesNotContain(quiz?.Questions ?? [], q => q.PromptMarkdown.StartsWith("Deux", StringComparison.Ordinal));
    }

    [Fact]
    public void A_quiz_error_reaches_the_module_with_the_quiz_file_and_line()
    {
        var files = new Dictionary<string, string>(Files) { ["q.md"] = "# Q\n\n## Bonne ?\n- [x] oui\n- [ ] non\n\n## Sans réponse\n- [ ] a\n- [ ] b\n" };
        var result = ModuleParser.Parse("title: M\nsections:\n  - title: A\n    quiz: q.md", p => files.GetValueOrDefault(p));
        var error = Assert.Single(result.Errors);
        Assert.Equal("q.md, ligne 7 : question « Sans réponse » : aucune bonne réponse : cochez au moins un choix avec « - [x] ».", error.ToString());
        Assert.Single(result.Module!.Sections[0].Quiz!.Questions);
    }

    [Theory]
    [InlineData("3h", 180)]
    [InlineData("1h30", 90)]
    [InlineData("1 h 30", 90)]
    [InlineData("90min", 90)]
    [InlineData("90 minutes", 90)]
    [InlineData("2 heures", 120)]
    [InlineData("45", 45)]
    [InlineData("bientôt", null)]
    [InlineData("0", null)]
    public void Durations_are_read_in_hours_and_minutes(string text, int? minutes) => Assert.Equal(minutes, ModuleText.ParseDuration(text));
}
