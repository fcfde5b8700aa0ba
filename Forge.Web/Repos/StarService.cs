using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>
/// Stars: a user bookmarks a repository. The repository keeps a count (recounted on every change, so it heals itself
/// after a race) that the search index reads through <see cref="IRepositoryDirectory"/> for "sort by stars".
/// </summary>
public sealed class StarService(ForgeDbContext db, IForgeJobs jobs)
{
    public Task<bool> IsStarredAsync(long userId, long repositoryId, CancellationToken ct = default) =>
        db.Stars.AnyAsync(s => s.UserId == userId && s.RepositoryId == repositoryId, ct);

    /// <summary>Stars <paramref name="repo"/> for <paramref name="userId"/> (nothing happens if it already is); returns the count.</summary>
    public async Task<int> StarAsync(RepositoryEntity repo, long userId, CancellationToken ct = default)
    {
        if (!await IsStarredAsync(userId, repo.Id, ct))
        {
            var star = new Star { UserId = userId, RepositoryId = repo.Id };
            db.Stars.Add(star);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same user starred twice at once: the primary key kept one.
                db.Entry(star).State = EntityState.Detached;
            }
        }
        return await RecountAsync(repo, ct);
    }

    /// <summary>Removes the star of <paramref name="userId"/> on <paramref name="repo"/> if any; returns the count.</summary>
    public async Task<int> UnstarAsync(RepositoryEntity repo, long userId, CancellationToken ct = default)
    {
        await db.Stars.Where(s => s.UserId == userId && s.RepositoryId == repo.Id).ExecuteDeleteAsync(ct);
        return await RecountAsync(repo, ct);
    }

    private async Task<int> RecountAsync(RepositoryEntity repo, CancellationToken ct)
    {
        var count = await db.Stars.CountAsync(s => s.RepositoryId == repo.Id, ct);
        if (repo.StarCount != count)
        {
            repo.StarCount = count;
            await db.SaveChangesAsync(ct);
            // The search index keeps the count for "sort by stars".
            jobs.RepositoryChanged(repo.Id);
        }
        return count;
    }

    /// <summary>Repositories <paramref name="userId"/> starred that <paramref name="viewer"/> may read, most recently starred first.</summary>
    public async Task<List<RepositoryEntity>> StarredAsync(long userId, Viewer viewer, int page, int limit, CancellationToken ct = default)
    {
        var query = db.Stars.Where(s => s.UserId == userId).Select(s => new { s.CreatedAt, s.Repository });
        if (!viewer.IsAdmin)
        {
            var readable = RepositoryService.ReadableBy(viewer);
            var ids = db.Repositories.Where(readable).Select(r => r.Id);
            query = query.Where(s => ids.Contains(s.Repository.Id));
        }
        var repos = await query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Repository.Id).Skip((page - 1) * limit).Take(limit)
            .Select(s => s.Repository.Id).ToListAsync(ct);
        var loaded = await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).Where(r => repos.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        return repos.Where(loaded.ContainsKey).Select(id => loaded[id]).ToList();
    }

    /// <summary>Users who starred a repository, most recent first.</summary>
    public Task<List<ForgeUser>> StargazersAsync(long repositoryId, int page, int limit, CancellationToken ct = default) =>
        db.Stars.Where(s => s.RepositoryId == repositoryId).OrderByDescending(s => s.CreatedAt).ThenBy(s => s.UserId)
            .Skip((page - 1) * limit).Take(limit).Select(s => s.User).ToListAsync(ct);
}
