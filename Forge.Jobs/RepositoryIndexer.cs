using Markdig;
using System.Security.Cryptography;
using System.Text;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Search;

namespace Forge.Jobs;

/// <summary>What an indexing run did.</summary>
public enum IndexKind { Unchanged, Soft, Incremental, Full, Removed }

/// <summary>Outcome of indexing one repository: how, how many files were read from git, removed, and resources rebuilt.</summary>
public sealed record IndexOutcome(IndexKind Kind, int FilesRead, int FilesRemoved, int ResourcesBuilt);

/// <summary>Settings of the indexer; <see cref="DelayPerFile"/> exists for the crash-recovery test only.</summary>
public sealed record IndexingOptions
{
    /// <summary>Test-only (<c>--search:test_delay_ms_per_file</c>): pause after reading each file, to make indexing slow enough to be interrupted.</summary>
    public TimeSpan DelayPerFile { get; init; }
}

/// <summary>
/// Turns a repository's default branch into an index update. Incremental when the index holds an earlier commit
/// of the same repository with the same inputs: the tree diff between that commit and the tip says which files to
/// re-read and which documents to delete, and only the resources whose <c>resource.yml</c>, README or Markdown
/// changed are rebuilt. Anything else (no cursor, older schema, visibility/name/description changed, indexed commit
/// gone after a force-push and gc) rebuilds the repository fully.
/// </summary>
public sealed class RepositoryIndexer(RepositoryStore store, GitReader reader, IndexingOptions options)
{
    public const int MaxGranules = 200;
    public const int MaxContentFiles = 5000;
    private const int MaxTreeFiles = 50_000;
    private const int MaxNotebookBytes = 4 * 1024 * 1024;
    private const int MaxBodyChars = 2_000_000;

    /// <summary>
    /// The commit of <paramref name="repo"/> the index should describe, or null for none: an empty repository, or a fork of a
    /// public repository with nothing of its own (its default branch is the source's, or behind it). Such a fork would only
    /// repeat its source in every search; it is indexed from its first commit of its own.
    /// </summary>
    public static string? IndexedTip(RepositoryStore store, GitReader reader, RepositorySnapshot repo)
    {
        if (!store.Exists(repo.Id)) return null;
        var path = store.PathOf(repo.Id);
        var tip = reader.BranchTip(path, repo.DefaultBranch);
        if (tip is null || repo.Fork is not { } source || !store.Exists(source.Id)) return tip;
        var sourceTip = reader.BranchTip(store.PathOf(source.Id), source.DefaultBranch);
        return sourceTip is not null && RepositoryForking.IsContainedIn(path, tip, sourceTip) ? null : tip;
    }

    /// <summary>The cursor a repository should have in the index; null when it should have no document (empty repository).</summary>
    public static IndexedState? Expected(RepositorySnapshot repo, string? tip) =>
        tip is null ? null : new IndexedState(tip, Fingerprint(repo))
        {
            Stars = repo.Stars,
            RatingTenths = repo.RatingTenths,
            ReviewCount = repo.ReviewCount,
            UpdatedAt = repo.ContentUpdatedAt.ToUnixTimeSeconds(),
            IsPublic = !repo.IsPrivate,
        };

    /// <summary>True when the index is in line with the repository (nothing to do).</summary>
    public static bool InLine(IndexedState? indexed, IndexedState? expected) =>
        indexed is null ? expected is null
            : expected is not null && indexed.CommitSha == expected.CommitSha && indexed.Fingerprint == expected.Fingerprint
              && indexed.Schema == expected.Schema && indexed.Stars == expected.Stars && indexed.RatingTenths == expected.RatingTenths && indexed.ReviewCount == expected.ReviewCount && indexed.UpdatedAt == expected.UpdatedAt
              && indexed.IsPublic == expected.IsPublic;

    /// <summary>The update bringing the index from <paramref name="current"/> to the repository at <paramref name="tip"/>; null when nothing changes.</summary>
    public (RepositoryUpdate? Update, IndexOutcome Outcome) Plan(RepositorySnapshot repo, string tip, IndexedState? current)
    {
        var expected = Expected(repo, tip)!;
        if (InLine(current, expected)) return (null, new IndexOutcome(IndexKind.Unchanged, 0, 0, 0));
        var path = store.PathOf(repo.Id);
        if (current is not null && current.Schema == expected.Schema && current.Fingerprint == expected.Fingerprint && current.IsPublic == expected.IsPublic)
        {
            if (current.CommitSha == tip)
                return (Base(repo, expected), new IndexOutcome(IndexKind.Soft, 0, 0, 0));
            // New teacher-only patterns change which files may be in the index at all: everything is rebuilt.
            if (reader.ChangedPaths(path, current.CommitSha, tip) is { } changes
                && (!changes.Any(c => c.Path == ResourceMetadataParser.FileName) || TeacherPatterns(path, current.CommitSha).SequenceEqual(TeacherPatterns(path, tip))))
                return Incremental(repo, expected, path, changes);
        }
        return Full(repo, expected, path);
    }

