using Forge.Web.Data;
using Forge.Web.Forks;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>« Forker »: a copy of the repository in the viewer's own account, linked to its source.</summary>
public sealed class ForkModel(ForkService forks) : RepoPageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool Private { get; set; }

    /// <summary>The viewer's existing forks of this repository, shown so a second copy is made knowingly.</summary>
    public IReadOnlyList<RepositoryEntity> Mine { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        Name = Repo.Name;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Repo.Viewer.UserId is not { } me) return Challenge();
        ModelState.Clear();
        var (fork, error) = await forks.ForkAsync(Repo.Repository, Repo.Viewer, me, Name, Private, HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(error.Field == "Name" ? "Name" : "", error.Message);
            await LoadAsync();
            return Page();
        }
        TempData[ForkNotices.Key] = $"Fork créé : {fork!.Owner.UserName}/{fork.Name}, depuis {Repo.FullName}.";
        return Redirect($"/{fork.Owner.UserName}/{fork.Name}");
    }

    private async Task LoadAsync() =>
        Mine = (await forks.ListReadableForksAsync(Repo.Repository, Repo.Viewer, HttpContext.RequestAborted))
            .Where(f => f.OwnerId == Repo.Viewer.UserId).ToList();
}
