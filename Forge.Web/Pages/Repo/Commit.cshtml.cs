using Forge.Git;
using Forge.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class CommitModel(GitReader reader, RenderCache cache, Forge.Web.Repos.TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    public CommitDetail Detail { get; private set; } = null!;

    public IActionResult OnGet(string sha)
    {
        if (sha.Length is < 7 or > 40 || !sha.All(Uri.IsHexDigit)) return NotFound();
        var resolved = reader.Resolve(Repo.GitPath, [sha]);
        if (resolved is null) return NotFound();
        if (resolved.CommitSha != sha) return Redirect($"{Repo.BaseUrl}/commit/{resolved.CommitSha}");
        // A commit never changes: its diff is cached by id.
        Detail = cache.GetOrAdd($"commit:{Repo.Repository.Id}:{sha}", () => reader.GetCommitDetail(Repo.GitPath, sha, DiffBudget.Default)!,
            d => 256L + d.Diff.Files.Sum(f => 200L + f.Hunks.Sum(h => h.Lines.Sum(l => 48L + l.Text.Length * 2))));
        Detail = Detail with { Diff = teacherOnly.For(Repo, sha).Redact(Detail.Diff) };
        return Page();
    }
}
