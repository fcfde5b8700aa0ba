using Forge.Git;
using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Site;

/// <summary>
/// <c>/{owner}/{repo}/site/-/preview/{branch}/{path}</c>: the site as a branch would publish it. Built after each push to the
/// branch; a branch never built yet (pushed before its repository had a site, or beyond the builds of one push) is queued
/// on first visit, and the page says « construction en cours » and refreshes itself.
/// </summary>
public sealed class PreviewModel(SiteStore sites, SiteSearch search, GitReader reader, Forge.Jobs.SiteBuildRequests builds) : SitePageModel(sites, search)
{
    public IActionResult OnGet(string? rest)
    {
        if (SplitPreview(reader, rest ?? "") is not { } at) return NotFound();
        var result = Serve(at.Branch, at.Path, PreviewBase(at.Branch), preview: true);
        if (View is null && Records.Count == 0) builds.Request(Repo.Repository.Id, at.Branch);
        return result;
    }
}
