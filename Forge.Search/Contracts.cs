namespace Forge.Search;

/// <summary>
/// Everything the index keeps about one resource: a repository's default branch (<see cref="Path"/> empty), or a
/// "granule", a folder of it described by its own <c>resource.yml</c> (<see cref="Path"/> = that folder).
/// </summary>
public sealed record ResourceDocument
{
    public required long RepositoryId { get; init; }
    public required string Owner { get; init; }
    public required string Name { get; init; }
    /// <summary>Folder of a granule inside the repository, without leading or trailing slash; empty for the repository.</summary>
    public string Path { get; init; } = "";
    public required bool IsPublic { get; init; }
    /// <summary>Commit the document was built from: the per-repository indexing cursor.</summary>
    public required string CommitSha { get; init; }
    /// <summary>Opaque summary of the non-git inputs (visibility, names, description, stars) the document was built from.</summary>
    public required string Fingerprint { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary>Searchable text: README, Markdown pages, resource.yml values.</summary>
    public string Body { get; init; } = "";
    public IReadOnlyList<string> Disciplines { get; init; } = [];
    public IReadOnlyList<string> Grades { get; init; } = [];
    public IReadOnlyList<string> Cycles { get; init; } = [];
    public IReadOnlyList<string> Usage { get; init; } = [];
    public IReadOnlyList<string> Autonomy { get; init; } = [];
    public string? Personalisation { get; init; }
    public bool? HasExercises { get; init; }
    public bool? TeacherSeesResults { get; init; }
    public IReadOnlyList<string> Types { get; init; } = [];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public IReadOnlyList<string> Accessibility { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    public IReadOnlyList<string> Audience { get; init; } = [];
    public IReadOnlyList<string> Programme { get; init; } = [];
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? BasedOn { get; init; }
    public string? Licence { get; init; }
    public int? DurationMinutes { get; init; }
    public int? FocusMinutes { get; init; }
    public int Stars { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Facet names, as they appear in URLs (<c>/search?grade=1re&amp;grade=tle</c>) and in <see cref="SearchResults.Facets"/>.</summary>
public static class Facets
{
    public const string Discipline = "discipline";
    public const string Cycle = "cycle";
    public const string Grade = "grade";
    public const string Usage = "usage";
    public const string Autonomy = "autonomy";
    public const string Type = "type";
    public const string Licence = "licence";
    public const string Programme = "programme";
    public const string Audience = "audience";
    /// <summary>Duration ranges: <c>lt30</c>, <c>30-60</c>, <c>60-120</c>, <c>gt120</c>.</summary>
    public const string Duration = "duration";
    /// <summary><c>oui</c> / <c>non</c>.</summary>
    public const string Exercises = "exercises";

    public static readonly IReadOnlyList<string> All =
        [Discipline, Cycle, Grade, Usage, Autonomy, Type, Licence, Programme, Audience, Duration, Exercises];
}

public enum SearchSort { Relevance, Recent, Stars }

/// <summary>
/// A search as a caller may run it: the text typed, facet filters (AND across facets, OR within one), and the
/// repositories the caller may read besides public ones. The index is never the authority on permissions: callers
/// re-check every hit.
/// </summary>
public sealed record SearchRequest(string Text, IReadOnlyCollection<long> ReadableRepositoryIds, int Page = 1, int PageSize = 20)
{
    /// <summary>Facet name (see <see cref="Facets"/>) → accepted values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public SearchSort Sort { get; init; } = SearchSort.Relevance;
    /// <summary>Restrict to one owner (user or group) name, case-insensitive.</summary>
    public string? Owner { get; init; }
    /// <summary>Restrict to one repository id.</summary>
    public long? RepositoryId { get; init; }
    /// <summary>Compute facet counts (permission-filtered, over the whole result set).</summary>
    public bool WithFacets { get; init; } = true;
}

/// <summary>One result. <see cref="SnippetHtml"/> is HTML-encoded text with matches wrapped in <c>&lt;mark&gt;</c>.</summary>
public sealed record SearchHit(long RepositoryId, string Owner, string Name, string Title, string? Description, string? SnippetHtml,
    IReadOnlyList<string> Disciplines, IReadOnlyList<string> Grades, IReadOnlyList<string> Types, float Score)
{
    /// <summary>Granule folder, empty for a whole repository.</summary>
    public string Path { get; init; } = "";
    public IReadOnlyList<string> Cycles { get; init; } = [];
    public IReadOnlyList<string> Usage { get; init; } = [];
    public string? Licence { get; init; }
    public int? DurationMinutes { get; init; }
    public int Stars { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record FacetCount(string Value, int Count);

public sealed record SearchResults(int Total, IReadOnlyList<SearchHit> Hits)
{
    /// <summary>Facet name → values with the number of readable matching resources, most frequent first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets { get; init; } = new Dictionary<string, IReadOnlyList<FacetCount>>();
    /// <summary>When the text matched nothing as typed and a spelling-tolerant search was used: the terms that were searched.</summary>
    public string? SpellingNote { get; init; }
}

/// <summary>A search in file contents (code, Markdown, notebooks), one hit per file.</summary>
public sealed record CodeSearchRequest(string Text, IReadOnlyCollection<long> ReadableRepositoryIds, int Page = 1, int PageSize = 20)
{
    public string? Owner { get; init; }
    public long? RepositoryId { get; init; }
    /// <summary>Language name as detected from the extension (<c>python</c>, <c>markdown</c>, ...).</summary>
    public string? Language { get; init; }
    /// <summary>Path prefix inside the repository.</summary>
    public string? PathPrefix { get; init; }
}

/// <summary>One matching line of a file: 1-based line number and HTML-encoded text with matches in <c>&lt;mark&gt;</c>.</summary>
public sealed record CodeLine(int Number, string Html);

public sealed record CodeHit(long RepositoryId, string Owner, string Name, string Path, string? Language, IReadOnlyList<CodeLine> Lines, float Score);

public sealed record CodeSearchResults(int Total, IReadOnlyList<CodeHit> Hits);

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
