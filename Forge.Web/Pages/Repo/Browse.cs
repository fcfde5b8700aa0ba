using System.Text;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Html;

namespace Forge.Web.Pages.Repo;

/// <summary>Shared reading for repository pages: folder listings, last commits, README, resource.yml, highlighted files.</summary>
public sealed class Browse(GitReader reader, LastCommitIndex lastCommits, MarkdownRenderer markdown, NotebookRenderer notebooks,
    SyntaxHighlighter highlighter, RenderingStore renderings, RenderCache cache)
{
    public const long MaxRenderedBytes = 1024 * 1024;

    private sealed record Listing(IReadOnlyList<TreeEntryInfo>? Entries);

    /// <summary>Entries of a folder (null when the path is not a folder), cached by commit and path.</summary>
    public IReadOnlyList<TreeEntryInfo>? List(RepoContext repo, ResolvedPath at) =>
        cache.GetOrAdd($"tree:{repo.Repository.Id}:{at.CommitSha}:{at.Path}", () => new Listing(reader.ListTree(repo.GitPath, at.CommitSha, at.Path)),
            l => 200L * (l.Entries?.Count ?? 1)).Entries;

    private sealed record LastCommitsResult(IReadOnlyDictionary<string, CommitInfo> Commits, bool Complete);

    /// <summary>
    /// Newest commit touching each entry of the folder (like GitHub): stored for branch tips by a job after pushes
    /// (<see cref="LastCommitIndex"/>), else found by a walk; cached by commit and folder (for a minute only when the
    /// walk ran out of time).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CommitInfo>> LastCommitsAsync(RepoContext repo, ResolvedPath at, CancellationToken ct) =>
        (await cache.GetOrAddAsync($"last:{repo.Repository.Id}:{at.CommitSha}:{at.Path}", async () =>
        {
            var (commits, complete) = await lastCommits.GetAsync(repo.GitPath, at.CommitSha, at.Path, ct);
            return new LastCommitsResult(commits, complete);
        }, d => 300L * d.Commits.Count + 100, provisional: d => !d.Complete)).Commits;

    /// <summary>The folder's README rendered to safe HTML, with its file name; null if there is none.</summary>
    public (string Name, IHtmlContent Html)? Readme(RepoContext repo, ResolvedPath at, IReadOnlyList<TreeEntryInfo> entries)
    {
        var entry = reader.FindReadme(entries);
        if (entry is null) return null;
        var context = new MarkdownContext(repo.Owner, repo.Name, at.Ref, at.Path);
        var html = cache.GetOrAdd($"readme:{entry.ObjectId}:{repo.FullName}:{at.Ref}:{at.Path}", () =>
            (IsMarkdown(entry.Name) ? renderings.TryReadText(repo.GitPath, entry.ObjectId, RenderingStore.MarkdownKind(context)) : null)
            ?? RenderReadme(reader, markdown, repo.GitPath, at.CommitSha, entry, context), s => s.Length * 2L);
        return html.Length == 0 ? null : (entry.Name, new HtmlString(html));
    }

    /// <summary>A folder's README as HTML ("" when it cannot be shown): Markdown rendered, anything else as plain text.</summary>
    public static string RenderReadme(GitReader reader, MarkdownRenderer markdown, string gitPath, string commitSha, TreeEntryInfo entry,
        MarkdownContext context)
    {
        var blob = reader.ReadBlob(gitPath, commitSha, entry.Path, MaxRenderedBytes);
        if (blob is null || blob.IsBinary) return "";
        var text = Encoding.UTF8.GetString(blob.Bytes);
        return IsMarkdown(entry.Name) ? markdown.Render(text, context) : "<pre>" + Html.Encode(text) + "</pre>";
    }

    /// <summary>A Markdown file rendered, cached by blob id and location.</summary>
    public IHtmlContent RenderMarkdown(RepoContext repo, ResolvedPath at, BlobContent blob)
    {
        var dir = at.Path.Contains('/') ? at.Path[..at.Path.LastIndexOf('/')] : "";
        return new HtmlString(cache.GetOrAdd($"md:{blob.ObjectId}:{repo.FullName}:{at.Ref}:{dir}",
            () => markdown.Render(Encoding.UTF8.GetString(blob.Bytes), new MarkdownContext(repo.Owner, repo.Name, at.Ref, dir)), s => s.Length * 2L));
    }

    /// <summary>A Jupyter notebook rendered (or the reason it is not), cached by blob id and location like Markdown.</summary>
    public RenderedNotebook RenderNotebook(RepoContext repo, ResolvedPath at, BlobContent blob)
    {
        if (blob.Truncated) return NotebookRenderer.TooBig(blob.Size);
        var dir = at.Path.Contains('/') ? at.Path[..at.Path.LastIndexOf('/')] : "";
        return cache.GetOrAdd($"nb:{blob.ObjectId}:{repo.FullName}:{at.Ref}:{dir}",
            () => notebooks.Render(blob.Bytes, new MarkdownContext(repo.Owner, repo.Name, at.Ref, dir)), n => n.Html.Length * 2L + 256);
    }

    /// <summary>
    /// Highlighted lines of a text file: highlighted whole after a push for big files (<see cref="RenderingStore"/>), else
    /// within the page's time budget; cached by blob id (the same content renders the same anywhere).
    /// </summary>
    public IReadOnlyList<string> HighlightedLines(RepoContext repo, string fileName, BlobContent blob) =>
        (blob.Truncated ? null : StoredHighlighting(repo, fileName, blob.ObjectId, blob.Size))
        ?? cache.GetOrAdd(HighlightKey(fileName, blob.ObjectId, blob.Bytes.Length),
            () => highlighter.Highlight(fileName, Encoding.UTF8.GetString(blob.Bytes)), SizeOf, lines => lines is SyntaxHighlighter.CutShortLines);

    /// <summary>The lines of a whole file highlighted after a push, or null: then the page needs the file's content.</summary>
    public IReadOnlyList<string>? StoredHighlighting(RepoContext repo, string fileName, string blobId, long size) =>
        size > MaxRenderedBytes ? null
            : cache.GetOrFind("stored-" + HighlightKey(fileName, blobId, size),
                () => renderings.TryReadLines(repo.GitPath, blobId, RenderingStore.HighlightKind(highlighter.GrammarScope(fileName))), SizeOf);

    private static string HighlightKey(string fileName, string blobId, long length) =>
        $"hl:{blobId}:{Path.GetExtension(fileName).ToLowerInvariant()}:{length}";

    private static long SizeOf(IReadOnlyList<string> lines) => lines.Sum(x => (long)x.Length * 2 + 32);

    public static bool IsMarkdown(string name) =>
        name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase);

    /// <summary>resource.yml of the folder, parsed; null when the folder has none.</summary>
    public ResourceMetadataResult? Metadata(RepoContext repo, ResolvedPath at, IReadOnlyList<TreeEntryInfo> entries)
    {
        var entry = entries.FirstOrDefault(e => e.Kind == TreeEntryKind.File && e.Name == ResourceMetadataParser.FileName);
        if (entry is null) return null;
        return cache.GetOrAdd($"meta:{entry.ObjectId}", () =>
        {
            var blob = reader.ReadBlob(repo.GitPath, at.CommitSha, entry.Path, ResourceMetadataParser.MaxBytes + 1);
            if (blob is null) return new ResourceMetadataResult(ResourceMetadata.Empty, []);
            if (blob.Size > ResourceMetadataParser.MaxBytes)
                return new ResourceMetadataResult(ResourceMetadata.Empty,
                    [new MetadataProblem("resource.yml", null, $"Le fichier dépasse {ResourceMetadataParser.MaxBytes / 1024} Kio ; il n’a pas été lu.")]);
            return ResourceMetadataParser.Parse(Encoding.UTF8.GetString(blob.Bytes));
        }, _ => 4096);
    }
}
