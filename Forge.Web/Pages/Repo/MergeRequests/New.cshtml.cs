using Forge.Git;
using Forge.Web.Data;
using Forge.Web.MergeRequests;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.MergeRequests;

public sealed class NewModel(MergeRequestService requests, GitReader reader, RepositoryStore store) : RepoPageModel
{
    /// <summary>The source as <c>repositoryId:branch</c> (one list of every branch of every possible source).</summary>
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public string? Target { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }

    public IReadOnlyList<(RepositoryEntity Repo, IReadOnlyList<string> Branches)> Sources { get; private set; } = [];
    public IReadOnlyList<string> TargetBranches { get; private set; } = [];
    public Comparison? Preview { get; private set; }
    public string? PreviewError { get; private set; }
    public RepositoryEntity? SourceRepo { get; private set; }
    public string? SourceBranch { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        await LoadAsync();
        if (Preview is not null && string.IsNullOrEmpty(Title))
            Title = Preview.Commits.Count == 1 ? Preview.Commits[0].Subject : Humanize(SourceBranch!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var (repoId, branch) = ParseSource(Source);
        var (mr, error) = await requests.CreateAsync(Repo, repoId, branch, Target, Title, Description, HttpContext.RequestAborted);
        if (mr is not null) return Redirect($"{Repo.BaseUrl}/merge_requests/{mr.Number}");
        ModelState.AddModelError(error!.Field is "Title" or "Description" ? error.Field : error.Field == "TargetBranch" ? "Target" : "Source", error.Message);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var sources = await requests.SourcesAsync(Repo.Repository, Repo.Viewer, HttpContext.RequestAborted);
        Sources = sources.Select(r => (r, reader.Branches(store.PathOf(r.Id)))).Where(s => s.Item2.Count > 0).ToList();
        TargetBranches = reader.Branches(Repo.GitPath);
        Target = string.IsNullOrWhiteSpace(Target) ? Repo.Repository.DefaultBranch : Target;
        var (repoId, branch) = ParseSource(Source);
        SourceRepo = sources.FirstOrDefault(s => s.Id == repoId);
        SourceBranch = branch;
        if (SourceRepo is null || branch is null) return;
        var (comparison, error) = await requests.PreviewAsync(Repo.Repository, SourceRepo, branch, Target, HttpContext.RequestAborted);
        (Preview, PreviewError) = (comparison, error?.Message);
        if (Preview is not null)
            Preview = Preview with { Diff = HttpContext.RequestServices.GetRequiredService<TeacherOnlyFilter>().For(Repo, Preview.HeadSha).Redact(Preview.Diff) };
    }

    public static (long? RepoId, string? Branch) ParseSource(string? source)
    {
        var colon = source?.IndexOf(':') ?? -1;
        if (colon <= 0 || !long.TryParse(source![..colon], out var id)) return (null, null);
        var branch = source[(colon + 1)..];
        return (id, branch.Length == 0 ? null : branch);
    }

    private static string Humanize(string branch)
    {
        var text = branch.Split('/')[^1].Replace('-', ' ').Replace('_', ' ').Trim();
        return text.Length == 0 ? branch : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
