using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// <c>/{class}/-/assignments/{id}/students/{student}</c> (teachers): one student's copy: the diff against the starter code, the
/// feedback merge request (opened on first use) for line comments, the grade or competency level, and « Rouvrir » (an extension;
/// for a pupil who has not accepted, the only thing offered: their copy is made with the new deadline).
/// </summary>
public sealed class SubmissionModel(GroupService groups, RepositoryService repositories, ClassroomService classes)
    : ClassPageModel(groups, repositories, classes)
{
    protected override bool TeachersOnly => true;
    public Assignment Assignment { get; private set; } = null!;
    public SubmissionRow Row { get; private set; } = null!;
    /// <summary>The pupil's copy; null for a pupil who has not accepted (the page then offers « Rouvrir » only).</summary>
    public AssignmentCopy? Copy => Row.Copy;
    [BindProperty] public string? Grade { get; set; }
    [BindProperty] public Competency Competency { get; set; }
    [BindProperty] public DateTime? Until { get; set; }

    private async Task<bool> LoadAsync(long id, string student)
    {
        var ct = HttpContext.RequestAborted;
        if (await AssignmentAsync(id) is not { } a) return false;
        Assignment = a;
        if (await Classes.PupilAsync(a, student, ct) is not { } user) return false;
        Row = await Classes.RowAsync(a, user, await Classes.CopyOfAsync(a.Id, user.Id, ct), ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(long id, string student)
    {
        if (!await LoadAsync(id, student)) return NotFound();
        Grade = Copy?.Grade;
        Competency = Copy?.Competency ?? Competency.None;
        return Page();
    }

    private string Here => $"{BaseUrl}/-/assignments/{Assignment.Id}/students/{Uri.EscapeDataString(Row.Student.UserName!)}";

    public async Task<IActionResult> OnPostFeedbackAsync(long id, string student)
    {
        if (!await LoadAsync(id, student) || Copy is null) return NotFound();
        var (number, error) = await Classes.FeedbackAsync(Assignment, Copy, Row.Student, Viewer, HttpContext.RequestAborted);
        if (error is not null) return Invalid("", error);
        return Redirect($"{AssignmentModel.RepoUrl(Copy)}/merge_requests/{number}/changes");
    }

    public async Task<IActionResult> OnPostGradeAsync(long id, string student)
    {
        var (grade, competency) = (Grade, Competency);
        if (!await LoadAsync(id, student) || Copy is null) return NotFound();
        if (await Classes.GradeAsync(Copy, grade, competency, HttpContext.RequestAborted) is { } error) return Invalid(nameof(Grade), error);
        Notice = "Note enregistrée : l’élève la voit sur la page du devoir.";
        return Redirect(Here);
    }

    public async Task<IActionResult> OnPostReopenAsync(long id, string student)
    {
        var until = ModelState.TryGetValue(nameof(Until), out var entry) && entry.Errors.Count > 0 ? null : ClassroomService.FromParis(Until);
        if (!await LoadAsync(id, student)) return NotFound();
        if (await Classes.ReopenAsync(Assignment, Row.Student, until, HttpContext.RequestAborted) is { } error) return Invalid(nameof(Until), error);
        Notice = $"Devoir rouvert pour {Row.Student.UserName} jusqu’au {ClassroomService.Paris(until!.Value)}.";
        return Redirect(Here);
    }

    private IActionResult Invalid(string key, string message)
    {
        ModelState.Clear();
        ModelState.AddModelError(key, message);
        return Page();
    }
}
