using Forge.Git;
using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.MergeRequests;

/// <summary>The database side of <see cref="MergeRequestJob"/>: requests follow the pushes to their source and target branches.</summary>
public sealed class MergeRequestUpdater(ForgeDbContext db, MergeRequestService requests, GitMerger merger, GitReader reader, RepositoryStore store,
    ILogger<MergeRequestUpdater> log) : IMergeRequestUpdater
{
    public async Task AfterPushAsync(long repositoryId, IReadOnlyList<string> refNames, CancellationToken ct)
    {
        var branches = refNames.Where(r => r.StartsWith("refs/heads/", StringComparison.Ordinal)).Select(r => r["refs/heads/".Length..]).ToList();
        if (branches.Count == 0) return;
        var affected = await db.Set<MergeRequest>()
            .Where(m => m.State == MergeRequestState.Open
                && ((m.SourceRepositoryId == repositoryId && branches.Contains(m.SourceBranch))
                    || (m.TargetRepositoryId == repositoryId && branches.Contains(m.TargetBranch))))
            .ToListAsync(ct);
        foreach (var mr in affected)
        {
            try
            {
                await requests.RefreshHeadAsync(mr, ct);
                if (await MergedByPushAsync(mr, ct)) continue;
                await requests.CheckAsync(mr, ct);
            }
            catch (Exception e) when (e is GitCommandException or IOException)
            {
                log.LogWarning(e, "Could not update merge request {Id}", mr.Id);
            }
        }
    }

    /// <summary>
    /// A request whose head someone pushed into the target by hand is merged: recorded as such, in the name of whoever pushed
    /// the target branch there (known from the activity the push left), and the issues it says it closes are closed, as by
    /// a merge through Forge.
    /// </summary>
    private async Task<bool> MergedByPushAsync(MergeRequest mr, CancellationToken ct)
    {
        var path = store.PathOf(mr.TargetRepositoryId);
        var tip = reader.BranchTip(path, mr.TargetBranch);
        if (tip is null || !await merger.IsAncestorAsync(path, mr.HeadSha, tip, ct)) return false;
        var pusher = await db.Set<ActivityEvent>().Where(e => e.RepositoryId == mr.TargetRepositoryId && e.Kind == ActivityKind.Push
                && e.RefName == "refs/heads/" + mr.TargetBranch && e.Sha == tip)
            .OrderByDescending(e => e.Id).Select(e => (long?)e.ActorId).FirstOrDefaultAsync(ct);
        // Two jobs may see the same push (one for the source branch, one for the target), or a merge through Forge: the
        // first to claim the request records it, the others leave it.
        await requests.MarkMergedAsync(mr, tip, pusher, ct);
        return true;
    }

    public async Task CheckMergeabilityAsync(long mergeRequestId, CancellationToken ct)
    {
        var mr = await db.Set<MergeRequest>().FirstOrDefaultAsync(m => m.Id == mergeRequestId, ct);
        if (mr is not null) await requests.CheckAsync(mr, ct);
    }
}

public static class MergeRequestRegistration
{
    public static IServiceCollection AddMergeRequests(this IServiceCollection services)
    {
        services.AddSingleton<GitMerger>();
        services.AddScoped<MergeRequestService>();
        services.AddScoped<IMergeRequestUpdater, MergeRequestUpdater>();
        return services;
    }
}
