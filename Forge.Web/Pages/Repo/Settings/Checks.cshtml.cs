using Forge.Jobs.Checks;
using Forge.Web.Checks;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Settings;

/// <summary>« Vérifications automatiques »: on or off, and the tests' folder (maintainers; the folder filter answers 404 to others).</summary>
public sealed class ChecksModel(CheckSettingsService settings, Sandbox sandbox) : RepoPageModel
{
    [BindProperty] public bool Enabled { get; set; }
    [BindProperty] public string? Folder { get; set; }
    [TempData] public string? Notice { get; set; }
    public string? Unavailable { get; private set; }
    public List<CheckRun> Runs { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var current = await settings.GetAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Enabled = current?.Enabled ?? false;
        Folder = current?.Folder ?? CheckSettingsService.DefaultFolder;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var error = await settings.SaveAsync(Repo.Repository.Id, Enabled, Folder ?? "", HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Folder), error);
            await LoadAsync();
            return Page();
        }
        Notice = Enabled ? "Vérifications automatiques activées : elles s’exécuteront après chaque push." : "Vérifications automatiques désactivées.";
        return Redirect($"{Repo.BaseUrl}/settings/checks");
    }

    private async Task LoadAsync()
    {
        Unavailable = sandbox.Unavailable();
        Runs = await settings.RecentRunsAsync(Repo.Repository.Id, 20, HttpContext.RequestAborted);
    }
}
