using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Rendering;

/// <summary>
/// Cache of expensive renderings keyed by immutable ids (blob, tree, commit), so entries never go stale and
/// several nodes can each keep their own. Sizes are counted in approximate bytes against a fixed budget.
/// </summary>
public sealed class RenderCache(IMemoryCache cache, IConfiguration configuration)
{
    /// <summary><c>--cache:enabled false</c> turns every cache off, to measure the cost of rendering from scratch.</summary>
    private readonly bool _enabled = configuration["cache:enabled"] != "false";

    /// <param name="provisional">Whether a value is only kept for a minute (see <see cref="GetOrAddAsync{T}"/>).</param>
    public T GetOrAdd<T>(string key, Func<T> create, Func<T, long> size, Func<T, bool>? provisional = null) where T : class
    {
        if (!_enabled) return create();
        if (cache.TryGetValue(key, out T? hit) && hit is not null) return hit;
        var value = create();
        cache.Set(key, value, Options(value, size, provisional));
        return value;
    }

    private static MemoryCacheEntryOptions Options<T>(T value, Func<T, long> size, Func<T, bool>? provisional)
    {
        var options = new MemoryCacheEntryOptions { Size = Math.Max(1, size(value)) };
        if (provisional is not null && provisional(value)) options.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
        else options.SlidingExpiration = TimeSpan.FromHours(6);
        return options;
    }

    /// <summary>Like <see cref="GetOrAdd{T}"/> for a value that may not exist (null, not kept).</summary>
    public T? GetOrFind<T>(string key, Func<T?> find, Func<T, long> size) where T : class
    {
        if (_enabled && cache.TryGetValue(key, out T? hit) && hit is not null) return hit;
        var value = find();
        if (_enabled && value is not null)
            cache.Set(key, value, new MemoryCacheEntryOptions { Size = Math.Max(1, size(value)), SlidingExpiration = TimeSpan.FromHours(6) });
        return value;
    }

    /// <param name="provisional">Whether a value is only kept for a minute (an answer cut short by a time budget: kept
    /// long enough to spare the next views the same work, not for hours).</param>
    public async Task<T> GetOrAddAsync<T>(string key, Func<Task<T>> create, Func<T, long> size, Func<T, bool>? provisional = null) where T : class
    {
        if (!_enabled) return await create();
        if (cache.TryGetValue(key, out T? hit) && hit is not null) return hit;
        var value = await create();
        cache.Set(key, value, Options(value, size, provisional));
        return value;
    }
}
