using Forge.Git;
using Forge.Web.Checks;
using Forge.Web.Data;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>
/// Gitea's commit statuses: Forge's automatic checks report as context <c>forge/tests</c>; writers post their own (external
/// CI), under any other context. Readers of the repository read them; nobody else learns anything (404).
/// </summary>
public static partial class ApiV1
{
    /// <summary>Body of <c>POST …/statuses/{sha}</c>, Gitea's <c>CreateStatusOption</c>.</summary>
    public sealed record CreateStatusOption(string? State,
        [property: System.Text.Json.Serialization.JsonPropertyName("target_url")] string? TargetUrl, string? Description, string? Context);

    /// <summary>Gitea's <c>CommitStatus</c>; <c>status</c>: pending, success, error, failure or warning.</summary>
    public sealed record ApiCommitStatus(long Id, string Status, string TargetUrl, string? Description, string Url, string Context, ApiUser? Creator,
        DateTime CreatedAt, DateTime UpdatedAt);

    /// <summary>Gitea's <c>CombinedStatus</c>: <c>state</c> is the worst of the latest status of each context (empty without statuses).</summary>
    public sealed record ApiCombinedStatus(string State, string Sha, int TotalCount, List<ApiCommitStatus> Statuses, ApiRepository Repository,
        string CommitUrl, string Url);

    private static void MapStatuses(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/commits/{ref}/status", GetCombinedStatus).WithName("repoGetCombinedStatusByRef")
            .WithSummary("The combined status of a commit (branch, tag or id; `/` in a branch as `%2F`): the worst state of the latest status of each context.")
            .Produces<ApiCombinedStatus>();
        api.MapGet("/repos/{owner}/{repo}/commits/{ref}/statuses", ListStatusesByRef).WithName("repoListStatusesByRef")
            .WithSummary("Every status of a commit (branch, tag or id), newest first.")
            .Produces<List<ApiCommitStatus>>();
        api.MapGet("/repos/{owner}/{repo}/statuses/{sha}", ListStatuses).WithName("repoListStatuses")
            .WithSummary("Every status of a commit, newest first.")
            .Produces<List<ApiCommitStatus>>();
        api.MapPost("/repos/{owner}/{repo}/statuses/{sha}", CreateStatus).Accepts<CreateStatusOption>("application/json").WithName("repoCreateStatus")
            .WithSummary("Adds a status (`state`: pending, success, error, failure, warning; `context`, default `default`; `description`; `target_url`) → 201; writers only; `forge/…` contexts are Forge's own (422).")
            .Produces<ApiCommitStatus>(StatusCodes.Status201Created).Errors(422);
    }

