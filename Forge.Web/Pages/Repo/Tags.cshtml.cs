using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class TagsModel(GitReader reader, ContentService content) : RepoPageModel
{
    public IReadOnlyList<TagInfo> Tags { get; private set; } = [];
    public bool HasCommits { get; private set; }
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? Message { get; set; }

    public void OnGet()
    {
        Tags = reader.TagList(Repo.GitPath);
        HasCommits = reader.Branches(Repo.GitPath).Count > 0;
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        ModelState.Clear();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var result = await content.CreateTagAsync(Repo, NewName ?? "", From ?? Repo.Repository.DefaultBranch, Message, HttpContext.RequestAborted);
        if (result.Ok) return Redirect($"{Repo.BaseUrl}/tags");
        ModelState.AddModelError(result.Status == WriteStatus.NotFound ? nameof(From) : nameof(NewName), result.Message!);
        OnGet();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string name)
    {
        ModelState.Clear();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var result = await content.DeleteTagAsync(Repo, name, HttpContext.RequestAborted);
        if (result.Ok) return Redirect($"{Repo.BaseUrl}/tags");
        ModelState.AddModelError("", result.Message!);
        OnGet();
        return Page();
    }
}
