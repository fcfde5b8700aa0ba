using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>Implements the jobs' port over the database.</summary>
public sealed class RepositoryDirectory(ForgeDbContext db) : IRepositoryDirectory
{
    public async Task<RepositorySnapshot?> FindAsync(long repositoryId, CancellationToken ct)
    {
        var r = await db.Repositories.AsNoTracking().Include(x => x.Owner).FirstOrDefaultAsync(x => x.Id == repositoryId, ct);
        return r is null ? null
            : new RepositorySnapshot(r.Id, r.Owner.UserName!, r.Name, r.Description, r.IsPrivate, r.DefaultBranch,
                new DateTimeOffset(DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc))) { Stars = r.StarCount };
    }

    public async Task<IReadOnlyList<long>> AllIdsAsync(CancellationToken ct) =>
        await db.Repositories.Select(r => r.Id).ToListAsync(ct);
}
