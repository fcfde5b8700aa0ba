using System.Collections.Concurrent;
using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Open libgit2 repositories kept for reuse, as a database connection pool keeps connections (or Gitaly its long-lived
/// <c>git cat-file</c> processes): opening one and finding its pack index again costs far more than most reads a page
/// makes. Each handle serves one caller at a time. Nothing read through it is kept: libgit2 reads refs from their files
/// (reloading packed-refs when it changes) and finds new packs when an object is missing, so a pooled handle sees every
/// push at once. Handles are closed after <see cref="MaxAge"/> (so packs removed by <c>git gc</c> are released), and all
/// handles of a repository when it is deleted.
/// </summary>
internal static class RepositoryPool
{
    private const int MaxIdlePerRepository = 4;
    private const int MaxRepositories = 32;
    private const int SweepSlack = 16;
    private static readonly long MaxAge = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;

    private sealed class Slot
    {
        public readonly ConcurrentStack<(Repository Repository, long Opened)> Idle = new();
        public long LastUsed;
    }

    private static readonly ConcurrentDictionary<string, Slot> Slots = new(StringComparer.Ordinal);
    private static readonly Timer Sweeper = new(_ => Sweep(), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));

    /// <summary>A repository for the caller's exclusive use until the lease is disposed.</summary>
    public static Lease Rent(string path)
    {
        var slot = Slots.GetOrAdd(path, _ => new Slot());
        var now = Environment.TickCount64;
        Volatile.Write(ref slot.LastUsed, now);
        while (slot.Idle.TryPop(out var idle))
        {
            if (now - idle.Opened < MaxAge) return new Lease(path, idle.Repository, idle.Opened);
            idle.Repository.Dispose();
        }
        return new Lease(path, new Repository(path), now);
    }

    private static void Return(string path, Repository repository, long opened)
    {
        if (Environment.TickCount64 - opened >= MaxAge || !Slots.TryGetValue(path, out var slot) || slot.Idle.Count >= MaxIdlePerRepository)
        {
            repository.Dispose();
            return;
        }
        slot.Idle.Push((repository, opened));
        // Swept when a few more than the limit are pooled, not at each return past it: a rebuild visiting thousands of
        // repositories in turn otherwise sorted the whole pool once per repository.
        if (Slots.Count > MaxRepositories + SweepSlack) Sweep();
    }

    /// <summary>Closes every idle handle of the repository at <paramref name="path"/> (before it is deleted).</summary>
    public static void Evict(string path)
    {
        if (!Slots.TryRemove(path, out var slot)) return;
        while (slot.Idle.TryPop(out var idle)) idle.Repository.Dispose();
    }

    /// <summary>Closes handles past their age, and forgets the least recently used repositories beyond the limit.</summary>
    private static void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (_, slot) in Slots.ToArray())
        {
            var keep = new List<(Repository, long)>();
            while (slot.Idle.TryPop(out var idle))
            {
                if (now - idle.Opened < MaxAge) keep.Add(idle);
                else idle.Repository.Dispose();
            }
            foreach (var item in keep) slot.Idle.Push(item);
        }
        // ToArray is ConcurrentDictionary's own atomic snapshot: LINQ straight over the dictionary sizes its buffer from
        // Count, then copies, and meets empty entries when another thread removed one in between.
        foreach (var (path, _) in Slots.ToArray().OrderByDescending(s => Volatile.Read(ref s.Value.LastUsed)).Skip(MaxRepositories))
            Evict(path);
    }

    /// <summary>A repository lent by the pool; disposing it gives it back.</summary>
    public sealed class Lease(string path, Repository repository, long opened) : IDisposable
    {
        private int _returned;

        public Repository Repository { get; } = repository;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0) Return(path, Repository, opened);
        }
    }
}
