using System.Text.Json;
using Forge.Core.Modules;
using Forge.Web.Modules;
using Forge.Web.Rendering;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>Forge's own: training modules (<c>module.yml</c>) — outline, the caller's progress, pages seen, quizzes graded. Gitea has no equivalent.</summary>
public static partial class ApiV1
{
    /// <summary>A problem of <c>module.yml</c> or of a quiz file (French).</summary>
    public sealed record ApiModuleError(string File, int? Line, string Message);

    public sealed record ApiModulePage(string Path, string Title, string HtmlUrl);

    /// <summary>A resource of a section: a file of the repository or an external link (<c>url</c>).</summary>
    public sealed record ApiModuleResource(string Title, string Kind, string? Path, string Url);

    /// <summary>A question without its answers; <c>kind</c>: <c>single_choice</c>, <c>multiple_choice</c> or <c>short_answer</c>; Markdown texts.</summary>
    public sealed record ApiQuizQuestion(string Id, string Kind, string Prompt, List<string> Choices);

    public sealed record ApiModuleQuiz(string Path, string Title, string HtmlUrl, List<ApiQuizQuestion> Questions);

    public sealed record ApiModuleSection(string Id, string Title, List<ApiModulePage> Pages, List<ApiModuleResource> Resources, ApiModuleQuiz? Quiz);

    /// <summary>A training module's outline.</summary>
    public sealed record ApiModule
    {
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public IReadOnlyList<string> Objectives { get; init; } = [];
        public int? DurationMinutes { get; init; }
        public string? Audience { get; init; }
        /// <summary>The quiz score (percent) a section needs to count as passed.</summary>
        public int PassMark { get; init; }
        public string Ref { get; init; } = "";
        public string Commit { get; init; } = "";
        public string HtmlUrl { get; init; } = "";
        public List<ApiModuleError> Errors { get; init; } = [];
        public List<ApiModuleSection> Sections { get; init; } = [];
    }

    public sealed record ApiSectionProgress(string Id, int PagesSeen, int PagesTotal, int? QuizScore, bool QuizPassed, bool Complete);

    /// <summary>The caller's progress in a module.</summary>
    public sealed record ApiModuleProgress(int PagesSeen, int PagesTotal, List<string> Seen, bool Complete, List<ApiSectionProgress> Sections,
        DateTime? CompletedAt, string? CompletedCommit, string? CertificateUrl);

    /// <summary>Per question: right or not, and the feedback (Markdown).</summary>
    public sealed record ApiQuestionResult(string Id, bool Correct, string? Feedback);

    public sealed record ApiQuizResult(int Score, int Max, int Percent, bool Passed, List<ApiQuestionResult> Questions);

    private static void MapModules(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/module", GetModule)
            .WithName("forgeGetModule")
            .WithSummary("Forge's own: the training module of the repository at `ref` (default branch by default): title, objectives, duration, audience, pass mark, sections with pages, resources and quizzes (questions without their answers), and the problems of `module.yml` (file, line, French message). 404 without `module.yml`; 422 when it describes no usable module.")
            .Produces<ApiModule>().Errors(422);
        api.MapGet("/repos/{owner}/{repo}/module/progress", GetModuleProgress)
            .WithName("forgeGetModuleProgress")
            .WithSummary("Forge's own: the caller's progress in the module (signed in): pages seen, best quiz score and completion per section, completion date and certificate URL.")
            .Produces<ApiModuleProgress>().Errors(422);
        api.MapPost("/repos/{owner}/{repo}/module/pages/seen", PostModulePageSeen)
            .WithName("forgePostModulePageSeen")
            .WithSummary("Forge's own: marks a page of the module as seen by the caller (signed in); body `path` (a page of the module) → the progress. 422 for a path that is not a page of the module.")
            .RequestBody(typeof(ModulePageSeenOption)).Produces<ApiModuleProgress>().Errors(422);
        api.MapPost("/repos/{owner}/{repo}/module/quizzes/{section}", PostModuleQuiz)
            .WithName("forgePostModuleQuiz")
            .WithSummary("Forge's own: grades the quiz of a section; body `answers`: question id (`q1`, `q2`…) → chosen choice indexes (from 0, array) or the typed answer (string). → `score`, `max`, `percent`, `passed`, and per question `correct` and `feedback` (Markdown). The caller's best score is kept when signed in.")
            .RequestBody(typeof(ModuleQuizOption)).Produces<ApiQuizResult>().Errors(422);
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
        return Results.Json(new ApiModule
        {
            Title = d.Title, Description = d.Description, Objectives = d.Objectives, DurationMinutes = d.DurationMinutes, Audience = d.Audience,
            PassMark = d.PassMarkPercent, Ref = m.Ref, Commit = m.Commit, HtmlUrl = web + "/" + m.RefQuery,
            Errors = m.Parsed.Errors.Select(e => new ApiModuleError(e.File, e.Line, e.Message)).ToList(),
            Sections = d.Sections.Select(s => new ApiModuleSection(s.Id, s.Title,
                s.Pages.Select((p, i) => new ApiModulePage(p.Path, p.Title, $"{web}/{s.Id}/{i + 1}{m.RefQuery}")).ToList(),
                s.Resources.Select(x => new ApiModuleResource(x.Title, x.Kind.ToString().ToLowerInvariant(), x.Path,
                    x.Url ?? $"{context.Request.Scheme}://{context.Request.Host}{r.BaseUrl}/raw/{MarkdownRenderer.EncodePath(m.Ref)}/{MarkdownRenderer.EncodePath(x.Path!)}")).ToList(),
                s.Quiz is not { } q ? null : new ApiModuleQuiz(q.Path, q.Title, $"{web}/{s.Id}/quiz{m.RefQuery}",
                    q.Questions.Select(x => new ApiQuizQuestion(x.Id,
                        x.Kind switch { QuestionKind.SingleChoice => "single_choice", QuestionKind.MultipleChoice => "multiple_choice", _ => "short_answer" },
                        x.PromptMarkdown, x.Choices.Select(c => c.TextMarkdown).ToList())).ToList()))).ToList(),
        }, ApiModels.Json);
    }

    private static ApiModuleProgress ProgressJson(HttpContext context, RepoContext r, LearnerProgress p) => new(
        p.PagesSeen, p.PagesTotal, p.Seen.Order(StringComparer.Ordinal).ToList(), p.Complete,
        p.Sections.Select(s => new ApiSectionProgress(s.Section.Id, s.PagesSeen, s.Section.Pages.Count, s.QuizPercent, s.QuizPassed, s.Complete)).ToList(),
        p.Entity?.CompletedAt,
        p.Entity?.CompletedCommit,
        p.Entity?.CertificateCode is { } code ? $"{context.Request.Scheme}://{context.Request.Host}{r.BaseUrl}/module/-/certificate/{code}" : null);

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
        return Results.Json(new ApiQuizResult(result.Score, result.Max, result.Percent, passed,
            result.Questions.Select(q => new ApiQuestionResult(q.QuestionId, q.Correct, q.FeedbackMarkdown)).ToList()), ApiModels.Json);
    }
}