    private static RepositoryUpdate Base(RepositorySnapshot repo, IndexedState cursor) => new()
    {
        RepositoryId = repo.Id, Owner = repo.Owner, Name = repo.Name, IsPublic = !repo.IsPrivate, Cursor = cursor,
    };

    private (RepositoryUpdate, IndexOutcome) Full(RepositorySnapshot repo, IndexedState cursor, string path)
    {
        // One repository open: list the tree and read the indexed files as it is walked (teacher-only files are never indexed).
        var hidden = HiddenAt(path, cursor.CommitSha);
        var snapshot = reader.ListAndRead(path, cursor.CommitSha, MaxTreeFiles,
            f => hidden.Matches(f.Path) || !ContentFiles.IsIndexed(f.Path, f.Size) ? 0 : ContentFiles.Language(f.Path) == "jupyter" ? MaxNotebookBytes : ContentFiles.MaxBytesPerFile,
            MaxContentFiles);
        var files = (snapshot?.Files ?? []).Where(f => !hidden.Matches(f.Path)).ToList();
        var granules = Granules(files);
        var texts = Texts(snapshot?.Contents ?? []);
        var resources = BuildResources(repo, cursor, files, granules, ["", .. granules], texts);
        var update = Base(repo, cursor) with
        {
            ReplaceAll = true,
            Resources = resources,
            Files = texts.Select(t => new FileDocument(t.Key, ContentFiles.Language(t.Key), t.Value)).ToList(),
        };
        return (update, new IndexOutcome(IndexKind.Full, texts.Count, 0, resources.Count));
    }

    private (RepositoryUpdate, IndexOutcome) Incremental(RepositorySnapshot repo, IndexedState cursor, string path, IReadOnlyList<ChangedPath> changes)
    {
        var hidden = HiddenAt(path, cursor.CommitSha);
        var files = (reader.ListFiles(path, cursor.CommitSha, MaxTreeFiles) ?? []).Where(f => !hidden.Matches(f.Path)).ToList();
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var granules = Granules(files);

        var removed = changes.Where(c => c.Change == PathChange.Deleted).Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var changed = changes.Where(c => c.Change != PathChange.Deleted).Select(c => c.Path).ToList();
        var toRead = new List<string>();
        foreach (var p in changed)
        {
            removed.Remove(p);
            if (byPath.TryGetValue(p, out var f) && ContentFiles.IsIndexed(p, f.Size)) toRead.Add(p);
            else removed.Add(p); // no longer indexable (too large, not a regular file any more, teacher-only)
        }
        var texts = Read(path, cursor.CommitSha, toRead);
        foreach (var p in toRead.Where(p => !texts.ContainsKey(p))) removed.Add(p); // became binary

        // Resources whose description or text changed: the repository (it covers every folder) and the granules around the change.
        var relevant = changes.Select(c => c.Path).Where(p => ContentFiles.IsResourceText(p) || IsMetadata(p)).ToList();
        var rootMetadataChanged = relevant.Contains(ResourceMetadataParser.FileName);
        var affected = new List<string>();
        if (relevant.Count > 0) affected.Add("");
        foreach (var g in granules)
            if (rootMetadataChanged || relevant.Any(p => p.StartsWith(g + "/", StringComparison.Ordinal))) affected.Add(g);
        var goneGranules = changes.Where(c => c.Change == PathChange.Deleted && IsMetadata(c.Path) && c.Path.Contains('/'))
            .Select(c => c.Path[..c.Path.LastIndexOf('/')]).Where(g => !granules.Contains(g)).ToList();

        var resourceTexts = new Dictionary<string, string>(texts, StringComparer.Ordinal);
        var extra = affected.Count == 0 ? [] : files.Where(f => !resourceTexts.ContainsKey(f.Path) && NeededFor(f.Path, affected)).Select(f => f.Path).ToList();
        foreach (var (p, t) in Read(path, cursor.CommitSha, extra)) resourceTexts[p] = t;
        var resources = affected.Count == 0 ? [] : BuildResources(repo, cursor, files, granules, affected, resourceTexts);

        var update = Base(repo, cursor) with
        {
            Resources = resources,
            RemovedResources = goneGranules,
            Files = texts.Select(t => new FileDocument(t.Key, ContentFiles.Language(t.Key), t.Value)).ToList(),
            RemovedFiles = removed.ToList(),
        };
        return (update, new IndexOutcome(IndexKind.Incremental, texts.Count + extra.Count, removed.Count, resources.Count));
    }

