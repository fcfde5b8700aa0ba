using Forge.Web.Data;
using Forge.Web.MergeRequests;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.MergeRequests;

public sealed class IndexModel(MergeRequestService requests) : RepoPageModel
{
    public IReadOnlyList<MergeRequest> Requests { get; private set; } = [];
    public Dictionary<MergeRequestState, int> Counts { get; private set; } = [];
    public MergeRequestState? State { get; private set; }
    public string StateName { get; private set; } = "open";
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }

    public IActionResult OnPost() => BadRequest();

    public async Task OnGetAsync(string? state, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] int? page)
    {
        (StateName, State) = state switch
        {
            "merged" => ("merged", MergeRequestState.Merged),
            "closed" => ("closed", MergeRequestState.Closed),
            "all" => ("all", (MergeRequestState?)null),
            _ => ("open", MergeRequestState.Open),
        };
        PageNumber = Math.Clamp(page ?? 1, 1, 10_000);
        var (list, counts) = await requests.ListAsync(Repo.Repository, State, PageNumber, MergeRequestService.PageSize + 1, HttpContext.RequestAborted);
        HasMore = list.Count > MergeRequestService.PageSize;
        Requests = list.Take(MergeRequestService.PageSize).ToList();
        Counts = counts;
    }
}
