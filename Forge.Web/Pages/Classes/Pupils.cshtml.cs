using Forge.Web.Classroom;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// <c>/{class}/-/pupils</c> (teachers): pseudonymous pupil accounts from a list of display names; the answer is the printable page
/// of cards with user names and one-time passwords, shown once (only their hashes are kept).
/// </summary>
public sealed class PupilsModel(GroupService groups, RepositoryService repositories, ClassroomService classes) : ClassPageModel(groups, repositories, classes)
{
    protected override bool TeachersOnly => true;
    [BindProperty] public string? Names { get; set; }
    public IReadOnlyList<PupilAccount> Created { get; private set; } = [];
    public string SignInUrl => $"{Request.Scheme}://{Request.Host}/user/login";

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var (created, error) = await Classes.CreatePupilsAsync(Group, Names, HttpContext.RequestAborted);
        if (error is not null) ModelState.AddModelError(nameof(Names), error);
        Created = created;
        // The passwords are in this answer only: never cached, never kept.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
