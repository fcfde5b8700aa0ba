using Forge.Git;
using Forge.Web.Compliance;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// Likely personal data of pupils found in the repository: maintainers only (404 for anyone else, exactly as for a
/// missing page). A false positive is dismissed per file, and stays dismissed until the file changes.
/// </summary>
public sealed class PrivacyModel(ComplianceStore compliance, GitReader reader) : RepoPageModel
{
    public IReadOnlyList<PrivacyFindingView> Findings { get; private set; } = [];
    public PrivacyHold? Hold { get; private set; }
    public bool Scanned { get; private set; }
    [TempData] public string? Notice { get; set; }
    [BindProperty] public string? Path { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Repo.CanAdmin) return NotFound();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDismissAsync()
    {
        if (!Repo.CanAdmin) return NotFound();
        ModelState.Clear();
        if (string.IsNullOrEmpty(Path) || !await compliance.DismissAsync(Repo.Repository.Id, Path, Repo.Viewer.UserId, HttpContext.RequestAborted))
        {
            ModelState.AddModelError("", $"Aucun constat ne concerne « {Path} » : la page était peut-être ancienne. Rechargez-la.");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync();
            return Page();
        }
        Notice = $"Les constats de « {Path} » sont écartés. Ils réapparaîtront si le fichier est modifié.";
        return Redirect(Repo.BaseUrl + "/privacy");
    }

    private async Task LoadAsync()
    {
        Findings = await compliance.PrivacyFindingsAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Hold = await compliance.HoldAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Scanned = (await compliance.PrivacyScannedAsync(Repo.Repository.Id, HttpContext.RequestAborted)).Count > 0 || reader.IsEmpty(Repo.GitPath);
    }

    public string FileUrl(PrivacyFindingView f) =>
        $"{Repo.BaseUrl}/blob/{Rendering.MarkdownRenderer.EncodePath(f.RefName)}/{Rendering.MarkdownRenderer.EncodePath(f.Path)}{(f.Line is { } l ? "#L" + l : "")}";
}
