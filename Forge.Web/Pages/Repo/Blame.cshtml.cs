using Forge.Git;
using Forge.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class BlameModel(GitReader reader, GitCliReader cli, RenderCache cache, Forge.Web.Repos.TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    public const long MaxBlameBytes = 512 * 1024;

    public ResolvedPath At { get; private set; } = null!;
    public IReadOnlyList<BlameHunk>? Hunks { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? path)
    {
        var at = path is null ? null : reader.Resolve(Repo.GitPath, path.Split('/'));
        if (at is null || at.Path.Length == 0 || teacherOnly.For(Repo, at.CommitSha).IsHidden(at.Path)) return NotFound();
        var probe = reader.ReadBlob(Repo.GitPath, at.CommitSha, at.Path, 8000);
        if (probe is null) return NotFound();
        At = at;
        if (probe.IsBinary || probe.Size > MaxBlameBytes) return Page();
        Hunks = await cache.GetOrAddAsync($"blame:{Repo.Repository.Id}:{at.CommitSha}:{at.Path}",
            () => cli.BlameAsync(Repo.GitPath, at.CommitSha, at.Path, HttpContext.RequestAborted),
            h => h.Sum(x => 200L + x.Lines.Sum(l => l.Length * 2L)));
        return Page();
    }
}
