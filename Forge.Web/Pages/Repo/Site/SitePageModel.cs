using System.Text;
using Forge.Git;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Site;

/// <summary>What the site layout shows: the build, the page (null for search results), and where the site lives.</summary>
public sealed record SiteView(SiteBuild Build, SitePageEntry? Page, string PageHtml, string SiteBase, string Branch, bool IsPreview, string RepoBase)
{
    /// <summary>The site's search: under the site's own base, so that it also works on a site host (<see cref="SiteHosts"/>).</summary>
    public string SearchUrl => IsPreview ? $"{RepoBase}/site/-/search" : SiteBase + "-/search";
    public string BuildsUrl => $"{RepoBase}/site/-/builds" + (IsPreview ? "?branch=" + Uri.EscapeDataString(Branch) : "");

    /// <summary>An absolute link to a URL of the site (search results, navigation from a page that is not in the site).</summary>
    public string Href(string siteUrl) => SiteBase + MarkdownRenderer.EncodePath(siteUrl);

    public (SitePageEntry? Previous, SitePageEntry? Next) Neighbours()
    {
        if (Page is null) return (null, null);
        var order = Build.Manifest.Order;
        var at = order.ToList().IndexOf(Page.Url);
        if (at < 0) return (null, null);
        return (at > 0 ? Build.Page(order[at - 1]) : null, at + 1 < order.Count ? Build.Page(order[at + 1]) : null);
    }

    public bool HasExercise => Page?.Exercise == true;
}

/// <summary>
/// Serving a built course site: pages in Forge's layout with the site's navigation, files of the docs folder with the
/// sandboxing headers of raw files. Access is the repository's (<see cref="RepoContextFilter"/>: 404 for whoever cannot read it).
/// </summary>
public abstract class SitePageModel(SiteStore sites, SiteSearch search) : RepoPageModel
{
    public SiteView? View { get; protected set; }
    public IReadOnlyList<SiteSearchHit> Hits { get; private set; } = [];
    public string? Query { get; protected set; }
    public IReadOnlyList<SiteBuildRecord> Records { get; protected set; } = [];
    public string Branch { get; protected set; } = "";
    public bool IsPreview { get; protected set; }

    /// <summary>The CSP of pages with exercises: Pyodide compiles WebAssembly, nothing else is loosened.</summary>
    public const string ExercisePolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    protected SiteStore Sites => sites;

    /// <summary>How many times the « construction en cours » page has refreshed itself (it stops after ten).</summary>
    public int Waited => int.TryParse(Request.Query["attente"], out var w) ? Math.Clamp(w, 0, 100) : 0;

    /// <summary>No build to show yet, but one is running or was just asked for.</summary>
    public bool Building => View is null && (Records.FirstOrDefault()?.Status == SiteBuildRecord.Running || (Records.Count == 0 && IsPreview && Waited < 10));

    protected IActionResult Serve(string branch, string path, string siteBase, bool preview)
    {
        Branch = branch;
        IsPreview = preview;
        var build = sites.Current(Repo.Repository.Id, branch);
        if (build is null)
        {
            Records = sites.Records(Repo.Repository.Id, branch);
            // No site yet: the page says whether it is being built, failed, or absent (then 404, as for a missing page).
            if (!Building) Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        path = path.Normalize(NormalizationForm.FormC);
        if (path.StartsWith("-/", StringComparison.Ordinal)) return NotFound();
        var url = path.Length == 0 || path.EndsWith('/') ? path : path + "/";
        if (build.Page(url) is { } page)
        {
            // Directory URLs: relative links of a page resolve from its folder, so a page is always addressed with its slash.
            if (!(Request.Path.Value ?? "").EndsWith('/')) return Redirect(siteBase + MarkdownRenderer.EncodePath(url) + Request.QueryString);
            string html;
            try
            {
                html = System.IO.File.ReadAllText(Path.Combine(build.Folder, page.File));
            }
            catch (IOException)
            {
                return Redirect(Request.Path + Request.QueryString); // the build was switched and removed meanwhile: read the new one
            }
            View = new SiteView(build, page, html, siteBase, branch, preview, Repo.BaseUrl);
            if (page.Exercise) Response.Headers.ContentSecurityPolicy = ExercisePolicy;
            return Page();
        }
        // A site without index page opens on its first page.
        if (path.Length == 0 && build.Manifest.Order.FirstOrDefault() is { } first) return Redirect(siteBase + MarkdownRenderer.EncodePath(first));
        if (path.Length == 0 || !GitReader.IsSafePath(path)) return NotFound();
        var root = Path.GetFullPath(Path.Combine(build.Folder, "files"));
        var file = Path.GetFullPath(Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar)));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !System.IO.File.Exists(file)) return NotFound();
        Response.Headers.ContentSecurityPolicy = RawEndpoint.SandboxPolicy;
        Response.Headers.CacheControl = RepositoryService.IsPublicToAll(Repo.Repository) ? "public, max-age=60" : "private, no-store";
        var result = PhysicalFile(file, RawEndpoint.SafeContentType(Path.GetFileName(file)));
        result.EnableRangeProcessing = true;
        return result;
    }

    protected IActionResult SearchIn(string branch, string? q, string siteBase, bool preview)
    {
        Branch = branch;
        IsPreview = preview;
        var build = sites.Current(Repo.Repository.Id, branch);
        if (build is null) return NotFound();
        Query = (q ?? "").Trim();
        if (Query.Length > 200) Query = Query[..200];
        Hits = search.Search(build, Query);
        View = new SiteView(build, null, "", siteBase, branch, preview, Repo.BaseUrl);
        return Page();
    }

    protected string PublishedBase => SiteHosts.SiteBase(HttpContext) ?? $"{Repo.BaseUrl}/site/";

    protected string PreviewBase(string branch) => $"{Repo.BaseUrl}/site/-/preview/{MarkdownRenderer.EncodePath(branch)}/";

    /// <summary>Splits <c>{branch}/{path}</c> of a preview URL at the longest existing branch name (branch names may hold slashes).</summary>
    protected (string Branch, string Path)? SplitPreview(GitReader reader, string rest)
    {
        var branches = reader.Branches(Repo.GitPath);
        foreach (var branch in branches.OrderByDescending(b => b.Length))
        {
            if (rest == branch) return (branch, "");
            if (rest.StartsWith(branch + "/", StringComparison.Ordinal)) return (branch, rest[(branch.Length + 1)..]);
        }
        return null;
    }
}
