using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Resources;

/// <summary>
/// "Ressources proches": existing resources like the one being created or described (same discipline and grade, close
/// text), so teachers join a commons instead of duplicating it. The ranking is the search engine's; this asks it
/// with the discipline and grade filters first, then with the text alone, and re-checks every hit against the
/// database like the search page does (the index is never the authority on permissions).
/// </summary>
public sealed class SimilarResources(IResourceSearch search, RepositoryService repositories, ForgeDbContext db)
{
    public const int DefaultCount = 5;
    private const int MaxQueryLength = 500;

    public async Task<IReadOnlyList<SearchHit>> FindAsync(Viewer viewer, string? title, string? description, IReadOnlyList<string> disciplines,
        IReadOnlyList<string> grades, long? excludeRepositoryId = null, int count = DefaultCount, CancellationToken ct = default)
    {
        var titleText = Clip(title);
        var fullText = Clip($"{title} {description}");
        if (fullText.Length == 0) return [];
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        if (disciplines.Count > 0) filters[Facets.Discipline] = disciplines;
        if (grades.Count > 0) filters[Facets.Grade] = grades;
        var readable = await repositories.ReadablePrivateIdsAsync(viewer, ct);

        // Most specific first: the whole text, the title, then its two and its one most telling (longest) words — the
        // engine asks for every word, so a long text alone would rarely match —, each with the discipline and grade
        // filters before without them.
        var words = (titleText.Length > 0 ? titleText : fullText).Split(' ').Where(w => w.Length >= 4).OrderByDescending(w => w.Length).ToList();
        var texts = new[] { fullText, titleText, string.Join(' ', words.Take(2)), words.FirstOrDefault() ?? "" }
            .Where(t => t.Length > 0).Distinct().ToList();
        var attempts = new List<(string Text, IReadOnlyDictionary<string, IReadOnlyList<string>> Filters)>();
        foreach (var text in texts)
        {
            if (filters.Count > 0) attempts.Add((text, filters));
            attempts.Add((text, new Dictionary<string, IReadOnlyList<string>>()));
        }
        foreach (var (text, with) in attempts)
        {
            var results = search.Search(new SearchRequest(text, readable, 1, count + 5) { Filters = with, WithFacets = false });
            var hits = await VisibleAsync(results.Hits.Where(h => h.RepositoryId != excludeRepositoryId).ToList(), viewer, ct);
            if (hits.Count > 0) return hits.Take(count).ToList();
        }
        return [];
    }

    private async Task<List<SearchHit>> VisibleAsync(List<SearchHit> hits, Viewer viewer, CancellationToken ct)
    {
        if (hits.Count == 0) return hits;
        var ids = hits.Select(h => h.RepositoryId).Distinct().ToList();
        var current = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators)
            .Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        return hits
            .Where(h => current.TryGetValue(h.RepositoryId, out var r) && RepositoryService.CanRead(r, viewer))
            .Select(h => h with { Owner = current[h.RepositoryId].Owner.UserName!, Name = current[h.RepositoryId].Name })
            .ToList();
    }

    private static string Clip(string? text)
    {
        var t = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return t.Length > MaxQueryLength ? t[..MaxQueryLength] : t;
    }
}
