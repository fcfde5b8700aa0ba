using System.Text.Json;
using Forge.Core.Modules;
using Forge.Web.Modules;
using Forge.Web.Rendering;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>Forge's own: training modules (<c>module.yml</c>) — outline, the caller's progress, pages seen, quizzes graded. Gitea has no equivalent.</summary>
public static partial class ApiV1
{
    private static void MapModules(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/module", GetModule)
            .WithName("forgeGetModule")
            .WithSummary("Forge's own: the training module of the repository at `ref` (default branch by default): title, objectives, duration, audience, pass mark, sections with pages, resources and quizzes (questions without their answers), and the problems of `module.yml` (file, line, French message). 404 without `module.yml`.");
        api.MapGet("/repos/{owner}/{repo}/module/progress", GetModuleProgress)
            .WithName("forgeGetModuleProgress")
            .WithSummary("Forge's own: the caller's progress in the module (signed in): pages seen, best quiz score and completion per section, completion date and certificate URL.");
        api.MapPost("/repos/{owner}/{repo}/module/pages/seen", PostModulePageSeen)
            .WithName("forgePostModulePageSeen")
            .WithSummary("Forge's own: marks a page of the module as seen by the caller (signed in); body `path` (a page of the module) → the progress. 422 for a path that is not a page of the module.");
        api.MapPost("/repos/{owner}/{repo}/module/quizzes/{section}", PostModuleQuiz)
            .WithName("forgePostModuleQuiz")
            .WithSummary("Forge's own: grades the quiz of a section; body `answers`: question id (`q1`, `q2`…) → chosen choice indexes (from 0, array) or the typed answer (string). → `score`, `max`, `percent`, `passed`, and per question `correct` and `feedback` (Markdown). The caller's best score is kept when signed in.");
    }

    /// <summary>Body of <c>POST …/module/pages/seen</c>.</summary>
    public sealed record ModulePageSeenOption(string? Path);

    /// <summary>Body of <c>POST …/module/quizzes/{section}</c>: question id → array of choice indexes, or a string.</summary>
    public sealed record ModuleQuizOption(Dictionary<string, JsonElement>? Answers);

