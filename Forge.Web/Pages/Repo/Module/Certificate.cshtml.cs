using Forge.Web.Data;
using Forge.Web.Modules;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Repo.Module;

/// <summary>
/// <c>/{owner}/{repo}/module/-/certificate</c>: the signed-in learner's certificate of completion (printable), or what is
/// still missing. The completion is recorded with the commit of the module and kept if the module changes afterwards.
/// </summary>
public sealed class CertificateModel(ModuleService modules, ForgeDbContext db) : ModulePageModel(modules)
{
    public ForgeUser? Learner { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(null)) return NotFound();
        if (Progress.Entity?.CompletedAt is not null)
            Learner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == Repo.Viewer.UserId, HttpContext.RequestAborted);
        return Page();
    }

    public string VerificationUrl(string code) => $"{Request.Scheme}://{Request.Host}{Repo.BaseUrl}/module/-/certificate/{code}";
}
