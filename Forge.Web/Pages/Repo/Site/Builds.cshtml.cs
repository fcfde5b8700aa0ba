using Forge.Git;
using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Site;

/// <summary><c>/{owner}/{repo}/site/-/builds?branch=</c>: the last builds of a branch's site (the default branch's by default), with their logs.</summary>
public sealed class BuildsModel(SiteStore sites, SiteSearch search, GitReader reader) : SitePageModel(sites, search)
{
    public SiteBuild? Current { get; private set; }
    public string? SiteUrl { get; private set; }

    public IActionResult OnGet(string? branch)
    {
        Branch = string.IsNullOrEmpty(branch) ? Repo.Repository.DefaultBranch : branch;
        if (Branch != Repo.Repository.DefaultBranch && !reader.Branches(Repo.GitPath).Contains(Branch)) return NotFound();
        IsPreview = Branch != Repo.Repository.DefaultBranch;
        Records = Sites.Records(Repo.Repository.Id, Branch);
        Current = Sites.Current(Repo.Repository.Id, Branch);
        SiteUrl = IsPreview ? PreviewBase(Branch) : PublishedBase;
        return Page();
    }
}
