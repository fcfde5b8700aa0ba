using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Groups;

[Authorize]
public sealed class NewModel(GroupService groups) : PageModel
{
    [BindProperty] public GroupInput Input { get; set; } = new();
    /// <summary>Groups where the viewer may create a subgroup.</summary>
    public IReadOnlyList<ForgeUser> Parents { get; private set; } = [];

    public sealed class GroupInput
    {
        public string? Name { get; set; }
        public string? FullName { get; set; }
        public string? Description { get; set; }
        public AccountVisibility Visibility { get; set; } = AccountVisibility.Public;
        public string? Parent { get; set; }
    }

    public async Task OnGetAsync(string? parent)
    {
        Input.Parent = parent;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var viewer = await HttpContext.ViewerAsync();
        var (group, error) = await groups.CreateAsync(viewer, Input.Name, Input.FullName, Input.Description, Input.Visibility, Input.Parent,
            HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError($"Input.{error.Field}", error.Message);
            await LoadAsync();
            return Page();
        }
        return Redirect($"/{Uri.EscapeDataString(group!.UserName!)}");
    }

    private async Task LoadAsync() =>
        Parents = await groups.GroupsWhereAsync(await HttpContext.ViewerAsync(), GroupRole.Maintainer, HttpContext.RequestAborted);
}
