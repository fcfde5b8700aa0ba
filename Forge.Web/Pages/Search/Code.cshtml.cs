using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Search;

/// <summary>A file that matched, in a repository the viewer may read, with links to its matching lines.</summary>
public sealed record ReadableCodeHit(CodeHit Hit, string FullName, string RepositoryUrl, string FileUrl, bool LinesAreAnchors)
{
    public string LineUrl(int line) => LinesAreAnchors ? $"{FileUrl}#L{line}" : FileUrl;
}

/// <summary>
/// <c>/search/code?q=tri_fusion&amp;owner=&amp;repo=alice/nsi&amp;language=python&amp;path=chapitres/</c>: search in the
/// files of every readable repository. An unknown or unreadable <c>repo</c> finds nothing, the same for both.
/// </summary>
public sealed class CodeModel(ICodeSearch search, RepositoryService repositories, ForgeDbContext db) : PageModel
{
    public const int PageSize = 20;
    private const int MaxFieldLength = 200;

    /// <summary>Languages as the index names them, with the label shown.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Languages =
    [
        ("python", "Python"), ("javascript", "JavaScript"), ("typescript", "TypeScript"), ("html", "HTML"), ("css", "CSS"),
        ("sql", "SQL"), ("c", "C"), ("java", "Java"), ("shell", "Shell"), ("markdown", "Markdown"), ("jupyter", "Notebook Jupyter"),
        ("latex", "LaTeX"), ("json", "JSON"), ("yaml", "YAML"), ("csv", "CSV"), ("text", "Texte"),
    ];

    public string Text { get; private set; } = "";
    public string Owner { get; private set; } = "";
    public string Repo { get; private set; } = "";
    public string Language { get; private set; } = "";
    public string PathPrefix { get; private set; } = "";
    public int PageNumber { get; private set; } = 1;
    public CodeSearchResults Results { get; private set; } = new(0, []);
    public IReadOnlyList<ReadableCodeHit> Hits { get; private set; } = [];
    public bool RepoNotFound { get; private set; }
    public int PageCount => Math.Clamp((Results.Total + PageSize - 1) / PageSize, 1, SearchQuery.MaxPage);
    public bool HasFilters => Owner.Length + Repo.Length + Language.Length + PathPrefix.Length > 0;

    public async Task OnGetAsync()
    {
        string Field(string name) => SearchQuery.Cut(Request.Query[name].ToString().Trim(), MaxFieldLength).Trim();
        Text = Field("q");
        Owner = Field("owner");
        Repo = Field("repo").Trim('/');
        PathPrefix = Field("path").Trim('/');
        Language = Languages.Any(l => l.Code == Field("language")) ? Field("language") : "";
        PageNumber = int.TryParse(Request.Query["page"].ToString(), System.Globalization.NumberStyles.None, null, out var n) ? Math.Clamp(n, 1, SearchQuery.MaxPage) : 1;
        if (Text.Length == 0) return;

        var viewer = await HttpContext.ViewerAsync();
        long? repositoryId = null;
        if (Repo.Length > 0)
        {
            // « owner/name », or a name with the owner field.
            var slash = Repo.IndexOf('/');
            var (owner, name) = slash > 0 ? (Repo[..slash], Repo[(slash + 1)..]) : (Owner, Repo);
            var repo = owner.Length == 0 || name.Length == 0 ? null : await repositories.FindAsync(owner, name, HttpContext.RequestAborted);
            if (repo is null || !RepositoryService.CanRead(repo, viewer))
            {
                RepoNotFound = true;
                return;
            }
            repositoryId = repo.Id;
        }
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, HttpContext.RequestAborted);
        Results = search.SearchCode(new CodeSearchRequest(Text, readable, PageNumber, PageSize)
        {
            Owner = Owner.Length > 0 ? Owner : null, RepositoryId = repositoryId,
            Language = Language.Length > 0 ? Language : null, PathPrefix = PathPrefix.Length > 0 ? PathPrefix : null,
        });
        var repos = await ReadableHits.RepositoriesAsync(db, viewer, Results.Hits.Select(h => h.RepositoryId), HttpContext.RequestAborted);
        Hits = Results.Hits.Where(h => repos.ContainsKey(h.RepositoryId)).Select(h =>
        {
            var repo = repos[h.RepositoryId];
            // Rendered Markdown has no line anchors: its source view has (plain=true: the page binds a bool). A notebook's
            // lines are those of its extracted text, not of its JSON: no anchor.
            var rendered = h.Language is "markdown";
            var url = ReadableHits.PathUrl(repo, "blob", h.Path) + (rendered ? "?plain=true" : "");
            return new ReadableCodeHit(h, $"{repo.Owner.UserName}/{repo.Name}", ReadableHits.BaseUrl(repo), url, h.Language is not "jupyter");
        }).ToList();
    }

    /// <summary>This search on another page.</summary>
    public string UrlForPage(int page)
    {
        var parts = new List<string> { "q=" + Uri.EscapeDataString(Text) };
        foreach (var (name, value) in new[] { ("owner", Owner), ("repo", Repo), ("language", Language), ("path", PathPrefix) })
            if (value.Length > 0) parts.Add(name + "=" + Uri.EscapeDataString(value));
        if (page > 1) parts.Add("page=" + page);
        return "/search/code?" + string.Join('&', parts);
    }
}
