using Hangfire;

namespace Forge.Jobs;

/// <summary>The formats a training module is exported to (the <c>{format}</c> of <c>/{owner}/{repo}/export/{format}/{ref}</c>).</summary>
public static class ModuleExportFormats
{
    public const string Scorm = "scorm", CommonCartridge = "imscc", Html = "html";

    public static readonly IReadOnlyList<string> All = [Scorm, CommonCartridge, Html];

    /// <summary>The extension of the downloaded file: <c>.zip</c>, <c>.imscc</c>.</summary>
    public static string Extension(string format) => format == CommonCartridge ? ".imscc" : ".zip";
}

/// <summary>
/// Port the application implements: builds the export of a training module (a repository with <c>module.yml</c>) at one
/// commit, into a file kept by format and commit id (so a tag always gives the same file, built once).
/// </summary>
public interface IModuleExporter
{
    /// <summary>Builds the <paramref name="format"/> export of the module at <paramref name="commit"/>, unless it is already built or failed.</summary>
    Task BuildAsync(long repositoryId, string commit, string format, CancellationToken ct);

    /// <summary>The commit a tag names, when the repository has a <c>module.yml</c> there; else null.</summary>
    string? ModuleCommitOfTag(long repositoryId, string tag);
}

/// <summary>Builds module exports: on request (a first download), and ahead of time for every pushed tag.</summary>
public sealed class ModuleExportJob(IModuleExporter exporter)
{
    /// <summary>Tags of one push that get their exports built ahead of time.</summary>
    public const int MaxTagsPerPush = 10;

    [AutomaticRetry(Attempts = 0)]
    public Task BuildAsync(long repositoryId, string commit, string format, CancellationToken ct) => exporter.BuildAsync(repositoryId, commit, format, ct);

    /// <summary>A tag was pushed: when it names a module, its three exports are built now, so the first download is immediate.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task TagPushedAsync(long repositoryId, string tag, CancellationToken ct)
    {
        if (exporter.ModuleCommitOfTag(repositoryId, tag) is not { } commit) return;
        foreach (var format in ModuleExportFormats.All) await exporter.BuildAsync(repositoryId, commit, format, ct);
    }

    /// <summary>Queues the exports of the tags a push created or moved.</summary>
    public static void AfterPush(IBackgroundJobClient client, long repositoryId, IReadOnlyList<Forge.Git.RefUpdate> updates)
    {
        foreach (var update in updates.Where(u => u.RefName.StartsWith("refs/tags/", StringComparison.Ordinal) && !u.IsDelete).Take(MaxTagsPerPush))
        {
            var tag = update.RefName["refs/tags/".Length..];
            client.Enqueue<ModuleExportJob>(j => j.TagPushedAsync(repositoryId, tag, CancellationToken.None));
        }
    }
}

/// <summary>For the web: asks for an export now (the first download of a ref that was never built).</summary>
public sealed class ModuleExportRequests(IBackgroundJobClient client)
{
    public void Request(long repositoryId, string commit, string format) =>
        client.Enqueue<ModuleExportJob>(j => j.BuildAsync(repositoryId, commit, format, CancellationToken.None));
}
