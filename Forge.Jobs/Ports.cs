namespace Forge.Jobs;

/// <summary>What a job needs to know about a repository, read fresh from the application's database.</summary>
public sealed record RepositorySnapshot(long Id, string Owner, string Name, string? Description, bool IsPrivate, string DefaultBranch, DateTimeOffset UpdatedAt)
{
    /// <summary>How many users starred the repository.</summary>
    public int Stars { get; init; }
}

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
