using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Search;

/// <summary>A search hit the viewer may read, with the repository's current owner, name and the link to the resource.</summary>
public sealed record ReadableHit(SearchHit Hit, string Owner, string Name, string Url)
{
    /// <summary>The repository's licence verdict (open / to check / not reusable), null while it was never checked.</summary>
    public Forge.Core.Licences.LicenceStatus? Licence { get; init; }

    public string FullName => $"{Owner}/{Name}";
    public bool IsGranule => Hit.Path.Length > 0;
}

/// <summary>
/// The index is not the authority on permissions or names: every hit is checked against the database (deleted,
/// renamed, transferred or made private since it was indexed) before anything of it is shown.
/// </summary>
public static class ReadableHits
{
    /// <summary>The repositories among <paramref name="ids"/> that exist and the viewer may read, with their owner loaded.</summary>
    public static async Task<IReadOnlyDictionary<long, RepositoryEntity>> RepositoriesAsync(ForgeDbContext db, Viewer viewer, IEnumerable<long> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return new Dictionary<long, RepositoryEntity>();
        var current = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators)
            .Where(r => wanted.Contains(r.Id)).ToListAsync(ct);
        return current.Where(r => RepositoryService.CanRead(r, viewer)).ToDictionary(r => r.Id);
    }

    /// <summary><c>/owner/name</c>, escaped.</summary>
    public static string BaseUrl(RepositoryEntity repo) => $"/{Uri.EscapeDataString(repo.Owner.UserName!)}/{Uri.EscapeDataString(repo.Name)}";

    /// <summary>A page of the repository at a path of its default branch: <c>/owner/name/{kind}/main/path</c>.</summary>
    public static string PathUrl(RepositoryEntity repo, string kind, string path) =>
        $"{BaseUrl(repo)}/{kind}/{MarkdownRenderer.EncodePath(repo.DefaultBranch)}/{MarkdownRenderer.EncodePath(path)}";

    public static async Task<IReadOnlyList<ReadableHit>> FilterAsync(ForgeDbContext db, Viewer viewer, IEnumerable<SearchHit> hits, CancellationToken ct)
    {
        var list = hits.ToList();
        var readable = await RepositoriesAsync(db, viewer, list.Select(h => h.RepositoryId), ct);
        var ids = readable.Keys.ToList();
        var verdicts = (await db.LicenceChecks.AsNoTracking().Where(c => ids.Contains(c.RepositoryId)).Select(c => new { c.RepositoryId, c.Status }).ToListAsync(ct))
            .ToDictionary(c => c.RepositoryId, c => Enum.TryParse<Forge.Core.Licences.LicenceStatus>(c.Status, out var s) ? s : (Forge.Core.Licences.LicenceStatus?)null);
        return list.Where(h => readable.ContainsKey(h.RepositoryId)).Select(hit =>
        {
            var repo = readable[hit.RepositoryId];
            var url = hit.Path.Length == 0 ? BaseUrl(repo) : PathUrl(repo, "tree", hit.Path);
            return new ReadableHit(hit with { Owner = repo.Owner.UserName!, Name = repo.Name }, repo.Owner.UserName!, repo.Name, url)
            {
                Licence = verdicts.GetValueOrDefault(repo.Id),
            };
        }).ToList();
    }
}
