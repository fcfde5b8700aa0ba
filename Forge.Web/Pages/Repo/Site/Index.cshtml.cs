using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Site;

/// <summary><c>/{owner}/{repo}/site/{path}</c>: the published course site, built from the default branch.</summary>
public sealed class IndexModel(SiteStore sites, SiteSearch search) : SitePageModel(sites, search)
{
    public IActionResult OnGet(string? path) => Serve(Repo.Repository.DefaultBranch, path ?? "", PublishedBase, preview: false);
}
