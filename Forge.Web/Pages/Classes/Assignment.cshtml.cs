using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// <c>/{class}/-/assignments/{id}</c>. For the class's teachers, the dashboard: one row per student (status, last push, commits,
/// changed files, checks, link to the diff against the starter code, grade), the archive of every submission and bulk clone
/// instructions. For a student: the instructions, « Accepter le devoir », their copy, « Rendre le devoir », the checks and
/// the teacher's feedback (grade, competency, line comments).
/// </summary>
public sealed class AssignmentModel(GroupService groups, RepositoryService repositories, ClassroomService classes, MarkdownRenderer markdown,
    ForgeDbContext db, Checks.CheckSettingsService checkSettings) : ClassPageModel(groups, repositories, classes)
{
    public Assignment Assignment { get; private set; } = null!;
    public string InstructionsHtml { get; private set; } = "";
    public IReadOnlyList<SubmissionRow> Rows { get; private set; } = [];
    /// <summary>The student's own row (null for teachers, or before acceptance: then <see cref="Copy"/> is null).</summary>
    public SubmissionRow? Mine { get; private set; }
    public AssignmentCopy? Copy => Mine?.Copy;
    public string? ClosedReason { get; private set; }
    public IReadOnlyList<MergeRequestComment> Feedback { get; private set; } = [];
    /// <summary>Team work, before the pupil is in a team: the teams (names and sizes: not their members, who are classmates).</summary>
    public IReadOnlyList<AssignmentCopy> Teams { get; private set; } = [];
    [BindProperty] public string? Team { get; set; }
    /// <summary>A member of the class itself (not only of an enclosing group, who sees the class but is no pupil of it).</summary>
    public bool IsPupil { get; private set; }
    /// <summary>The copy's latest commit has no verdict yet but will get one (checks are on): the page offers to refresh.</summary>
    public bool ChecksAwaited => Mine is { Checks: null or { IsPending: true }, TipSha: not null } && ChecksEnabled;
    private bool ChecksEnabled { get; set; }
    public Dictionary<long, string> FeedbackHtml { get; } = [];

    public string Host => $"{Request.Scheme}://{Request.Host}";
    public static string RepoUrl(AssignmentCopy c) => $"/{Uri.EscapeDataString(c.Repository.Owner.UserName!)}/{Uri.EscapeDataString(c.Repository.Name)}";
    public static string DiffUrl(AssignmentCopy c) => $"{RepoUrl(c)}/compare/{ClassroomService.FeedbackBranch}...{Uri.EscapeDataString(c.Repository.DefaultBranch)}";

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (!await LoadAsync(id)) return NotFound();
        return Page();
    }

    private async Task<bool> LoadAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        if (await AssignmentAsync(id) is not { } a) return false;
        Assignment = a;
        InstructionsHtml = a.Instructions is { } text ? markdown.Render(text, null) : "";
        if (IsTeacher)
        {
            Rows = await Classes.SubmissionsAsync(a, ct);
            return true;
        }
        if (await MeAsync() is not { } me) return false;
        IsPupil = Viewer.IsAdmin || await Classes.IsMemberOfClassAsync(a.ClassId, me.Id, ct);
        var copy = await Classes.CopyOfAsync(a.Id, me.Id, ct);
        Mine = await Classes.RowAsync(a, me, copy, ct);
        ChecksEnabled = copy is not null && await checkSettings.GetAsync(copy.RepositoryId, ct) is { Enabled: true };
        ClosedReason = Classes.ClosedReason(a, copy);
        if (copy is null && a.IsTeamWork) Teams = await Classes.TeamsAsync(a.Id, ct);
        if (copy?.FeedbackNumber is { } number)
        {
            Feedback = await db.MergeRequests.Where(m => m.TargetRepositoryId == copy.RepositoryId && m.Number == number)
                .SelectMany(m => m.Comments).Include(c => c.Author).OrderBy(c => c.Path).ThenBy(c => c.Line).ThenBy(c => c.CreatedAt).ToListAsync(ct);
            foreach (var c in Feedback) FeedbackHtml[c.Id] = markdown.Render(c.Body, null);
        }
        return true;
    }

    public async Task<IActionResult> OnPostAcceptAsync(long id)
    {
        if (await AssignmentAsync(id) is not { } a || await MeAsync() is not { } me) return NotFound();
        var (copy, error) = await Classes.AcceptAsync(a, me, Viewer, Team, HttpContext.RequestAborted);
        if (error is not null) return await InvalidAsync(id, error, a.IsTeamWork ? nameof(Team) : "");
        Notice = copy!.TeamName is { } team
            ? $"Vous êtes dans l’équipe « {team} ». Sa copie : {copy.Repository.Owner.UserName}/{copy.Repository.Name}, que seuls l’équipe et vos enseignants voient."
            : $"Votre copie est prête : {copy.Repository.Owner.UserName}/{copy.Repository.Name}. Vous seul et vos enseignants la voyez.";
        return Redirect($"{BaseUrl}/-/assignments/{id}");
    }

    public async Task<IActionResult> OnPostSubmitAsync(long id)
    {
        if (await AssignmentAsync(id) is not { } a || await MeAsync() is not { } me) return NotFound();
        if (await Classes.CopyOfAsync(a.Id, me.Id, HttpContext.RequestAborted) is not { } copy) return await InvalidAsync(id, "Acceptez d’abord le devoir.");
        if (await Classes.SubmitAsync(a, copy, HttpContext.RequestAborted) is { } error) return await InvalidAsync(id, error);
        Notice = "Devoir rendu. Vous pouvez encore envoyer des modifications jusqu’à la date limite.";
        return Redirect($"{BaseUrl}/-/assignments/{id}");
    }

    [BindProperty] public DateTime? ClosesAt { get; set; }

    public async Task<IActionResult> OnPostDatesAsync(long id)
    {
        var invalid = ModelState.TryGetValue(nameof(ClosesAt), out var entry) && entry.Errors.Count > 0;
        if (!IsTeacher || await AssignmentAsync(id) is not { } a) return NotFound();
        if (invalid) return await InvalidAsync(id, "Indiquez une date et une heure valides (jj/mm/aaaa hh:mm).", nameof(ClosesAt));
        if (await Classes.SetDatesAsync(a, a.OpensAt, ClassroomService.FromParis(ClosesAt), HttpContext.RequestAborted) is { } error)
            return await InvalidAsync(id, error.Message, nameof(ClosesAt));
        Notice = ClosesAt is null ? "Le devoir n’a plus de date limite." : "Date limite enregistrée.";
        return Redirect($"{BaseUrl}/-/assignments/{id}");
    }

    /// <summary>The teacher takes <paramref name="student"/> out of their team (see <see cref="ClassroomService.RemoveFromTeamAsync"/>).</summary>
    public async Task<IActionResult> OnPostRemoveMemberAsync(long id, string? student)
    {
        if (!IsTeacher || await AssignmentAsync(id) is not { } a) return NotFound();
        if (await Classes.RemoveFromTeamAsync(a, student ?? "", HttpContext.RequestAborted) is { } error) return await InvalidAsync(id, error);
        Notice = SharedResource.T("{0} ne fait plus partie de son équipe : il peut en rejoindre ou en créer une autre.", student);
        return Redirect($"{BaseUrl}/-/assignments/{id}");
    }

    private async Task<IActionResult> InvalidAsync(long id, string message, string key = "")
    {
        var team = Team;
        ModelState.Clear();
        Team = team;
        ModelState.AddModelError(key, message);
        if (!await LoadAsync(id)) return NotFound();
        return Page();
    }
}
