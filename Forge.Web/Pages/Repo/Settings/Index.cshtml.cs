using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Settings;

public sealed class IndexModel(RepositorySettingsService settings, RepositoryService repositories, GitReader reader) : RepoPageModel
{
    [BindProperty] public GeneralInput General { get; set; } = new();
    [BindProperty] public string? Visibility { get; set; }
    [BindProperty] public string? DefaultBranch { get; set; }
    [BindProperty] public string? NewOwner { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    [TempData] public string? Notice { get; set; }
    [BindProperty] public Forge.Web.Data.MergeStyle MergeStyle { get; set; }
    public IReadOnlyList<string> Branches { get; private set; } = [];

    public sealed class GeneralInput
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
    }

    public async Task OnGetAsync()
    {
        Load(fill: true);
        MergeStyle = await HttpContext.RequestServices.GetRequiredService<Forge.Web.MergeRequests.MergeRequestService>().StyleAsync(Repo.Repository.Id);
    }

    public async Task<IActionResult> OnPostGeneralAsync()
    {
        ModelState.Clear();
        var error = await settings.RenameAsync(Repo.Repository, General.Name, HttpContext.RequestAborted)
            ?? await settings.SetDescriptionAsync(Repo.Repository, General.Description, HttpContext.RequestAborted);
        if (error is not null) return Invalid($"General.{error.Field}", error.Message);
        return Done("Nom et description enregistrés.");
    }

    public async Task<IActionResult> OnPostVisibilityAsync()
    {
        ModelState.Clear();
        if (Visibility is not ("public" or "private")) return Invalid("Visibility", "Choisissez « Public » ou « Privé ».");
        if (await settings.SetVisibilityAsync(Repo.Repository, Visibility == "private", HttpContext.RequestAborted) is { } refused)
            return Invalid("Visibility", refused.Message);
        return Done(Visibility == "private" ? "Le dépôt est maintenant privé." : "Le dépôt est maintenant public.");
    }

    public async Task<IActionResult> OnPostDefaultBranchAsync()
    {
        ModelState.Clear();
        var error = await settings.SetDefaultBranchAsync(Repo.Repository, DefaultBranch, HttpContext.RequestAborted);
        if (error is not null) return Invalid("DefaultBranch", error.Message);
        return Done($"La branche par défaut est maintenant « {DefaultBranch} ».");
    }

    public async Task<IActionResult> OnPostMergeStyleAsync()
    {
        ModelState.Clear();
        if (!Enum.IsDefined(MergeStyle)) return Invalid("MergeStyle", "Choisissez une méthode de fusion.");
        await HttpContext.RequestServices.GetRequiredService<Forge.Web.MergeRequests.MergeRequestService>()
            .SaveStyleAsync(Repo.Repository, MergeStyle, HttpContext.RequestAborted);
        return Done("Méthode de fusion enregistrée.");
    }

    public async Task<IActionResult> OnPostTransferAsync()
    {
        ModelState.Clear();
        if (!Repo.IsOwnerOrAdmin) return NotFound();
        var error = await settings.TransferAsync(Repo.Repository, NewOwner, HttpContext.RequestAborted, Repo.Viewer);
        if (error is not null) return Invalid("NewOwner", error.Message);
        return Redirect(Repo.BaseUrl);
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        ModelState.Clear();
        if (!Repo.IsOwnerOrAdmin) return NotFound();
        if (!string.Equals(Confirm?.Trim(), Repo.FullName, StringComparison.Ordinal))
            return Invalid("Confirm", $"Pour confirmer, tapez exactement « {Repo.FullName} ».");
        await repositories.DeleteAsync(Repo.Repository, HttpContext.RequestAborted);
        return Redirect("/");
    }

    private IActionResult Invalid(string key, string message)
    {
        ModelState.AddModelError(key, message);
        Load(fill: false);
        return Page();
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect($"{Repo.BaseUrl}/settings");
    }

    private void Load(bool fill)
    {
        Branches = reader.Branches(Repo.GitPath);
        if (!fill) return;
        General = new GeneralInput { Name = Repo.Name, Description = Repo.Repository.Description };
        Visibility = Repo.Repository.IsPrivate ? "private" : "public";
        DefaultBranch = Repo.Repository.DefaultBranch;
    }
}
