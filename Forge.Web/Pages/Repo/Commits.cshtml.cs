using Forge.Git;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class CommitsModel(GitReader reader, Forge.Web.Rendering.RenderCache cache, Forge.Web.Repos.TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    public const int PageSize = 50;

    public ResolvedPath At { get; private set; } = null!;
    public HistoryPage History { get; private set; } = null!;
    public int PageNumber { get; private set; } = 1;

    public IActionResult OnGet(string? path)
    {
        var at = string.IsNullOrEmpty(path) ? reader.Resolve(Repo.GitPath, [Repo.Repository.DefaultBranch]) : reader.Resolve(Repo.GitPath, path.Split('/'));
        if (at is null || teacherOnly.For(Repo, at.CommitSha).IsHidden(at.Path)) return NotFound();
        // "page" is a route value of Razor Pages itself, so the query parameter is read by hand.
        PageNumber = Math.Clamp(int.TryParse(Request.Query["page"], out var n) ? n : 1, 1, 10_000);
        if (at.Path.Length > 0 && reader.KindAt(Repo.GitPath, at.CommitSha, at.Path) is null) return NotFound();
        At = at;
        // History from a commit never changes: cached by commit, path and page.
        History = cache.GetOrAdd($"log:{Repo.Repository.Id}:{at.CommitSha}:{at.Path}:{PageNumber}",
            () => reader.Log(Repo.GitPath, at.CommitSha, at.Path, (PageNumber - 1) * PageSize, PageSize), h => 300L * h.Commits.Count + 64);
        return Page();
    }
}