    private static async Task<(RepoContext? Repo, LoadedModule? Module, IResult? Failure)> ModuleContextAsync(HttpContext context, string owner, string repo,
        string? refName, RepositoryService repositories, ModuleService modules, bool signedIn)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, null, failure);
        if (signedIn && !r!.Viewer.IsSignedIn) return (null, null, Unauthorized(context));
        if (modules.Load(r!, refName) is not { } loaded)
            return (null, null, Error(StatusCodes.Status404NotFound, "Ce dépôt n’a pas de module de formation (module.yml) à cette référence.", context.Request));
        if (loaded.Definition is null)
            return (null, null, Error(StatusCodes.Status422UnprocessableEntity, "module.yml ne décrit pas un module utilisable : " + string.Join(" ; ", loaded.Parsed.Errors), context.Request));
        return (r, loaded, null);
    }

    private static async Task<IResult> GetModule(HttpContext context, string owner, string repo, string? @ref, RepositoryService repositories, ModuleService modules)
    {
        var (r, m, failure) = await ModuleContextAsync(context, owner, repo, @ref, repositories, modules, signedIn: false);
        if (failure is not null) return failure;
        var d = m!.Definition!;
        var web = $"{context.Request.Scheme}://{context.Request.Host}{r!.BaseUrl}/module";
        return Results.Json(new
        {
            title = d.Title, description = d.Description, objectives = d.Objectives, duration_minutes = d.DurationMinutes, audience = d.Audience,
            pass_mark = d.PassMarkPercent, @ref = m.Ref, commit = m.Commit, html_url = web + "/" + m.RefQuery,
            errors = m.Parsed.Errors.Select(e => new { file = e.File, line = e.Line, message = e.Message }),
            sections = d.Sections.Select(s => new
            {
                id = s.Id, title = s.Title,
                pages = s.Pages.Select((p, i) => new { path = p.Path, title = p.Title, html_url = $"{web}/{s.Id}/{i + 1}{m.RefQuery}" }),
                resources = s.Resources.Select(x => new
                {
                    title = x.Title, kind = x.Kind.ToString().ToLowerInvariant(), path = x.Path,
                    url = x.Url ?? $"{context.Request.Scheme}://{context.Request.Host}{r.BaseUrl}/raw/{MarkdownRenderer.EncodePath(m.Ref)}/{MarkdownRenderer.EncodePath(x.Path!)}",
                }),
                quiz = s.Quiz is not { } q ? null : new
                {
                    path = q.Path, title = q.Title, html_url = $"{web}/{s.Id}/quiz{m.RefQuery}",
                    questions = q.Questions.Select(x => new
                    {
                        id = x.Id, kind = x.Kind switch { QuestionKind.SingleChoice => "single_choice", QuestionKind.MultipleChoice => "multiple_choice", _ => "short_answer" },
                        prompt = x.PromptMarkdown, choices = x.Choices.Select(c => c.TextMarkdown),
                    }),
                },
            }),
        }, ApiModels.Json);
    }

    private static object ProgressJson(HttpContext context, RepoContext r, LearnerProgress p) => new
    {
        pages_seen = p.PagesSeen, pages_total = p.PagesTotal, seen = p.Seen.Order(StringComparer.Ordinal), complete = p.Complete,
        sections = p.Sections.Select(s => new
        {
            id = s.Section.Id, pages_seen = s.PagesSeen, pages_total = s.Section.Pages.Count, quiz_score = s.QuizPercent, quiz_passed = s.QuizPassed, complete = s.Complete,
        }),
        completed_at = p.Entity?.CompletedAt,
        completed_commit = p.Entity?.CompletedCommit,
        certificate_url = p.Entity?.CertificateCode is { } code ? $"{context.Request.Scheme}://{context.Request.Host}{r.BaseUrl}/module/-/certificate/{code}" : null,
    };

    private static async Task<IResult> GetModuleProgress(HttpContext context, string owner, string repo, RepositoryService repositories, ModuleService modules)
    {
        var (r, m, failure) = await ModuleContextAsync(context, owner, repo, null, repositories, modules, signedIn: true);
        if (failure is not null) return failure;
        var progress = await modules.ProgressAsync(r!.Repository.Id, m!.Definition!, r.Viewer.UserId, context.RequestAborted);
        return Results.Json(ProgressJson(context, r, progress), ApiModels.Json);
    }

    private static async Task<IResult> PostModulePageSeen(HttpContext context, string owner, string repo, RepositoryService repositories, ModuleService modules)
    {
        var (r, m, failure) = await ModuleContextAsync(context, owner, repo, null, repositories, modules, signedIn: true);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<ModulePageSeenOption>(context);
        if (bad is not null) return bad;
        var path = (body!.Path ?? "").Trim().TrimStart('/');
        if (m!.Definition!.AllPages.FirstOrDefault(p => p.Path == path) is not { } page)
            return Error(StatusCodes.Status422UnprocessableEntity, $"« {path} » n’est pas une page de ce module.", context.Request);
        var progress = await modules.MarkSeenAsync(r!, m, r!.Viewer.UserId!.Value, page, context.RequestAborted);
        return Results.Json(ProgressJson(context, r, progress), ApiModels.Json);
    }

    private static async Task<IResult> PostModuleQuiz(HttpContext context, string owner, string repo, string section, RepositoryService repositories, ModuleService modules)
    {
        var (r, m, failure) = await ModuleContextAsync(context, owner, repo, null, repositories, modules, signedIn: false);
        if (failure is not null) return failure;
        if (m!.Definition!.Section(section) is not { Quiz: { } quiz } s)
            return Error(StatusCodes.Status404NotFound, $"Ce module n’a pas de section « {section} » avec un quiz.", context.Request);
        var (body, bad) = await BodyAsync<ModuleQuizOption>(context);
        if (bad is not null) return bad;
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (id, value) in (body!.Answers ?? []).Take(QuizParser.MaxQuestions))
        {
            answers[id] = value.ValueKind switch
            {
                JsonValueKind.Array => value.EnumerateArray().Take(QuizParser.MaxChoices).Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()).ToList(),
                JsonValueKind.String => [value.GetString() ?? ""],
                JsonValueKind.Number => [value.GetRawText()],
                _ => [],
            };
        }
        var result = QuizGrader.Grade(quiz, answers);
        var passed = result.Percent >= m.Definition.PassMarkPercent;
        if (r!.Viewer.UserId is { } user) await modules.RecordQuizAsync(r, m, user, s, result.Percent, context.RequestAborted);
        return Results.Json(new
        {
            score = result.Score, max = result.Max, percent = result.Percent, passed,
            questions = result.Questions.Select(q => new { id = q.QuestionId, correct = q.Correct, feedback = q.FeedbackMarkdown }),
        }, ApiModels.Json);
    }
}
