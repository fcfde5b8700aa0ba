using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Settings;

public sealed class BranchesModel(RepositorySettingsService settings) : RepoPageModel
{
    [BindProperty] public RuleInput New { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public List<ProtectedBranch> Rules { get; private set; } = [];

    public sealed class RuleInput
    {
        public string? Pattern { get; set; }
        public PushLevel PushLevel { get; set; } = PushLevel.Maintainers;
        public bool AllowForcePush { get; set; }
        public bool AllowDeletion { get; set; }
        public int RequiredApprovals { get; set; }
    }

    public async Task OnGetAsync() => Rules = await settings.ProtectedBranchesAsync(Repo.Repository, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAddAsync()
    {
        ModelState.Clear();
        var (rule, error) = await settings.SaveProtectedBranchAsync(Repo.Repository, null, New.Pattern, New.PushLevel, New.AllowForcePush,
            New.AllowDeletion, HttpContext.RequestAborted, New.RequiredApprovals);
        if (error is not null) return await InvalidAsync($"New.{error.Field}", error.Message);
        return Done($"Règle ajoutée pour « {rule!.Pattern} ».");
    }

    public async Task<IActionResult> OnPostUpdateAsync(long id, RuleInput rule)
    {
        ModelState.Clear();
        var existing = (await settings.ProtectedBranchesAsync(Repo.Repository, HttpContext.RequestAborted)).FirstOrDefault(r => r.Id == id);
        if (existing is null) return NotFound();
        var (saved, error) = await settings.SaveProtectedBranchAsync(Repo.Repository, existing, rule.Pattern, rule.PushLevel, rule.AllowForcePush,
            rule.AllowDeletion, HttpContext.RequestAborted, rule.RequiredApprovals);
        if (error is not null) return await InvalidAsync($"rule-{id}-{error.Field}", error.Message);
        return Done($"Règle « {saved!.Pattern} » enregistrée.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id)
    {
        var existing = (await settings.ProtectedBranchesAsync(Repo.Repository, HttpContext.RequestAborted)).FirstOrDefault(r => r.Id == id);
        if (existing is null) return NotFound();
        await settings.DeleteProtectedBranchAsync(existing, HttpContext.RequestAborted);
        return Done($"Règle « {existing.Pattern} » supprimée.");
    }

    private async Task<IActionResult> InvalidAsync(string key, string message)
    {
        ModelState.AddModelError(key, message);
        await OnGetAsync();
        return Page();
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect($"{Repo.BaseUrl}/settings/branches");
    }
}
