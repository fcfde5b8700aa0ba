using Forge.Core.Licences;
using Forge.Git;
using Forge.Web.Compliance;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>The licence report of a repository: readable by whoever can read the repository; the fix, by its writers.</summary>
public sealed class LicencesModel(ComplianceStore compliance, LicenceFixService fixer) : RepoPageModel
{
    public LicenceReport? Report { get; private set; }
    /// <summary>The default branch's tip: the report is current when it was made at this commit.</summary>
    public string? Tip { get; private set; }
    [TempData] public string? Notice { get; set; }
    [BindProperty] public string? Licence { get; set; }
    [BindProperty] public string? ExpectedTip { get; set; }

    public bool IsCurrent => Report is not null && Report.CommitSha == Tip;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostFixAsync()
    {
        ModelState.Clear();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var result = await fixer.AddLicenceFileAsync(Repo, Licence, ExpectedTip, HttpContext.RequestAborted);
        if (result.Ok)
        {
            Notice = $"Le fichier LICENSE ({LicenceCatalogue.Canonical(Licence)}) a été ajouté à la branche {Repo.Repository.DefaultBranch}. " +
                     "Le rapport est mis à jour dans quelques secondes.";
            return Redirect(Repo.BaseUrl + "/licences");
        }
        ModelState.AddModelError("", result.Message ?? "La modification a été refusée.");
        Response.StatusCode = result.Status switch
        {
            WriteStatus.BranchMoved => StatusCodes.Status409Conflict,
            WriteStatus.Protected => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Report = await compliance.ReportAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Tip = fixer.Tip(Repo);
    }

    public static string SeverityLabel(FindingSeverity s) => s switch
    {
        FindingSeverity.Error => "Problème",
        FindingSeverity.Warning => "À vérifier",
        _ => "Conseil",
    };

    public static string MethodLabel(MatchMethod m) => m switch
    {
        MatchMethod.Text => "texte complet",
        MatchMethod.ModifiedText => "texte modifié",
        _ => "mention",
    };
}
