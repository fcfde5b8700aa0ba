using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Forks;

/// <summary>Rules a fork obeys beyond those of any repository.</summary>
public static class ForkRules
{
    /// <summary>
    /// Why <paramref name="repo"/> may not be made public, or null: a fork of a private repository stays private (making it
    /// public would publish the private source's content).
    /// </summary>
    public static async Task<string?> PublicRefusalAsync(ForgeDbContext db, RepositoryEntity repo, CancellationToken ct)
    {
        if (repo.ForkOfId is not { } sourceId) return null;
        var sourceIsPrivate = await db.Repositories.AsNoTracking().Where(r => r.Id == sourceId).Select(r => (bool?)r.IsPrivate).FirstOrDefaultAsync(ct);
        return sourceIsPrivate == true
            ? "Ce dépôt est un fork d’un dépôt privé : il reste privé tant que sa source l’est."
            : null;
    }

    /// <summary>The ids of the direct forks of repository <paramref name="sourceId"/>, readable or not (for background work only).</summary>
    public static Task<List<long>> ForkIdsAsync(ForgeDbContext db, long sourceId, CancellationToken ct) =>
        db.Repositories.AsNoTracking().Where(r => r.ForkOfId == sourceId).Select(r => r.Id).ToListAsync(ct);
}
