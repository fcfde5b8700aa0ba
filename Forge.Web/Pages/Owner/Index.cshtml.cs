using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Owner;

public sealed class IndexModel(UserManager<ForgeUser> users, RepositoryService repositories) : PageModel
{
    public ForgeUser Owner { get; private set; } = null!;
    public IReadOnlyList<RepositoryEntity> Repositories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string owner)
    {
        var user = await users.FindByNameAsync(owner);
        if (user is null) return NotFound();
        Owner = user;
        Repositories = await repositories.ListVisibleAsync(user.Id, await HttpContext.ViewerAsync(), HttpContext.RequestAborted);
        return Page();
    }
}
