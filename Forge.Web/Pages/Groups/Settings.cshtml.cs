using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Groups;

/// <summary><c>/{group}/-/settings</c>, owners (and admins) only, 404 for anyone else: description, visibility, name, deletion.</summary>
public sealed class SettingsModel(GroupService groups, RepositoryService repositories) : GroupPageModel(groups, repositories)
{
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public AccountVisibility Visibility { get; set; }
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    [BindProperty] public string? Parent { get; set; }

    /// <summary>Where the « Déplacer » form may put the group, and its current parent (as the viewer may see it).</summary>
    public async Task<(List<ForgeUser> Targets, ForgeUser? Current)> MoveChoicesAsync() =>
        (await Groups.MoveTargetsAsync(Group, Viewer, HttpContext.RequestAborted),
         Group.ParentGroupId is { } id ? await Groups.FindByIdAsync(id, HttpContext.RequestAborted) : null);

    protected override bool Allowed() => GroupService.IsOwner(Group, Viewer);

    public void OnGet() => Fill();

    private void Fill()
    {
        FullName ??= Group.FullName;
        Description ??= Group.Description;
        NewName ??= Group.UserName;
        if (!Request.HasFormContentType || !Request.Form.ContainsKey(nameof(Visibility))) Visibility = Group.Visibility;
    }

    public async Task<IActionResult> OnPostEditAsync()
    {
        ModelState.Clear();
        if (await Groups.EditAsync(Group, FullName, Description, HttpContext.RequestAborted) is { } error) return Invalid(error.Field, error.Message);
        return Done("Description enregistrée.", "settings");
    }

    public async Task<IActionResult> OnPostVisibilityAsync()
    {
        ModelState.Clear();
        if (await Groups.SetVisibilityAsync(Group, Visibility, HttpContext.RequestAborted) is { } error) return Invalid("Visibility", error.Message);
        return Done($"Le groupe est maintenant {GroupService.VisibilityLabel(Group.Visibility).ToLowerInvariant()}.", "settings");
    }

    public async Task<IActionResult> OnPostRenameAsync()
    {
        ModelState.Clear();
        if (await Groups.RenameAsync(Group, NewName, HttpContext.RequestAborted) is { } error) return Invalid("NewName", error.Message);
        return Done($"Le groupe s’appelle maintenant {Group.UserName} ; l’ancienne adresse redirige vers la nouvelle.", "settings");
    }

    public async Task<IActionResult> OnPostMoveAsync()
    {
        ModelState.Clear();
        if (await Groups.MoveAsync(Group, Viewer, Parent, HttpContext.RequestAborted) is { } error) return Invalid("Parent", error.Message);
        return Done(string.IsNullOrWhiteSpace(Parent) ? "Le groupe est maintenant un groupe de premier niveau."
            : $"Le groupe est maintenant un sous-groupe de {Parent.Trim()}.", "settings");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        ModelState.Clear();
        if (!string.Equals(Confirm?.Trim(), Group.UserName, StringComparison.Ordinal))
            return Invalid("Confirm", $"Tapez exactement « {Group.UserName} » pour confirmer la suppression.");
        if (await Groups.DeleteAsync(Group, HttpContext.RequestAborted) is { } error) return Invalid("Confirm", error.Message);
        return Redirect("/" + Uri.EscapeDataString(User.Identity?.Name ?? ""));
    }

    private IActionResult Invalid(string key, string message)
    {
        ModelState.AddModelError(key, message);
        Fill();
        return Page();
    }
}
