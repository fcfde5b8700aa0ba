using Forge.Git;
using Forge.Jobs;

namespace Forge.Web.Modules.Exports;

/// <summary>Module exports (SCORM 1.2, IMS Common Cartridge 1.1, offline HTML): the job's port, storage, catalogue. One line in <see cref="ForgeApp"/>.</summary>
public static class ExportsSetup
{
    public static IServiceCollection AddModuleExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ModuleExportOptions.From(configuration));
        services.AddSingleton<ExportStore>();
        services.AddSingleton<ModulePackageBuilder>();
        services.AddScoped<ModuleExporter>();
        services.AddScoped<IModuleExporter>(sp => sp.GetRequiredService<ModuleExporter>());
        services.AddScoped<ModuleExportCatalog>();
        return services;
    }
}

/// <summary>One export of one version: its format, where it stands, its URL.</summary>
public sealed record ExportLink(string Format, string Label, ExportState State, string Url);

/// <summary>A version of a module that can be exported: the default branch's tip, or a tag.</summary>
public sealed record ExportVersion(string Ref, bool IsTag, string Commit, IReadOnlyList<ExportLink> Exports);

/// <summary>
/// What a repository offers to export: the latest version of its default branch and every tag whose commit has a
/// <c>module.yml</c> (newest tags first, at most <see cref="MaxTags"/>), each with its three download links. Also answers
/// a download: resolves the ref, and either hands the file or asks for its build.
/// </summary>
public sealed class ModuleExportCatalog(GitReader reader, ExportStore store, ModuleExportRequests requests)
{
    public const int MaxTags = 50;

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [ModuleExportFormats.Scorm] = "SCORM 1.2",
        [ModuleExportFormats.CommonCartridge] = "IMS Common Cartridge 1.1",
        [ModuleExportFormats.Html] = "HTML hors ligne",
    };

    public static string Url(string owner, string repo, string format, string reference) =>
        $"/{owner}/{repo}/export/{format}/{Rendering.MarkdownRenderer.EncodePath(reference)}{ModuleExportFormats.Extension(format)}";

    /// <summary>The versions to offer; empty when the default branch has no module.</summary>
    public IReadOnlyList<ExportVersion> Versions(Data.RepositoryEntity repository, string owner, string gitPath)
    {
        var versions = new List<ExportVersion>();
        var tip = reader.BranchTip(gitPath, repository.DefaultBranch);
        if (tip is not null && HasModule(gitPath, tip)) versions.Add(Version(repository, owner, repository.DefaultBranch, false, tip));
        foreach (var tag in reader.Tags(gitPath).OrderByDescending(t => t, StringComparer.Ordinal).Take(MaxTags))
        {
            if (reader.Resolve(gitPath, tag.Split('/')) is not { IsBranch: false, Path.Length: 0 } resolved) continue;
            if (HasModule(gitPath, resolved.CommitSha)) versions.Add(Version(repository, owner, tag, true, resolved.CommitSha));
        }
        return versions;
    }

    private ExportVersion Version(Data.RepositoryEntity repository, string owner, string reference, bool isTag, string commit) =>
        new(reference, isTag, commit, ModuleExportFormats.All.Select(f =>
            new ExportLink(f, Labels[f], store.State(repository.Id, commit, f), Url(owner, repository.Name, f, reference))).ToList());

    public bool HasModule(string gitPath, string commit) => reader.BlobHeader(gitPath, commit, ModuleExporter.ModuleFile) is not null;

    /// <summary>Whether the repository is a module now (its default branch has a <c>module.yml</c>): pages then link to its exports.</summary>
    public bool IsModule(Data.RepositoryEntity repository, string gitPath) =>
        reader.BranchTip(gitPath, repository.DefaultBranch) is { } tip && HasModule(gitPath, tip);

    /// <summary>Where a download stands; queues the build of an export never asked for (or lost).</summary>
    public ExportState Prepare(long repositoryId, string commit, string format)
    {
        var state = store.State(repositoryId, commit, format);
        if (state != ExportState.Missing) return state;
        store.MarkQueued(repositoryId, commit, format);
        requests.Request(repositoryId, commit, format);
        return ExportState.Queued;
    }

    /// <summary>The name of a downloaded file: <c>cours-python-v1.2-scorm.zip</c>.</summary>
    public static string FileName(string repo, ResolvedPath resolved, string format)
    {
        var label = resolved.Ref == resolved.CommitSha ? resolved.CommitSha[..10] : resolved.Ref.Replace('/', '-');
        return $"{repo}-{label}-{format}{ModuleExportFormats.Extension(format)}";
    }
}
