using Forge.Web.Data;
using Forge.Web.Repos;
using Forge.Web.Reviews;

namespace Forge.Web.Api;

/// <summary>
/// Forge's own: teachers' reviews of a resource (<c>/repos/{owner}/{repo}/resource/reviews</c>) — rating 1 to 5, opinion,
/// what it was used for — and the authors' answers. Gitea has no equivalent.
/// </summary>
public static partial class ApiV1
{
    private static void MapReviews(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/resource/reviews", ListReviews)
            .WithName("forgeListReviews")
            .WithSummary("Forge's own: reviews of the resource, newest first, with `count` and `average` (null without reviews).")
            .Produces<ApiResourceReviews>();
        api.MapPost("/repos/{owner}/{repo}/resource/reviews", PostReview)
            .WithName("forgePostReview")
            .WithSummary("Forge's own: writes (or replaces) the caller's review → 201 (200 when replaced).")
            .WithDescription("Body: `rating` (1 to 5), `opinion` (up to 2,000 characters), `used_for` (optional, up to 300). Anyone signed in "
                + "who can read the repository, except its writers (403: authors answer, they do not rate). Invalid fields → 422 with "
                + "`errors` (field → French message), nothing saved.")
            .RequestBody(typeof(ReviewOption))
            .Produces<ApiResourceReview>().Produces<ApiResourceReview>(StatusCodes.Status201Created)
            .Produces<ApiReviewErrors>(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/repos/{owner}/{repo}/resource/reviews/{id:long}", DeleteReview)
            .WithName("forgeDeleteReview").WithSummary("Forge's own: deletes a review (its author or an administrator) → 204.")
            .Produces(StatusCodes.Status204NoContent);
        api.MapPut("/repos/{owner}/{repo}/resource/reviews/{id:long}/answer", PutReviewAnswer)
            .WithName("forgePutReviewAnswer")
            .WithSummary("Forge's own: the authors' answer to a review (writers of the repository); body `answer`, empty to remove → 200.")
            .RequestBody(typeof(ReviewAnswerOption)).Produces<ApiResourceReview>().Errors(422);
    }

    /// <summary>Body of <c>POST …/resource/reviews</c>.</summary>
    public sealed record ReviewOption(int? Rating, string? Opinion,
        [property: System.Text.Json.Serialization.JsonPropertyName("used_for")] string? UsedFor);

    /// <summary>Body of <c>PUT …/resource/reviews/{id}/answer</c>.</summary>
    public sealed record ReviewAnswerOption(string? Answer);

    /// <summary>A teacher's review of a resource, with the authors' answer if any.</summary>
    public sealed record ApiResourceReview(long Id, int Rating, string Opinion, string? UsedFor, ApiUser User, DateTime CreatedAt, DateTime UpdatedAt,
        ApiReviewAnswer? Answer);

    /// <summary>The authors' answer to a review.</summary>
    public sealed record ApiReviewAnswer(string Body, ApiUser? User, DateTime? CreatedAt);

    /// <summary>The reviews of a resource: how many, their average (out of 5, null without reviews), newest first.</summary>
    public sealed record ApiResourceReviews(int Count, double? Average, List<ApiResourceReview> Reviews);

    /// <summary>The 422 answer of a refused review: Gitea's error shape with <c>errors</c> (field → French message).</summary>
    public sealed record ApiReviewErrors(string Message, Dictionary<string, string> Errors, string Url);

    private static ApiResourceReview ReviewJson(ResourceReview r, HttpContext c) => new(r.Id, r.Rating, r.Opinion, r.UsedFor,
        ApiModels.User(r.Author, c, includeEmail: false), r.CreatedAt, r.UpdatedAt,
        r.Answer is null ? null : new ApiReviewAnswer(r.Answer, r.AnsweredBy is null ? null : ApiModels.User(r.AnsweredBy, c, includeEmail: false), r.AnsweredAt));

    private static async Task<IResult> ListReviews(HttpContext context, string owner, string repo, RepositoryService repositories, ReviewService reviews)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var list = await reviews.ListAsync(r!.Repository.Id, context.RequestAborted);
        return Results.Json(new ApiResourceReviews(r.Repository.ReviewCount, r.Repository.ReviewCount == 0 ? null : r.Repository.RatingTenths / 10.0,
            list.Select(x => ReviewJson(x, context)).ToList()), ApiModels.Json);
    }

    private static async Task<IResult> PostReview(HttpContext context, string owner, string repo, RepositoryService repositories, ReviewService reviews)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        if (ReviewService.CannotReview(r.Repository, r.Viewer) is { } why) return Error(StatusCodes.Status403Forbidden, why, context.Request);
        var (body, bad) = await BodyAsync<ReviewOption>(context);
        if (bad is not null) return bad;
        var existed = await reviews.MineAsync(r.Repository.Id, r.Viewer.UserId!.Value, context.RequestAborted) is not null;
        var (review, errors) = await reviews.WriteAsync(r.Repository, r.Viewer, new ReviewInput(body!.Rating, body.Opinion, body.UsedFor), context.RequestAborted);
        if (review is null)
            return Results.Json(new ApiReviewErrors(string.Join(" ", errors.Values),
                errors.ToDictionary(e => e.Key switch { "UsedFor" => "used_for", var k => k.ToLowerInvariant() }, e => e.Value),
                $"{context.Request.Scheme}://{context.Request.Host}/api/swagger"), ApiModels.Json, statusCode: StatusCodes.Status422UnprocessableEntity);
        var saved = await reviews.FindAsync(r.Repository.Id, review.Id, context.RequestAborted);
        return Results.Json(ReviewJson(saved!, context), ApiModels.Json, statusCode: existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteReview(HttpContext context, string owner, string repo, long id, RepositoryService repositories, ReviewService reviews)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!r!.Viewer.IsSignedIn) return Unauthorized(context);
        return await reviews.DeleteAsync(r.Repository, id, r.Viewer, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, "Aucun avis de votre part ne porte ce numéro.", context.Request);
    }

    private static async Task<IResult> PutReviewAnswer(HttpContext context, string owner, string repo, long id, RepositoryService repositories, ReviewService reviews)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<ReviewAnswerOption>(context);
        if (bad is not null) return bad;
        if (await reviews.FindAsync(r!.Repository.Id, id, context.RequestAborted) is null)
            return Error(StatusCodes.Status404NotFound, "Cet avis n’existe pas.", context.Request);
        if (await reviews.AnswerAsync(r.Repository, id, r.Viewer, body!.Answer, context.RequestAborted) is { } problem)
            return Error(StatusCodes.Status422UnprocessableEntity, problem, context.Request);
        return Results.Json(ReviewJson((await reviews.FindAsync(r.Repository.Id, id, context.RequestAborted))!, context), ApiModels.Json);
    }
}
