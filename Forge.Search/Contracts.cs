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
    /// <summary>Average rating of the teachers' reviews, in tenths (43 = 4.3 / 5); 0 without reviews.</summary>
    public int RatingTenths { get; init; }
    public int ReviewCount { get; init; }
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

    /// <summary>
    /// Bounds of the <see cref="Duration"/> ranges in minutes (lower inclusive, upper exclusive). Forge.Search depends
    /// on no other Forge assembly, so this mirrors <c>ResourceVocabulary.DurationRanges</c>; a test keeps them equal.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, int Min, int Max)> DurationRanges =
        [("lt30", 0, 30), ("30-60", 30, 60), ("60-120", 60, 120), ("gt120", 120, int.MaxValue)];
}

/// <summary>Result order: relevance, last change, stars, or teachers' average rating (then the number of reviews).</summary>
public enum SearchSort { Relevance, Recent, Stars, Rating }

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
    /// <summary>Cut highlighted snippets for the hits (the costliest part of a page of text results; lists that show none can skip it).</summary>
    public bool WithSnippets { get; init; } = true;
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
    public int RatingTenths { get; init; }
    public int ReviewCount { get; init; }
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

/// <summary>
/// Where the index stands for one repository: the cursor lives inside the index itself, committed atomically with
/// the repository's documents, so after a crash it always describes what the index really holds.
/// </summary>
public sealed record IndexedState(string CommitSha, string Fingerprint)
{
    /// <summary>Version of the document shapes the repository was indexed with (<see cref="IndexSchema.Version"/>).</summary>
    public int Schema { get; init; } = IndexSchema.Version;
    public int Stars { get; init; }
    public int RatingTenths { get; init; }
    public int ReviewCount { get; init; }
    /// <summary>Unix seconds of the repository's last update.</summary>
    public long UpdatedAt { get; init; }
    public bool IsPublic { get; init; } = true;
}

/// <summary>A content file as indexed for code search: its path, language (from the extension) and extracted text.</summary>
public sealed record FileDocument(string Path, string? Language, string Text);

/// <summary>
/// Everything that changes for one repository in one indexing run, applied atomically together with the new cursor:
/// a crash leaves either the old state (and the old cursor) or the new one, never a mix.
/// </summary>
public sealed record RepositoryUpdate
{
    public required long RepositoryId { get; init; }
    public required string Owner { get; init; }
    public required string Name { get; init; }
    public required bool IsPublic { get; init; }
    /// <summary>The cursor after this update.</summary>
    public required IndexedState Cursor { get; init; }
    /// <summary>Delete every document of the repository first (a full rebuild).</summary>
    public bool ReplaceAll { get; init; }
    /// <summary>Resource documents added or replaced (keyed by repository and <see cref="ResourceDocument.Path"/>).</summary>
    public IReadOnlyList<ResourceDocument> Resources { get; init; } = [];
    /// <summary>Granule folders whose resource document is removed.</summary>
    public IReadOnlyList<string> RemovedResources { get; init; } = [];
    /// <summary>Content files added or replaced (keyed by repository and path).</summary>
    public IReadOnlyList<FileDocument> Files { get; init; } = [];
    public IReadOnlyList<string> RemovedFiles { get; init; } = [];
}

/// <summary>Write side of the resource index.</summary>
public interface IResourceIndex
{
    /// <summary>Commit and fingerprint the indexed document of a repository was built from; null if absent.</summary>
    IndexedState? IndexedState(long repositoryId);

    /// <summary>The cursor of every repository the index holds (for reconciliation).</summary>
    IReadOnlyDictionary<long, IndexedState> IndexedStates();

    /// <summary>Adds or replaces one resource document and sets the repository's cursor from it, durably (a convenience for tests and tools).</summary>
    void Upsert(ResourceDocument document);

    /// <summary>
    /// Applies an update atomically (one Lucene commit) if the repository's cursor is still <paramref name="expected"/>
    /// (null: no document at all); returns false, changing nothing, when another run moved it meanwhile.
    /// </summary>
    bool TryApply(RepositoryUpdate update, IndexedState? expected);

    /// <summary>Hides every document of a repository from everyone but its readers at once (it became private), until it is reindexed.</summary>
    void Conceal(long repositoryId);

    /// <summary>Removes every document of a repository. Safe to call twice.</summary>
    void Remove(long repositoryId);
}

/// <summary>Read side of the resource index.</summary>
public interface IResourceSearch
{
    /// <summary>
    /// Resources matching <see cref="SearchRequest.Text"/> and the filters, readable by the caller, with facet counts.
    /// <para>Text: words are analysed in French (elisions, accents, light stemming) and English (documents that declare
    /// <c>language: en</c> also get English-analysed fields); query syntax is never interpreted. Up to six words must all
    /// match; a longer text (a title and description pasted to find <i>similar resources</i>) is an OR of its words
    /// of which at least a quarter (two at least) must match, ranked by how well they match — so a plain request with
    /// a resource's title and description, plus its discipline and grade filters, lists the resources most like it.</para>
    /// <para>Typo tolerance: when fewer than three readable resources match and some words appear in no readable
    /// resource, each such word of 4 letters or more is replaced by the closest readable indexed word (1 edit for
    /// 4–7 letters, 2 beyond), and <see cref="SearchResults.SpellingNote"/> gives the words searched.</para>
    /// <para>Filters: AND across facets, OR within one. <c>programme</c> matches an item id or any prefix of one
    /// (<c>nsi-1re</c>, <c>nsi-1re.types-base</c>); its counts are given for every id and prefix.
    /// <c>based_on</c> (not a facet) matches resources adapting <c>owner/repo</c> exactly (case-insensitive).
    /// Counts are computed over the readable result set with every other facet's filter applied but not the facet's
    /// own, so a user can add OR values (multi-select).</para>
    /// </summary>
    SearchResults Search(SearchRequest request);
}

/// <summary>
/// Search in file contents: code, Markdown, notebooks, all analysed as code (lower case, accents folded, identifiers
/// kept whole and split). Words are matched as written, without stemming: French stemming is for resource search,
/// which already covers the Markdown text, and analysing it twice would halve indexing speed.
/// </summary>
public interface ICodeSearch
{
    /// <summary>
    /// Files matching every word of the text (an identifier matches whole, <c>tri_fusion</c>, or by its parts,
    /// <c>triFusion</c> finds <c>tri_fusion</c>); files where the words follow each other rank first. Each hit gives
    /// the path and up to five matching lines with their numbers. Permission-filtered like <see cref="IResourceSearch"/>.
    /// </summary>
    CodeSearchResults SearchCode(CodeSearchRequest request);
}
