using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Settings;

public sealed class CollaboratorsModel(RepositorySettingsService settings) : RepoPageModel
{
    [BindProperty] public AddInput Add { get; set; } = new();
    [TempData] public string? Notice { get; set; }
    public List<Collaborator> Collaborators { get; private set; } = [];

    public sealed class AddInput
    {
        public string? UserName { get; set; }
        public CollaboratorRole Role { get; set; } = CollaboratorRole.Writer;
    }

    public async Task OnGetAsync() => Collaborators = await settings.CollaboratorsAsync(Repo.Repository, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAddAsync()
    {
        ModelState.Clear();
        var (added, error) = await settings.SetCollaboratorAsync(Repo.Repository, Add.UserName, Add.Role, HttpContext.RequestAborted);
        if (error is not null) return await InvalidAsync($"Add.{error.Field}", error.Message);
        return Done($"{added!.User.UserName} est maintenant {Labels.Role(added.Role).ToLowerInvariant()} de ce dépôt.");
    }

    public async Task<IActionResult> OnPostRoleAsync(string? userName, CollaboratorRole role)
    {
        ModelState.Clear();
        var (changed, error) = await settings.SetCollaboratorAsync(Repo.Repository, userName, role, HttpContext.RequestAborted);
        if (error is not null) return await InvalidAsync($"role-{userName}", error.Message);
        return Done($"{changed!.User.UserName} est maintenant {Labels.Role(changed.Role).ToLowerInvariant()} de ce dépôt.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? userName)
    {
        if (userName is null || !await settings.RemoveCollaboratorAsync(Repo.Repository, userName, HttpContext.RequestAborted))
            return await InvalidAsync("", $"« {userName} » n’est pas collaborateur de ce dépôt.");
        return Done($"{userName} n’est plus collaborateur de ce dépôt.");
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
        return Redirect($"{Repo.BaseUrl}/settings/collaborators");
    }
}
