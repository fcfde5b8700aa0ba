using Forge.Core.Resources;
using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Search over the API: Forge's own <c>/search</c> (resources, facets) and <c>/search/code</c>, and Gitea's
/// <c>/repos/search</c>. Every answer is permission-filtered in the index (hits, totals, facet counts, spelling)
/// and every hit is checked again against the database (deleted, renamed or made private since it was indexed).
/// </summary>
public static partial class ApiV1
{
    private const int MaxReposSearchLimit = 50;

    /// <summary>A resource found: its repository, the folder of a granule (empty for the whole repository) and its description.</summary>
    public sealed record ApiResourceHit
    {
        public required ApiRepositoryMeta Repository { get; init; }
        public string Path { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        /// <summary>HTML-encoded text, matches in <c>&lt;mark&gt;</c>.</summary>
        public string? SnippetHtml { get; init; }
        public string HtmlUrl { get; init; } = "";
        public IReadOnlyList<string> Disciplines { get; init; } = [];
        public IReadOnlyList<string> Grades { get; init; } = [];
        public IReadOnlyList<string> Cycles { get; init; } = [];
        public IReadOnlyList<string> Usage { get; init; } = [];
        public IReadOnlyList<string> Types { get; init; } = [];
        public string? Licence { get; init; }
        public int? DurationMinutes { get; init; }
        public int Stars { get; init; }
        /// <summary>Teachers' average review (out of 5), null without reviews.</summary>
        public double? Rating { get; init; }
        public int ReviewsCount { get; init; }
        public DateTime UpdatedAt { get; init; }
        public float Score { get; init; }
    }

    /// <summary>A facet value, its French label (null where there is none) and how many readable matching resources have it.</summary>
    public sealed record ApiFacetValue(string Value, string? Label, int Count);

    /// <summary>The answer of <c>GET /api/v1/search</c>; <c>facets</c> maps a facet name to its values.</summary>
    public sealed record ApiResourceSearch(int Total, int Page, int Limit, string Sort, string? SpellingNote, List<ApiResourceHit> Hits,
        Dictionary<string, List<ApiFacetValue>> Facets);

    /// <summary>A matching line of a file (HTML-encoded, matches in <c>&lt;mark&gt;</c>).</summary>
    public sealed record ApiCodeLine(int Number, string Html, string HtmlUrl);

    /// <summary>A file whose content matches.</summary>
    public sealed record ApiCodeHit
    {
        public required ApiRepositoryMeta Repository { get; init; }
        public string Path { get; init; } = "";
        public string? Language { get; init; }
        public string HtmlUrl { get; init; } = "";
        public List<ApiCodeLine> Lines { get; init; } = [];
        public float Score { get; init; }
    }

    /// <summary>The answer of <c>GET /api/v1/search/code</c>.</summary>
    public sealed record ApiCodeSearch(int Total, int Page, int Limit, List<ApiCodeHit> Hits);

    /// <summary>Gitea's <c>SearchResults</c> of <c>GET /api/v1/repos/search</c>.</summary>
    public sealed record ApiRepositorySearch(bool Ok, List<ApiRepository> Data);

    private static void MapSearch(RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchResources)
            .WithName("forgeSearch").WithSummary(
                "Forge's own: resources matching `q` (French and English analysis, typo tolerance) with facet counts. Facet parameters, " +
                "repeatable (OR within one, AND across): discipline, cycle, grade, usage, autonomy, type, licence, programme (an item id or any " +
                "prefix), audience, duration (lt30, 30-60, 60-120, gt120), exercises (oui, non); also based_on (owner/repo), owner, " +
                "sort (relevance, recent, stars, rating: teachers' average review, then their number), page (from 1), limit (≤ 50). Private resources count only for those who may read them.")
            .Produces<ApiResourceSearch>();
        api.MapGet("/search/code", SearchCode)
            .WithName("forgeSearchCode").WithSummary(
                "Forge's own: files whose content matches `q` (identifiers whole or by snake_case/camelCase parts), with the matching lines " +
                "and their numbers. Filters: repo (owner/name), owner, language (python, markdown, jupyter…), path (prefix); page, limit (≤ 50); 404 when `repo` is not readable.")
            .Produces<ApiCodeSearch>();
        api.MapGet("/repos/search", SearchRepositories)
            .WithName("repoSearch").WithSummary(
                "Gitea's: repositories whose name (and description with includeDesc=true) contains `q`; uid (owner id), sort (alpha, created, " +
                "updated, id), order (asc, desc), page, limit (≤ 50). Answer `{ok, data}` with X-Total-Count.")
            .Produces<ApiRepositorySearch>();
    }

