using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Repos;

public sealed class NewModel(RepositoryService repositories, ContentService content, UserManager<ForgeUser> users) : PageModel
{
    [BindProperty] public NewRepositoryInput Input { get; set; } = new();

    public sealed class NewRepositoryInput
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string Visibility { get; set; } = "public";
        /// <summary>Checked on the blank form; a post without the field (an old client) creates an empty repository.</summary>
        public bool Initialize { get; set; }
    }

    public void OnGet() => Input.Initialize = true;

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var owner = await users.GetUserAsync(User);
        if (owner is null) return Challenge();
        var (repo, error) = await repositories.CreateAsync(owner, Input.Name, Input.Description, Input.Visibility == "private", HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError($"Input.{error.Field}", error.Message);
            return Page();
        }
        if (Input.Initialize) await content.InitializeAsync(repo!, owner, HttpContext.RequestAborted);
        return Redirect($"/{owner.UserName}/{repo!.Name}");
    }
}
