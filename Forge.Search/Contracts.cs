namespace Forge.Search;

/// <summary>Everything the index keeps about one resource (today: one repository's default branch).</summary>
public sealed record ResourceDocument
{
    public required long RepositoryId { get; init; }
    public required string Owner { get; init; }
    public required string Name { get; init; }
    public required bool IsPublic { get; init; }
    /// <summary>Commit the document was built from: the per-repository indexing cursor.</summary>
    public required string CommitSha { get; init; }
    /// <summary>Opaque summary of the non-git inputs (visibility, names, description) the document was built from.</summary>
    public required string Fingerprint { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary>Searchable text: README, Markdown pages, resource.yml values.</summary>
    public string Body { get; init; } = "";
    public IReadOnlyList<string> Disciplines { get; init; } = [];
    public IReadOnlyList<string> Grades { get; init; } = [];
    public IReadOnlyList<string> Cycles { get; init; } = [];
    public IReadOnlyList<string> Usage { get; init; } = [];
    public IReadOnlyList<string> Types { get; init; } = [];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? Licence { get; init; }
    public int? DurationMinutes { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// A search as a caller may run it: the text typed, and the repositories the caller may read besides public
/// ones. The index is never the authority on permissions: callers re-check every hit.
/// </summary>
public sealed record SearchRequest(string Text, IReadOnlyCollection<long> ReadableRepositoryIds, int Page = 1, int PageSize = 20);

/// <summary>One result. <see cref="SnippetHtml"/> is HTML-encoded text with matches wrapped in <c>&lt;mark&gt;</c>.</summary>
public sealed record SearchHit(long RepositoryId, string Owner, string Name, string Title, string? Description, string? SnippetHtml,
    IReadOnlyList<string> Disciplines, IReadOnlyList<string> Grades, IReadOnlyList<string> Types, float Score);

public sealed record SearchResults(int Total, IReadOnlyList<SearchHit> Hits);

/// <summary>Where the index stands for one repository: the cursor lives inside the index itself.</summary>
public sealed record IndexedState(string CommitSha, string Fingerprint);

/// <summary>Write side of the resource index.</summary>
public interface IResourceIndex
{
    /// <summary>Commit and fingerprint the indexed document of a repository was built from; null if absent.</summary>
    IndexedState? IndexedState(long repositoryId);

    /// <summary>Adds or replaces the document of a repository, durably.</summary>
    void Upsert(ResourceDocument document);

    /// <summary>Removes every document of a repository. Safe to call twice.</summary>
    void Remove(long repositoryId);
}

/// <summary>Read side of the resource index.</summary>
public interface IResourceSearch
{
    SearchResults Search(SearchRequest request);
}
