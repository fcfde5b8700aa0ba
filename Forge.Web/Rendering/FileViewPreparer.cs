using System.Diagnostics;
using System.Text;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Pages.Repo;

namespace Forge.Web.Rendering;

/// <summary>
/// After a push, highlights the big text files of a commit whole into the <see cref="HighlightStore"/>, biggest first,
/// within a time budget, so their pages cost a file read instead of seconds of TextMate work.
/// </summary>
public sealed class FileViewPreparer(GitReader reader, HighlightStore store, ILogger<FileViewPreparer> log) : IViewPreparer
{
    /// <summary>Budget for one file: in practice the whole file (the page view's budget is a tenth of a second).</summary>
    private static readonly TimeSpan FileBudget = TimeSpan.FromSeconds(30);

    // Its own grammars (and their locks): a job highlighting for seconds never holds up a page that highlights Python.
    private readonly SyntaxHighlighter _highlighter = new();

    public Task PrepareAsync(string repoPath, string commitSha, TimeSpan budget, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        foreach (var file in reader.FileEntries(repoPath, commitSha, HighlightStore.MinBytes, Browse.MaxRenderedBytes).OrderByDescending(f => f.Size))
        {
            if (clock.Elapsed > budget || ct.IsCancellationRequested) break;
            // Markdown and notebooks are shown rendered; their highlighted source is only one click away, and cheap enough then.
            if (Browse.IsMarkdown(file.Name) || file.Name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) continue;
            var scope = _highlighter.GrammarScope(file.Name);
            if (scope is null || store.Has(repoPath, file.ObjectId, scope)) continue;
            var blob = reader.ReadBlob(repoPath, commitSha, file.Path, Browse.MaxRenderedBytes);
            if (blob is null || blob.IsBinary || blob.Truncated) continue;
            store.Write(repoPath, blob.ObjectId, scope, _highlighter.Highlight(file.Name, Encoding.UTF8.GetString(blob.Bytes), FileBudget));
            done++;
        }
        if (done > 0) log.LogInformation("Highlighted {Count} files of {Commit} in {Ms} ms", done, commitSha, clock.ElapsedMilliseconds);
        return Task.CompletedTask;
    }
}
