using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// A repository's issue labels: everyone who reads the repository sees them; maintainers create, change and delete them,
/// and turn the repository's issues on or off (« Tickets activés »).
/// </summary>
public sealed class LabelsModel(IssueService issues) : RepoPageModel
{
    public IReadOnlyList<Label> Labels { get; private set; } = [];
    public bool IssuesEnabled { get; private set; }
    [TempData] public string? Notice { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Color { get; set; }
    [BindProperty] public string? Description { get; set; }
    /// <summary>The label whose form was refused (null: the creation form).</summary>
    public long? FailedId { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(long? id)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var (label, error) = await issues.SaveLabelAsync(Repo, id, Name, Color, Description, HttpContext.RequestAborted);
        if (error is not null)
        {
            if (error.Status == StatusCodes.Status403Forbidden) return NotFound();
            FailedId = id;
            ModelState.AddModelError((id is null ? "new-" : $"label-{id}-") + error.Field, error.Message);
            Response.StatusCode = error.Status;
            await LoadAsync();
            return Page();
        }
        Notice = id is null ? "Label créé." : "Label enregistré.";
        return Redirect($"{Repo.BaseUrl}/labels#label-{label!.Id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (await issues.DeleteLabelAsync(Repo, id, HttpContext.RequestAborted) is not null) return NotFound();
        Notice = "Label supprimé.";
        return Redirect($"{Repo.BaseUrl}/labels");
    }

    public async Task<IActionResult> OnPostIssuesAsync(bool enabled)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (await issues.SetEnabledAsync(Repo, enabled, HttpContext.RequestAborted) is not null) return NotFound();
        Notice = enabled ? "Les tickets sont activés." : "Les tickets sont désactivés.";
        return Redirect($"{Repo.BaseUrl}/labels");
    }

    private async Task LoadAsync()
    {
        Labels = await issues.LabelsAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        IssuesEnabled = await issues.EnabledAsync(Repo.Repository.Id, HttpContext.RequestAborted);
    }
}
