namespace Forge.Jobs;

/// <summary>What a job needs to know about a repository, read fresh from the application's database.</summary>
public sealed record RepositorySnapshot(long Id, string Owner, string Name, string? Description, bool IsPrivate, string DefaultBranch, DateTimeOffset UpdatedAt)
{
    /// <summary>How many users starred the repository.</summary>
    public int Stars { get; init; }

    /// <summary>Average rating of the teachers' reviews in tenths (43 = 4.3 / 5), 0 without reviews, and their number.</summary>
    public int RatingTenths { get; init; }
    public int ReviewCount { get; init; }

    /// <summary>Last push (or web commit); unlike <see cref="UpdatedAt"/>, never moved by jobs (a licence verdict, say).</summary>
    public DateTimeOffset? PushedAt { get; init; }

    /// <summary>The public repository this one was forked from; null for an original, a fork of a private repository, or once the source is deleted.</summary>
    public ForkSource? Fork { get; init; }

    /// <summary>When the content last changed, as readers mean « récent »: the last push, else the last settings change.</summary>
    public DateTimeOffset ContentUpdatedAt => PushedAt ?? UpdatedAt;
}

/// <summary>The public source of a fork: its id, <c>owner/name</c> and default branch.</summary>
public sealed record ForkSource(long Id, string FullName, string DefaultBranch);

/// <summary>Port the application implements so jobs can read current repository state without knowing EF.</summary>
public interface IRepositoryDirectory
{
    Task<RepositorySnapshot?> FindAsync(long repositoryId, CancellationToken ct);
    Task<IReadOnlyList<long>> AllIdsAsync(CancellationToken ct);

    /// <summary>Every repository, in id order (implementations should read them in batches).</summary>
    async IAsyncEnumerable<RepositorySnapshot> AllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var id in await AllIdsAsync(ct))
            if (await FindAsync(id, ct) is { } repo) yield return repo;
    }
}

/// <summary>
/// Port the application implements: renderings of a branch's files worth computing after a push rather than during a
/// page view (highlighting of big files, READMEs), kept as derived data keyed by object id.
/// </summary>
public interface IViewPreparer
{
    /// <summary>Prepares what pages of <paramref name="branch"/> at <paramref name="commitSha"/> need, stopping after about <paramref name="budget"/>.</summary>
    Task PrepareAsync(RepositorySnapshot repository, string repoPath, string branch, string commitSha, TimeSpan budget, CancellationToken ct);
}