    private static async Task<IResult> SearchResources(HttpContext context, IResourceSearch search, RepositoryService repositories, ForgeDbContext db)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var viewer = await context.ViewerAsync(Principal(user));
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, context.RequestAborted);
        var request = SearchParameters.Parse(context.Request.Query.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.AsEnumerable())), readable);
        var results = search.Search(request);
        var current = await CurrentAsync(db, results.Hits.Select(h => h.RepositoryId), context.RequestAborted);
        var hits = results.Hits.Where(h => current.TryGetValue(h.RepositoryId, out var r) && RepositoryService.CanRead(r, viewer)).Select(h =>
        {
            var r = current[h.RepositoryId];
            var owner = r.Owner.UserName!;
            var url = $"{context.Request.Scheme}://{context.Request.Host}/{owner}/{r.Name}" + (h.Path.Length > 0 ? $"/tree/{Uri.EscapeDataString(r.DefaultBranch)}/{h.Path}" : "");
            return new ApiResourceHit
            {
                Repository = new ApiRepositoryMeta(r.Id, r.Name, owner, $"{owner}/{r.Name}"),
                Path = h.Path,
                Title = h.Title,
                Description = h.Description,
                SnippetHtml = h.SnippetHtml,
                HtmlUrl = url,
                Disciplines = h.Disciplines,
                Grades = h.Grades,
                Cycles = h.Cycles,
                Usage = h.Usage,
                Types = h.Types,
                Licence = h.Licence,
                DurationMinutes = h.DurationMinutes,
                Stars = h.Stars,
                Rating = h.ReviewCount == 0 ? null : h.RatingTenths / 10.0,
                ReviewsCount = h.ReviewCount,
                UpdatedAt = h.UpdatedAt.UtcDateTime,
                Score = h.Score,
            };
        }).ToList();
        var facets = results.Facets.ToDictionary(f => f.Key, f => f.Value.Select(c => new ApiFacetValue(c.Value, FacetLabel(f.Key, c.Value), c.Count)).ToList());
        return Results.Json(new ApiResourceSearch(results.Total, request.Page, request.PageSize, SearchParameters.SortValue(request.Sort), results.SpellingNote,
            hits, facets), ApiModels.Json);
    }

    private static async Task<IResult> SearchCode(HttpContext context, ICodeSearch search, RepositoryService repositories, ForgeDbContext db,
        string? q, string? repo, string? owner, string? language, string? path, int? page, int? limit)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var viewer = await context.ViewerAsync(Principal(user));
        long? repositoryId = null;
        if (!string.IsNullOrWhiteSpace(repo))
        {
            var parts = repo.Split('/', 2);
            var entity = parts.Length == 2 ? await repositories.FindAsync(parts[0], parts[1], context.RequestAborted) : null;
            if (entity is null || !RepositoryService.CanRead(entity, viewer))
                return Error(StatusCodes.Status404NotFound, "Dépôt introuvable : « repo » attend « propriétaire/nom ».", context.Request);
            repositoryId = entity.Id;
        }
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, context.RequestAborted);
        var size = Math.Clamp(limit ?? 20, 1, SearchParameters.MaxPageSize);
        var number = Math.Clamp(page ?? 1, 1, 1000);
        var results = search.SearchCode(new CodeSearchRequest(q ?? "", readable, number, size)
        {
            RepositoryId = repositoryId, Owner = owner, Language = language, PathPrefix = path,
        });
        var current = await CurrentAsync(db, results.Hits.Select(h => h.RepositoryId), context.RequestAborted);
        var hits = results.Hits.Where(h => current.TryGetValue(h.RepositoryId, out var r) && RepositoryService.CanRead(r, viewer)).Select(h =>
        {
            var r = current[h.RepositoryId];
            var ownerName = r.Owner.UserName!;
            var blob = $"{context.Request.Scheme}://{context.Request.Host}/{ownerName}/{r.Name}/blob/{Uri.EscapeDataString(r.DefaultBranch)}/"
                + string.Join('/', h.Path.Split('/').Select(Uri.EscapeDataString));
            return new ApiCodeHit
            {
                Repository = new ApiRepositoryMeta(r.Id, r.Name, ownerName, $"{ownerName}/{r.Name}"),
                Path = h.Path,
                Language = h.Language,
                HtmlUrl = blob,
                Lines = h.Lines.Select(l => new ApiCodeLine(l.Number, l.Html, $"{blob}#L{l.Number}")).ToList(),
                Score = h.Score,
            };
        }).ToList();
        return Results.Json(new ApiCodeSearch(results.Total, number, size, hits), ApiModels.Json);
    }

    private static async Task<IResult> SearchRepositories(HttpContext context, RepositoryService repositories, ForgeDbContext db, Forge.Git.GitReader reader,
        Forge.Git.RepositoryStore store, string? q, long? uid, bool? includeDesc, string? sort, string? order, int? page, int? limit)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var viewer = await context.ViewerAsync(Principal(user));
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, context.RequestAborted);
        var query = db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators).Where(r => (!r.IsPrivate && r.Owner.Visibility == AccountVisibility.Public) || readable.Contains(r.Id));
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            if (term.Length > 100) term = term[..100];
            query = includeDesc == true
                ? query.Where(r => r.LowerName.Contains(term) || (r.Description != null && r.Description.ToLower().Contains(term)))
                : query.Where(r => r.LowerName.Contains(term));
        }
        if (uid is { } ownerId) query = query.Where(r => r.OwnerId == ownerId);
        var descending = string.Equals(order, "desc", StringComparison.OrdinalIgnoreCase);
        query = (sort?.ToLowerInvariant()) switch
        {
            "created" => descending ? query.OrderByDescending(r => r.CreatedAt) : query.OrderBy(r => r.CreatedAt),
            "updated" => descending ? query.OrderByDescending(r => r.UpdatedAt) : query.OrderBy(r => r.UpdatedAt),
            "id" => descending ? query.OrderByDescending(r => r.Id) : query.OrderBy(r => r.Id),
            _ => descending ? query.OrderByDescending(r => r.LowerName) : query.OrderBy(r => r.LowerName),
        };
        var size = Math.Clamp(limit ?? 30, 1, MaxReposSearchLimit);
        var number = Math.Clamp(page ?? 1, 1, 10_000);
        var total = await query.CountAsync(context.RequestAborted);
        var list = await query.Skip((number - 1) * size).Take(size).ToListAsync(context.RequestAborted);
        context.Response.Headers["X-Total-Count"] = total.ToString();
        var data = list.Where(r => RepositoryService.CanRead(r, viewer)).Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer)).ToList();
        return Results.Json(new ApiRepositorySearch(true, data), ApiModels.Json);
    }

    private static Task<Dictionary<long, RepositoryEntity>> CurrentAsync(ForgeDbContext db, IEnumerable<long> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators).Where(r => list.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
    }

    /// <summary>The French label of a facet value, from the vocabularies (null where there is none, e.g. licences).</summary>
    public static string? FacetLabel(string facet, string value) => facet switch
    {
        Facets.Discipline => ResourceVocabulary.Disciplines.GetValueOrDefault(value),
        Facets.Grade => ResourceVocabulary.GradeLabels.GetValueOrDefault(value),
        Facets.Cycle => ResourceVocabulary.Cycles.GetValueOrDefault(value),
        Facets.Usage => ResourceVocabulary.Usages.GetValueOrDefault(value),
        Facets.Autonomy => ResourceVocabulary.Autonomies.GetValueOrDefault(value),
        Facets.Type => ResourceVocabulary.Types.GetValueOrDefault(value),
        Facets.Audience => ResourceVocabulary.Audiences.GetValueOrDefault(value),
        Facets.Duration => ResourceVocabulary.DurationRanges.FirstOrDefault(r => r.Code == value).Label,
        Facets.Exercises => value switch { "oui" => "Avec exercices", "non" => "Sans exercices", _ => null },
        _ => null,
    };
}
