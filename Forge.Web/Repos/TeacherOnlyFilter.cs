using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Rendering;

namespace Forge.Web.Repos;

/// <summary>
/// Teacher-only content (<c>teacher_only:</c> of <c>resource.yml</c>): whether a viewer is a teacher of a repository, and
/// which paths are hidden from everyone else at a commit. The one place the rule lives; called from every path that shows
/// files: tree and home listings (entries and folder READMEs, <c>Pages/Repo/Tree</c>, <c>Home</c>), blob, blame and history
/// of a path (<c>Blob</c>, <c>Blame</c>, <c>Commits</c>: 404 like a missing file), raw files and thumbnails
/// (<see cref="RawEndpoint"/>, <see cref="ThumbnailEndpoint"/>), archives (<see cref="ArchiveEndpoint"/>: excluded with
/// literal pathspecs after <c>--</c>), commit, compare and merge request diffs (<see cref="HiddenPaths.Redact"/>: the file
/// listed, its content replaced by « Fichier réservé aux enseignants »), the API (contents, raw, media, archive, blame,
/// git trees and blobs, commits of a path, compare, commit and pull request diffs), the web editor (writers only, and
/// writers are teachers). The search index never holds those files (<c>Forge.Jobs/RepositoryIndexer</c>), and course
/// sites leave them out (<c>Sites/SiteBuilder</c>). Git itself (clone, fetch) shows everything: git cannot hide part of a
/// repository.
/// </summary>
/// <remarks>
/// The patterns of a commit are those of its own <c>resource.yml</c> united with those of the default branch's tip, so
/// browsing an old commit (from before <c>teacher_only:</c> was written) reveals nothing the current patterns hide. Parsed
/// patterns are cached by commit id.
/// </remarks>
public sealed class TeacherOnlyFilter(GitReader reader, RenderCache cache)
{
    /// <summary>
    /// A teacher of the repository: whoever may write to it (owner, admins, writer and maintainer collaborators, writers
    /// and above of the owning group), a maintainer or owner of the owning group, or a member of the owning group whose
    /// account is a teacher's (colleagues who read the group's repositories). Students, strangers and anonymous
    /// visitors are not, nor reader collaborators. In a pupil's assignment copy the pupil writes but is no teacher: only
    /// the class's maintainers and owners (its teachers) and admins are.
    /// </summary>
    public static bool CanSee(RepositoryEntity repo, Viewer viewer) =>
        repo.IsAssignmentCopy
            ? viewer.IsAdmin || viewer.RoleIn(repo.OwnerId) >= GroupRole.Maintainer
            : RepositoryService.CanWrite(repo, viewer)
              || viewer.RoleIn(repo.OwnerId) >= GroupRole.Maintainer
              || (viewer.IsTeacherAccount && viewer.RoleIn(repo.OwnerId) is not null);

    /// <summary>What <paramref name="viewer"/> may not see at <paramref name="commitSha"/> (<see cref="HiddenPaths.None"/> for a teacher).</summary>
    public HiddenPaths For(RepositoryEntity repo, Viewer viewer, string gitPath, string commitSha) =>
        CanSee(repo, viewer) ? HiddenPaths.None : At(gitPath, commitSha);

    /// <inheritdoc cref="For(RepositoryEntity, Viewer, string, string)"/>
    public HiddenPaths For(RepoContext repo, string commitSha) => For(repo.Repository, repo.Viewer, repo.GitPath, commitSha);

    /// <summary>The paths hidden from non-teachers at a commit: its patterns and the default branch's.</summary>
    public HiddenPaths At(string gitPath, string commitSha)
    {
        var own = PatternsAt(gitPath, commitSha);
        var head = reader.HeadTip(gitPath);
        var current = head is null || head == commitSha ? PathPatterns.None : PatternsAt(gitPath, head);
        return HiddenPaths.Of(own, current);
    }

    private PathPatterns PatternsAt(string gitPath, string commitSha) =>
        cache.GetOrAdd($"teacher-only:{gitPath}:{commitSha}", () => Read(reader, gitPath, commitSha), p => 1024);

    /// <summary>The patterns of <c>resource.yml</c> at a commit.</summary>
    public static PathPatterns Read(GitReader reader, string gitPath, string commitSha)
    {
        var blob = reader.ReadBlob(gitPath, commitSha, ResourceMetadataParser.FileName, TeacherOnly.MaxBytes + 1);
        return blob is null || blob.IsBinary ? PathPatterns.None : TeacherOnly.Of(blob.Bytes);
    }
}

/// <summary>Paths hidden from a viewer at one commit (see <see cref="TeacherOnlyFilter"/>).</summary>
public sealed class HiddenPaths
{
    private readonly PathPatterns[] _sets;

    private HiddenPaths(PathPatterns[] sets) => _sets = sets;

    public static readonly HiddenPaths None = new([]);

    public static HiddenPaths Of(params PathPatterns[] sets) =>
        sets.Where(s => !s.IsEmpty).ToArray() is { Length: > 0 } kept ? new HiddenPaths(kept) : None;

    public bool IsEmpty => _sets.Length == 0;

    /// <summary>Whether a path (or a folder above it) is teacher-only.</summary>
    public bool IsHidden(string? path) =>
        _sets.Length > 0 && !string.IsNullOrEmpty(path) && _sets.Any(s => s.Matches(path.Trim('/')));

    /// <summary>The items whose path is not hidden (the same list when nothing is).</summary>
    public IReadOnlyList<T> Filter<T>(IReadOnlyList<T> items, Func<T, string> path) =>
        IsEmpty ? items : items.Where(i => !IsHidden(path(i))).ToList();

    /// <summary>A diff where hidden files keep their name and kind but lose their content (and line counts).</summary>
    public DiffResult Redact(DiffResult diff)
    {
        if (IsEmpty || !diff.Files.Any(f => IsHidden(f.Path) || IsHidden(f.OldPath))) return diff;
        var files = diff.Files.Select(f => IsHidden(f.Path) || IsHidden(f.OldPath)
            ? f with { Hunks = [], Additions = 0, Deletions = 0, IsBinary = false, Truncated = false, Withheld = true }
            : f).ToList();
        var removed = diff.Files.Zip(files).Where(p => p.Second.Withheld && !p.First.Withheld).ToList();
        return diff with
        {
            Files = files,
            Additions = diff.Additions - removed.Sum(p => p.First.Additions),
            Deletions = diff.Deletions - removed.Sum(p => p.First.Deletions),
        };
    }

    /// <summary>
    /// What <c>git archive</c> must leave out of <paramref name="files"/> (every file of the commit): the highest hidden
    /// folder of each hidden file, or the file itself, as paths (literal, never patterns).
    /// </summary>
    public IReadOnlyList<string> Excluded(IEnumerable<string> files)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (IsEmpty) return [];
        foreach (var file in files)
        {
            if (!IsHidden(file)) continue;
            var segments = file.Split('/');
            for (var i = 1; i <= segments.Length; i++)
            {
                var prefix = string.Join('/', segments.Take(i));
                if (IsHidden(prefix)) { result.Add(prefix); break; }
            }
        }
        return result.ToList();
    }
}
