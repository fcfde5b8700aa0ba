using System.Text.Json;
using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Issues, their comments and labels with Gitea's paths and shapes (<c>/repos/{owner}/{repo}/issues</c>), and the caller's
/// notifications (<c>/notifications</c>): the same rules as the pages, through <see cref="IssueService"/>. A repository the
/// caller cannot read — or whose issues are off — answers 404, its issues included.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreateIssueOption</c> (labels are ids; assignees are user names; <c>closed</c> opens it closed).</summary>
    public sealed record CreateIssueOption(string? Title, string? Body, List<string>? Assignees, List<long>? Labels, bool? Closed);

    /// <summary>Gitea's <c>EditIssueOption</c>: <c>title</c>, <c>body</c>, <c>state</c> (<c>open</c>, <c>closed</c>), <c>assignees</c>.</summary>
    public sealed record EditIssueOption(string? Title, string? Body, string? State, List<string>? Assignees);

    /// <summary>Gitea's <c>CreateIssueCommentOption</c>.</summary>
    public sealed record CreateIssueCommentOption(string? Body);

    /// <summary>Gitea's <c>CreateLabelOption</c>: <c>color</c> is a palette name (<c>rouge</c>…) or a hex colour, taken to the nearest palette colour.</summary>
    public sealed record CreateLabelOption(string? Name, string? Color, string? Description);

    /// <summary>Gitea's <c>EditLabelOption</c>: the fields given change, the others stay.</summary>
    public sealed record EditLabelOption(string? Name, string? Color, string? Description);

    /// <summary>Gitea's <c>IssueLabelsOption</c>: label ids, or names.</summary>
    public sealed record IssueLabelsOption(List<JsonElement>? Labels);

    /// <summary>Gitea's <c>Label</c>: <c>color</c> is the hex colour of the label's palette entry, without <c>#</c>.</summary>
    public sealed record ApiLabel
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Color { get; init; } = "";
        public string Description { get; init; } = "";
        public bool Exclusive { get; init; }
        public bool IsArchived { get; init; }
        public string Url { get; init; } = "";
    }

    /// <summary>Gitea's <c>Issue</c>.</summary>
    public sealed record ApiIssue
    {
        public long Id { get; init; }
        public string Url { get; init; } = "";
        public string HtmlUrl { get; init; } = "";
        public int Number { get; init; }
        public required ApiUser User { get; init; }
        public string OriginalAuthor { get; init; } = "";
        public long OriginalAuthorId { get; init; }
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public string Ref { get; init; } = "";
        public List<ApiLabel> Labels { get; init; } = [];
        public object? Milestone { get; init; }
        public ApiUser? Assignee { get; init; }
        public List<ApiUser>? Assignees { get; init; }
        /// <summary><c>open</c> or <c>closed</c>.</summary>
        public string State { get; init; } = "";
        public bool IsLocked { get; init; }
        public int Comments { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime? ClosedAt { get; init; }
        public DateTime? DueDate { get; init; }
        public object? PullRequest { get; init; }
        public required ApiRepositoryMeta Repository { get; init; }
    }

    /// <summary>Gitea's <c>Comment</c>.</summary>
    public sealed record ApiComment
    {
        public long Id { get; init; }
        public string HtmlUrl { get; init; } = "";
        public string PullRequestUrl { get; init; } = "";
        public string IssueUrl { get; init; } = "";
        public required ApiUser User { get; init; }
        public string OriginalAuthor { get; init; } = "";
        public long OriginalAuthorId { get; init; }
        public string Body { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private static void MapIssues(RouteGroupBuilder api)
    {
        const string issues = "/repos/{owner}/{repo}/issues";
        api.MapGet(issues, ListIssues).WithName("issueListIssues")
            .WithSummary("Issues, newest first; `state` = `open` (default), `closed` or `all`; `labels` (comma-separated names, all required), `q` (title or body), `created_by`, `assigned_by`, `page`, `limit` (≤ 50); `type=pulls` → [].")
            .Produces<List<ApiIssue>>();
        api.MapPost(issues, CreateIssue).Accepts<CreateIssueOption>("application/json").WithName("issueCreateIssue")
            .WithSummary("Opens an issue (anyone signed in who reads the repository) → 201; `labels` and `assignees` are set only for writers (403 otherwise); 422 with a French message for a missing or too long title.")
            .Produces<ApiIssue>(StatusCodes.Status201Created).Errors(422);
        api.MapGet(issues + "/{index:int}", GetIssue).WithName("issueGetIssue").WithSummary("One issue.").Produces<ApiIssue>();
        api.MapPatch(issues + "/{index:int}", EditIssue).Accepts<EditIssueOption>("application/json").WithName("issueEditIssue")
            .WithSummary("Changes `title`, `body`, `state` (`open`, `closed`): its author or a writer; `assignees`: writers → 201 (as Gitea).")
            .Produces<ApiIssue>(StatusCodes.Status201Created).Errors(422);
        api.MapGet(issues + "/{index:int}/comments", ListIssueComments).WithName("issueGetComments").WithSummary("The issue's comments, oldest first.")
            .Produces<List<ApiComment>>();
        api.MapPost(issues + "/{index:int}/comments", CreateIssueComment).Accepts<CreateIssueCommentOption>("application/json").WithName("issueCreateComment")
            .WithSummary("Comments the issue (anyone signed in who reads the repository) → 201; `@name` notifies that person if they can read the repository.")
            .Produces<ApiComment>(StatusCodes.Status201Created).Errors(422);
        api.MapPost(issues + "/{index:int}/labels", AddIssueLabels).Accepts<IssueLabelsOption>("application/json").WithName("issueAddLabel")
            .WithSummary("Adds labels (ids or names of this repository's labels) to the issue: writers → 200 with the issue's labels; 422 for an unknown label.")
            .Produces<List<ApiLabel>>().Errors(422);
        api.MapPut(issues + "/{index:int}/labels", ReplaceIssueLabels).Accepts<IssueLabelsOption>("application/json").WithName("issueReplaceLabels")
            .WithSummary("Replaces the issue's labels with these (ids or names): writers → 200 with the issue's labels; 422 for an unknown label.")
            .Produces<List<ApiLabel>>().Errors(422);
        api.MapDelete(issues + "/{index:int}/labels", ClearIssueLabels).WithName("issueClearLabels")
            .WithSummary("Removes all the issue's labels: writers → 204.").Produces(StatusCodes.Status204NoContent);
        api.MapDelete(issues + "/{index:int}/labels/{id:long}", RemoveIssueLabel).WithName("issueRemoveLabel")
            .WithSummary("Removes one label from the issue: writers → 204; 404 if the issue does not carry it.").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/repos/{owner}/{repo}/labels/{id:long}", GetLabel).WithName("issueGetLabel").WithSummary("One label.").Produces<ApiLabel>();
        api.MapPatch("/repos/{owner}/{repo}/labels/{id:long}", EditLabel).Accepts<EditLabelOption>("application/json").WithName("issueEditLabel")
            .WithSummary("Changes a label's `name`, `color`, `description` (maintainers) → 200; 409 if the name is taken.")
            .Produces<ApiLabel>().Errors(409, 422);
        api.MapDelete("/repos/{owner}/{repo}/labels/{id:long}", DeleteLabel).WithName("issueDeleteLabel")
            .WithSummary("Deletes a label, and takes it off the issues that carry it (maintainers) → 204.").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/repos/{owner}/{repo}/labels", ListLabels).WithName("issueListLabels").WithSummary("The repository's labels, by name.")
            .Produces<List<ApiLabel>>();
        api.MapPost("/repos/{owner}/{repo}/labels", CreateLabel).Accepts<CreateLabelOption>("application/json").WithName("issueCreateLabel")
            .WithSummary("Creates a label (maintainers) → 201; 409 if the name is taken. Colours come from a fixed accessible palette: a hex colour is taken to the nearest.")
            .Produces<ApiLabel>(StatusCodes.Status201Created).Errors(409, 422);
    }

    private static async Task<(RepoContext? Repo, IResult? Failure)> IssuesContextAsync(HttpContext context, string owner, string repo,
        RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, failure);
        if (!await issues.EnabledAsync(r!.Repository.Id, context.RequestAborted))
            return (null, Error(StatusCodes.Status404NotFound, "Les tickets sont désactivés pour ce dépôt.", context.Request));
        return (r, null);
    }

    private static async Task<(RepoContext? Repo, Issue? Issue, IResult? Failure)> IssueAsync(HttpContext context, string owner, string repo, int index,
        RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await IssuesContextAsync(context, owner, repo, repositories, issues);
        if (failure is not null) return (null, null, failure);
        var issue = await issues.FindAsync(r!.Repository, index, context.RequestAborted);
        return issue is null ? (r, null, Error(StatusCodes.Status404NotFound, $"Le ticket #{index} n’existe pas.", context.Request)) : (r, issue, null);
    }

    private static DateTime AsUtc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);

    private static IResult Refused(IssueError error, HttpContext context) =>
        error.Status == StatusCodes.Status401Unauthorized ? Unauthorized(context) : Error(error.Status, error.Message, context.Request);

    private static ApiLabel LabelJson(HttpContext c, RepoContext r, Label l) => new()
    {
        Id = l.Id,
        Name = l.Name,
        Color = (LabelPalette.Colours.TryGetValue(l.Color, out var colour) ? colour.Background : "#e5e7eb").TrimStart('#'),
        Description = l.Description ?? "",
        Exclusive = false,
        IsArchived = false,
        Url = $"{c.Request.Scheme}://{c.Request.Host}/api/v1/repos/{ApiModels.EscapePath(r.FullName)}/labels/{l.Id}",
    };

    private static ApiIssue IssueJson(HttpContext c, RepoContext r, Issue i)
    {
        var baseUrl = $"{c.Request.Scheme}://{c.Request.Host}";
        var assignees = i.Assignees.Select(a => ApiModels.User(a.User, c, includeEmail: false)).ToList();
        return new ApiIssue
        {
            Id = i.Id,
            Url = $"{baseUrl}/api/v1/repos/{ApiModels.EscapePath(r.FullName)}/issues/{i.Number}",
            HtmlUrl = $"{baseUrl}{r.BaseUrl}/issues/{i.Number}",
            Number = i.Number,
            User = ApiModels.User(i.Author, c, includeEmail: false),
            OriginalAuthor = "",
            OriginalAuthorId = 0,
            Title = i.Title,
            Body = i.Body ?? "",
            Ref = "",
            Labels = i.Labels.Select(l => l.Label).OrderBy(l => l.Name).Select(l => LabelJson(c, r, l)).ToList(),
            Milestone = null,
            Assignee = assignees.FirstOrDefault(),
            Assignees = assignees.Count == 0 ? null : assignees,
            State = i.State == IssueState.Open ? "open" : "closed",
            IsLocked = false,
            Comments = i.CommentCount,
            CreatedAt = AsUtc(i.CreatedAt),
            UpdatedAt = AsUtc(i.UpdatedAt),
            ClosedAt = i.ClosedAt is { } closed ? AsUtc(closed) : (DateTime?)null,
            DueDate = null,
            PullRequest = null,
            Repository = new ApiRepositoryMeta(r.Repository.Id, r.Name, r.Owner, r.FullName),
        };
    }

    private static ApiComment CommentJson(HttpContext c, RepoContext r, Issue i, IssueComment comment)
    {
        var baseUrl = $"{c.Request.Scheme}://{c.Request.Host}";
        return new ApiComment
        {
            Id = comment.Id,
            HtmlUrl = $"{baseUrl}{r.BaseUrl}/issues/{i.Number}#comment-{comment.Id}",
            PullRequestUrl = "",
            IssueUrl = $"{baseUrl}{r.BaseUrl}/issues/{i.Number}",
            User = ApiModels.User(comment.Author, c, includeEmail: false),
            OriginalAuthor = "",
            OriginalAuthorId = 0,
            Body = comment.Body,
            CreatedAt = AsUtc(comment.CreatedAt),
            UpdatedAt = AsUtc(comment.UpdatedAt),
        };
    }

    private static async Task<IResult> ListIssues(HttpContext context, string owner, string repo, string? state, string? labels, string? q, string? type,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "created_by")] string? createdBy, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "assigned_by")] string? assignedBy,
        int? page, int? limit, RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await IssuesContextAsync(context, owner, repo, repositories, issues);
        if (failure is not null) return failure;
        if (type == "pulls") return Results.Json(Array.Empty<ApiIssue>(), ApiModels.Json);
        var (p, l) = Paging(page, limit);
        var issueState = state switch { "all" => (IssueState?)null, "closed" => IssueState.Closed, _ => IssueState.Open };
        var query = new IssueQuery(issueState, labels?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), assignedBy, createdBy, q,
            "newest", p, l);
        var (list, open, closed) = await issues.ListAsync(r!.Repository, query, context.RequestAborted);
        var total = issueState switch { IssueState.Open => open, IssueState.Closed => closed, _ => open + closed };
        PageHeaders(context, p, l, list.Count > l, total);
        return Results.Json(list.Take(l).Select(i => IssueJson(context, r, i)), ApiModels.Json);
    }

    private static async Task<IResult> GetIssue(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        return failure ?? Results.Json(IssueJson(context, r!, issue!), ApiModels.Json);
    }

    private static async Task<IResult> CreateIssue(HttpContext context, string owner, string repo, RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await IssuesContextAsync(context, owner, repo, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<CreateIssueOption>(context);
        if (bad is not null) return bad;
        if ((body!.Labels is { Count: > 0 } || body.Assignees is { Count: > 0 }) && !r.CanWrite)
            return Error(StatusCodes.Status403Forbidden, "Seuls les rédacteurs du dépôt peuvent poser des labels sur un ticket ou l’attribuer.", context.Request);
        var (created, error) = await issues.CreateAsync(r, body.Title, body.Body, context.RequestAborted);
        if (error is not null) return Refused(error, context);
        var issue = (await issues.FindAsync(r.Repository, created!.Number, context.RequestAborted))!;
        if (body.Labels is { Count: > 0 } ids && await issues.SetLabelsAsync(issue, r, ids, context.RequestAborted) is { } labelError)
            return Refused(labelError, context);
        if (body.Assignees is { Count: > 0 } names && await issues.SetAssigneesAsync(issue, r, names, context.RequestAborted) is { } assignError)
            return Refused(assignError, context);
        if (body.Closed == true) await issues.SetOpenAsync(issue, r, false, context.RequestAborted);
        return Results.Json(IssueJson(context, r, (await issues.FindAsync(r.Repository, issue.Number, context.RequestAborted))!), ApiModels.Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> EditIssue(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<EditIssueOption>(context);
        if (bad is not null) return bad;
        if (body!.Title is not null || body.Body is not null)
            if (await issues.EditAsync(issue!, r, body.Title, body.Body, context.RequestAborted) is { } error) return Refused(error, context);
        if (body.State is "open" or "closed")
            if (await issues.SetOpenAsync(issue!, r, body.State == "open", context.RequestAborted) is { } error) return Refused(error, context);
        if (body.Assignees is { } names)
            if (await issues.SetAssigneesAsync(issue!, r, names, context.RequestAborted) is { } error) return Refused(error, context);
        return Results.Json(IssueJson(context, r, (await issues.FindAsync(r.Repository, index, context.RequestAborted))!), ApiModels.Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListIssueComments(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        return failure ?? Results.Json(issue!.Comments.Select(c => CommentJson(context, r!, issue, c)), ApiModels.Json);
    }

    private static async Task<IResult> CreateIssueComment(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<CreateIssueCommentOption>(context);
        if (bad is not null) return bad;
        var (comment, error) = await issues.CommentAsync(issue!, r, body!.Body, context.RequestAborted);
        if (error is not null) return Refused(error, context);
        var fresh = (await issues.FindAsync(r.Repository, index, context.RequestAborted))!;
        return Results.Json(CommentJson(context, r, fresh, fresh.Comments.First(c => c.Id == comment!.Id)), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static Task<IResult> AddIssueLabels(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues) =>
        PutIssueLabels(context, owner, repo, index, repositories, issues, keep: true);

    private static Task<IResult> ReplaceIssueLabels(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues) =>
        PutIssueLabels(context, owner, repo, index, repositories, issues, keep: false);

    /// <summary>Sets the issue's labels to those of the body, added to the current ones when <paramref name="keep"/>.</summary>
    private static async Task<IResult> PutIssueLabels(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues,
        bool keep)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<IssueLabelsOption>(context);
        if (bad is not null) return bad;
        var all = await issues.LabelsAsync(r.Repository.Id, context.RequestAborted);
        var ids = keep ? issue!.Labels.Select(l => l.LabelId).ToList() : [];
        foreach (var element in body!.Labels ?? [])
        {
            Label? label = element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetInt64(out var id) => all.FirstOrDefault(l => l.Id == id),
                JsonValueKind.String => all.FirstOrDefault(l => l.Name == element.GetString()),
                _ => null,
            };
            if (label is null) return Error(StatusCodes.Status422UnprocessableEntity, $"Le label {element} n’existe pas dans ce dépôt.", context.Request);
            ids.Add(label.Id);
        }
        if (await issues.SetLabelsAsync(issue!, r, ids.Distinct().ToList(), context.RequestAborted) is { } error) return Refused(error, context);
        var fresh = (await issues.FindAsync(r.Repository, index, context.RequestAborted))!;
        return Results.Json(fresh.Labels.Select(l => l.Label).OrderBy(l => l.Name).Select(l => LabelJson(context, r, l)), ApiModels.Json);
    }

    private static async Task<IResult> ClearIssueLabels(HttpContext context, string owner, string repo, int index, RepositoryService repositories, IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        return await issues.SetLabelsAsync(issue!, r, [], context.RequestAborted) is { } error ? Refused(error, context) : Results.NoContent();
    }

    private static async Task<IResult> RemoveIssueLabel(HttpContext context, string owner, string repo, int index, long id, RepositoryService repositories,
        IssueService issues)
    {
        var (r, issue, failure) = await IssueAsync(context, owner, repo, index, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        // A writer learns the issue does not carry it; anyone else gets the service's refusal, whatever the label.
        if (r.CanWrite && !issue!.Labels.Any(l => l.LabelId == id))
            return Error(StatusCodes.Status404NotFound, "Ce ticket ne porte pas ce label.", context.Request);
        var rest = issue!.Labels.Select(l => l.LabelId).Where(l => l != id).ToList();
        return await issues.SetLabelsAsync(issue, r, rest, context.RequestAborted) is { } error ? Refused(error, context) : Results.NoContent();
    }

    private static async Task<(RepoContext? Repo, Label? Label, IResult? Failure)> LabelAsync(HttpContext context, string owner, string repo, long id,
        RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, null, failure);
        var label = (await issues.LabelsAsync(r!.Repository.Id, context.RequestAborted)).FirstOrDefault(l => l.Id == id);
        return label is null ? (r, null, Error(StatusCodes.Status404NotFound, "Ce label n’existe pas.", context.Request)) : (r, label, null);
    }

    private static async Task<IResult> GetLabel(HttpContext context, string owner, string repo, long id, RepositoryService repositories, IssueService issues)
    {
        var (r, label, failure) = await LabelAsync(context, owner, repo, id, repositories, issues);
        return failure ?? Results.Json(LabelJson(context, r!, label!), ApiModels.Json);
    }

    private static async Task<IResult> EditLabel(HttpContext context, string owner, string repo, long id, RepositoryService repositories, IssueService issues)
    {
        var (r, current, failure) = await LabelAsync(context, owner, repo, id, repositories, issues);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<EditLabelOption>(context);
        if (bad is not null) return bad;
        var (label, error) = await issues.SaveLabelAsync(r, id, body!.Name ?? current!.Name, NearestPaletteColour(body.Color) ?? current!.Color,
            body.Description ?? current!.Description, context.RequestAborted);
        return error is not null ? Refused(error, context) : Results.Json(LabelJson(context, r, label!), ApiModels.Json);
    }

    private static async Task<IResult> DeleteLabel(HttpContext context, string owner, string repo, long id, RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        return await issues.DeleteLabelAsync(r, id, context.RequestAborted) is { } error ? Refused(error, context) : Results.NoContent();
    }

    private static async Task<IResult> ListLabels(HttpContext context, string owner, string repo, RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        return Results.Json((await issues.LabelsAsync(r!.Repository.Id, context.RequestAborted)).Select(l => LabelJson(context, r, l)), ApiModels.Json);
    }

    private static async Task<IResult> CreateLabel(HttpContext context, string owner, string repo, RepositoryService repositories, IssueService issues)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<CreateLabelOption>(context);
        if (bad is not null) return bad;
        var (label, error) = await issues.SaveLabelAsync(r, null, body!.Name, NearestPaletteColour(body.Color), body.Description, context.RequestAborted);
        return error is not null ? Refused(error, context) : Results.Json(LabelJson(context, r, label!), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A palette name as given, or a hex colour (<c>#ee0701</c>, <c>ee0701</c>) taken to the nearest colour of the palette.</summary>
    private static string? NearestPaletteColour(string? colour)
    {
        if (string.IsNullOrWhiteSpace(colour) || LabelPalette.Colours.ContainsKey(colour.Trim().ToLowerInvariant())) return colour;
        var hex = colour.Trim().TrimStart('#');
        if (hex.Length != 6 || !int.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var rgb)) return colour;
        static (int, int, int) Split(int v) => ((v >> 16) & 255, (v >> 8) & 255, v & 255);
        var (r, g, b) = Split(rgb);
        return LabelPalette.Colours.MinBy(p =>
        {
            var (pr, pg, pb) = Split(int.Parse(p.Value.Background.TrimStart('#'), System.Globalization.NumberStyles.HexNumber));
            return (pr - r) * (pr - r) + (pg - g) * (pg - g) + (pb - b) * (pb - b);
        }).Key;
    }
}
