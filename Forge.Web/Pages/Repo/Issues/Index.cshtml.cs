using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Issues;

/// <summary>A repository's issues: open / closed / all with their counts, filters by label, assignee, author and text, three sorts, pages.</summary>
public sealed class IndexModel(IssueService issues) : RepoPageModel
{
    public IReadOnlyList<Issue> Issues { get; private set; } = [];
    public IReadOnlyList<Label> Labels { get; private set; } = [];
    public IReadOnlyList<ForgeUser> Assignable { get; private set; } = [];
    public int OpenCount { get; private set; }
    public int ClosedCount { get; private set; }
    public string StateName { get; private set; } = "open";
    [FromQuery(Name = "label")] public string? Label { get; set; }
    [FromQuery(Name = "assignee")] public string? Assignee { get; set; }
    [FromQuery(Name = "author")] public string? Author { get; set; }
    [FromQuery(Name = "q")] public string? Text { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }

    public IActionResult OnPost() => BadRequest();

    public async Task<IActionResult> OnGetAsync(string? state, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] int? page)
    {
        if (!await issues.EnabledAsync(Repo.Repository.Id, HttpContext.RequestAborted)) return NotFound();
        StateName = state is "closed" or "all" ? state : "open";
        Sort = Sort is "oldest" or "updated" ? Sort : "newest";
        if (Text is { Length: > 200 }) Text = Text[..200];
        PageNumber = Math.Clamp(page ?? 1, 1, 10_000);
        var query = new IssueQuery(StateName switch { "closed" => IssueState.Closed, "all" => null, _ => IssueState.Open }, Label is null ? null : [Label], Assignee, Author, Text, Sort, PageNumber);
        var (list, open, closed) = await issues.ListAsync(Repo.Repository, query, HttpContext.RequestAborted);
        HasMore = list.Count > IssueService.PageSize;
        Issues = list.Take(IssueService.PageSize).ToList();
        (OpenCount, ClosedCount) = (open, closed);
        Labels = await issues.LabelsAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Assignable = await issues.AssignableAsync(Repo.Repository, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>This list's URL with one parameter changed (others kept; page reset unless given).</summary>
    public string With(string key, string? value, int? page = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["state"] = StateName, ["label"] = Label, ["assignee"] = Assignee, ["author"] = Author, ["q"] = Text, ["sort"] = Sort is "newest" ? null : Sort,
        };
        values[key] = value;
        if (page is > 1) values["page"] = page.ToString();
        var query = string.Join("&", values.Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}"));
        return $"{Repo.BaseUrl}/issues" + (query.Length > 0 ? "?" + query : "");
    }
}
