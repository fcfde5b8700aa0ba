using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Accounts;

/// <summary>
/// Signed-in browsers (<see cref="UserSession"/>). A session is checked on every request that carries the cookie:
/// from memory for at most a minute (which is also how often "last seen" is written), and the memory entry is dropped
/// when this process revokes the session, so a revocation takes effect at the very next request here (within a minute
/// on other nodes sharing the database).
/// </summary>
public sealed class SessionStore(ForgeDbContext db, IMemoryCache cache, TimeProvider clock)
{
    public const string SessionClaim = "forge:sid";
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    private static string CacheKey(string id) => "forge:session:" + id;

    public async Task<string> CreateAsync(long userId, HttpContext context)
    {
        var session = new UserSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserId = userId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            LastSeenAt = clock.GetUtcNow().UtcDateTime,
            Device = DeviceSummary(context.Request.Headers.UserAgent.ToString()),
            Ip = TruncateIp(context.Connection.RemoteIpAddress),
        };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync();
        Remember(session.Id, userId);
        return session.Id;
    }

    /// <summary>True while the session exists and belongs to <paramref name="userId"/>; touches "last seen" at most once a minute.</summary>
    public async Task<bool> IsValidAsync(string sessionId, long userId, CancellationToken ct = default)
    {
        if (cache.TryGetValue(CacheKey(sessionId), out long owner)) return owner == userId;
        var now = clock.GetUtcNow().UtcDateTime;
        var touched = await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), ct);
        if (touched == 0) return false;
        Remember(sessionId, userId);
        return true;
    }

    private void Remember(string sessionId, long userId) =>
        cache.Set(CacheKey(sessionId), userId, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CheckInterval, Size = 1 });

    public Task<List<UserSession>> ListAsync(long userId, CancellationToken ct = default) =>
        db.UserSessions.AsNoTracking().Where(s => s.UserId == userId).OrderByDescending(s => s.LastSeenAt).ToListAsync(ct);

    /// <summary>Ends one session of <paramref name="userId"/>; false when there is no such session.</summary>
    public async Task<bool> RevokeAsync(long userId, string sessionId, CancellationToken ct = default)
    {
        cache.Remove(CacheKey(sessionId));
        return await db.UserSessions.Where(s => s.UserId == userId && s.Id == sessionId).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Ends every session of the user but <paramref name="keep"/> (null: all of them). Returns how many ended.</summary>
    public async Task<int> RevokeAllAsync(long userId, string? keep, CancellationToken ct = default)
    {
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.Id != keep).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in ids) cache.Remove(CacheKey(id));
        return await db.UserSessions.Where(s => s.UserId == userId && ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
    }

    public static string? SessionOf(ClaimsPrincipal? principal) => principal?.FindFirstValue(SessionClaim);

    /// <summary>« Firefox sur Linux »: enough to recognise a device, without keeping the whole header.</summary>
    public static string DeviceSummary(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Appareil inconnu";
        string browser = userAgent switch
        {
            var u when u.Contains("Edg/") => "Edge",
            var u when u.Contains("Firefox/") => "Firefox",
            var u when u.Contains("Chrome/") || u.Contains("Chromium/") => "Chrome",
            var u when u.Contains("Safari/") => "Safari",
            var u when u.StartsWith("git/", StringComparison.Ordinal) => "git",
            _ => "Navigateur inconnu",
        };
        string os = userAgent switch
        {
            var u when u.Contains("Android") => "Android",
            var u when u.Contains("iPhone") || u.Contains("iPad") => "iOS",
            var u when u.Contains("Windows") => "Windows",
            var u when u.Contains("Mac OS") => "macOS",
            var u when u.Contains("CrOS") => "ChromeOS",
            var u when u.Contains("Linux") => "Linux",
            _ => "",
        };
        return os.Length == 0 ? browser : $"{browser} sur {os}";
    }

    /// <summary>192.168.1.0 for 192.168.1.37; the first 48 bits for IPv6 — enough to tell places apart, not to find someone.</summary>
    public static string? TruncateIp(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (bytes.Length == 4) { bytes[3] = 0; return new IPAddress(bytes).ToString(); }
        for (var i = 6; i < bytes.Length; i++) bytes[i] = 0;
        return new IPAddress(bytes).ToString();
    }

    /// <summary>Cookie events: a session per sign-in, checked on each request, ended at sign-out.</summary>
    public static void Wire(CookieAuthenticationEvents events)
    {
        var validateStamp = events.OnValidatePrincipal;
        events.OnValidatePrincipal = async context =>
        {
            var sid = SessionOf(context.Principal);
            var userId = long.TryParse(context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (long?)null;
            var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
            if (sid is null || userId is null || !await store.IsValidAsync(sid, userId.Value, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }
            await validateStamp(context);
        };
        var signingIn = events.OnSigningIn;
        events.OnSigningIn = async context =>
        {
            await signingIn(context);
            if (context.Principal?.Identity is not ClaimsIdentity identity
                || !long.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId)) return;
            var http = context.HttpContext;
            var store = http.RequestServices.GetRequiredService<SessionStore>();
            // A refresh of the same user's cookie (after a password change, 2FA set-up) keeps its session.
            var current = SessionOf(http.User);
            var sid = current is not null && http.User.FindFirstValue(ClaimTypes.NameIdentifier) == userId.ToString()
                && await store.IsValidAsync(current, userId) ? current : await store.CreateAsync(userId, http);
            foreach (var old in identity.FindAll(SessionClaim).ToList()) identity.RemoveClaim(old);
            identity.AddClaim(new Claim(SessionClaim, sid));
            await AccountClaims.AddAsync(identity, userId, http.RequestServices);
        };
        var signingOut = events.OnSigningOut;
        events.OnSigningOut = async context =>
        {
            await signingOut(context);
            var http = context.HttpContext;
            if (SessionOf(http.User) is { } sid && http.User.UserId() is { } userId)
                await http.RequestServices.GetRequiredService<SessionStore>().RevokeAsync(userId, sid);
        };
    }
}
