using Forge.Git;
using Forge.Web.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class TreeModel(GitReader reader, Browse browse, Forge.Web.Repos.TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    public ResolvedPath At { get; private set; } = null!;
    public IReadOnlyList<TreeEntryInfo> Entries { get; private set; } = [];
    public (string Name, IHtmlContent Html)? Readme { get; private set; }
    public IReadOnlyDictionary<string, CommitInfo> Last { get; private set; } = new Dictionary<string, CommitInfo>();
    /// <summary>The folder's own resource.yml (a "granule" of the repository), parsed; null when it has none.</summary>
    public Forge.Core.Resources.ResourceMetadataResult? Metadata { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            var branch = reader.HeadBranch(Repo.GitPath);
            return branch is null ? NotFound() : Redirect($"{Repo.BaseUrl}/tree/{MarkdownRenderer.EncodePath(branch)}");
        }
        var at = reader.Resolve(Repo.GitPath, path.Split('/'));
        if (at is null) return NotFound();
        var hidden = teacherOnly.For(Repo, at.CommitSha);
        if (hidden.IsHidden(at.Path)) return NotFound();
        var entries = browse.List(Repo, at) is { } all ? hidden.Filter(all, e => e.Path) : null;
        if (entries is null)
        {
            return reader.KindAt(Repo.GitPath, at.CommitSha, at.Path) is null
                ? NotFound()
                : Redirect($"{Repo.BaseUrl}/blob/{MarkdownRenderer.EncodePath(at.Ref)}/{MarkdownRenderer.EncodePath(at.Path)}");
        }
        (At, Entries) = (at, entries);
        Last = await browse.LastCommitsAsync(Repo, at, HttpContext.RequestAborted);
        Readme = browse.Readme(Repo, at, entries);
        if (at.Path.Length > 0) Metadata = browse.Metadata(Repo, at, entries);
        return Page();
    }
}