    private static async Task<(RepoContext? Repo, string? Sha, IResult? Failure)> StatusCommitAsync(HttpContext context, string owner, string repo, string @ref,
        RepositoryService repositories, GitReader reader, bool write)
    {
        var (r, failure) = write ? await WriteContextAsync(context, owner, repo, repositories) : await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, null, failure);
        var sha = ResolveRef(reader, r!, Uri.UnescapeDataString(@ref))?.CommitSha;
        return sha is null ? (null, null, RefNotFound(context, @ref)) : (r, sha, null);
    }

    private static async Task<IResult> GetCombinedStatus(HttpContext context, string owner, string repo, string @ref, RepositoryService repositories,
        GitReader reader, CommitStatusService statuses, RepositoryStore store)
    {
        var (r, sha, failure) = await StatusCommitAsync(context, owner, repo, @ref, repositories, reader, write: false);
        if (failure is not null) return failure;
        var combined = await statuses.CombinedAsync(r!.Repository.Id, sha!, context.RequestAborted);
        var list = combined?.Statuses ?? [];
        var api = $"{context.Request.Scheme}://{context.Request.Host}/api/v1/repos/{r.Owner}/{r.Name}";
        return Results.Json(new ApiCombinedStatus(combined?.State ?? "", sha!, list.Count, list.Select(s => StatusJson(s, context, r)).ToList(),
            ApiModels.Repository(r.Repository, context, reader.IsEmpty(store.PathOf(r.Repository.Id)), r.Viewer), $"{api}/git/commits/{sha}",
            $"{api}/commits/{sha}/status"), ApiModels.Json);
    }

    private static Task<IResult> ListStatusesByRef(HttpContext context, string owner, string repo, string @ref, RepositoryService repositories,
        GitReader reader, CommitStatusService statuses) => ListStatuses(context, owner, repo, @ref, repositories, reader, statuses);

    private static async Task<IResult> ListStatuses(HttpContext context, string owner, string repo, string sha, RepositoryService repositories,
        GitReader reader, CommitStatusService statuses)
    {
        var (r, commit, failure) = await StatusCommitAsync(context, owner, repo, sha, repositories, reader, write: false);
        if (failure is not null) return failure;
        var list = await statuses.ListAsync(r!.Repository.Id, commit!, context.RequestAborted);
        return Results.Json(list.Select(s => StatusJson(s, context, r)), ApiModels.Json);
    }

    private static async Task<IResult> CreateStatus(HttpContext context, string owner, string repo, string sha, RepositoryService repositories,
        GitReader reader, CommitStatusService statuses)
    {
        var (r, commit, failure) = await StatusCommitAsync(context, owner, repo, sha, repositories, reader, write: true);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<CreateStatusOption>(context);
        if (bad is not null) return bad;
        var state = body!.State?.Trim().ToLowerInvariant() ?? "";
        var statusContext = string.IsNullOrWhiteSpace(body.Context) ? "default" : body.Context.Trim();
        string? problem = null;
        if (!CommitStatusService.States.Contains(state)) problem = "« state » doit valoir pending, success, error, failure ou warning.";
        else if (statusContext.Length > CommitStatusEntity.MaxContext) problem = $"« context » ne peut pas dépasser {CommitStatusEntity.MaxContext} caractères.";
        else if (statusContext.StartsWith("forge/", StringComparison.OrdinalIgnoreCase)) problem = "Les contextes « forge/… » sont réservés aux vérifications de Forge.";
        else if ((body.Description?.Length ?? 0) > CommitStatusEntity.MaxDescription) problem = $"« description » ne peut pas dépasser {CommitStatusEntity.MaxDescription} caractères.";
        else if (!string.IsNullOrEmpty(body.TargetUrl) && (body.TargetUrl.Length > CommitStatusEntity.MaxTargetUrl
            || !Uri.TryCreate(body.TargetUrl, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https")))
            problem = "« target_url » doit être une adresse http ou https complète.";
        if (problem is not null) return Error(StatusCodes.Status422UnprocessableEntity, problem, context.Request);
        var row = await statuses.AddAsync(r!.Repository.Id, commit!, state, statusContext, body.Description, string.IsNullOrEmpty(body.TargetUrl) ? null : body.TargetUrl,
            r.Viewer.UserId, context.RequestAborted);
        var fresh = (await statuses.ListAsync(r.Repository.Id, commit!, context.RequestAborted)).First(s => s.Id == row.Id);
        return Results.Json(StatusJson(fresh, context, r), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static ApiCommitStatus StatusJson(CommitStatusEntity s, HttpContext context, RepoContext r)
    {
        var site = $"{context.Request.Scheme}://{context.Request.Host}";
        var created = DateTime.SpecifyKind(s.CreatedAt, DateTimeKind.Utc);
        return new ApiCommitStatus(s.Id, s.State, s.TargetUrl is { } t && t.StartsWith('/') ? site + t : s.TargetUrl ?? "", s.Description,
            $"{site}/api/v1/repos/{r.Owner}/{r.Name}/statuses/{s.CommitSha}", s.Context,
            s.Creator is null ? null : ApiModels.User(s.Creator, context, includeEmail: false), created, created);
    }
}
