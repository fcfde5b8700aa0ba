using System.Net;
using System.Text.RegularExpressions;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Sites;

/// <summary>
/// Host names of their own for course sites (<c>cours.lycee-x.fr</c>): set by the repository's maintainers (the settings
/// pages and the API check <c>CanAdmin</c>), one repository per name across the instance. No DNS check (the servers may have no
/// resolver): the name only routes requests that reach Forge with it, after its owner pointed a CNAME at Forge.
/// </summary>
public sealed partial class SiteHostService(ForgeDbContext db, IMemoryCache cache, IConfiguration configuration)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);

    [GeneratedRegex("^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex HostName();

    /// <summary>The repository's own host name, or null.</summary>
    public Task<string?> HostOfAsync(long repositoryId, CancellationToken ct) =>
        db.SiteHosts.Where(h => h.RepositoryId == repositoryId).Select(h => h.Host).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Gives the repository <paramref name="host"/> (empty: removes its name). <paramref name="forgeHost"/> is the host name the
    /// request came on — Forge's own, never given away. Returns the reason in French when refused.
    /// </summary>
    public async Task<string?> SetAsync(RepositoryEntity repository, string? host, string forgeHost, CancellationToken ct)
    {
        var name = (host ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        var current = await db.SiteHosts.FirstOrDefaultAsync(h => h.RepositoryId == repository.Id, ct);
        if (name.Length == 0)
        {
            if (current is not null)
            {
                db.SiteHosts.Remove(current);
                await db.SaveChangesAsync(ct);
                Forget(current.Host);
            }
            return null;
        }
        if (!HostName().IsMatch(name) || IPAddress.TryParse(name, out _))
            return $"« {host!.Trim()} » n’est pas un nom d’hôte valide : des lettres minuscules, des chiffres et des tirets, en au moins deux parties séparées par des points (par exemple cours.lycee-x.fr).";
        var domain = SiteHosts.Domain(configuration);
        if (name == forgeHost.TrimEnd('.').ToLowerInvariant() || name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal)
            || (domain is not null && (name == domain || name.EndsWith("." + domain, StringComparison.Ordinal))))
            return $"« {name} » est un nom de Forge elle-même : choisissez un nom d’hôte de votre établissement (par exemple cours.lycee-x.fr).";
        if (await db.SiteHosts.AnyAsync(h => h.Host == name && h.RepositoryId != repository.Id, ct))
            return $"Le nom d’hôte « {name} » est déjà celui du site d’un autre dépôt.";
        var previous = current?.Host;
        if (current is null) db.SiteHosts.Add(new SiteHostEntity { RepositoryId = repository.Id, Host = name });
        else current.Host = name;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return $"Le nom d’hôte « {name} » est déjà celui du site d’un autre dépôt.";
        }
        if (previous is not null) Forget(previous);
        Forget(name);
        return null;
    }

    /// <summary>
    /// What <see cref="ResolveAsync"/> remembered for <paramref name="host"/> (found, or known to be no site's): read without a
    /// database context, so a request to Forge's own host name resolves nothing scoped.
    /// </summary>
    public static bool TryRemembered(IMemoryCache cache, string host, out (string Owner, string Name)? site) =>
        cache.TryGetValue(Key(host), out site);

    private static string Key(string host) => "site-host:" + host;

    /// <summary>The repository (owner and name) whose site <paramref name="host"/> serves, or null; remembered 30 s (this node forgets at once on a change).</summary>
    public async Task<(string Owner, string Name)?> ResolveAsync(string host, CancellationToken ct)
    {
        var key = Key(host);
        if (cache.TryGetValue(key, out (string, string)? known)) return known;
        var found = await db.SiteHosts.AsNoTracking().Where(h => h.Host == host)
            .Select(h => new { Owner = h.Repository.Owner.UserName!, h.Repository.Name }).FirstOrDefaultAsync(ct);
        (string, string)? result = found is null ? null : (found.Owner, found.Name);
        cache.Set(key, result, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Remembered, Size = 1 });
        return result;
    }

    private void Forget(string host) => cache.Remove(Key(host));

    /// <summary>Hosts never looked up: addresses, <c>localhost</c>, single labels.</summary>
    public static bool CanBeSiteHost(string host) =>
        host.Contains('.') && !IPAddress.TryParse(host, out _) && !host.EndsWith(".localhost", StringComparison.Ordinal) && host.Length <= 253;
}
