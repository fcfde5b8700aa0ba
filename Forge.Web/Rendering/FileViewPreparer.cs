using System.Diagnostics;
using System.Text;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Pages.Repo;

namespace Forge.Web.Rendering;

/// <summary>
/// After a push, renders into the <see cref="RenderingStore"/> what pages of a branch would otherwise render on each view:
/// the README of every folder (Markdown through the sanitiser), then the big text files highlighted whole, biggest
/// first, within a time budget.
/// </summary>
public sealed class FileViewPreparer(GitReader reader, MarkdownRenderer markdown, RenderingStore store, ILogger<FileViewPreparer> log)
    : IViewPreparer
{
    /// <summary>Budget for one file: in practice the whole file (a page view's budget is a tenth of a second).</summary>
    private static readonly TimeSpan FileBudget = TimeSpan.FromSeconds(30);

    // Its own grammars (and their locks): a job highlighting for seconds never holds up a page that highlights Python.
    private readonly SyntaxHighlighter _highlighter = new();

    public Task PrepareAsync(RepositorySnapshot repository, string repoPath, string branch, string commitSha, TimeSpan budget, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (readmes, highlighted) = (0, 0);
        var files = reader.FileEntries(repoPath, commitSha, 0, Browse.MaxRenderedBytes);
        foreach (var folder in files.GroupBy(f => f.Path.Contains('/') ? f.Path[..f.Path.LastIndexOf('/')] : ""))
        {
            if (clock.Elapsed > budget || ct.IsCancellationRequested) break;
            if (reader.FindReadme(folder.ToList()) is not { } readme || !Browse.IsMarkdown(readme.Name)) continue;
            var context = new MarkdownContext(repository.Owner, repository.Name, branch, folder.Key);
            var kind = RenderingStore.MarkdownKind(context);
            if (store.Has(repoPath, readme.ObjectId, kind)) continue;
            store.WriteText(repoPath, readme.ObjectId, kind, Browse.RenderReadme(reader, markdown, repoPath, commitSha, readme, context));
            readmes++;
        }
        foreach (var file in files.Where(f => f.Size >= RenderingStore.MinHighlightBytes).OrderByDescending(f => f.Size))
        {
            if (clock.Elapsed > budget || ct.IsCancellationRequested) break;
            // Markdown and notebooks are shown rendered; their highlighted source is only one click away, and cheap enough then.
            if (Browse.IsMarkdown(file.Name) || file.Name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) continue;
            var kind = RenderingStore.HighlightKind(_highlighter.GrammarScope(file.Name));
            if (kind is null || store.Has(repoPath, file.ObjectId, kind)) continue;
            var blob = reader.ReadBlob(repoPath, commitSha, file.Path, Browse.MaxRenderedBytes);
            if (blob is null || blob.IsBinary || blob.Truncated) continue;
            var lines = _highlighter.Highlight(file.Name, Encoding.UTF8.GetString(blob.Bytes), FileBudget);
            store.WriteLines(repoPath, blob.ObjectId, kind, lines);
            highlighted++;
        }
        if (readmes + highlighted > 0)
            log.LogInformation("Rendered {Readmes} READMEs and highlighted {Files} files of {Branch} ({Commit}) in {Ms} ms",
                readmes, highlighted, branch, commitSha, clock.ElapsedMilliseconds);
        return Task.CompletedTask;
    }
}
