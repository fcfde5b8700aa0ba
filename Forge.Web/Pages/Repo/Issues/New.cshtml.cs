using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Issues;

/// <summary>Opens an issue (signed-in readers, while issues are on). A refused form keeps what was typed.</summary>
public sealed class NewModel(IssueService issues) : RepoPageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Body { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await issues.EnabledAsync(Repo.Repository.Id, HttpContext.RequestAborted)) return NotFound();
        return Repo.Viewer.IsSignedIn ? Page() : Challenge();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var (issue, error) = await issues.CreateAsync(Repo, Title, Body, HttpContext.RequestAborted);
        if (issue is not null) return Redirect($"{Repo.BaseUrl}/issues/{issue.Number}");
        if (error!.Status == StatusCodes.Status403Forbidden) return NotFound();
        ModelState.AddModelError(error.Field, error.Message);
        Response.StatusCode = error.Status;
        return Page();
    }
}
