using Forge.Git;
using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Site;

/// <summary><c>/{owner}/{repo}/site/-/search?q=&amp;branch=</c>: search inside the built site, on the server (no JavaScript needed).</summary>
public sealed class SearchModel(SiteStore sites, SiteSearch search, GitReader reader) : SitePageModel(sites, search)
{
    public IActionResult OnGet(string? q, string? branch)
    {
        var b = string.IsNullOrEmpty(branch) ? Repo.Repository.DefaultBranch : branch;
        if (b != Repo.Repository.DefaultBranch && !reader.Branches(Repo.GitPath).Contains(b)) return NotFound();
        var preview = b != Repo.Repository.DefaultBranch;
        return SearchIn(b, q, preview ? PreviewBase(b) : PublishedBase, preview);
    }
}
