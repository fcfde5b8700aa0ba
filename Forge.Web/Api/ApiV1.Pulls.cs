using System.Text.Json.Serialization;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.MergeRequests;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Merge requests as Gitea's pull requests (<c>/repos/{owner}/{repo}/pulls</c>): the same rules as the pages, through
/// <see cref="MergeRequestService"/>. A repository the caller cannot read answers 404, its requests included.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreatePullRequestOption</c>: <c>head</c> is a branch of this repository, or <c>owner:branch</c> of a fork.</summary>
    public sealed record CreatePullRequestOption(string? Head, string? Base, string? Title, string? Body);

    /// <summary>Gitea's <c>EditPullRequestOption</c> (title, body, state).</summary>
    public sealed record EditPullRequestOption(string? Title, string? Body, string? State);

    /// <summary>Gitea's <c>MergePullRequestOption</c> (its field names are not snake_case).</summary>
    public sealed record MergePullRequestOption(
        [property: JsonPropertyName("Do")] string? Do,
        [property: JsonPropertyName("MergeTitleField")] string? MergeTitleField,
        [property: JsonPropertyName("MergeMessageField")] string? MergeMessageField,
        [property: JsonPropertyName("delete_branch_after_merge")] bool? DeleteBranchAfterMerge,
        [property: JsonPropertyName("head_commit_id")] string? HeadCommitId);

    /// <summary>A line comment of a review: <c>new_position</c> is a line of the new version, <c>old_position</c> of the old one.</summary>
    public sealed record CreatePullReviewComment(string? Path, string? Body, int? NewPosition, int? OldPosition);

    /// <summary>Gitea's <c>CreatePullReviewOptions</c>: <c>event</c> is <c>APPROVED</c>, <c>REQUEST_CHANGES</c> or <c>COMMENT</c>.</summary>
    public sealed record CreatePullReviewOptions(string? Body, string? Event, string? CommitId, List<CreatePullReviewComment>? Comments);

    /// <summary>Gitea's <c>ChangedFile</c>.</summary>
    public sealed record ApiPullFile
    {
        public string Filename { get; init; } = "";
        public string? PreviousFilename { get; init; }
        public string Status { get; init; } = "";
        public int Additions { get; init; }
        public int Deletions { get; init; }
        public int Changes { get; init; }
        public string HtmlUrl { get; init; } = "";
        public string RawUrl { get; init; } = "";
    }

    /// <summary>Gitea's <c>PullReview</c>: <c>state</c> is <c>APPROVED</c>, <c>REQUEST_CHANGES</c> or <c>COMMENT</c>.</summary>
    public sealed record ApiPullReview
    {
        public long Id { get; init; }
        public required ApiUser User { get; init; }
        public string Body { get; init; } = "";
        public string CommitId { get; init; } = "";
        public string State { get; init; } = "";
        public bool Stale { get; init; }
        public bool Official { get; init; }
        public bool Dismissed { get; init; }
        public int CommentsCount { get; init; }
        public string SubmittedAt { get; init; } = "";
        public string HtmlUrl { get; init; } = "";
        public string PullRequestUrl { get; init; } = "";
    }

    /// <summary>
    /// Forge's own: a discussion thread of a merge request (its first comment), on a line of the diff (<c>path</c>,
    /// <c>side</c> <c>old</c> or <c>new</c>, <c>line</c>) or on the whole request (those null); <c>replies</c> counts the answers.
    /// </summary>
    public sealed record ApiPullThread
    {
        public long Id { get; init; }
        public required ApiUser User { get; init; }
        public string Body { get; init; } = "";
        public string? Path { get; init; }
        public string? Side { get; init; }
        public int? Line { get; init; }
        public bool Resolved { get; init; }
        public bool Outdated { get; init; }
        public int Replies { get; init; }
        public string HtmlUrl { get; init; } = "";
        public string CreatedAt { get; init; } = "";
    }

    /// <summary>Gitea's <c>PRBranchInfo</c>; <c>repo</c> is null when the source is not readable by the caller (or deleted).</summary>
    public sealed record ApiPullBranch(string Label, string Ref, string Sha, long RepoId, ApiRepository? Repo);

    /// <summary>Gitea's <c>PullRequest</c>.</summary>
    public sealed record ApiPullRequest
    {
        public long Id { get; init; }
        public string Url { get; init; } = "";
        public int Number { get; init; }
        public required ApiUser User { get; init; }
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public List<ApiLabel> Labels { get; init; } = [];
        public object? Milestone { get; init; }
        public ApiUser? Assignee { get; init; }
        public List<ApiUser> Assignees { get; init; } = [];
        /// <summary><c>open</c> or <c>closed</c> (closed or merged).</summary>
        public string State { get; init; } = "";
        public bool IsLocked { get; init; }
        public int Comments { get; init; }
        public string HtmlUrl { get; init; } = "";
        public string DiffUrl { get; init; } = "";
        public bool Mergeable { get; init; }
        public bool Merged { get; init; }
        public string? MergedAt { get; init; }
        public string? MergeCommitSha { get; init; }
        public ApiUser? MergedBy { get; init; }
        public bool AllowMaintainerEdit { get; init; }
        public required ApiPullBranch Base { get; init; }
        public required ApiPullBranch Head { get; init; }
        public string MergeBase { get; init; } = "";
        public IReadOnlyList<string> ConflictingFiles { get; init; } = [];
        public string? DueDate { get; init; }
        public string CreatedAt { get; init; } = "";
        public string UpdatedAt { get; init; } = "";
        public string? ClosedAt { get; init; }
    }

    private static void MapPulls(RouteGroupBuilder api)
    {
        const string pulls = "/repos/{owner}/{repo}/pulls";
        api.MapGet(pulls, ListPulls).WithName("repoListPullRequests")
            .WithSummary("Merge requests, newest first; `state` = `open` (default), `closed` (closed or merged) or `all`; `page`, `limit` (≤ 50).")
            .Produces<List<ApiPullRequest>>();
        api.MapPost(pulls, CreatePull).Accepts<CreatePullRequestOption>("application/json").WithName("repoCreatePullRequest")
            .WithSummary("Opens a request from `head` (a branch, or `owner:branch` of a fork the caller can write to) into `base` (default branch if omitted) → 201; 409 if one is already open; 422 if there is nothing to merge.")
            .Produces<ApiPullRequest>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet(pulls + "/{index:int}.diff", GetPullDiff).WithName("repoDownloadPullDiff").WithSummary("The request's changes as a unified diff (text/plain).")
            .ProducesContent("text/plain");
        api.MapGet(pulls + "/{index:int}", GetPull).WithName("repoGetPullRequest").WithSummary("One request; `mergeable` comes from the background check (false while unchecked).")
            .Produces<ApiPullRequest>();
        api.MapPatch(pulls + "/{index:int}", EditPull).Accepts<EditPullRequestOption>("application/json").WithName("repoEditPullRequest")
            .WithSummary("Changes `title`, `body`, or `state` (`open`, `closed`): its author or a writer of the repository → 201 (as Gitea).")
            .Produces<ApiPullRequest>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapPost(pulls + "/{index:int}/merge", MergePull).Accepts<MergePullRequestOption>("application/json").WithName("repoMergePullRequest")
            .WithSummary("Merges (`Do`: `merge`, `squash`, `fast-forward-only`; default: the repository's setting; `rebase` → 422) → 200; 403 without the right; 405 while approvals are missing; 409 on conflicts or when the target moved into a conflict (nothing changed).")
            .Produces(StatusCodes.Status200OK).Errors(405, 409, 422);
        api.MapGet(pulls + "/{index:int}/merge", IsPullMerged).WithName("repoPullRequestIsMerged").WithSummary("204 if merged, 404 otherwise.").Produces(StatusCodes.Status204NoContent);
        api.MapGet(pulls + "/{index:int}/reviews", ListPullReviews).WithName("repoListPullReviews").WithSummary("Reviews, oldest first.")
            .Produces<List<ApiPullReview>>();
        api.MapPost(pulls + "/{index:int}/reviews", CreatePullReview).Accepts<CreatePullReviewOptions>("application/json").WithName("repoCreatePullReview")
            .WithSummary("`event`: `APPROVED` or `REQUEST_CHANGES` (writers other than the author) or `COMMENT`; `comments`: line comments `{path, body, new_position | old_position}` → 200; 409 if `commit_id` is not the latest version.")
            .Produces<ApiPullReview>().Errors(409, 422);
        api.MapGet(pulls + "/{index:int}/threads", ListPullThreads).WithName("forgeListPullThreads")
            .WithSummary("Forge's own: the request's discussion threads (line comments and comments on the whole request), oldest first.")
            .Produces<List<ApiPullThread>>();
        api.MapPost(pulls + "/{index:int}/threads/{id:long}/resolved", (HttpContext c, string owner, string repo, int index, long id, RepositoryService r, MergeRequestService m) =>
                ResolvePullThread(c, owner, repo, index, id, r, m, true))
            .WithName("forgeResolvePullThread")
            .WithSummary("Forge's own: marks a thread resolved (its author, the request's author or a writer of the repository) → 200 with the thread.")
            .Produces<ApiPullThread>();
        api.MapDelete(pulls + "/{index:int}/threads/{id:long}/resolved", (HttpContext c, string owner, string repo, int index, long id, RepositoryService r, MergeRequestService m) =>
                ResolvePullThread(c, owner, repo, index, id, r, m, false))
            .WithName("forgeUnresolvePullThread").WithSummary("Forge's own: reopens a resolved thread (same people) → 200 with the thread.")
            .Produces<ApiPullThread>();
        api.MapGet(pulls + "/{index:int}/commits", ListPullCommits).WithName("repoGetPullRequestCommits").WithSummary("The request's commits, oldest first.")
            .Produces<List<ApiCommit>>();
        api.MapGet(pulls + "/{index:int}/files", ListPullFiles).WithName("repoGetPullRequestFiles").WithSummary("The files the request changes.")
            .Produces<List<ApiPullFile>>();
    }

    private static async Task<(RepoContext? Repo, MergeRequest? Mr, IResult? Failure)> PullAsync(HttpContext context, string owner, string repo, int index,
        RepositoryService repositories, MergeRequestService requests)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, null, failure);
        var mr = await requests.FindAsync(r!.Repository, index, context.RequestAborted);
        return mr is null ? (r, null, Error(StatusCodes.Status404NotFound, $"La demande de fusion !{index} n’existe pas.", context.Request)) : (r, mr, null);
    }

    private static IResult Refused(MergeRequestError error, HttpContext context) => Error(error.Status, error.Message, context.Request);

    private static async Task<IResult> ListPulls(HttpContext context, string owner, string repo, string? state, int? page, int? limit,
        RepositoryService repositories, MergeRequestService requests, ForgeDbContext db)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, limit);
        var query = db.Set<MergeRequest>().Where(m => m.TargetRepositoryId == r!.Repository.Id);
        query = state switch
        {
            "all" => query,
            "closed" => query.Where(m => m.State != MergeRequestState.Open),
            _ => query.Where(m => m.State == MergeRequestState.Open),
        };
        var total = await query.CountAsync(context.RequestAborted);
        var numbers = await query.OrderByDescending(m => m.Number).Skip((p - 1) * l).Take(l).Select(m => m.Number).ToListAsync(context.RequestAborted);
        var list = new List<ApiPullRequest>();
        foreach (var n in numbers)
            if (await requests.FindAsync(r!.Repository, n, context.RequestAborted) is { } mr) list.Add(PullJson(context, r, mr, requests));
        PageHeaders(context, p, l, total > p * l, total);
        return Results.Json(list, ApiModels.Json);
    }

    private static async Task<IResult> GetPull(HttpContext context, string owner, string repo, int index, RepositoryService repositories, MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        return failure ?? Results.Json(PullJson(context, r!, mr!, requests), ApiModels.Json);
    }

    private static async Task<IResult> CreatePull(HttpContext context, string owner, string repo, RepositoryService repositories, MergeRequestService requests,
        ForgeDbContext db)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<CreatePullRequestOption>(context);
        if (bad is not null) return bad;
        var head = body!.Head?.Trim() ?? "";
        long? sourceId = r.Repository.Id;
        var colon = head.IndexOf(':');
        if (colon > 0)
        {
            // owner:branch — the fork of this repository that owner has (or this repository itself).
            var forkOwner = head[..colon].ToUpperInvariant();
            head = head[(colon + 1)..];
            var candidates = await db.Repositories.Where(x => x.Owner.NormalizedUserName == forkOwner && (x.Id == r.Repository.Id || x.ForkOfId == r.Repository.Id))
                .Select(x => x.Id).ToListAsync(context.RequestAborted);
            sourceId = candidates.Count == 1 ? candidates[0] : null;
            if (sourceId is null)
                return Error(StatusCodes.Status422UnprocessableEntity, $"« {body.Head} » ne désigne aucune branche de ce dépôt ni d’une de ses divergences.", context.Request);
        }
        if (head.Length == 0) return Error(StatusCodes.Status422UnprocessableEntity, "« head » est requis : la branche à fusionner.", context.Request);
        var (mr, error) = await requests.CreateAsync(r, sourceId, head, body.Base, body.Title, body.Body, context.RequestAborted);
        if (error is not null) return Refused(error, context);
        var created = await requests.FindAsync(r.Repository, mr!.Number, context.RequestAborted);
        return Results.Json(PullJson(context, r, created!, requests), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> EditPull(HttpContext context, string owner, string repo, int index, RepositoryService repositories, MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<EditPullRequestOption>(context);
        if (bad is not null) return bad;
        if (body!.State is not (null or "open" or "closed"))
            return Error(StatusCodes.Status422UnprocessableEntity, "« state » vaut « open » ou « closed ».", context.Request);
        if (await requests.EditAsync(mr!, r, body.Title, body.Body, context.RequestAborted) is { } error) return Refused(error, context);
        if (body.State is { } state && await requests.SetOpenAsync(mr!, r, state == "open", context.RequestAborted) is { } stateError) return Refused(stateError, context);
        var fresh = await requests.FindAsync(r.Repository, index, context.RequestAborted);
        return Results.Json(PullJson(context, r, fresh!, requests), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> MergePull(HttpContext context, string owner, string repo, int index, RepositoryService repositories, MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<MergePullRequestOption>(context);
        if (bad is not null) return bad;
        var style = ApiModels.ParseMergeStyle(body!.Do);
        if (style is null && !string.IsNullOrEmpty(body.Do))
            return Error(StatusCodes.Status422UnprocessableEntity, $"Méthode de fusion « {body.Do} » non prise en charge : utilisez « merge », « squash » ou « fast-forward-only ».", context.Request);
        if (body.HeadCommitId is { Length: > 0 } expected && expected != mr!.HeadSha)
            return Error(StatusCodes.Status409Conflict, "La branche source a changé depuis : relisez la dernière version avant de fusionner.", context.Request);
        var message = string.Join("\n\n", new[] { body.MergeTitleField, body.MergeMessageField }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var (_, error, _) = await requests.MergeAsync(mr!, r, style, body.DeleteBranchAfterMerge == true, message, context.RequestAborted);
        return error is null ? Results.Ok() : Refused(error, context);
    }

    private static async Task<IResult> IsPullMerged(HttpContext context, string owner, string repo, int index, RepositoryService repositories, MergeRequestService requests)
    {
        var (_, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        return mr!.State == MergeRequestState.Merged ? Results.NoContent() : Error(StatusCodes.Status404NotFound, "Cette demande n’est pas fusionnée.", context.Request);
    }

    private static async Task<IResult> GetPullDiff(HttpContext context, string owner, string repo, int index, RepositoryService repositories, MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        var hidden = Hidden(context, r!, mr!.HeadSha);
        return Results.Text(GitMerger.PatchText(r!.GitPath, mr.BaseSha, mr.HeadSha, withheld: hidden.IsEmpty ? null : hidden.IsHidden), "text/plain; charset=utf-8");
    }

    private static async Task<IResult> ListPullCommits(HttpContext context, string owner, string repo, int index, RepositoryService repositories,
        MergeRequestService requests, GitReader reader)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        var shas = GitMerger.CommitsBetween(r!.GitPath, mr!.BaseSha, mr.HeadSha).Select(c => c.Sha).ToList();
        return Results.Json(reader.CommitObjects(r.GitPath, shas).Select(o => ApiModels.Commit(context, r, o)), ApiModels.Json);
    }

    private static async Task<IResult> ListPullFiles(HttpContext context, string owner, string repo, int index, RepositoryService repositories,
        MergeRequestService requests, GitReader reader)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        var diff = Redacted(context, r!, mr!.HeadSha, reader.Compare(r!.GitPath, mr.BaseSha, mr.HeadSha, DiffBudget.Default)?.Diff);
        var html = $"{context.Request.Scheme}://{context.Request.Host}{r.BaseUrl}";
        return Results.Json((diff?.Files ?? []).Select(f => new ApiPullFile
        {
            Filename = f.Path,
            PreviousFilename = f.OldPath,
            Status = f.Kind switch { FileChangeKind.Added => "added", FileChangeKind.Deleted => "deleted", FileChangeKind.Renamed => "renamed", _ => "modified" },
            Additions = f.Additions,
            Deletions = f.Deletions,
            Changes = f.Additions + f.Deletions,
            HtmlUrl = $"{html}/blob/{mr.HeadSha}/{ApiModels.EscapePath(f.Path)}",
            RawUrl = $"{html}/raw/{mr.HeadSha}/{ApiModels.EscapePath(f.Path)}",
        }), ApiModels.Json);
    }

    private static async Task<IResult> ListPullReviews(HttpContext context, string owner, string repo, int index, RepositoryService repositories,
        MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        return Results.Json(mr!.Reviews.Select(v => ReviewJson(context, r!, mr, v)), ApiModels.Json);
    }

    private static async Task<IResult> CreatePullReview(HttpContext context, string owner, string repo, int index, RepositoryService repositories,
        MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        var (body, bad) = await BodyAsync<CreatePullReviewOptions>(context);
        if (bad is not null) return bad;
        ReviewVerdict? verdict = body!.Event switch
        {
            "APPROVED" or "APPROVE" => ReviewVerdict.Approved,
            "REQUEST_CHANGES" => ReviewVerdict.ChangesRequested,
            "COMMENT" or null or "" => ReviewVerdict.Comment,
            _ => null,
        };
        if (verdict is null)
            return Error(StatusCodes.Status422UnprocessableEntity, "« event » vaut « APPROVED », « REQUEST_CHANGES » ou « COMMENT ».", context.Request);
        if (body.CommitId is { Length: > 0 } commit && commit != mr!.HeadSha)
            return Error(StatusCodes.Status409Conflict, "« commit_id » n’est plus la dernière version de la demande : relisez-la.", context.Request);
        var lines = new List<LineCommentInput>();
        foreach (var c in body.Comments ?? [])
        {
            if (string.IsNullOrWhiteSpace(c.Path) || (c.NewPosition is not > 0 && c.OldPosition is not > 0))
                return Error(StatusCodes.Status422UnprocessableEntity, "Chaque commentaire de ligne a un « path » et une « new_position » ou une « old_position ».", context.Request);
            lines.Add(c.NewPosition is > 0 ? new(c.Path, DiffSide.New, c.NewPosition.Value, c.Body ?? "") : new(c.Path, DiffSide.Old, c.OldPosition!.Value, c.Body ?? ""));
        }
        var (review, error) = await requests.ReviewAsync(mr!, r, verdict.Value, body.Body, lines, context.RequestAborted);
        if (error is not null) return Refused(error, context);
        var fresh = await requests.FindAsync(r.Repository, index, context.RequestAborted);
        return Results.Json(ReviewJson(context, r, fresh!, fresh!.Reviews.Single(v => v.Id == review!.Id)), ApiModels.Json);
    }

    private static async Task<IResult> ListPullThreads(HttpContext context, string owner, string repo, int index, RepositoryService repositories,
        MergeRequestService requests)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        return Results.Json(mr!.Comments.Where(c => c.ThreadId is null).OrderBy(c => c.Id).Select(c => ThreadJson(context, r!, mr, c)), ApiModels.Json);
    }

    private static async Task<IResult> ResolvePullThread(HttpContext context, string owner, string repo, int index, long id, RepositoryService repositories,
        MergeRequestService requests, bool resolved)
    {
        var (r, mr, failure) = await PullAsync(context, owner, repo, index, repositories, requests);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        if (await requests.ResolveAsync(mr!, r, id, resolved, context.RequestAborted) is { } error) return Refused(error, context);
        return Results.Json(ThreadJson(context, r, mr!, mr!.Comments.Single(c => c.Id == id)), ApiModels.Json);
    }

    private static ApiPullThread ThreadJson(HttpContext c, RepoContext r, MergeRequest mr, MergeRequestComment thread) => new()
    {
        Id = thread.Id,
        User = ApiModels.User(thread.Author, c, includeEmail: false),
        Body = thread.Body,
        Path = thread.IsLineComment ? thread.Path : null,
        Side = thread.IsLineComment ? (thread.Side == DiffSide.Old ? "old" : "new") : null,
        Line = thread.IsLineComment ? thread.Line : null,
        Resolved = thread.Resolved,
        Outdated = thread.Outdated,
        Replies = mr.Comments.Count(x => x.ThreadId == thread.Id),
        HtmlUrl = $"{c.Request.Scheme}://{c.Request.Host}{r.BaseUrl}/merge_requests/{mr.Number}#comment-{thread.Id}",
        CreatedAt = Formatting.Iso(thread.CreatedAt),
    };

    private static ApiPullReview ReviewJson(HttpContext c, RepoContext r, MergeRequest mr, MergeRequestReview v)
    {
        var html = $"{c.Request.Scheme}://{c.Request.Host}{r.BaseUrl}/merge_requests/{mr.Number}";
        return new ApiPullReview
        {
            Id = v.Id,
            User = ApiModels.User(v.Reviewer, c, includeEmail: false),
            Body = v.Body ?? "",
            CommitId = v.HeadSha,
            State = v.Verdict switch { ReviewVerdict.Approved => "APPROVED", ReviewVerdict.ChangesRequested => "REQUEST_CHANGES", _ => "COMMENT" },
            Stale = v.HeadSha != mr.HeadSha,
            Official = v.Verdict != ReviewVerdict.Comment && RepositoryService.CanWrite(r.Repository, new Viewer(v.ReviewerId, v.Reviewer.IsAdmin)),
            Dismissed = false,
            CommentsCount = mr.Comments.Count(x => x.ReviewId == v.Id),
            SubmittedAt = Formatting.Iso(v.CreatedAt),
            HtmlUrl = $"{html}#review-{v.Id}",
            PullRequestUrl = html,
        };
    }

    private static ApiPullRequest PullJson(HttpContext c, RepoContext r, MergeRequest mr, MergeRequestService requests)
    {
        var baseUrl = $"{c.Request.Scheme}://{c.Request.Host}";
        var html = $"{baseUrl}{r.BaseUrl}/merge_requests/{mr.Number}";
        var source = mr.SourceRepository is { } s && RepositoryService.CanRead(s, r.Viewer) ? s : null;
        return new ApiPullRequest
        {
            Id = mr.Id,
            Url = html,
            Number = mr.Number,
            User = ApiModels.User(mr.Author, c, includeEmail: false),
            Title = mr.Title,
            Body = mr.Description ?? "",
            Labels = [],
            Milestone = null,
            Assignee = null,
            Assignees = [],
            State = mr.State == MergeRequestState.Open ? "open" : "closed",
            IsLocked = false,
            Comments = mr.Comments.Count,
            HtmlUrl = html,
            DiffUrl = $"{baseUrl}/api/v1/repos/{ApiModels.EscapePath(r.FullName)}/pulls/{mr.Number}.diff",
            Mergeable = mr.State == MergeRequestState.Open && mr.MergeStatus == MergeStatus.Mergeable && requests.IsCheckCurrent(mr),
            Merged = mr.State == MergeRequestState.Merged,
            MergedAt = mr.MergedAt is { } at ? Formatting.Iso(at) : null,
            MergeCommitSha = mr.MergeSha,
            MergedBy = mr.MergedBy is { } by ? ApiModels.User(by, c, includeEmail: false) : null,
            AllowMaintainerEdit = false,
            Base = new ApiPullBranch(mr.TargetBranch, mr.TargetBranch, GitMerger.BranchTip(r.GitPath, mr.TargetBranch) ?? mr.BaseSha, r.Repository.Id,
                ApiModels.Repository(r.Repository, c, false, r.Viewer)),
            Head = new ApiPullBranch(source is null || source.Id == r.Repository.Id ? mr.SourceBranch : $"{source.Owner.UserName}:{mr.SourceBranch}",
                mr.SourceBranch, mr.HeadSha, source?.Id ?? 0, source is null ? null : ApiModels.Repository(source, c, false, r.Viewer)),
            MergeBase = mr.BaseSha,
            ConflictingFiles = mr.MergeStatus == MergeStatus.Conflicts ? mr.ConflictList : [],
            DueDate = null,
            CreatedAt = Formatting.Iso(mr.CreatedAt),
            UpdatedAt = Formatting.Iso(mr.UpdatedAt),
            ClosedAt = mr.ClosedAt is { } closed ? Formatting.Iso(closed) : mr.MergedAt is { } m ? Formatting.Iso(m) : null,
        };
    }
}
