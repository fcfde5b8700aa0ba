using Forge.Core.Modules;
using Forge.Web.Modules;
using Forge.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Module;

/// <summary>
/// <c>/{owner}/{repo}/module/{section}/quiz</c>: a section's quiz as a plain form. The page never holds the answers: the
/// server grades the POST (<see cref="QuizGrader"/>), then shows the score and each question's feedback; a signed-in
/// learner's best score is kept. An unanswered question is refused with its error, and the other answers are kept.
/// </summary>
public sealed class QuizModel(ModuleService modules, MarkdownRenderer markdown) : ModulePageModel(modules)
{
    public ModuleSection Section { get; private set; } = null!;
    public Quiz Quiz { get; private set; } = null!;
    public Dictionary<string, IReadOnlyList<string>> Answers { get; } = new(StringComparer.Ordinal);
    public QuizResult? Result { get; private set; }

    private async Task<bool> FindAsync(string section, string? refName)
    {
        if (!await LoadAsync(refName) || Definition.Section(section) is not { Quiz: { } quiz } s) return false;
        (Section, Quiz) = (s, quiz);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string section, string? @ref) => await FindAsync(section, @ref) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string section, string? @ref)
    {
        if (!await FindAsync(section, @ref)) return NotFound();
        for (var i = 0; i < Quiz.Questions.Count; i++)
        {
            var q = Quiz.Questions[i];
            var given = Request.Form[q.Id].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Length > 500 ? v[..500] : v!).Take(QuizParser.MaxChoices).ToList();
            Answers[q.Id] = given;
            if (given.Count == 0)
                ModelState.AddModelError(q.Id, q.Kind == QuestionKind.ShortAnswer ? SharedResource.T("Écrivez une réponse à la question {0}.", i + 1)
                    : SharedResource.T("Choisissez une réponse à la question {0}.", i + 1));
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        Result = QuizGrader.Grade(Quiz, Answers);
        if (Repo.Viewer.UserId is { } user && Loaded.IsDefaultBranch)
            Progress = await Modules.RecordQuizAsync(Repo, Loaded, user, Section, Result.Percent, HttpContext.RequestAborted);
        return Page();
    }

    public bool Passed => Result is not null && Result.Percent >= Definition.PassMarkPercent;

    public string? ErrorOf(string id) => ModelState.TryGetValue(id, out var e) && e.Errors.Count > 0 ? e.Errors[0].ErrorMessage : null;

    private MarkdownContext Context(string path) =>
        new(Repo.Owner, Repo.Name, Loaded.Ref, path.Contains('/') ? path[..path.LastIndexOf('/')] : "");

    /// <summary>A prompt or feedback, rendered as a page fragment.</summary>
    public string Block(string text) => markdown.RenderPage(text, Context(Quiz.Path)).Html;

    /// <summary>A choice, rendered inline (its lone paragraph unwrapped) so it can sit in its label.</summary>
    public string Inline(string text)
    {
        var html = markdown.Render(text, Context(Quiz.Path)).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0
            ? html[3..^4] : html;
    }

    public bool Chosen(QuizQuestion q, int index) => Answers.TryGetValue(q.Id, out var a) && a.Contains(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public string Typed(QuizQuestion q) => Answers.TryGetValue(q.Id, out var a) ? a.FirstOrDefault() ?? "" : "";
}
