using Forge.Git;
using Forge.Jobs.Images;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

public sealed class BlobModel(GitReader reader, Browse browse, ThumbnailStore thumbnails, IThumbnailQueue thumbnailQueue, TeacherOnlyFilter teacherOnly) : Forge.Web.Repos.RepoPageModel
{
    private static readonly HashSet<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".ico", ".avif"];
    private static readonly HashSet<string> VideoExtensions = [".mp4", ".webm", ".ogv", ".m4v"];
    private static readonly HashSet<string> AudioExtensions = [".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac", ".opus"];

    public ResolvedPath At { get; private set; } = null!;
    public BlobContent Blob { get; private set; } = null!;
    public string FileName => At.Path[(At.Path.LastIndexOf('/') + 1)..];
    public bool IsImage { get; private set; }
    /// <summary>A raster image shown through its thumbnails (<c>srcset</c>); SVG and GIF are shown as they are.</summary>
    public bool HasThumbnails { get; private set; }
    /// <summary>Size of the image once its thumbnails are made (for <c>width</c>/<c>height</c>, so the page does not jump).</summary>
    public ThumbnailInfo? ImageSize { get; private set; }
    public bool IsVideo { get; private set; }
    public bool IsAudio { get; private set; }
    public bool IsPdf { get; private set; }
    /// <summary>WebVTT captions next to a video (<c>cours.vtt</c> or <c>cours.fr.vtt</c> beside <c>cours.mp4</c>).</summary>
    public string? CaptionsPath { get; private set; }
    public bool IsMarkdown { get; private set; }
    /// <summary>Source view of a rendered file: <c>?plain=1</c> (the link the page gives) or <c>?plain=true</c>.</summary>
    public bool Plain => Request.Query["plain"].ToString() is "1" or "true" or "on";
    public bool IsNotebook { get; private set; }
    public bool HasRendering => IsMarkdown || IsNotebook;
    public IHtmlContent? RenderedMarkdown { get; private set; }
    public RenderedNotebook? Notebook { get; private set; }
    /// <summary>The rendered Markdown or notebook, for the scripts it needs (maths, diagrams); null for other files.</summary>
    public string? RenderedHtml { get; private set; }
    public IReadOnlyList<string> Lines { get; private set; } = [];
    public int LineCount { get; private set; }

    /// <summary>
    /// The highlighted lines, each with its linkable number (<c>#L12</c>), written straight to the response: as a Razor
    /// loop (or one string) the thousands of lines of a big file cost more than all the rest of the page.
    /// </summary>
    public IHtmlContent NumberedLines() => new NumberedLinesHtml(Lines);

    private sealed class NumberedLinesHtml(IReadOnlyList<string> lines) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, System.Text.Encodings.Web.HtmlEncoder encoder)
        {
            // Lines are gathered in a buffer and written a few thousand characters at a time.
            var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(16 * 1024);
            var used = 0;
            try
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    var line = lines[i];
                    if (used + line.Length + 64 > buffer.Length)
                    {
                        writer.Write(buffer, 0, used);
                        used = 0;
                    }
                    if (line.Length + 64 > buffer.Length)
                    {
                        Number(buffer, ref used, i + 1);
                        writer.Write(buffer, 0, used);
                        writer.Write(line);
                        writer.Write("\n</span>");
                        used = 0;
                        continue;
                    }
                    Number(buffer, ref used, i + 1);
                    Put(buffer, ref used, line);
                    Put(buffer, ref used, "\n</span>");
                }
                writer.Write(buffer, 0, used);
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            }
        }

        /// <summary><c>&lt;span id="L12"&gt;&lt;a href="#L12"&gt;12&lt;/a&gt;</c>, the start of line 12.</summary>
        private static void Number(char[] buffer, ref int used, int n)
        {
            Put(buffer, ref used, "<span id=\"L");
            n.TryFormat(buffer.AsSpan(used), out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            var number = buffer.AsSpan(used, digits);
            used += digits;
            Put(buffer, ref used, "\"><a href=\"#L");
            number.CopyTo(buffer.AsSpan(used));
            used += digits;
            Put(buffer, ref used, "\">");
            number.CopyTo(buffer.AsSpan(used));
            used += digits;
            Put(buffer, ref used, "</a>");
        }

        private static void Put(char[] buffer, ref int used, string text)
        {
            text.CopyTo(buffer.AsSpan(used));
            used += text.Length;
        }
    }

    public IActionResult OnGet(string? path)
    {
        var at = path is null ? null : reader.Resolve(Repo.GitPath, path.Split('/'));
        if (at is null || at.Path.Length == 0) return NotFound();
        var hidden = teacherOnly.For(Repo, at.CommitSha);
        if (hidden.IsHidden(at.Path)) return NotFound();
        var notebook = !Plain && at.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
        var name = at.Path[(at.Path.LastIndexOf('/') + 1)..];
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (!notebook && !ImageExtensions.Contains(extension) && (Plain || extension is not ".md" and not ".markdown")
            && reader.BlobHeader(Repo.GitPath, at.CommitSha, at.Path) is { } header
            && browse.StoredHighlighting(Repo, name, header.ObjectId, header.Size) is { } stored)
        {
            // Highlighted whole after the push: the file's content itself is not needed (only text files are stored).
            (At, Blob, Lines, LineCount) = (at, new BlobContent(at.Path, header.Size, false, false, [], header.ObjectId), stored, stored.Count);
            return Page();
        }
        var blob = reader.ReadBlob(Repo.GitPath, at.CommitSha, at.Path, notebook ? NotebookRenderer.MaxBytes : Browse.MaxRenderedBytes);
        if (blob is null)
        {
            return reader.KindAt(Repo.GitPath, at.CommitSha, at.Path) == TreeEntryKind.Directory
                ? Redirect($"{Repo.BaseUrl}/tree/{MarkdownRenderer.EncodePath(at.Ref)}/{MarkdownRenderer.EncodePath(at.Path)}")
                : NotFound();
        }
        (At, Blob) = (at, blob);
        IsImage = ImageExtensions.Contains(extension);
        IsVideo = VideoExtensions.Contains(extension);
        IsAudio = AudioExtensions.Contains(extension);
        IsPdf = extension == ".pdf";
        if (IsVideo)
        {
            var stem = at.Path[..^extension.Length];
            CaptionsPath = new[] { stem + ".fr.vtt", stem + ".vtt" }
                .FirstOrDefault(p => !hidden.IsHidden(p) && reader.KindAt(Repo.GitPath, at.CommitSha, p) == TreeEntryKind.File);
        }
        if (IsImage && ThumbnailStore.IsThumbnailable(at.Path))
        {
            // Always through the thumbnail URL (it falls back to the file itself), so the page does not depend on the job.
            HasThumbnails = true;
            ImageSize = thumbnails.Info(blob.ObjectId);
            if (ImageSize is null && !thumbnails.IsRefused(blob.ObjectId))
            {
                thumbnailQueue.Request(Repo.Repository.Id, blob.ObjectId);
                // The size will be known in a moment: this version of the page is not one to keep or revalidate.
                Response.Headers.CacheControl = !RepositoryService.IsPublicToAll(Repo.Repository) ? "private, no-store" : "no-store";
            }
        }
        IsMarkdown = !blob.IsBinary && extension is ".md" or ".markdown";
        IsNotebook = !blob.IsBinary && extension == ".ipynb";
        if (IsImage || blob.IsBinary) return Page();

        if (IsMarkdown && !Plain && !blob.Truncated)
        {
            RenderedMarkdown = browse.RenderMarkdown(Repo, at, blob);
            RenderedHtml = RenderedMarkdown.ToString() ?? "";
        }
        if (IsNotebook && !Plain)
        {
            // The notebook's own view numbers nothing: its line count would be that of the JSON.
            Notebook = browse.RenderNotebook(Repo, at, blob);
            RenderedHtml = Notebook.Html;
            return Page();
        }
        if (RenderedMarkdown is not null)
        {
            // The rendering is shown: the source is not highlighted for nothing, only its lines counted.
            LineCount = SyntaxHighlighter.SplitLines(System.Text.Encoding.UTF8.GetString(blob.Bytes)).Count;
            return Page();
        }
        Lines = browse.HighlightedLines(Repo, FileName, blob);
        LineCount = Lines.Count;
        // Colours cut short by the time budget: the job after the push highlights the file whole; this version of the
        // page is not one to keep or revalidate.
        if (Lines is SyntaxHighlighter.CutShortLines) Response.Headers.CacheControl = Repo.Repository.IsPrivate ? "private, no-store" : "no-store";
        return Page();
    }
}
