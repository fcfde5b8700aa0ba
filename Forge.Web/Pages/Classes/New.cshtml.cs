using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Classes;

/// <summary><c>/classes/new</c>: a teacher creates a class inside a group they maintain (404 for students).</summary>
[Authorize]
public sealed class NewModel(ClassroomService classes, GroupService groups, UserManager<ForgeUser> users) : PageModel
{
    [BindProperty] public ClassInput Input { get; set; } = new();
    public IReadOnlyList<ForgeUser> Parents { get; private set; } = [];

    public sealed class ClassInput
    {
        public string? Parent { get; set; }
        public string? Name { get; set; }
        public string? FullName { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string? parent)
    {
        if (await users.GetUserAsync(User) is not { } me || !ClassroomService.MayCreateClasses(me)) return NotFound();
        Input.Parent = parent;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (await users.GetUserAsync(User) is not { } me || !ClassroomService.MayCreateClasses(me)) return NotFound();
        var (group, error) = await classes.CreateClassAsync(me, await HttpContext.ViewerAsync(), Input.Parent, Input.Name, Input.FullName, HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(error.Field is "Name" or "Parent" or "FullName" ? $"Input.{error.Field}" : "Input.Name", error.Message);
            await LoadAsync();
            return Page();
        }
        return Redirect($"/{Uri.EscapeDataString(group!.UserName!)}/-/class");
    }

    private async Task LoadAsync() =>
        Parents = (await groups.GroupsWhereAsync(await HttpContext.ViewerAsync(), GroupRole.Maintainer, HttpContext.RequestAborted)).Where(g => !g.IsClass).ToList();
}
