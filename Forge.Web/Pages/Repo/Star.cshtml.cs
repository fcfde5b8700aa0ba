using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>The star button of the repository header: stars or unstars, then goes back to the page it was pressed on.</summary>
public sealed class StarModel(StarService stars) : RepoPageModel
{
    public IActionResult OnGet() => Redirect(Repo.BaseUrl);

    public async Task<IActionResult> OnPostAsync(bool star, string? returnUrl)
    {
        if (Repo.Viewer.UserId is not { } me) return Challenge();
        if (star) await stars.StarAsync(Repo.Repository, me, HttpContext.RequestAborted);
        else await stars.UnstarAsync(Repo.Repository, me, HttpContext.RequestAborted);
        return Redirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : Repo.BaseUrl);
    }
}
