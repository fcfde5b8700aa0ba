using Forge.Web.Classroom;
using Forge.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Classes;

/// <summary><c>/classes/join</c> and <c>/classes/join/{code}</c>: a signed-in person joins a class with its code.</summary>
[Authorize]
public sealed class JoinModel(ClassroomService classes, UserManager<ForgeUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        var (group, error) = await classes.JoinAsync(Code, me, HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Code), error);
            return Page();
        }
        return Redirect($"/{Uri.EscapeDataString(group!.UserName!)}/-/class");
    }
}
