using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Forge.Web.Data;

namespace Forge.Web.Auth;

/// <summary>
/// Passwords recently verified for HTTP Basic (git sends them again with each of its requests, and a password hash is
/// built to be slow: about a tenth of a second each). As Gitea and GitLab do, a successful check is remembered for a
/// few minutes, in memory only: the key is an HMAC of the Authorization header under a key drawn at start-up (no
/// password or plain hash is kept), and the entry holds the user's security stamp, so that a password change (which
/// renews the stamp) ends it at once. Failed attempts are never remembered: they still pay the full check and count
/// towards the account lockout.
/// </summary>
public sealed class VerifiedPasswords(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (long UserId, string? Stamp, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    private string KeyOf(string authorizationHeader) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(authorizationHeader)));

    /// <summary>True when this exact header was verified for <paramref name="user"/> recently, with the user's current security stamp.</summary>
    public bool IsVerified(string authorizationHeader, ForgeUser user)
    {
        var key = KeyOf(authorizationHeader);
        if (!_entries.TryGetValue(key, out var entry)) return false;
        if (entry.Until > clock.GetUtcNow() && entry.UserId == user.Id && entry.Stamp == user.SecurityStamp) return true;
        _entries.TryRemove(key, out _);
        return false;
    }

    public void Remember(string authorizationHeader, ForgeUser user)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[KeyOf(authorizationHeader)] = (user.Id, user.SecurityStamp, clock.GetUtcNow() + Lifetime);
    }
}
