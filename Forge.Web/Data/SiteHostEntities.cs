using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Data;

/// <summary>
/// A host name of its own for a repository's published course site (<c>cours.lycee-x.fr</c>), chosen by a maintainer; one
/// repository per host name across the instance (see <see cref="Forge.Web.Sites.SiteHosts"/>).
/// </summary>
public sealed class SiteHostEntity
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    /// <summary>Lower case, without port or final dot.</summary>
    public string Host { get; set; } = "";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public static class SiteHostModel
{
    public static void Configure(ModelBuilder b) =>
        b.Entity<SiteHostEntity>(h =>
        {
            h.ToTable("SiteHosts");
            h.Property(x => x.Host).HasMaxLength(253);
            h.HasIndex(x => x.Host).IsUnique();
            h.HasIndex(x => x.RepositoryId).IsUnique();
            h.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        });
}
