using System.IO.Compression;
using System.Text.Json;
using Forge.Core.Licences;
using Forge.Core.Resources;
using Forge.Git;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Forge.Jobs.Compliance;

/// <summary>
/// Checks the licences of a repository's default branch and stores the report. Incremental: the facts of every file are
/// kept with the commit they were read at, and the next run reads only the files git says changed since. Idempotent: a
/// run at the same commit, with the same rules and the same source, does nothing.
/// </summary>
public sealed class LicenceCheckJob(IRepositoryDirectory directory, IComplianceStore compliance, RepositoryStore store, GitReader reader,
    TimeProvider clock, ILogger<LicenceCheckJob> log, AfterPush afterPush)
{
    /// <summary>Files larger than this are not read (a licence header sits at the top of a text file).</summary>
    private const long MaxReadBytes = 4L * 1024 * 1024;
    private const int MaxFiles = 200_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A run queued by a push: postponed while the repository is still being pushed to, then as <see cref="RunAsync"/>.</summary>
    [AutomaticRetry(Attempts = 5)]
    public Task RunAfterPushAsync(long repositoryId, DateTimeOffset queuedAt, CancellationToken ct) =>
        afterPush.Postpone<LicenceCheckJob>(repositoryId, at => j => j.RunAfterPushAsync(repositoryId, at, CancellationToken.None))
            ? Task.CompletedTask
            : RunAsync(repositoryId, ct);

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long repositoryId, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || !store.Exists(repositoryId)) return;
        var path = store.PathOf(repositoryId);
        var tip = reader.BranchTip(path, repo.DefaultBranch);
        if (tip is null) return;
        var state = await compliance.LicenceStateAsync(repositoryId, ct);
        var previous = state is { RulesVersion: LicenceReport.RulesVersion, Facts: not null } ? Deserialize(state.Facts) : null;

        Dictionary<string, FileFacts> facts;
        var read = 0;
        if (previous is not null && state!.CommitSha == tip) facts = previous;
        else if (previous is not null && reader.ChangedFiles(path, state!.CommitSha, tip) is { } changes)
        {
            facts = previous;
            foreach (var deleted in changes.Deleted) facts.Remove(deleted);
            read = ReadFacts(path, changes.Changed, facts, ct);
        }
        else
        {
            facts = new Dictionary<string, FileFacts>(StringComparer.Ordinal);
            var files = reader.FileIds(path, tip, MaxFiles) ?? [];
            read = ReadFacts(path, files, facts, ct);
        }

        var sources = await SourcesAsync(repo, facts.GetValueOrDefault(ResourceMetadataParser.FileName), ct);
        var stamp = string.Join(';', sources.Select(s => $"{s.Kind}:{s.Reference}:{s.State}:{string.Join(',', s.Licences)}"));
        if (state is not null && state.CommitSha == tip && state.RulesVersion == LicenceReport.RulesVersion && state.InputsStamp == stamp) return;

        var report = LicenceChecker.Check(facts.Values, sources, tip, clock.GetUtcNow());
        report = report with { Files = report.Files with { Read = read } };
        await compliance.SaveLicenceReportAsync(repositoryId, report, stamp, Serialize(facts), ct);
        log.LogInformation("Checked licences of repository {Id} at {Commit}: {Status}, {Findings} findings, {Read} files read of {Files}",
            repositoryId, tip, report.Status, report.Findings.Count, read, facts.Count);
    }

    /// <summary>Reads the facts of <paramref name="files"/> into <paramref name="facts"/>; returns how many blobs were read.</summary>
    private int ReadFacts(string repoPath, IEnumerable<FileEntry> files, Dictionary<string, FileFacts> facts, CancellationToken ct)
    {
        var count = 0;
        reader.ReadBlobsById(repoPath, files, f => FileFactsReader.BytesToRead(FileFactsReader.RoleOf(f.Path)), MaxReadBytes, (file, blob) =>
        {
            count++;
            facts[file.Path] = FileFactsReader.Read(file.Path, file.BlobId, blob.Bytes, blob.IsBinary);
        }, ct);
        return count;
    }

    /// <summary>
    /// The resources this repository adapts: its fork parent (when forks exist) and the <c>based_on</c> of its resource.yml,
    /// each with the licences it states. A private or missing source is « not found », so nothing about it leaks.
    /// </summary>
    private async Task<IReadOnlyList<SourceCheck>> SourcesAsync(RepositorySnapshot repo, FileFacts? resource, CancellationToken ct)
    {
        var sources = new List<SourceCheck>();
        if (await compliance.ForkParentAsync(repo.Id, ct) is { } parentId)
        {
            var parent = await directory.FindAsync(parentId, ct);
            sources.Add(await DescribeAsync(SourceCheck.Fork, parent is null ? $"#{parentId}" : $"{parent.Owner}/{parent.Name}", parent, ct));
        }
        if (resource?.BasedOn is { Length: > 0 } basedOn)
        {
            if (basedOn.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || basedOn.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                sources.Add(new SourceCheck(SourceCheck.BasedOn, basedOn, SourceCheck.External, []));
            else
            {
                var parts = basedOn.Trim().Trim('/').Split('/');
                var found = parts.Length == 2 ? await compliance.FindByNameAsync(parts[0], parts[1], ct) : null;
                sources.Add(await DescribeAsync(SourceCheck.BasedOn, basedOn.Trim(), found?.Id == repo.Id ? null : found, ct));
            }
        }
        return sources;
    }

    private async Task<SourceCheck> DescribeAsync(string kind, string reference, RepositorySnapshot? source, CancellationToken ct)
    {
        if (source is null || source.IsPrivate || !store.Exists(source.Id)) return new SourceCheck(kind, reference, SourceCheck.NotFound, []);
        var path = store.PathOf(source.Id);
        var tip = reader.BranchTip(path, source.DefaultBranch);
        if (tip is null) return new SourceCheck(kind, reference, SourceCheck.Found, []);
        // The source's own report when it is current (it knows REUSE repositories' licences); else its root statements, read now.
        var state = await compliance.LicenceStateAsync(source.Id, ct);
        IReadOnlyList<string> licences;
        if (state is not null && state.CommitSha == tip && state.RulesVersion == LicenceReport.RulesVersion) licences = state.Licences;
        else
        {
            var root = (reader.ListTree(path, tip, "") ?? [])
                .Where(e => e.Kind == TreeEntryKind.File && FileFactsReader.RoleOf(e.Path) is FileRole.LicenceFile or FileRole.ResourceYml or FileRole.Readme)
                .Select(e => new FileEntry(e.Path, e.ObjectId)).ToList();
            var facts = new Dictionary<string, FileFacts>(StringComparer.Ordinal);
            ReadFacts(path, root, facts, ct);
            licences = LicenceChecker.MainLicences(facts.Values);
        }
        return new SourceCheck(kind, $"{source.Owner}/{source.Name}", SourceCheck.Found, licences);
    }

    private static byte[] Serialize(Dictionary<string, FileFacts> facts)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            JsonSerializer.Serialize(gzip, facts.Values, Json);
        return buffer.ToArray();
    }

    private static Dictionary<string, FileFacts>? Deserialize(byte[] bytes)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var list = JsonSerializer.Deserialize<List<FileFacts>>(gzip, Json);
            return list?.ToDictionary(f => f.Path, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }
}
