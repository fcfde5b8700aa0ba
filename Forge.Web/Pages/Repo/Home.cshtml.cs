using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class HomeModel(GitReader reader, Browse browse, TeacherOnlyFilter teacherOnly) : RepoPageModel
{
    public ResolvedPath? At { get; private set; }
    public IReadOnlyList<TreeEntryInfo> Entries { get; private set; } = [];
    public (string Name, IHtmlContent Html)? Readme { get; private set; }
    public ResourceMetadataResult? Metadata { get; private set; }
    public IReadOnlyDictionary<string, CommitInfo> Last { get; private set; } = new Dictionary<string, CommitInfo>();
    public string CloneUrl => $"{Request.Scheme}://{Request.Host}/{Repo.FullName}.git";

    public async Task<IActionResult> OnGetAsync()
    {
        var branch = reader.HeadBranch(Repo.GitPath) ?? Repo.Repository.DefaultBranch;
        At = reader.Resolve(Repo.GitPath, [branch]);
        if (At is null) return Page();
        Entries = teacherOnly.For(Repo, At.CommitSha).Filter(browse.List(Repo, At) ?? [], e => e.Path);
        Last = await browse.LastCommitsAsync(Repo, At, HttpContext.RequestAborted);
        Readme = browse.Readme(Repo, At, Entries);
        Metadata = browse.Metadata(Repo, At, Entries);
        return Page();
    }
}
