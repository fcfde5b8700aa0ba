using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Search;

/// <summary>A search hit the viewer may read, with the repository's current owner, name and the link to the resource.</summary>
public sealed record ReadableHit(SearchHit Hit, string Owner, string Name, string Url)
{
    public string FullName => $"{Owner}/{Name}";
    public bool IsGranule => Hit.Path.Length > 0;
}

/// <summary>
/// The index is not the authority on permissions or names: every hit is checked against the database (deleted,
/// renamed, transferred or made private since it was indexed) before anything of it is shown.
/// </summary>
public static class ReadableHits
{
    public static async Task<IReadOnlyList<ReadableHit>> FilterAsync(ForgeDbContext db, Viewer viewer, IEnumerable<SearchHit> hits, CancellationToken ct)
    {
        var list = hits.ToList();
        if (list.Count == 0) return [];
        var ids = list.Select(h => h.RepositoryId).Distinct().ToList();
        var current = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators)
            .Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var readable = new List<ReadableHit>(list.Count);
        foreach (var hit in list)
        {
            if (!current.TryGetValue(hit.RepositoryId, out var repo) || !RepositoryService.CanRead(repo, viewer)) continue;
            var owner = repo.Owner.UserName!;
            var baseUrl = $"/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo.Name)}";
            var url = hit.Path.Length == 0 ? baseUrl
                : $"{baseUrl}/tree/{MarkdownRenderer.EncodePath(repo.DefaultBranch)}/{MarkdownRenderer.EncodePath(hit.Path)}";
            readable.Add(new ReadableHit(hit with { Owner = owner, Name = repo.Name }, owner, repo.Name, url));
        }
        return readable;
    }
}
