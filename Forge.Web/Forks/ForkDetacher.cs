using Forge.Git;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Forks;

/// <summary>
/// Before a repository is deleted, every repository that borrows its objects on disk — its forks, and forks of those
/// forks that borrow through them — gets its own copy (<see cref="RepositoryForking.DetachAsync"/>), deepest first, so
/// that each copy is made while the whole chain is still there. A failure stops the deletion: nothing is lost.
/// </summary>
public static class ForkDetacher
{
    public static async Task DetachBorrowersAsync(ForgeDbContext db, RepositoryForking forking, long sourceId, CancellationToken ct)
    {
        var found = new List<long>();
        var level = new List<long> { sourceId };
        // Bounded: a chain of forks cannot loop (a fork is always newer than its source), but stay safe.
        for (var depth = 0; depth < 16 && level.Count > 0; depth++)
        {
            var ids = level;
            level = await db.Repositories.AsNoTracking().Where(r => r.ForkOfId != null && ids.Contains(r.ForkOfId.Value)).Select(r => r.Id).ToListAsync(ct);
            level.RemoveAll(found.Contains);
            found.AddRange(level);
        }
        found.Reverse();
        foreach (var id in found)
            if (forking.BorrowsFrom(id, sourceId)) await forking.DetachAsync(id, ct);
    }
}