    /// <summary>The <c>teacher_only:</c> patterns of <c>resource.yml</c> at a commit, as written.</summary>
    private IReadOnlyList<string> TeacherPatterns(string repoPath, string commit) =>
        reader.ReadBlob(repoPath, commit, ResourceMetadataParser.FileName, TeacherOnly.MaxBytes + 1) is { IsBinary: false } blob && blob.Size <= TeacherOnly.MaxBytes
            ? TeacherOnly.Parse(Encoding.UTF8.GetString(blob.Bytes)) : [];

    /// <summary>Files search must not hold (teacher-only: solutions, teacher notes), so no hit or snippet ever shows them.</summary>
    private PathPatterns HiddenAt(string repoPath, string commit) =>
        TeacherPatterns(repoPath, commit) is { Count: > 0 } patterns ? new PathPatterns(patterns) : PathPatterns.None;

    private static bool IsMetadata(string path) =>
        path == ResourceMetadataParser.FileName || path.EndsWith("/" + ResourceMetadataParser.FileName, StringComparison.Ordinal);

    /// <summary>Files a resource document is made of: its resource.yml, README and Markdown (the root's: every folder's).</summary>
    private static bool NeededFor(string path, List<string> affected) =>
        (ContentFiles.IsResourceText(path) || IsMetadata(path))
        && affected.Any(g => g.Length == 0 || path.StartsWith(g + "/", StringComparison.Ordinal));

    /// <summary>Folders with their own resource.yml (granules), at most <see cref="MaxGranules"/>, in path order.</summary>
    private static List<string> Granules(IReadOnlyList<TreeFile> files) =>
        files.Where(f => IsMetadata(f.Path) && f.Path.Contains('/')).Select(f => f.Path[..f.Path.LastIndexOf('/')])
            .Order(StringComparer.Ordinal).Take(MaxGranules).ToList();

