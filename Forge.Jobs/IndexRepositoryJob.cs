using System.Security.Cryptography;
using System.Text;
using Forge.Core.Resources;
using Markdig;
using Forge.Git;
using Forge.Search;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs;

/// <summary>
/// Brings the search index in line with a repository's default branch. Takes an id, re-reads current state and
/// does nothing when the index already reflects it, so running it twice (or after a crash) is harmless.
/// </summary>
public sealed class IndexRepositoryJob(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, IResourceIndex index,
    AfterPush afterPush, ILogger<IndexRepositoryJob> log)
{
    private const int MaxFiles = 500;
    private const int MaxBytesPerFile = 256 * 1024;
    private const int MaxBodyChars = 2_000_000;

    /// <summary>
    /// Runs <see cref="AfterPush.QuietPeriod"/> after a burst of pushes: postponed while pushes keep coming, then the same
    /// as <see cref="RunAsync"/>.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAfterPushAsync(long repositoryId, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is not null && afterPush.Postpone<IndexRepositoryJob>(repo, j => j.RunAfterPushAsync(repositoryId, CancellationToken.None))) return;
        await RunAsync(repositoryId, ct);
    }

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long repositoryId, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        var tip = repo is null || !store.Exists(repo.Id) ? null : reader.BranchTip(store.PathOf(repo.Id), repo.DefaultBranch);
        if (repo is null || tip is null)
        {
            index.Remove(repositoryId);
            return;
        }
        var fingerprint = Fingerprint(repo);
        if (index.IndexedState(repositoryId) is { } state && state.CommitSha == tip && state.Fingerprint == fingerprint) return;
        index.Upsert(Build(repo, tip, fingerprint));
        log.LogInformation("Indexed repository {RepositoryId} at {Commit}", repositoryId, tip);
    }

    private ResourceDocument Build(RepositorySnapshot repo, string tip, string fingerprint)
    {
        var path = store.PathOf(repo.Id);
        var files = reader.ReadFiles(path, tip, IsIndexed, MaxBytesPerFile, MaxFiles);
        var metadataFile = files.FirstOrDefault(f => f.Path == ResourceMetadataParser.FileName);
        var metadata = metadataFile is null ? ResourceMetadata.Empty : ResourceMetadataParser.Parse(Decode(metadataFile.Bytes)).Metadata;
        var readme = files.Where(f => !f.Path.Contains('/') && f.Path.StartsWith("readme", StringComparison.OrdinalIgnoreCase)).FirstOrDefault();

        // Searchable text: Markdown reduced to its words (no syntax in snippets); resource.yml values have fields of their own.
        var body = new StringBuilder();
        foreach (var file in files.Where(f => f != metadataFile).OrderBy(f => f == readme ? 0 : 1).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            if (body.Length >= MaxBodyChars) break;
            body.AppendLine(PlainText(file)).AppendLine();
        }

        return new ResourceDocument
        {
            RepositoryId = repo.Id,
            Owner = repo.Owner,
            Name = repo.Name,
            IsPublic = !repo.IsPrivate,
            CommitSha = tip,
            Fingerprint = fingerprint,
            Title = metadata.Title ?? FirstHeading(readme) ?? repo.Name,
            Description = metadata.Description ?? repo.Description,
            Body = body.Length > MaxBodyChars ? body.ToString(0, MaxBodyChars) : body.ToString(),
            Disciplines = metadata.Disciplines,
            Grades = metadata.Grades,
            Cycles = metadata.Cycles,
            Usage = metadata.Usage,
            Types = metadata.Types,
            Keywords = metadata.Keywords,
            Licence = metadata.Licence,
            DurationMinutes = metadata.DurationMinutes,
            UpdatedAt = repo.UpdatedAt,
        };
    }

    private static bool IsIndexed(string path) =>
        path == ResourceMetadataParser.FileName
        || path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase)
        || (!path.Contains('/') && path.StartsWith("readme", StringComparison.OrdinalIgnoreCase));

    private static string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static readonly Markdig.MarkdownPipeline PlainPipeline = new Markdig.MarkdownPipelineBuilder().UsePipeTables().UseTaskLists().Build();

    private static string PlainText(BlobContent file)
    {
        var text = Decode(file.Bytes);
        if (!file.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !file.Path.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase)
            && !file.Path.StartsWith("readme", StringComparison.OrdinalIgnoreCase))
            return text;
        if (Forge.Core.Text.MarkdownGuard.IsTooDeep(text)) return text;
        try
        {
            return Markdig.Markdown.ToPlainText(text, PlainPipeline);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InsufficientExecutionStackException)
        {
            return text;
        }
    }

    private static string? FirstHeading(BlobContent? readme)
    {
        if (readme is null) return null;
        foreach (var line in Decode(readme.Bytes).Split('\n').Take(50))
            if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim();
        return null;
    }

    private static string Fingerprint(RepositorySnapshot repo)
    {
        var text = $"{repo.IsPrivate}\n{repo.Owner}\n{repo.Name}\n{repo.Description}\n{repo.DefaultBranch}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
