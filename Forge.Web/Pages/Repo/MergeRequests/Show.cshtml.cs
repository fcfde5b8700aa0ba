using Forge.Git;
using Forge.Web.Data;
using Forge.Web.MergeRequests;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.MergeRequests;

public sealed class ShowModel(MergeRequestService requests, GitReader reader, RenderCache cache, Forge.Web.Issues.ReferenceLinker references) : RepoPageModel
{
    public MergeRequest Mr { get; private set; } = null!;
    public string Tab { get; private set; } = "conversation";
    public bool Split { get; private set; }
    /// <summary>The line whose comment form is open (<c>?comment=path:side:line</c>).</summary>
    public (string Path, DiffSide Side, int Line)? CommentAt { get; private set; }
    public Comparison? Changes { get; private set; }
    public (int Have, int Need, IReadOnlyList<ForgeUser> Approvers) Approvals { get; private set; }
    public MergeRequestError? MergeBlock { get; private set; }
    public MergeStyle Style { get; private set; }
    public bool CheckCurrent { get; private set; }
    [TempData] public string? Notice { get; set; }
    public string? Error { get; private set; }
    /// <summary>Text typed in a refused form, given back.</summary>
    public string? Draft { get; private set; }
    public string BaseUrl => $"{Repo.BaseUrl}/merge_requests/{Mr.Number}";
    public bool IsAuthor => Repo.Viewer.UserId == Mr.AuthorId;

    public async Task<IActionResult> OnGetAsync(int number, string? tab, string? view, string? comment)
    {
        if (!await LoadAsync(number, tab, view)) return NotFound();
        CommentAt = ParseLine(comment);
        return Page();
    }

    /// <summary>A form post without an action names nothing this page does.</summary>
    public IActionResult OnPost() => BadRequest();

