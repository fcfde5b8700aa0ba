using Forge.Git;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>
/// Branches, tags, history and git objects in Gitea's API v1 shapes. Branch and tag changes go through
/// <see cref="ContentService"/>, so branch protection applies as for a push.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreateBranchRepoOption</c> (<c>old_branch_name</c> is Gitea's older name of <c>old_ref_name</c>).</summary>
    public sealed record CreateBranchOption(string? NewBranchName, string? OldBranchName, string? OldRefName);

    /// <summary>Gitea's <c>CreateTagOption</c>: an annotated tag when <c>message</c> is given.</summary>
    public sealed record CreateTagOption(string? TagName, string? Target, string? Message);

    /// <summary>Gitea's <c>GitTreeResponse</c>, with <c>total_count</c> entries in all pages.</summary>
    public sealed record ApiGitTree(string Sha, string Url, List<ApiGitEntry> Tree, bool Truncated, int Page, int TotalCount);

    /// <summary>Gitea's <c>GitBlobResponse</c>: base64 <c>content</c>, null over the size limit.</summary>
    public sealed record ApiGitBlob(string? Content, string? Encoding, string Url, string Sha, long Size);

    /// <summary>Gitea's <c>Compare</c>, with the merge base and whether the lists were cut.</summary>
    public sealed record ApiCompare(int TotalCommits, List<ApiCommit> Commits, List<ApiCommitAffectedFile> Files, string? MergeBase,
        bool CommitsTruncated, bool FilesTruncated);

    private static void MapGit(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/branches", ListBranches).WithName("repoListBranches").WithSummary("Branches (paged: `page`, `limit`).")
            .Produces<List<ApiBranch>>();
        api.MapGet("/repos/{owner}/{repo}/branches/{**branch}", GetBranch).WithName("repoGetBranch").WithSummary("One branch (`/` may be sent as `%2F`).")
            .Produces<ApiBranch>();
        api.MapPost("/repos/{owner}/{repo}/branches", CreateBranch).Accepts<CreateBranchOption>("application/json")
            .WithName("repoCreateBranch").WithSummary("Creates `new_branch_name` at `old_ref_name` (default branch if omitted) → 201; 409 if it exists.")
            .Produces<ApiBranch>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapDelete("/repos/{owner}/{repo}/branches/{**branch}", DeleteBranch)
            .WithName("repoDeleteBranch").WithSummary("Deletes a branch → 204; 403 for the default branch or a protected one.")
            .Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/tags", ListTags).WithName("repoListTags").WithSummary("Tags, newest first (paged: `page`, `limit`).")
            .Produces<List<ApiTag>>();
        api.MapGet("/repos/{owner}/{repo}/tags/{**tag}", GetTag).WithName("repoGetTag").WithSummary("One tag.").Produces<ApiTag>();
        api.MapPost("/repos/{owner}/{repo}/tags", CreateTag).Accepts<CreateTagOption>("application/json")
            .WithName("repoCreateTag").WithSummary("Creates `tag_name` at `target` (default branch if omitted), annotated if `message` → 201; 409 if it exists.")
            .Produces<ApiTag>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapDelete("/repos/{owner}/{repo}/tags/{**tag}", DeleteTag).WithName("repoDeleteTag").WithSummary("Deletes a tag → 204.")
            .Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/commits", ListCommits)
            .WithName("repoGetAllCommits").WithSummary("History from `sha` (ref or commit), optionally of `path`; `page`, `limit` (≤ 50); `X-HasMore` tells whether a next page exists; `stat=true` / `files=true` add changes.")
            .Produces<List<ApiCommit>>();
        api.MapGet("/repos/{owner}/{repo}/git/commits/{sha}", GetCommit)
            .WithName("repoGetSingleCommit").WithSummary("One commit (id or ref) with `files` and `stats`.")
            .Produces<ApiCommit>();
        api.MapGet("/repos/{owner}/{repo}/git/trees/{sha}", GetTree)
            .WithName("GetTree").WithSummary("A tree by tree id, commit id or ref; `recursive`, `page`, `per_page` (≤ 1000).")
            .Produces<ApiGitTree>();
        api.MapGet("/repos/{owner}/{repo}/git/blobs/{sha}", GetBlob).WithName("GetBlob").WithSummary("A blob by id, base64 (no `content` over 10 MiB).")
            .Produces<ApiGitBlob>();
        api.MapGet("/repos/{owner}/{repo}/compare/{**basehead}", Compare)
            .WithName("repoCompareDiff").WithSummary("What `head` adds to `base` (`base...head`): commits and changed files; 422 without two versions.")
            .Produces<ApiCompare>().Errors(422);
    }

    /// <summary>Gitea's paging: <c>page</c> from 1, <c>limit</c> from 1 to <paramref name="max"/>.</summary>
    private static (int Page, int Limit) Paging(int? page, int? limit, int fallback = 30, int max = 50) =>
        (Math.Max(page ?? 1, 1), Math.Clamp(limit is null or <= 0 ? fallback : limit.Value, 1, max));

    /// <summary>Gitea's paging headers; <c>X-Total-Count</c> only when the total is known cheaply.</summary>
    private static void PageHeaders(HttpContext context, int page, int limit, bool hasMore, int? total = null)
    {
        var headers = context.Response.Headers;
        headers["X-Page"] = page.ToString();
        headers["X-PerPage"] = limit.ToString();
        headers["X-HasMore"] = hasMore ? "true" : "false";
        if (total is { } t)
        {
            headers["X-Total-Count"] = t.ToString();
            headers["X-PageCount"] = ((t + limit - 1) / limit).ToString();
        }
        if (hasMore)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(context.Request.QueryString.Value);
            query["page"] = (page + 1).ToString();
            query["limit"] = limit.ToString();
            var next = Microsoft.AspNetCore.Http.Extensions.UriHelper.BuildAbsolute(context.Request.Scheme, context.Request.Host, context.Request.PathBase,
                context.Request.Path, QueryString.Create(query));
            headers.Link = $"<{next}>; rel=\"next\"";
        }
        headers.AccessControlExposeHeaders = "X-Total-Count, X-HasMore, X-Page, X-PerPage, X-PageCount, Link";
    }

    private static async Task<ApiBranch> BranchAsync(HttpContext context, RepoContext r, BranchInfo b)
    {
        var services = context.RequestServices;
        var rules = await services.GetRequiredService<RepositorySettingsService>().ProtectedBranchesAsync(r.Repository, context.RequestAborted);
        var rule = rules.FirstOrDefault(p => BranchPattern.IsMatch(p.Pattern, b.Name))?.Pattern;
        var canPush = r.CanWrite && (rule is null || (await services.GetRequiredService<PushPolicyService>().ForPushAsync(r.Repository, r.Viewer,
            [new RefUpdate(b.Tip.Sha, b.Tip.Sha, "refs/heads/" + b.Name)], context.RequestAborted)).Rejections.Count == 0);
        return ApiModels.Branch(context, r, b.Name, b.Tip, rule, canPush);
    }

    private static async Task<IResult> ListBranches(HttpContext context, string owner, string repo, int? page, int? limit,
        RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, limit);
        var all = reader.BranchList(r!.GitPath);
        var list = new List<ApiBranch>();
        foreach (var b in all.Skip((p - 1) * l).Take(l)) list.Add(await BranchAsync(context, r, b));
        PageHeaders(context, p, l, all.Count > p * l, all.Count);
        return Results.Json(list, ApiModels.Json);
    }

    private static async Task<IResult> GetBranch(HttpContext context, string owner, string repo, string branch, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var name = Uri.UnescapeDataString(branch);
        var b = reader.BranchList(r!.GitPath).FirstOrDefault(x => x.Name == name);
        if (b is null) return Error(StatusCodes.Status404NotFound, $"La branche « {name} » n’existe pas.", context.Request);
        return Results.Json(await BranchAsync(context, r, b), ApiModels.Json);
    }

    private static async Task<IResult> CreateBranch(HttpContext context, string owner, string repo, RepositoryService repositories,
        ContentService content, GitReader reader)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<CreateBranchOption>(context);
        if (bad is not null) return bad;
        var name = body!.NewBranchName?.Trim() ?? "";
        if (!GitWriter.IsValidBranchName(name))
            return Error(StatusCodes.Status422UnprocessableEntity, $"« {name} » n’est pas un nom de branche valide.", context.Request);
        var from = body.OldRefName ?? body.OldBranchName;
        var at = ResolveRef(reader, r!, from);
        if (at is null) return RefNotFound(context, from ?? r!.Repository.DefaultBranch);
        var result = await content.CreateBranchAsync(r!, name, at.Ref, context.RequestAborted);
        if (!result.Ok)
            return result.Status == WriteStatus.BranchExists ? Error(StatusCodes.Status409Conflict, result.Message!, context.Request) : WriteFailed(result, context);
        var created = reader.BranchList(r!.GitPath).First(b => b.Name == name);
        return Results.Json(await BranchAsync(context, r, created), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteBranch(HttpContext context, string owner, string repo, string branch, RepositoryService repositories,
        ContentService content)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var result = await content.DeleteBranchAsync(r!, Uri.UnescapeDataString(branch), context.RequestAborted);
        if (result.Ok) return Results.NoContent();
        // Gitea answers 403 for the default branch, as for a protected one.
        return result.Status == WriteStatus.InvalidBranch ? Error(StatusCodes.Status403Forbidden, result.Message!, context.Request) : WriteFailed(result, context);
    }

    private static ApiTag TagJson(HttpContext context, RepoContext r, GitReader reader, TagInfo t) =>
        ApiModels.Tag(context, r, t, reader.TagTarget(r.GitPath, t.Name) ?? t.Target.Sha);

    private static async Task<IResult> ListTags(HttpContext context, string owner, string repo, int? page, int? limit, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, limit);
        var all = reader.TagList(r!.GitPath);
        PageHeaders(context, p, l, all.Count > p * l, all.Count);
        return Results.Json(all.Skip((p - 1) * l).Take(l).Select(t => TagJson(context, r, reader, t)), ApiModels.Json);
    }

    private static async Task<IResult> GetTag(HttpContext context, string owner, string repo, string tag, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var name = Uri.UnescapeDataString(tag);
        var t = reader.TagList(r!.GitPath).FirstOrDefault(x => x.Name == name);
        return t is null ? Error(StatusCodes.Status404NotFound, $"L’étiquette « {name} » n’existe pas.", context.Request)
            : Results.Json(TagJson(context, r, reader, t), ApiModels.Json);
    }

    private static async Task<IResult> CreateTag(HttpContext context, string owner, string repo, RepositoryService repositories, ContentService content, GitReader reader)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<CreateTagOption>(context);
        if (bad is not null) return bad;
        var name = body!.TagName?.Trim() ?? "";
        if (!GitWriter.IsValidTagName(name))
            return Error(StatusCodes.Status422UnprocessableEntity, $"« {name} » n’est pas un nom d’étiquette valide.", context.Request);
        var at = ResolveRef(reader, r!, body.Target);
        if (at is null) return RefNotFound(context, body.Target ?? r!.Repository.DefaultBranch);
        var result = await content.CreateTagAsync(r!, name, at.CommitSha, body.Message, context.RequestAborted);
        if (!result.Ok)
            return result.Status == WriteStatus.AlreadyExists ? Error(StatusCodes.Status409Conflict, result.Message!, context.Request) : WriteFailed(result, context);
        var created = reader.TagList(r!.GitPath).First(t => t.Name == name);
        return Results.Json(TagJson(context, r, reader, created), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteTag(HttpContext context, string owner, string repo, string tag, RepositoryService repositories, ContentService content)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var result = await content.DeleteTagAsync(r!, Uri.UnescapeDataString(tag), context.RequestAborted);
        return result.Ok ? Results.NoContent() : WriteFailed(result, context);
    }

    private static async Task<IResult> ListCommits(HttpContext context, string owner, string repo, string? sha, string? path, int? page, int? limit,
        bool? stat, bool? files, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var at = ResolveRef(reader, r!, sha);
        if (at is null) return RefNotFound(context, sha ?? r!.Repository.DefaultBranch);
        var filter = CleanPath(path);
        if (!GitReader.IsSafePath(filter) || Hidden(context, r!, at.CommitSha).IsHidden(filter)) return PathNotFound(context, filter);
        var (p, l) = Paging(page, limit);
        // REVIEW: no X-Total-Count: counting means walking the whole history. X-HasMore and Link say whether to go on.
        var history = reader.Log(r!.GitPath, at.CommitSha, filter, (p - 1) * l, l);
        PageHeaders(context, p, l, history.HasMore);
        var withChanges = stat == true || files == true;
        var objects = reader.CommitObjects(r.GitPath, history.Commits.Select(c => c.Sha));
        return Results.Json(objects.Select(o => ApiModels.Commit(context, r, o,
            withChanges ? Redacted(context, r, o.Info.Sha, reader.GetCommitDetail(r.GitPath, o.Info.Sha, DiffBudget.Default)?.Diff) : null)), ApiModels.Json);
    }

    private static async Task<IResult> GetCommit(HttpContext context, string owner, string repo, string sha, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var at = ResolveRef(reader, r!, Uri.UnescapeDataString(sha));
        if (at is null) return Error(StatusCodes.Status404NotFound, $"Version « {sha} » introuvable.", context.Request);
        var detail = reader.GetCommitDetail(r!.GitPath, at.CommitSha, DiffBudget.Default);
        var o = reader.CommitObjects(r.GitPath, [at.CommitSha]).Single();
        return Results.Json(ApiModels.Commit(context, r, o, Redacted(context, r, at.CommitSha, detail?.Diff)), ApiModels.Json);
    }

    private static async Task<IResult> GetTree(HttpContext context, string owner, string repo, string sha, bool? recursive, int? page,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "per_page")] int? perPage, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, perPage, fallback: 1000, max: 1000);
        var id = sha.Length == 40 && sha.All(Uri.IsHexDigit) ? sha.ToLowerInvariant() : ResolveRef(reader, r!, Uri.UnescapeDataString(sha))?.CommitSha;
        var tree = id is null || IsHiddenObject(context, r!, reader, id) ? null : reader.TreeById(r!.GitPath, id, recursive == true, (p - 1) * l, l);
        // Paths of a commit's tree are from the root; those of a folder's tree, from that folder (its unanchored patterns still apply).
        if (tree is not null && Hidden(context, r!, reader.Resolve(r!.GitPath, [id!])?.CommitSha ?? reader.HeadTip(r.GitPath) ?? id!) is { IsEmpty: false } hidden)
            tree = tree with { Entries = hidden.Filter(tree.Entries, e => e.Path) };
        if (tree is null) return Error(StatusCodes.Status404NotFound, $"Arbre « {sha} » introuvable.", context.Request);
        return Results.Json(new ApiGitTree(tree.Sha, ApiModels.TreeUrl(context, r!, tree.Sha), tree.Entries.Select(e => ApiModels.TreeEntry(context, r!, e)).ToList(),
            tree.Truncated || tree.Total > p * l, p, tree.Total), ApiModels.Json);
    }

    private static async Task<IResult> GetBlob(HttpContext context, string owner, string repo, string sha, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var gitPath = r!.GitPath;
        var blob = IsHiddenObject(context, r, reader, sha) ? null : reader.ReadBlobById(gitPath, sha.ToLowerInvariant(), MaxContentsBytes);
        if (blob is null) return Error(StatusCodes.Status404NotFound, $"Blob « {sha} » introuvable.", context.Request);
        return Results.Json(new ApiGitBlob(blob.Truncated ? null : Convert.ToBase64String(blob.Bytes), blob.Truncated ? null : "base64",
            ApiModels.BlobUrl(context, r, blob.ObjectId), blob.ObjectId, blob.Size), ApiModels.Json);
    }

    private static async Task<IResult> Compare(HttpContext context, string owner, string repo, string? basehead, RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var spec = Uri.UnescapeDataString(basehead ?? "");
        var parts = spec.Split("...", 2);
        if (parts.Length < 2) parts = spec.Split("..", 2);
        if (parts.Length < 2)
            return Error(StatusCodes.Status422UnprocessableEntity, "Indiquez deux versions : « base...head ».", context.Request);
        var (from, to) = (ResolveRef(reader, r!, parts[0]), ResolveRef(reader, r!, parts[1]));
        if (from is null) return RefNotFound(context, parts[0]);
        if (to is null) return RefNotFound(context, parts[1]);
        var comparison = reader.Compare(r!.GitPath, from.CommitSha, to.CommitSha, DiffBudget.Default);
        if (comparison is null) return Error(StatusCodes.Status404NotFound, "Comparaison impossible.", context.Request);
        var objects = reader.CommitObjects(r.GitPath, comparison.Commits.Select(c => c.Sha));
        return Results.Json(new ApiCompare(comparison.Commits.Count, objects.Select(o => ApiModels.Commit(context, r, o)).ToList(),
            ApiModels.AffectedFiles(Hidden(context, r, to.CommitSha).Redact(comparison.Diff)).ToList(), comparison.MergeBaseSha,
            comparison.CommitsTruncated, comparison.Diff.Truncated), ApiModels.Json);
    }
}
