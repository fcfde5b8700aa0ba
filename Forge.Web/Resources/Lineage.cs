using Forge.Core.Resources;
using Forge.Git;
using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Resources;

/// <summary>How two resources are related: one adapts the other (<c>based_on</c>), or (later, issue 6) is a fork of it.</summary>
public enum LineageKind { BasedOn, Fork }

/// <summary>
/// One end of an adaptation link, with the attribution that travels along it (title, authors, licence of that
/// resource). <see cref="Url"/> is null when the resource cannot be shown (unknown, deleted or private: the three look
/// the same, so nothing leaks).
/// </summary>
public sealed record LineageNode(LineageKind Kind, string Label, string? Url, bool IsExternal, string? Title,
    IReadOnlyList<string> Authors, string? Licence);

/// <summary>Where a resource comes from and who adapted it: the two sides of the adaptation graph around it.</summary>
public sealed record Lineage(IReadOnlyList<LineageNode> AdaptedFrom, IReadOnlyList<LineageNode> AdaptedBy)
{
    public static readonly Lineage Empty = new([], []);
    public bool IsEmpty => AdaptedFrom.Count == 0 && AdaptedBy.Count == 0;
}

/// <summary>
/// Builds the adaptation graph around a resource. Edges come from <c>based_on</c> and from forks (edges of
/// <see cref="LineageKind.Fork"/>, through the same two lists). Every node on this forge is re-checked against the
/// database and the viewer's rights, and "adapted by" edges are confirmed by reading the adapter's own resource.yml, so
/// the search index is never trusted for permissions or for the link itself.
/// </summary>
public sealed class LineageService(IResourceSearch search, RepositoryService repositories, RepositoryStore store, GitReader reader,
    ResourceFiles files, ForgeDbContext db, Forks.ForkService forks)
{
    /// <summary>Search filter of the resources whose <c>based_on</c> names a repository (<c>owner/repo</c>).</summary>
    public const string BasedOnFilter = "based_on";
    private const int MaxAdaptations = 20;

    public async Task<Lineage> ForAsync(RepoContext repo, ResourceMetadata metadata, string folder, CancellationToken ct)
    {
        var from = metadata.BasedOn is { } basedOn ? [await SourceAsync(basedOn, repo.Viewer, ct)] : new List<LineageNode>();
        // Adaptations point at a repository, so only the repository's own description lists them.
        var by = folder.Length == 0 ? await AdaptationsAsync(repo, ct) : [];
        if (folder.Length == 0) await AddForksAsync(repo, from, by, ct);
        return new Lineage(from, by);
    }

    /// <summary>
    /// A fork's source is what it adapts, and the forks of a repository adapt it: edges of <see cref="LineageKind.Fork"/>,
    /// read from the database with the viewer's rights (an unreadable source is shown unavailable, unreadable forks not at all).
    /// </summary>
    private async Task AddForksAsync(RepoContext repo, List<LineageNode> from, List<LineageNode> by, CancellationToken ct)
    {
        if (await forks.SourceOfAsync(repo.Repository, repo.Viewer, ct) is { } parent)
        {
            var node = parent.Readable is { } source ? NodeOf(LineageKind.Fork, source)
                : new LineageNode(LineageKind.Fork, "un dépôt privé", null, IsExternal: false, null, [], null);
            if (!from.Any(n => string.Equals(n.Label, node.Label, StringComparison.OrdinalIgnoreCase))) from.Add(node);
        }
        foreach (var fork in (await forks.ListReadableForksAsync(repo.Repository, repo.Viewer, ct)).Take(MaxAdaptations))
        {
            var node = NodeOf(LineageKind.Fork, fork);
            if (!by.Any(n => string.Equals(n.Label, node.Label, StringComparison.OrdinalIgnoreCase))) by.Add(node);
        }
    }

    private LineageNode NodeOf(LineageKind kind, RepositoryEntity r)
    {
        var described = Describe(r, "");
        return new LineageNode(kind, $"{r.Owner.UserName}/{r.Name}", $"/{r.Owner.UserName}/{r.Name}", IsExternal: false,
            described?.Title, described?.Authors ?? [], described?.Licence);
    }

    private async Task<LineageNode> SourceAsync(string basedOn, Viewer viewer, CancellationToken ct)
    {
        if (!ResourceMetadataParser.IsForgeReference(basedOn))
            return new LineageNode(LineageKind.BasedOn, basedOn, basedOn, IsExternal: true, null, [], null);
        var parts = basedOn.Split('/');
        var source = await repositories.FindAsync(parts[0], parts[1], ct) ?? await repositories.FindRedirectAsync(parts[0], parts[1], ct);
        if (source is null || !RepositoryService.CanRead(source, viewer))
            return new LineageNode(LineageKind.BasedOn, basedOn, null, IsExternal: false, null, [], null);
        return NodeOf(LineageKind.BasedOn, source);
    }

    private async Task<List<LineageNode>> AdaptationsAsync(RepoContext repo, CancellationToken ct)
    {
        var readable = await repositories.ReadablePrivateIdsAsync(repo.Viewer, ct);
        var results = search.Search(new SearchRequest("", readable, 1, MaxAdaptations)
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { [BasedOnFilter] = [repo.FullName] },
            WithFacets = false,
            Sort = SearchSort.Recent,
        });
        var ids = results.Hits.Select(h => h.RepositoryId).Where(id => id != repo.Repository.Id).Distinct().ToList();
        var current = await db.Repositories.AsNoTracking().Include(r => r.Owner).Include(r => r.Collaborators)
            .Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var nodes = new List<LineageNode>();
        foreach (var hit in results.Hits)
        {
            if (!current.TryGetValue(hit.RepositoryId, out var adapter) || !RepositoryService.CanRead(adapter, repo.Viewer)) continue;
            if (ResourceFiles.CleanFolder(hit.Path) is not { } folder) continue;
            var described = Describe(adapter, folder);
            if (described?.BasedOn is not { } basedOn || !string.Equals(basedOn, repo.FullName, StringComparison.OrdinalIgnoreCase)) continue;
            var label = $"{adapter.Owner.UserName}/{adapter.Name}" + (folder.Length > 0 ? "/" + folder : "");
            var url = $"/{adapter.Owner.UserName}/{adapter.Name}" + (folder.Length > 0 ? $"/tree/{Rendering.MarkdownRenderer.EncodePath(adapter.DefaultBranch)}/{Rendering.MarkdownRenderer.EncodePath(folder)}" : "");
            if (nodes.Any(n => n.Label == label)) continue;
            nodes.Add(new LineageNode(LineageKind.BasedOn, label, url, IsExternal: false, described.Title, described.Authors, described.Licence));
        }
        return nodes;
    }

    /// <summary>The current description of a repository (or one of its folders) on its default branch; null if none.</summary>
    private ResourceMetadata? Describe(RepositoryEntity repo, string folder)
    {
        var gitPath = store.PathOf(repo.Id);
        var tip = reader.BranchTip(gitPath, repo.DefaultBranch);
        return tip is null ? null : files.Read(gitPath, tip, folder)?.Result.Metadata;
    }
}
