using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>Numbers per repository (merge requests <c>!N</c>, issues <c>#N</c>), given by a unique index rather than a lock.</summary>
public static class Numbering
{
    /// <summary>
    /// Saves the row <paramref name="create"/> makes with the number after the greatest of <paramref name="numbers"/>; when
    /// another request took that number meanwhile (the unique index refuses the row), tries the next one. Null after five tries.
    /// </summary>
    public static async Task<T?> AddWithNextNumberAsync<T>(ForgeDbContext db, IQueryable<int> numbers, Func<int, T> create, CancellationToken ct) where T : class
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var candidate = create((await numbers.MaxAsync(n => (int?)n, ct) ?? 0) + 1);
            db.Add(candidate);
            try
            {
                await db.SaveChangesAsync(ct);
                return candidate;
            }
            catch (DbUpdateException)
            {
                db.Entry(candidate).State = EntityState.Detached;
            }
        }
        return null;
    }
}
