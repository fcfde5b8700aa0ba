using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>Implements the jobs' port over the database.</summary>
public sealed class RepositoryDirectory(ForgeDbContext db) : IRepositoryDirectory
{
    public async Task<RepositorySnapshot?> FindAsync(long repositoryId, CancellationToken ct)
    {
        var r = await db.Repositories.AsNoTracking().Include(x => x.Owner).Include(x => x.ForkOf!).ThenInclude(f => f.Owner)
            .FirstOrDefaultAsync(x => x.Id == repositoryId, ct);
        return r is null ? null : Snapshot(r);
    }

    public async Task<IReadOnlyList<long>> AllIdsAsync(CancellationToken ct) =>
        await db.Repositories.Select(r => r.Id).ToListAsync(ct);

    public async IAsyncEnumerable<RepositorySnapshot> AllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int Batch = 1000;
        long after = 0;
        while (true)
        {
            var page = await db.Repositories.AsNoTracking().Include(x => x.Owner).Include(x => x.ForkOf!).ThenInclude(f => f.Owner).Where(x => x.Id > after).OrderBy(x => x.Id).Take(Batch).ToListAsync(ct);
            foreach (var r in page) yield return Snapshot(r);
            if (page.Count < Batch) yield break;
            after = page[^1].Id;
        }
    }

    private static RepositorySnapshot Snapshot(RepositoryEntity r) =>
        new(r.Id, r.Owner.UserName!, r.Name, r.Description, r.IsPrivate, r.DefaultBranch, new DateTimeOffset(DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc)))
        {
            Stars = r.StarCount,
            RatingTenths = r.RatingTenths,
            ReviewCount = r.ReviewCount,
            PushedAt = r.PushedAt is { } pushed ? new DateTimeOffset(DateTime.SpecifyKind(pushed, DateTimeKind.Utc)) : null,
            Fork = r.ForkOf is { IsPrivate: false } source ? new ForkSource(source.Id, $"{source.Owner.UserName}/{source.Name}", source.DefaultBranch) : null,
        };
}
