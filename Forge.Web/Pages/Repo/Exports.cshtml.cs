using Forge.Web.Modules.Exports;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary><c>/{owner}/{repo}/export</c>: the module's exports for Moodle-based platforms, by version (404 without a module).</summary>
public sealed class ExportsModel(ModuleExportCatalog catalog) : RepoPageModel
{
    public IReadOnlyList<ExportVersion> Versions { get; private set; } = [];

    public IActionResult OnGet()
    {
        Versions = catalog.Versions(Repo.Repository, Repo.Owner, Repo.GitPath);
        return Versions.Count == 0 ? NotFound() : Page();
    }
}
