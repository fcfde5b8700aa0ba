using System.Globalization;
using Forge.Git;
using Forge.Jobs;
using Forge.Jobs.Images;
using Forge.Web.Data;
using Forge.Web.Modules.Exports;
using Forge.Web.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Repos;

/// <summary>
/// Everything Forge keeps for a repository besides its database rows (deleted by the database with it: issues, reviews, check
/// runs, site host name…) and its bare repository (with the derived data inside it, <c>forge/</c>):
/// <list type="bullet">
/// <item><c>data/sites/{id}/</c> — built course sites, previews and build logs (<see cref="SiteStore"/>), and the manifests and search texts read from them;</item>
/// <item><c>data/exports/{id}/</c> — module exports (<see cref="ExportStore"/>);</item>
/// <item><c>data/thumbs/</c> — thumbnails of its images, named by blob id: those of blobs it holds (another repository holding the same image gets them made again on its next view);</item>
/// <item>the memory caches keyed by its id or folder (listings, histories, diffs, blame, teacher-only patterns, modules), and the site host names remembered for 30 s.</item>
/// </list>
/// Check runs work in a temporary folder deleted after each run, and their logs are database rows; archives are streamed, never stored.
/// </summary>
public sealed class RepositoryLeftovers(SiteStore sites, SiteSearch siteSearch, ExportStore exports, ThumbnailStore thumbnails, RepositoryStore store,
    GitReader reader, IMemoryCache cache, IServiceScopeFactory scopes, ILogger<RepositoryLeftovers> log) : IRepositoryLeftovers
{
    public void Remove(long repositoryId)
    {
        siteSearch.Forget(sites.RepositoryFolder(repositoryId));
        var gone = sites.DeleteRepository(repositoryId) & exports.DeleteRepository(repositoryId); // & : both, whatever the first says
        var removed = RemoveThumbnails(repositoryId);
        ForgetInMemory(repositoryId);
        if (gone) log.LogInformation("Repository {Id}: sites, exports, {Thumbnails} thumbnails and cached renderings removed", repositoryId, removed);
        else log.LogWarning("Repository {Id}: a build or an export still writing kept some of its files; removed on the next pass", repositoryId);
    }

    /// <summary>Thumbnails of the blobs the repository's object store holds (while its folder is still there).</summary>
    private int RemoveThumbnails(long repositoryId)
    {
        if (!store.Exists(repositoryId)) return 0;
        var held = reader.ContainedObjects(store.PathOf(repositoryId), thumbnails.BlobIds().Distinct(StringComparer.OrdinalIgnoreCase));
        foreach (var blob in held) thumbnails.Remove(blob);
        return held.Count;
    }

    /// <summary>
    /// Cache entries whose key names the repository: <c>kind:{id}:…</c> (listings, histories, diffs, blame) or its folder
    /// (<c>teacher-only:{path}:…</c>, <c>module:{path}:…</c>); and every remembered site host name (re-read within 30 s anyway).
    /// Ids are never reused, so this is about not keeping a deleted repository's content in memory, not about serving it.
    /// </summary>
    private void ForgetInMemory(long repositoryId)
    {
        if (cache is not MemoryCache memory) return;
        var id = ":" + repositoryId.ToString(CultureInfo.InvariantCulture) + ":";
        var folder = ":" + store.PathOf(repositoryId) + ":";
        foreach (var key in memory.Keys.OfType<string>().ToList())
        {
            var colon = key.IndexOf(':');
            if (colon > 0 && (key.AsSpan(colon).StartsWith(id) || key.AsSpan(colon).StartsWith(folder) || key.StartsWith("site-host:", StringComparison.Ordinal)))
                memory.Remove(key);
        }
    }

    /// <summary>
    /// Folders of sites and exports whose repository no longer exists. Listed before the database is read (ids are never
    /// reused, so a repository created meanwhile cannot be taken for a deleted one); nothing is removed when the database has
    /// no repository at all (a data folder started against the wrong database keeps its sites).
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var onDisk = sites.RepositoryIds().Concat(exports.RepositoryIds()).Distinct().ToList();
        if (onDisk.Count == 0) return 0;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        if (!await db.Repositories.AnyAsync(ct)) return 0;
        var live = (await db.Repositories.Where(r => onDisk.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var orphans = onDisk.Where(id => !live.Contains(id)).ToList();
        foreach (var id in orphans)
        {
            siteSearch.Forget(sites.RepositoryFolder(id));
            sites.DeleteRepository(id);
            exports.DeleteRepository(id);
        }
        if (orphans.Count > 0) log.LogWarning("Removed the sites and exports of {Count} deleted repositories ({Ids})", orphans.Count, string.Join(",", orphans.Take(50)));
        return orphans.Count;
    }
}

/// <summary>Folders named by repository id under a root (<c>data/sites/12/</c>).</summary>
public static class LeftoverFolders
{
    public static IReadOnlyList<long> Ids(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Select(d => long.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
                .Where(id => id > 0).ToList()
            : [];

    /// <summary>One line in <see cref="ForgeApp"/>.</summary>
    public static IServiceCollection AddRepositoryLeftovers(this IServiceCollection services) =>
        services.AddSingleton<IRepositoryLeftovers, RepositoryLeftovers>();
}