    public async Task<IActionResult> OnPostCommentAsync(int number, string? body, string? path, string? side, int? line, long? replyTo, string? tab, string? view)
    {
        if (!await LoadAsync(number, tab, view)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        DiffSide? s = side switch { "old" => DiffSide.Old, "new" => DiffSide.New, _ => null };
        var (c, error) = await requests.CommentAsync(Mr, Repo, body, string.IsNullOrEmpty(path) ? null : path, s, line, replyTo, HttpContext.RequestAborted);
        if (error is not null)
        {
            if (path is not null && s is not null && line is not null) CommentAt = (path, s.Value, line.Value);
            return Refused(error, body);
        }
        return Redirect($"{BaseUrl}{(Tab == "changes" ? "/changes" + (Split ? "?view=split" : "") : "")}#comment-{c!.Id}");
    }

    public async Task<IActionResult> OnPostReviewAsync(int number, string? verdict, string? body)
    {
        if (!await LoadAsync(number, null, null)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var v = verdict switch { "approve" => ReviewVerdict.Approved, "request_changes" => ReviewVerdict.ChangesRequested, _ => ReviewVerdict.Comment };
        var (_, error) = await requests.ReviewAsync(Mr, Repo, v, body, [], HttpContext.RequestAborted);
        if (error is not null) return Refused(error, body);
        Notice = v switch { ReviewVerdict.Approved => "Vous avez approuvé ces modifications.", ReviewVerdict.ChangesRequested => "Vous avez demandé des modifications.", _ => "Commentaire ajouté." };
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostResolveAsync(int number, long commentId, bool resolved, string? tab, string? view)
    {
        if (!await LoadAsync(number, tab, view)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (await requests.ResolveAsync(Mr, Repo, commentId, resolved, HttpContext.RequestAborted) is { } error) return Refused(error, null);
        return Redirect($"{BaseUrl}{(Tab == "changes" ? "/changes" + (Split ? "?view=split" : "") : "")}#comment-{commentId}");
    }

    public async Task<IActionResult> OnPostMergeAsync(int number, bool deleteSourceBranch)
    {
        if (!await LoadAsync(number, null, null)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var (_, error, notice) = await requests.MergeAsync(Mr, Repo, null, deleteSourceBranch, null, HttpContext.RequestAborted);
        if (error is not null) return Refused(error, null);
        Notice = "Demande de fusion fusionnée." + (notice is null ? "" : " " + notice);
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostEditAsync(int number, string? title, string? description)
    {
        if (!await LoadAsync(number, null, null)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (await requests.EditAsync(Mr, Repo, title ?? "", description ?? "", HttpContext.RequestAborted) is { } error) return Refused(error, null);
        Notice = "Titre et description enregistrés.";
        return Redirect(BaseUrl);
    }

    public async Task<IActionResult> OnPostStateAsync(int number, string? to)
    {
        if (!await LoadAsync(number, null, null)) return NotFound();
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var open = to == "open";
        if (await requests.SetOpenAsync(Mr, Repo, open, HttpContext.RequestAborted) is { } error) return Refused(error, null);
        Notice = open ? "Demande de fusion rouverte." : "Demande de fusion fermée.";
        return Redirect(BaseUrl);
    }

    private IActionResult Refused(MergeRequestError error, string? draft)
    {
        Error = error.Message;
        Draft = draft;
        Response.StatusCode = error.Status == StatusCodes.Status403Forbidden ? 403 : 422;
        return Page();
    }

    private async Task<bool> LoadAsync(int number, string? tab, string? view)
    {
        var mr = await requests.FindAsync(Repo.Repository, number, HttpContext.RequestAborted);
        if (mr is null) return false;
        Mr = mr;
        Tab = tab is "commits" or "changes" ? tab : "conversation";
        Split = view == "split";
        Changes = cache.GetOrAdd($"mr:{Repo.Repository.Id}:{mr.BaseSha}:{mr.HeadSha}",
            () => reader.Compare(Repo.GitPath, mr.BaseSha, mr.HeadSha, DiffBudget.Default)!,
            r => 512L + r.Commits.Count * 200L + r.Diff.Files.Sum(f => 200L + f.Hunks.Sum(x => x.Lines.Sum(l => 48L + l.Text.Length * 2))));
        Changes = Changes with { Diff = HttpContext.RequestServices.GetRequiredService<TeacherOnlyFilter>().For(Repo, mr.HeadSha).Redact(Changes.Diff) };
        Approvals = await requests.ApprovalsAsync(mr, Repo.Repository, HttpContext.RequestAborted);
        Style = await requests.StyleAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        CheckCurrent = requests.IsCheckCurrent(mr);
        if (mr.State == MergeRequestState.Open && Repo.CanWrite) MergeBlock = await requests.MergeRefusalAsync(mr, Repo, HttpContext.RequestAborted);
        var context = new MarkdownContext(Repo.Owner, Repo.Name, mr.HeadSha, "");
        foreach (var text in mr.Comments.Select(c => c.Body).Concat(mr.Reviews.Select(r => r.Body ?? "")).Prepend(mr.Description ?? "").Where(t => t.Length > 0).Distinct())
            Rendered[text] = await references.RenderAsync(text, context, Repo, HttpContext.RequestAborted);
        return true;
    }

    /// <summary>Markdown text → its HTML, references (<c>#12</c>, <c>!3</c>, commit ids, <c>@name</c>) linked for the viewer.</summary>
    public Dictionary<string, string> Rendered { get; } = new(StringComparer.Ordinal);

    public string Html(string text) => Rendered.TryGetValue(text, out var html) ? html : "";

    /// <summary><c>path:side:line</c>, the path possibly containing colons itself.</summary>
    public static (string, DiffSide, int)? ParseLine(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return null;
        var parts = spec.Split(':');
        if (parts.Length < 3 || !int.TryParse(parts[^1], out var line) || line < 1) return null;
        DiffSide? side = parts[^2] switch { "old" => DiffSide.Old, "new" => DiffSide.New, _ => null };
        if (side is null) return null;
        return (string.Join(':', parts[..^2]), side.Value, line);
    }

    /// <summary>The link that opens the comment form under a line; its fragment names the form's text box, which the browser then focuses.</summary>
    public string CommentLink(string path, DiffSide side, int line) =>
        $"{BaseUrl}/changes?{(Split ? "view=split&" : "")}comment={Uri.EscapeDataString($"{path}:{(side == DiffSide.Old ? "old" : "new")}:{line}")}#line-comment";

    public static string Ago(DateTime utc) => Formatting.Relative(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
}