    private Dictionary<string, string> Read(string repoPath, string commit, IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0) return new Dictionary<string, string>(StringComparer.Ordinal);
        var notebooks = paths.Where(p => ContentFiles.Language(p) == "jupyter").ToList();
        return Texts(reader.ReadBlobs(repoPath, commit, paths.Except(notebooks), ContentFiles.MaxBytesPerFile)
            .Concat(reader.ReadBlobs(repoPath, commit, notebooks, MaxNotebookBytes)));
    }

    private Dictionary<string, string> Texts(IEnumerable<BlobContent> blobs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var blob in blobs)
        {
            if (ContentFiles.Text(blob.Path, blob.Bytes) is { } text) result[blob.Path] = text;
            if (options.DelayPerFile > TimeSpan.Zero) Thread.Sleep(options.DelayPerFile);
        }
        return result;
    }

    private static List<ResourceDocument> BuildResources(RepositorySnapshot repo, IndexedState cursor, IReadOnlyList<TreeFile> files,
        List<string> granules, List<string> which, Dictionary<string, string> texts)
    {
        var rootMetadata = Metadata(texts, ResourceMetadataParser.FileName);
        var result = new List<ResourceDocument>();
        foreach (var folder in which)
        {
            var prefix = folder.Length == 0 ? "" : folder + "/";
            var metadata = folder.Length == 0 ? rootMetadata : Metadata(texts, prefix + ResourceMetadataParser.FileName);
            if (folder.Length > 0)
            {
                // A granule inherits what its own file leaves out of the repository's description.
                metadata = metadata with
                {
                    Disciplines = metadata.Disciplines.Count > 0 ? metadata.Disciplines : rootMetadata.Disciplines,
                    Licence = metadata.Licence ?? rootMetadata.Licence,
                    Authors = metadata.Authors.Count > 0 ? metadata.Authors : rootMetadata.Authors,
                    Languages = metadata.Languages.Count > 0 ? metadata.Languages : rootMetadata.Languages,
                };
            }
            var inScope = files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal) && ContentFiles.IsResourceText(f.Path) && texts.ContainsKey(f.Path)).ToList();
            var readme = inScope.Where(f => !f.Path[prefix.Length..].Contains('/') && System.IO.Path.GetFileName(f.Path).StartsWith("readme", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault();
            var body = new StringBuilder();
            foreach (var f in inScope.OrderBy(f => f == readme ? 0 : 1).ThenBy(f => f.Path, StringComparer.Ordinal))
            {
                if (body.Length >= MaxBodyChars) break;
                body.AppendLine(PlainText(f.Path, texts[f.Path])).AppendLine();
            }
            var heading = readme is null ? null : FirstHeading(texts[readme.Path]);
            result.Add(new ResourceDocument
            {
                RepositoryId = repo.Id,
                Owner = repo.Owner,
                Name = repo.Name,
                Path = folder,
                IsPublic = !repo.IsPrivate,
                CommitSha = cursor.CommitSha,
                Fingerprint = cursor.Fingerprint,
                Title = metadata.Title ?? heading ?? (folder.Length == 0 ? repo.Name : folder[(folder.LastIndexOf('/') + 1)..]),
                Description = metadata.Description ?? (folder.Length == 0 ? repo.Description : null),
                Body = body.Length > MaxBodyChars ? body.ToString(0, MaxBodyChars) : body.ToString(),
                Disciplines = metadata.Disciplines,
                Grades = metadata.Grades,
                Cycles = metadata.Cycles,
                Usage = metadata.Usage,
                Autonomy = metadata.Autonomy,
                Personalisation = metadata.Personalisation,
                HasExercises = metadata.HasExercises,
                TeacherSeesResults = metadata.TeacherSeesResults,
                Types = metadata.Types,
                Keywords = metadata.Keywords,
                Accessibility = metadata.Accessibility,
                Languages = metadata.Languages,
                Audience = metadata.Audience,
                Programme = metadata.Programme,
                Authors = metadata.Authors,
                // A fork adapts its (public) source even when its resource.yml, copied from the source, does not say so.
                BasedOn = metadata.BasedOn ?? (folder.Length == 0 ? repo.Fork?.FullName : null),
                Licence = metadata.Licence,
                DurationMinutes = metadata.DurationMinutes,
                FocusMinutes = metadata.FocusMinutes,
                Stars = repo.Stars,
                RatingTenths = repo.RatingTenths,
                ReviewCount = repo.ReviewCount,
                UpdatedAt = repo.ContentUpdatedAt,
            });
        }
        return result;
    }

    private static ResourceMetadata Metadata(Dictionary<string, string> texts, string path) =>
        texts.TryGetValue(path, out var yaml) ? ResourceMetadataParser.Parse(yaml).Metadata : ResourceMetadata.Empty;

    private static readonly Markdig.MarkdownPipeline PlainPipeline = new Markdig.MarkdownPipelineBuilder().UsePipeTables().UseTaskLists().Build();

    /// <summary>Markdown reduced to its words, so snippets show no syntax.</summary>
    private static string PlainText(string path, string text)
    {
        if (ContentFiles.Language(path) != "markdown") return text;
        if (Forge.Core.Text.MarkdownGuard.IsTooDeep(text)) return text;
        try
        {
            return PlainTextRenderer.Render(text);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InsufficientExecutionStackException)
        {
            PlainTextRenderer.Discard();
            return text;
        }
    }

    /// <summary>
    /// What <c>Markdig.Markdown.ToPlainText</c> does, with one renderer per thread instead of one per file: building a
    /// renderer (its list of object renderers, copied from the pipeline) was a third of the time of reducing a
    /// Markdown file to text in a rebuild. The writer is emptied and the renderer's line state reset before each use.
    /// </summary>
    public static class PlainTextRenderer
    {
        [ThreadStatic] private static (StringWriter Writer, Markdig.Renderers.HtmlRenderer Renderer)? _current;

        public static string Render(string markdown)
        {
            var (writer, renderer) = _current ??= Create();
            writer.GetStringBuilder().Clear();
            renderer.Writer = writer; // resets the renderer's line and indent state
            renderer.Render(Markdig.Markdown.Parse(markdown, PlainPipeline));
            writer.Flush();
            return writer.ToString();
        }

        /// <summary>After a failure, the next call starts with a new renderer.</summary>
        public static void Discard() => _current = null;

        private static (StringWriter, Markdig.Renderers.HtmlRenderer) Create()
        {
            var writer = new StringWriter();
            var renderer = new Markdig.Renderers.HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
            PlainPipeline.Setup(renderer);
            return (writer, renderer);
        }
    }

    private static string? FirstHeading(string text)
    {
        foreach (var line in text.Split('\n').Take(50))
            if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim();
        return null;
    }

    /// <summary>Summary of the non-git inputs that, when they change, call for a full rebuild (stars and dates are updated in place).</summary>
    public static string Fingerprint(RepositorySnapshot repo)
    {
        var text = $"{repo.IsPrivate}\n{repo.Owner}\n{repo.Name}\n{repo.Description}\n{repo.DefaultBranch}";
        if (repo.Fork is { } fork) text += $"\nfork:{fork.FullName}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
