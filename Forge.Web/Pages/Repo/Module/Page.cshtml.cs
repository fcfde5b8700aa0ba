using Forge.Core.Modules;
using Forge.Web.Modules;
using Forge.Web.Pages.Repo.Site;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Module;

/// <summary>
/// <c>/{owner}/{repo}/module/{section}/{n}</c>: page n (from 1) of a section, rendered like a course site's page. Opening it
/// counts it as seen for a signed-in learner (on the default branch); an anonymous learner's browser keeps it (module.js).
/// </summary>
public sealed class PageModel(ModuleService modules) : ModulePageModel(modules)
{
    public ModuleSection Section { get; private set; } = null!;
    public ModulePage ModulePage { get; private set; } = null!;
    public int Index { get; private set; }
    public ModulePageContent Rendered { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string section, int n, string? @ref)
    {
        if (!await LoadAsync(@ref) || Definition.Section(section) is not { } s || n < 1 || n > s.Pages.Count) return NotFound();
        (Section, Index, ModulePage) = (s, n - 1, s.Pages[n - 1]);
        Rendered = Modules.Render(Repo, Loaded, ModulePage);
        if (Rendered.HasExercise) Response.Headers.ContentSecurityPolicy = SitePageModel.ExercisePolicy;
        if (Repo.Viewer.UserId is { } user && Loaded.IsDefaultBranch)
            Progress = await Modules.MarkSeenAsync(Repo, Loaded, user, ModulePage, HttpContext.RequestAborted);
        return Page();
    }
}
