using System.Collections.Concurrent;
using System.Linq.Expressions;
using Hangfire;

namespace Forge.Jobs;

/// <summary>
/// The work that follows pushes runs once per burst of pushes (several branches, a script, a teacher's fixes), once the
/// repository has been quiet for <see cref="QuietPeriod"/>: a push schedules a job unless one of the same kind is
/// already due for that repository, and a job that finds a push newer than the quiet period postpones itself. Each job
/// stays a durable Hangfire job (it survives a restart); only the bookkeeping of what is due and of the last push lives
/// in memory, measured with this process's clock only (never the database's: PostgreSQL and SQLite store times
/// differently), so at worst (another node, a restart) a job runs once more, or a little early, and finds nothing to do.
/// </summary>
public sealed class AfterPush(IBackgroundJobClient client)
{
    /// <summary>How long after the last push of a burst its jobs run. Short: push-to-searchable must stay under 3 s.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastPush = new();

    private static string Key<T>(long repositoryId, string? part) =>
        part is null ? $"{typeof(T).Name}:{repositoryId}" : $"{typeof(T).Name}:{repositoryId}:{part}";

    /// <summary>Records a push to the repository, now.</summary>
    public void Pushed(long repositoryId) => _lastPush[repositoryId] = DateTimeOffset.UtcNow;

    /// <summary>Forgets a deleted repository's bookkeeping.</summary>
    public void Forget(long repositoryId)
    {
        _lastPush.TryRemove(repositoryId, out _);
        var id = repositoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var key in _due.Keys.Where(k => k.Split(':')[1] == id)) _due.TryRemove(key, out _);
    }

    /// <summary>
    /// Schedules the job made by <paramref name="job"/> (given the time it is queued) in <paramref name="delay"/>, unless a
    /// job of its kind is already due later for the repository (and <paramref name="part"/>, a branch for instance): that
    /// one will see this push too.
    /// </summary>
    public void Schedule<T>(long repositoryId, Func<DateTimeOffset, Expression<Func<T, Task>>> job, TimeSpan delay, string? part = null)
    {
        var now = DateTimeOffset.UtcNow;
        var key = Key<T>(repositoryId, part);
        if (_due.TryGetValue(key, out var due) && due > now) return;
        _due[key] = now + delay;
        client.Schedule(job(now), delay);
    }

    /// <summary>
    /// For a job that runs after pushes: when the repository was pushed to less than <see cref="QuietPeriod"/> ago, schedules
    /// the job again for when it will have been quiet and returns true (this run stops); else false.
    /// </summary>
    public bool Postpone<T>(long repositoryId, Func<DateTimeOffset, Expression<Func<T, Task>>> job, string? part = null)
    {
        if (!_lastPush.TryGetValue(repositoryId, out var last)) return false;
        var now = DateTimeOffset.UtcNow;
        var wait = last + QuietPeriod - now;
        if (wait <= TimeSpan.Zero) return false;
        _due[Key<T>(repositoryId, part)] = now + wait;
        client.Schedule(job(now), wait);
        return true;
    }
}
