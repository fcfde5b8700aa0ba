using Forge.Git;
using Forge.Web.Forks;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// « Synchroniser avec la source »: where the fork's default branch stands against its source (GET), and the fast-forward
/// itself (POST, writers of the fork), which comes back to the page it was pressed on with a French message.
/// </summary>
public sealed class ForkSyncModel(ForkService forks) : RepoPageModel
{
    public (SyncOutcome Outcome, string Branch, string SourceBranch, ForkParent Parent)? Comparison { get; private set; }
    public ForkParent? Parent { get; private set; }

    public async Task OnGetAsync()
    {
        Parent = await forks.SourceOfAsync(Repo.Repository, Repo.Viewer, HttpContext.RequestAborted);
        Comparison = await forks.CompareAsync(Repo.Repository, Repo.Viewer, null, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var result = await forks.SyncAsync(Repo.Repository, Repo.Viewer, null, HttpContext.RequestAborted);
        if (result.Forbidden && !Repo.CanWrite) return NotFound();
        TempData[ForkNotices.Key] = result.Message;
        TempData[ForkNotices.KindKey] = result.Status == SyncStatus.FastForwarded ? "success" : result.Ok ? "info" : "error";
        return Redirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : $"{Repo.BaseUrl}/sync");
    }
}
