using Forge.Git;
using Forge.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class CompareModel(GitReader reader, RenderCache cache, Forge.Web.Repos.TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    public string BaseRef { get; private set; } = "";
    public string HeadRef { get; private set; } = "";
    public Comparison? Result { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<string> Refs { get; private set; } = [];

    public IActionResult OnGet(string? spec, [FromQuery(Name = "base")] string? baseRef, [FromQuery(Name = "head")] string? headRef)
    {
        // The form sends ?base=…&head=…; the canonical URL is /compare/base...head.
        if (!string.IsNullOrWhiteSpace(baseRef) && !string.IsNullOrWhiteSpace(headRef))
            return Redirect($"{Repo.BaseUrl}/compare/{MarkdownRenderer.EncodePath(baseRef.Trim())}...{MarkdownRenderer.EncodePath(headRef.Trim())}");
        Refs = reader.Branches(Repo.GitPath).Concat(reader.Tags(Repo.GitPath)).ToList();
        var separator = spec?.IndexOf("...", StringComparison.Ordinal) ?? -1;
        if (spec is null || separator < 0)
        {
            BaseRef = Repo.Repository.DefaultBranch;
            HeadRef = Refs.FirstOrDefault(r => r != BaseRef) ?? BaseRef;
            return Page();
        }
        (BaseRef, HeadRef) = (spec[..separator], spec[(separator + 3)..]);
        var b = reader.Resolve(Repo.GitPath, BaseRef.Split('/'));
        var h = reader.Resolve(Repo.GitPath, HeadRef.Split('/'));
        if (b is null || b.Path.Length > 0 || h is null || h.Path.Length > 0)
        {
            Error = $"« {(b is null || b.Path.Length > 0 ? BaseRef : HeadRef)} » n’est ni une branche, ni une étiquette, ni une version de ce dépôt.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Result = cache.GetOrAdd($"compare:{Repo.Repository.Id}:{b.CommitSha}:{h.CommitSha}",
            () => reader.Compare(Repo.GitPath, b.CommitSha, h.CommitSha, DiffBudget.Default)!,
            r => 512L + r.Commits.Count * 200L + r.Diff.Files.Sum(f => 200L + f.Hunks.Sum(x => x.Lines.Sum(l => 48L + l.Text.Length * 2))));
        Result = Result with { Diff = teacherOnly.For(Repo, h.CommitSha).Redact(Result.Diff) };
        return Page();
    }
}
