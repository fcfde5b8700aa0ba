using Forge.Web.Classroom;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Classes;

/// <summary><c>/{class}/-/assignments/new</c> (teachers): title, exercise repository, Markdown instructions, opening and closing dates (Paris time).</summary>
public sealed class NewAssignmentModel(GroupService groups, RepositoryService repositories, ClassroomService classes) : ClassPageModel(groups, repositories, classes)
{
    protected override bool TeachersOnly => true;
    [BindProperty] public AssignmentInput Input { get; set; } = new();

    public sealed class AssignmentInput
    {
        public string? Title { get; set; }
        public string? Template { get; set; }
        public string? Instructions { get; set; }
        public DateTime? OpensAt { get; set; }
        public DateTime? ClosesAt { get; set; }
        public int? TeamSize { get; set; } = 1;
    }

    public void OnGet(string? template) => Input.Template = template;

    public async Task<IActionResult> OnPostAsync()
    {
        // Bad dates arrive as model errors from binding: said in French on their field, the rest of the form kept.
        foreach (var key in new[] { "Input.OpensAt", "Input.ClosesAt", "Input.TeamSize" })
            if (ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            {
                ModelState.Clear();
                ModelState.AddModelError(key, key == "Input.TeamSize" ? ClassroomService.TeamSizeError : "Indiquez une date et une heure valides (jj/mm/aaaa hh:mm).");
                return Page();
            }
        ModelState.Clear();
        var (a, warning, error) = await Classes.CreateAssignmentAsync(Group, Viewer, Input.Title, Input.Template, Input.Instructions,
            ClassroomService.FromParis(Input.OpensAt), ClassroomService.FromParis(Input.ClosesAt), Input.TeamSize ?? 1, HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(error.Field.Length > 0 ? $"Input.{error.Field}" : "", error.Message);
            return Page();
        }
        Notice = warning is null ? "Devoir créé." : "Devoir créé. " + warning;
        return Redirect($"{BaseUrl}/-/assignments/{a!.Id}");
    }
}
