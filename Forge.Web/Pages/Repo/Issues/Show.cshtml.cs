using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Issues;

/// <summary>
/// One issue: its Markdown body and comments (references and mentions as links, for this viewer), comment, close or
/// reopen and edit (author or writers), labels and assignees (writers). Works without JavaScript.
/// </summary>
public sealed class ShowModel(IssueService issues, ReferenceLinker references) : RepoPageModel
{
    public Issue Issue { get; private set; } = null!;
    public IReadOnlyList<Label> Labels { get; private set; } = [];
    public IReadOnlyList<ForgeUser> Assignable { get; private set; } = [];
    /// <summary>Markdown text → its HTML, references linked for the viewer.</summary>
    public Dictionary<string, string> Rendered { get; } = new(StringComparer.Ordinal);
    [TempData] public string? Notice { get; set; }
    /// <summary>Text typed in a refused form, given back.</summary>
    public string? Draft { get; private set; }
    public string BaseUrl => $"{Repo.BaseUrl}/issues/{Issue.Number}";
    public bool CanEdit => Repo.Viewer.UserId is { } me && (me == Issue.AuthorId || Repo.CanWrite);

    public async Task<IActionResult> OnGetAsync(int number) => await LoadAsync(number) ? Page() : NotFound();

    public IActionResult OnPost() => BadRequest();

    public async Task<IActionResult> OnPostCommentAsync(int number, string? body)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(number)) return NotFound();
        var (comment, error) = await issues.CommentAsync(Issue, Repo, body, HttpContext.RequestAborted);
        if (error is not null) return await RefusedAsync(error, body);
        return Redirect($"{BaseUrl}#comment-{comment!.Id}");
    }

    public async Task<IActionResult> OnPostStateAsync(int number, string? to)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(number)) return NotFound();
        var open = to == "open";
        if (await issues.SetOpenAsync(Issue, Repo, open, HttpContext.RequestAborted) is { } error) return await RefusedAsync(error, null);
        Notice = open ? "Ticket rouvert." : "Ticket fermé.";
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostEditAsync(int number, string? title, string? body)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(number)) return NotFound();
        if (await issues.EditAsync(Issue, Repo, title ?? "", body ?? "", HttpContext.RequestAborted) is { } error) return await RefusedAsync(error, null);
        Notice = "Titre et description enregistrés.";
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostLabelsAsync(int number, long[]? labels)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(number)) return NotFound();
        if (await issues.SetLabelsAsync(Issue, Repo, labels ?? [], HttpContext.RequestAborted) is { } error) return await RefusedAsync(error, null);
        Notice = "Labels enregistrés.";
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostAssigneesAsync(int number, string[]? assignees)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await LoadAsync(number)) return NotFound();
        if (await issues.SetAssigneesAsync(Issue, Repo, assignees ?? [], HttpContext.RequestAborted) is { } error) return await RefusedAsync(error, null);
        Notice = "Personnes assignées enregistrées.";
        return Redirect(BaseUrl);
    }

    private Task<IActionResult> RefusedAsync(IssueError error, string? draft)
    {
        ModelState.AddModelError(error.Field.Length == 0 ? "" : "issue-" + error.Field, error.Message);
        Draft = draft;
        Response.StatusCode = error.Status is StatusCodes.Status403Forbidden or StatusCodes.Status401Unauthorized ? 403 : 422;
        // The services check everything before changing anything: the issue loaded is still what is saved.
        return Task.FromResult<IActionResult>(Page());
    }

    private async Task<bool> LoadAsync(int number)
    {
        if (!await issues.EnabledAsync(Repo.Repository.Id, HttpContext.RequestAborted)) return false;
        var issue = await issues.FindAsync(Repo.Repository, number, HttpContext.RequestAborted);
        if (issue is null) return false;
        Issue = issue;
        Labels = await issues.LabelsAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        if (Repo.CanWrite) Assignable = await issues.AssignableAsync(Repo.Repository, HttpContext.RequestAborted);
        var context = new MarkdownContext(Repo.Owner, Repo.Name, Repo.Repository.DefaultBranch, "");
        foreach (var text in issue.Comments.Select(c => c.Body).Prepend(issue.Body ?? "").Where(t => t.Length > 0).Distinct())
            Rendered[text] = await references.RenderAsync(text, context, Repo, HttpContext.RequestAborted);
        return true;
    }

    public string Html(string text) => Rendered.TryGetValue(text, out var html) ? html : "";

    public static string Ago(DateTime utc) => Formatting.Relative(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
}
