using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// <c>/{class}/-/class</c>: the class's assignments for everyone in it; for its teachers also the join code and link
/// (regenerate, turn off), the number of students and the pupil accounts page.
/// </summary>
public sealed class ClassModel(GroupService groups, RepositoryService repositories, ClassroomService classes) : ClassPageModel(groups, repositories, classes)
{
    public SchoolClass? Room { get; private set; }
    public IReadOnlyList<Assignment> Assignments { get; private set; } = [];
    public int StudentCount { get; private set; }
    public string JoinLink => $"{Request.Scheme}://{Request.Host}/classes/join/{Room?.JoinCode}";

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Assignments = await Classes.AssignmentsAsync(Group.Id, ct);
        if (IsTeacher)
        {
            Room = (await Classes.FindClassAsync(Group.UserName, Viewer, ct)).Room;
            StudentCount = (await Classes.StudentsAsync(Group.Id, ct)).Count;
        }
    }

    public async Task<IActionResult> OnPostCodeAsync(string? action)
    {
        if (!IsTeacher) return NotFound();
        var room = (await Classes.FindClassAsync(Group.UserName, Viewer, HttpContext.RequestAborted)).Room;
        if (room is null) return NotFound();
        switch (action)
        {
            case "regenerate":
                var code = await Classes.RegenerateCodeAsync(room, HttpContext.RequestAborted);
                return Done($"Nouveau code : {code}. L’ancien code ne fonctionne plus.", "class");
            case "disable":
                await Classes.SetJoinEnabledAsync(room, false, HttpContext.RequestAborted);
                return Done("Les élèves ne peuvent plus rejoindre la classe avec le code.", "class");
            default:
                await Classes.SetJoinEnabledAsync(room, true, HttpContext.RequestAborted);
                return Done("Les élèves peuvent rejoindre la classe avec le code.", "class");
        }
    }
}
