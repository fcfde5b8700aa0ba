using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using System.Text.Json.Serialization;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Forks;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>What a repository's JSON says about forks: its source (when the viewer may read it) and its readable fork count.</summary>
public sealed record ApiForkFacts(ApiRepository? Parent, int Count);

/// <summary>Forks: Gitea's <c>POST</c>/<c>GET …/forks</c> and <c>POST …/merge-upstream</c> (fast-forward only here).</summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreateForkOption</c>, plus Forge's <c>private</c> (a fork of a public repository may be private).</summary>
    public sealed record CreateForkOption(string? Name, string? Organization, bool? Private);

    /// <summary>Gitea's <c>MergeUpstreamRequest</c>.</summary>
    public sealed record MergeUpstreamOption(string? Branch);

    private static void MapForks(RouteGroupBuilder api)
    {
        api.MapPost("/repos/{owner}/{repo}/forks", CreateFork).Accepts<CreateForkOption>("application/json")
            .WithName("createFork").WithSummary("Forks a readable repository into the caller's account, or into the group `organization` where the caller is at least writer (`name` defaults to the source's; Forge's own `private`) → 202 with the new repository; 409 if the name is taken; 422 if it is invalid. A fork of a private repository is private.")
            .Produces<ApiRepository>(StatusCodes.Status202Accepted).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/forks", ListForks)
            .WithName("listForks").WithSummary("The forks of a repository the caller may read (paged: `page`, `limit`; `X-Total-Count`). Forks the caller cannot read are neither listed nor counted.")
            .Produces<List<ApiRepository>>();
        api.MapPost("/repos/{owner}/{repo}/merge-upstream", MergeUpstream).Accepts<MergeUpstreamOption>("application/json")
            .WithName("repoMergeUpstream").WithSummary("Synchronises `branch` of a fork (its default branch if omitted) with its source by fast-forward (writers of the fork) → 200 `{merge_type: \"fast-forward\"}` (or `\"\"` when already up to date), with a French `message`; 409 when the fork has commits the source lacks (no automatic merge); 403 protected branch; 422 not a fork, source not readable or branch missing.")
            .Produces<MergeUpstreamResponse>().Errors(409, 422);
    }

    /// <summary>The fork facts of <paramref name="r"/> for <paramref name="viewer"/>: its readable source (as a repository, without its own parent) and readable fork count.</summary>
    internal static async Task<ApiForkFacts> ForkFactsAsync(HttpContext context, RepositoryEntity r, Viewer viewer, ForkService forks, GitReader reader,
        RepositoryStore store)
    {
        var parent = await forks.SourceOfAsync(r, viewer, context.RequestAborted);
        ApiRepository? parentJson = parent?.Readable is { } source ? ApiModels.Repository(source, context, reader.IsEmpty(store.PathOf(source.Id)), viewer) : null;
        return new ApiForkFacts(parentJson, await forks.CountReadableForksAsync(r.Id, viewer, context.RequestAborted));
    }

    private static async Task<IResult> CreateFork(HttpContext context, string owner, string repo, RepositoryService repositories, ForkService forks,
        GitReader reader, RepositoryStore store)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (viewer.UserId is not { } me) return Unauthorized(context);
        CreateForkOption option;
        try
        {
            using var body = new StreamReader(context.Request.Body);
            var text = await body.ReadToEndAsync(context.RequestAborted);
            option = string.IsNullOrWhiteSpace(text) ? new CreateForkOption(null, null, null)
                : JsonSerializer.Deserialize<CreateForkOption>(text, ApiModels.Json) ?? new CreateForkOption(null, null, null);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status422UnprocessableEntity, "Corps JSON invalide : {\"name\": \"…\"} attendu (facultatif).", context.Request);
        }
        // The target: the caller's account, or a group (Gitea's `organization`) where the caller may create repositories.
        var target = me;
        if (!string.IsNullOrWhiteSpace(option.Organization))
        {
            var normalized = option.Organization.Trim().ToUpperInvariant();
            var group = await context.RequestServices.GetRequiredService<ForgeDbContext>().Users
                .FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, context.RequestAborted);
            if (group is null || group.Id != me && !(group.IsGroup && Groups.GroupService.CanSee(group, viewer)))
                return Error(StatusCodes.Status404NotFound, $"Le groupe « {option.Organization.Trim()} » n’existe pas.", context.Request);
            target = group.Id;
        }
        var (fork, error) = await forks.ForkAsync(entity!, viewer, target, option.Name, option.Private ?? false, context.RequestAborted);
        if (error is not null) return Failed(error, context);
        var facts = await ForkFactsAsync(context, fork!, viewer, forks, reader, store);
        return Results.Json(ApiModels.Repository(fork!, context, reader.IsEmpty(store.PathOf(fork!.Id)), viewer, facts), ApiModels.Json,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListForks(HttpContext context, string owner, string repo, int? page, int? limit, RepositoryService repositories,
        ForkService forks, GitReader reader, RepositoryStore store)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, limit);
        var all = await forks.ListReadableForksAsync(entity!, viewer, context.RequestAborted);
        var slice = all.Skip((p - 1) * l).Take(l).ToList();
        PageHeaders(context, p, l, hasMore: p * l < all.Count, total: all.Count);
        var parent = ApiModels.Repository(entity!, context, reader.IsEmpty(store.PathOf(entity!.Id)), viewer);
        return Results.Json(slice.Select(f => ApiModels.Repository(f, context, reader.IsEmpty(store.PathOf(f.Id)), viewer, new ApiForkFacts(parent, 0))),
            ApiModels.Json);
    }

    private static async Task<IResult> MergeUpstream(HttpContext context, string owner, string repo, RepositoryService repositories, ForkService forks)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!viewer.IsSignedIn) return Unauthorized(context);
        var (option, bad) = await BodyAsync<MergeUpstreamOption>(context);
        if (bad is not null) return bad;
        var result = await forks.SyncAsync(entity!, viewer, option!.Branch, context.RequestAborted);
        var status = result switch
        {
            { Forbidden: true } => StatusCodes.Status403Forbidden,
            { Ok: true } => StatusCodes.Status200OK,
            { Status: SyncStatus.Diverged or SyncStatus.Moved } => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        if (status != StatusCodes.Status200OK) return Error(status, result.Message, context.Request);
        return Results.Json(new MergeUpstreamResponse(result.Status == SyncStatus.FastForwarded ? "fast-forward" : "", result.Branch, result.Message), ApiModels.Json);
    }

    /// <summary>Gitea's <c>MergeUpstreamResponse</c> (<c>merge_type</c>), with the branch and Forge's French message.</summary>
    public sealed record MergeUpstreamResponse(
        [property: JsonPropertyName("merge_type")] string MergeType,
        [property: JsonPropertyName("base_branch")] string BaseBranch,
        string Message);
}
