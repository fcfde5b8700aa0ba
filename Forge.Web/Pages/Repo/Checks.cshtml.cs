using Forge.Jobs.Checks;
using Forge.Web.Checks;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>One run of the automatic checks: each test, and the captured output (whoever reads the repository).</summary>
public sealed class ChecksModel(CheckSettingsService settings) : RepoPageModel
{
    public CheckRun Run { get; private set; } = null!;
    public IReadOnlyList<CheckTest> Tests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (await settings.RunAsync(Repo.Repository.Id, id, HttpContext.RequestAborted) is not { } run) return NotFound();
        Run = run;
        Tests = CheckSettingsService.Tests(run);
        return Page();
    }
}
