using System.Collections.Concurrent;
using System.Linq.Expressions;
using Hangfire;

namespace Forge.Jobs;

/// <summary>
/// The work that follows pushes runs once per burst of pushes (several branches, a script, a teacher's fixes), once the
/// repository has been quiet for <see cref="QuietPeriod"/>: a push schedules a job unless one of the same kind is
/// already due for that repository, and a job that finds a push newer than that postpones itself. Each job stays a
/// durable Hangfire job (it survives a restart); only the bookkeeping of what is due lives in memory, so at worst
/// (another node, a restart) a job runs once more and finds nothing to do.
/// </summary>
public sealed class AfterPush(IBackgroundJobClient client)
{
    /// <summary>How long after the last push of a burst its jobs run.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, DateTime> _due = new(StringComparer.Ordinal);

    private static string Key<T>(long repositoryId) => $"{typeof(T).Name}:{repositoryId}";

    /// <summary>Schedules <paramref name="job"/> in <paramref name="delay"/>, unless a job of its kind is already due later for the repository.</summary>
    public void Schedule<T>(long repositoryId, Expression<Func<T, Task>> job, TimeSpan delay)
    {
        var now = DateTime.UtcNow;
        var key = Key<T>(repositoryId);
        if (_due.TryGetValue(key, out var due) && due > now) return; // that job will see this push too
        _due[key] = now + delay;
        client.Schedule(job, delay);
    }

    /// <summary>
    /// For a job that runs after pushes: when the repository was pushed to less than <see cref="QuietPeriod"/> ago, schedules
    /// <paramref name="job"/> again for when it will have been quiet and returns true (this run stops); else false.
    /// </summary>
    public bool Postpone<T>(RepositorySnapshot repo, Expression<Func<T, Task>> job)
    {
        var wait = repo.UpdatedAt + QuietPeriod - DateTimeOffset.UtcNow;
        if (wait <= TimeSpan.Zero) return false;
        _due[Key<T>(repo.Id)] = DateTime.UtcNow + wait;
        client.Schedule(job, wait);
        return true;
    }
}
