using System.Security.Cryptography;
using System.Text;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Auth;

/// <summary>Creates, checks and revokes personal access tokens. Secrets are random, shown once, stored as SHA-256.</summary>
public sealed class AccessTokenService(ForgeDbContext db, TimeProvider clock)
{
    public const string Prefix = "forge_";

    /// <summary>Creates a token and returns the entity and the secret (the only time it exists in clear).</summary>
    /// <param name="scopes">Among <see cref="ForgeScopes.TokenScopes"/>; none means every right (<c>all</c>).</param>
    /// <param name="expiresInDays">Null: the token never expires.</param>
    public async Task<(AccessToken Token, string Secret)> CreateAsync(long userId, string name, CancellationToken ct = default,
        IReadOnlyCollection<string>? scopes = null, int? expiresInDays = null)
    {
        var secret = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new AccessToken
        {
            UserId = userId,
            Name = name.Trim(),
            Hash = HashOf(secret),
            LastEight = secret[^8..],
            CreatedAt = now,
            Scopes = scopes is { Count: > 0 } ? string.Join(' ', ForgeScopes.TokenScopes.Where(scopes.Contains)) : ForgeScopes.All,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    /// <summary>
    /// The token (with its user) when <paramref name="secret"/> is a valid, unexpired token; records its last use. Read from
    /// the database at every request: a revoked token stops working at once.
    /// </summary>
    public async Task<AccessToken?> ValidateAsync(string secret, CancellationToken ct = default)
    {
        if (!LooksLikeToken(secret)) return null;
        var hash = HashOf(secret);
        var token = await db.AccessTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is null || token.ExpiresAt is { } exp && exp <= now) return null;
        // Record use at most once a minute: a clone makes several requests.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return token;
    }

    /// <summary>The scopes of a token as stored (space-separated; <c>all</c> for tokens made before scopes existed).</summary>
    public static string[] ScopesOf(AccessToken token) =>
        token.Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);

    public Task<List<AccessToken>> ListAsync(long userId, CancellationToken ct = default) =>
        db.AccessTokens.Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(ct);

    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken ct = default) =>
        await db.AccessTokens.Where(t => t.Id == tokenId && t.UserId == userId).ExecuteDeleteAsync(ct) > 0;

    public static bool LooksLikeToken(string value) =>
        value.Length == Prefix.Length + 40 && value.StartsWith(Prefix, StringComparison.Ordinal);

    private static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
