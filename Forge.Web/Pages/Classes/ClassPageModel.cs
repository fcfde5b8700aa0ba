using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Classes;

/// <summary>
/// Base of the pages under <c>/{class}/-/</c> that only a class has (a class is a private group): 404 for a group that is not
/// a class, and for whoever may not see it, as for every group page.
/// </summary>
public abstract class ClassPageModel(GroupService groups, RepositoryService repositories, ClassroomService classes) : Pages.Groups.GroupPageModel(groups, repositories)
{
    protected ClassroomService Classes { get; } = classes;
    public bool IsTeacher => ClassroomService.IsTeacherOf(Group, Viewer);

    protected override bool Allowed() => Group.IsClass && (!TeachersOnly || IsTeacher);

    /// <summary>True for pages only the class's teachers open (404 for students).</summary>
    protected virtual bool TeachersOnly => false;

    /// <summary>The signed-in person, or null.</summary>
    protected Task<ForgeUser?> MeAsync() => Viewer.UserId is { } id
        ? HttpContext.RequestServices.GetRequiredService<ForgeDbContext>().Users.FirstOrDefaultAsync(u => u.Id == id, HttpContext.RequestAborted)
        : Task.FromResult<ForgeUser?>(null);

    /// <summary>The assignment <paramref name="id"/> of this class, or null.</summary>
    protected async Task<Assignment?> AssignmentAsync(long id) =>
        await Classes.FindAssignmentAsync(id, HttpContext.RequestAborted) is { } a && a.ClassId == Group.Id ? a : null;
}
