using Forge.Web.Modules;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Module;

/// <summary><c>/{owner}/{repo}/module/</c>: the module's outline, the learner's progress and, for writers, the problems of the module and its learners' aggregate progress.</summary>
public sealed class IndexModel(ModuleService modules) : ModulePageModel(modules)
{
    public ModuleAggregate? Aggregate { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? @ref)
    {
        if (!await LoadAsync(@ref, needDefinition: false)) return NotFound();
        if (Loaded.Definition is { } d && Repo.CanWrite) Aggregate = await Modules.AggregateAsync(Repo.Repository.Id, d, HttpContext.RequestAborted);
        return Page();
    }
}
