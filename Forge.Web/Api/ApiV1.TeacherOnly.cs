using Forge.Git;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>Teacher-only files in the API: the same rule as the pages (<see cref="TeacherOnlyFilter"/>).</summary>
public static partial class ApiV1
{
    /// <summary>What the caller may not see at a commit of the repository.</summary>
    private static HiddenPaths Hidden(HttpContext context, RepoContext r, string commitSha) =>
        context.RequestServices.GetRequiredService<TeacherOnlyFilter>().For(r, commitSha);

    /// <summary>A diff with the caller's hidden files' content left out (null stays null).</summary>
    private static DiffResult? Redacted(HttpContext context, RepoContext r, string commitSha, DiffResult? diff) =>
        diff is null ? null : Hidden(context, r, commitSha).Redact(diff);

    /// <summary>
    /// Whether a blob or tree id is one of the hidden files or folders of the default branch: the object endpoints take ids,
    /// not paths, so an id seen elsewhere (a clone) must not open a teacher-only file through the API.
    /// </summary>
    private static bool IsHiddenObject(HttpContext context, RepoContext r, GitReader reader, string objectId)
    {
        if (TeacherOnlyFilter.CanSee(r.Repository, r.Viewer) || reader.HeadTip(r.GitPath) is not { } head) return false;
        var hidden = Hidden(context, r, head);
        if (hidden.IsEmpty) return false;
        var cache = context.RequestServices.GetRequiredService<Rendering.RenderCache>();
        var ids = cache.GetOrAdd($"teacher-only-ids:{r.Repository.Id}:{head}", () =>
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            var tree = reader.TreeById(r.GitPath, head, recursive: true, 0, 100_000);
            foreach (var e in tree?.Entries ?? []) if (hidden.IsHidden(e.Path)) set.Add(e.Sha);
            return set;
        }, s => 64L * s.Count + 64);
        return ids.Contains(objectId.ToLowerInvariant());
    }
}
