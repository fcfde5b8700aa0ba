using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>The « Suivre » button of the repository header: follows or stops following, then goes back to the page it was pressed on.</summary>
public sealed class WatchModel(NotificationService notifications) : RepoPageModel
{
    public IActionResult OnGet() => Redirect(Repo.BaseUrl);

    public async Task<IActionResult> OnPostAsync(bool watch, string? returnUrl)
    {
        if (Repo.Viewer.UserId is not { } me) return Challenge();
        await notifications.SetWatchingAsync(me, Repo.Repository.Id, watch, HttpContext.RequestAborted);
        return Redirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : Repo.BaseUrl);
    }
}
