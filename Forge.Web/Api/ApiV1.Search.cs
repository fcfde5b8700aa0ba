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

    private static void MapSearch(RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchResources)
            .WithName("forgeSearch").WithSummary(
                "Forge's own: resources matching `q` (French and English analysis, typo tolerance) with facet counts. Facet parameters, " +
                "repeatable (OR within one, AND across): discipline, cycle, grade, usage, autonomy, type, licence, programme (an item id or any " +
                "prefix), audience, duration (lt30, 30-60, 60-120, gt120), exercises (oui, non); also based_on (owner/repo), owner, " +
                "sort (relevance, recent, stars, rating: teachers' average review, then their number), page (from 1), limit (≤ 50). Private resources count only for those who may read them.");
        api.MapGet("/search/code", SearchCode)
            .WithName("forgeSearchCode").WithSummary(
                "Forge's own: files whose content matches `q` (identifiers whole or by snake_case/camelCase parts), with the matching lines " +
                "and their numbers. Filters: repo (owner/name), owner, language (python, markdown, jupyter…), path (prefix); page, limit (≤ 50).");
        api.MapGet("/repos/search", SearchRepositories)
            .WithName("repoSearch").WithSummary(
                "Gitea's: repositories whose name (and description with includeDesc=true) contains `q`; uid (owner id), sort (alpha, created, " +
                "updated, id), order (asc, desc), page, limit (≤ 50). Answer `{ok, data}` with X-Total-Count.");
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
            return new
            {
                repository = new { id = r.Id, owner, name = r.Name, full_name = $"{owner}/{r.Name}" },
                path = h.Path,
                title = h.Title,
                description = h.Description,
                snippet_html = h.SnippetHtml,
                html_url = url,
                disciplines = h.Disciplines,
                grades = h.Grades,
                cycles = h.Cycles,
                usage = h.Usage,
                types = h.Types,
                licence = h.Licence,
                duration_minutes = h.DurationMinutes,
                stars = h.Stars,
                rating = h.ReviewCount == 0 ? (double?)null : h.RatingTenths / 10.0,
                reviews_count = h.ReviewCount,
                updated_at = h.UpdatedAt.UtcDateTime,
                score = h.Score,
            };
        }).ToList();
        var facets = results.Facets.ToDictionary(f => f.Key, f => f.Value.Select(c => new { value = c.Value, label = FacetLabel(f.Key, c.Value), count = c.Count }));
        return Results.Json(new
        {
            total = results.Total,
            page = request.Page,
            limit = request.PageSize,
            sort = SearchParameters.SortValue(request.Sort),
            spelling_note = results.SpellingNote,
            hits,
            facets,
        }, ApiModels.Json);
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
            return new
            {
                repository = new { id = r.Id, owner = ownerName, name = r.Name, full_name = $"{ownerName}/{r.Name}" },
                path = h.Path,
                language = h.Language,
                html_url = blob,
                lines = h.Lines.Select(l => new { number = l.Number, html = l.Html, html_url = $"{blob}#L{l.Number}" }),
                score = h.Score,
            };
        }).ToList();
        return Results.Json(new { total = results.Total, page = number, limit = size, hits }, ApiModels.Json);
    }

    private static async Task<IResult> SearchRepositories(HttpContext context, RepositoryService repositories, ForgeDbContext db, Forge.Git.GitReader reader,
        Forge.Git.RepositoryStore store, string? q, long? uid, bool? includeDesc, string? sort, string? order, int? page, int? limit)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var viewer = await context.ViewerAsync(Principal(user));
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, context.RequestAborted);
        var query = db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators).Where(r => !r.IsPrivate || readable.Contains(r.Id));
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
        var data = list.Where(r => RepositoryService.CanRead(r, viewer)).Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer));
        return Results.Json(new { ok = true, data }, ApiModels.Json);
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
