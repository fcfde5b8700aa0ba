using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class BranchesModel(GitReader reader, ContentService content) : RepoPageModel
{
    public IReadOnlyList<BranchInfo> Branches { get; private set; } = [];
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? From { get; set; }

    public void OnGet() => Branches = reader.BranchList(Repo.GitPath);

    public async Task<IActionResult> OnPostCreateAsync()
    {
        ModelState.Clear();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var result = await content.CreateBranchAsync(Repo, NewName ?? "", From ?? Repo.Repository.DefaultBranch, HttpContext.RequestAborted);
        if (result.Ok) return Redirect($"{Repo.BaseUrl}/branches");
        ModelState.AddModelError(result.Status == WriteStatus.NotFound ? nameof(From) : nameof(NewName), result.Message!);
        OnGet();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string name)
    {
        ModelState.Clear();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var result = await content.DeleteBranchAsync(Repo, name, HttpContext.RequestAborted);
        if (result.Ok) return Redirect($"{Repo.BaseUrl}/branches");
        ModelState.AddModelError("", result.Message!);
        OnGet();
        return Page();
    }
}
