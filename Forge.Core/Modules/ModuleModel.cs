namespace Forge.Core.Modules;

/// <summary>A training module (Magistère-style), read from the <c>module.yml</c> at the root of a repository.</summary>
public sealed record ModuleDefinition(string Title, string? Description, IReadOnlyList<string> Objectives, int? DurationMinutes,
    string? Audience, IReadOnlyList<ModuleSection> Sections)
{
    /// <summary>The quiz score (in percent, 0–100) a learner needs for a section to count as passed: <c>pass_mark:</c>, 50 by default.</summary>
    public int PassMarkPercent { get; init; } = ModuleParser.DefaultPassMark;

    /// <summary>Every page of the module, in order.</summary>
    public IEnumerable<ModulePage> AllPages => Sections.SelectMany(s => s.Pages);

    public ModuleSection? Section(string id) => Sections.FirstOrDefault(s => s.Id == id);
}

/// <summary>A section of a module; <see cref="Id"/> is a stable slug (from <c>id:</c> or the title), unique in the module.</summary>
public sealed record ModuleSection(string Id, string Title, IReadOnlyList<ModulePage> Pages,
    IReadOnlyList<ModuleResourceLink> Resources, Quiz? Quiz);

/// <summary>A page: a repository-relative path of a Markdown file (<c>.md</c>) or a notebook (<c>.ipynb</c>).</summary>
public sealed record ModulePage(string Path, string Title);

/// <summary>A resource of a section: a file of the repository (<see cref="Path"/>) or an http(s) <see cref="Url"/>.</summary>
public sealed record ModuleResourceLink(string Title, string? Path, string? Url, ResourceLinkKind Kind);

public enum ResourceLinkKind { File, Video, Link }

/// <summary>A quiz written in Markdown (see <see cref="QuizParser"/>).</summary>
public sealed record Quiz(string Path, string Title, IReadOnlyList<QuizQuestion> Questions);

/// <summary>A question; <see cref="Id"/> is <c>q1</c>, <c>q2</c>… in the order of the file.</summary>
public sealed record QuizQuestion(string Id, QuestionKind Kind, string PromptMarkdown, IReadOnlyList<QuizChoice> Choices,
    IReadOnlyList<string> AcceptedAnswers, string? FeedbackMarkdown);

public enum QuestionKind { SingleChoice, MultipleChoice, ShortAnswer }

public sealed record QuizChoice(string TextMarkdown, bool Correct, string? FeedbackMarkdown);

/// <summary>A problem of a module, in French, with the file and (when known) the line it is on.</summary>
public sealed record ModuleError(string File, int? Line, string Message)
{
    /// <summary>« module.yml, ligne 12 : … ».</summary>
    public override string ToString() => Line is { } l ? $"{File}, ligne {l} : {Message}" : $"{File} : {Message}";
}

/// <summary>The module (null when it cannot be used at all) and every problem found. A module with errors is not published.</summary>
public sealed record ModuleParseResult(ModuleDefinition? Module, IReadOnlyList<ModuleError> Errors)
{
    public bool IsValid => Module is not null && Errors.Count == 0;
}

/// <summary>The result of a quiz: one point per question answered right.</summary>
public sealed record QuizResult(int Score, int Max, IReadOnlyList<QuestionResult> Questions)
{
    /// <summary>The score in percent, rounded down (0 for an empty quiz).</summary>
    public int Percent => Max == 0 ? 0 : Score * 100 / Max;
}

/// <summary>Whether a question was answered right, and the feedback to show: the chosen choices' feedback, then the question's.</summary>
public sealed record QuestionResult(string QuestionId, bool Correct, string? FeedbackMarkdown);
