using System.Text;
using Forge.Core.Modules;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Forge.Web.Sites;

namespace Forge.Web.Modules.Exports;

/// <summary>Limits of module exports (<c>exports:max_bytes</c>, default 200 Mio: the files of one package, before compression).</summary>
public sealed record ModuleExportOptions(long MaxBytes)
{
    public const long DefaultMaxBytes = 200L * 1024 * 1024;

    public static ModuleExportOptions From(IConfiguration config) =>
        new(long.TryParse(config["exports:max_bytes"], out var max) && max > 0 ? max : DefaultMaxBytes);
}

/// <summary>
/// Builds a module's exports from git (no work tree): reads <c>module.yml</c> at the commit with <see cref="ModuleParser"/>,
/// renders the package (<see cref="ModulePackageBuilder"/>), leaves teacher-only files out (<c>teacher_only</c> of
/// <c>resource.yml</c>, as course sites do), adds the format's manifest and publishes the zip. A module with errors, or over
/// the size limit, gets a failed record whose French errors the download page and the API show.
/// </summary>
public sealed class ModuleExporter(IRepositoryDirectory directory, RepositoryStore repositories, GitReader reader, ModulePackageBuilder builder,
    TeacherOnlyFilter teacherOnlyFilter, ExportStore exports, ModuleExportOptions options, ILogger<ModuleExporter> log) : IModuleExporter
{
    public const string ModuleFile = "module.yml";
    private const long MaxModuleFileBytes = 1024 * 1024;

    /// <summary>Whether the repository has a module at <paramref name="commit"/>.</summary>
    public bool HasModule(string gitPath, string commit) => reader.BlobHeader(gitPath, commit, ModuleFile) is not null;

    public string? ModuleCommitOfTag(long repositoryId, string tag)
    {
        if (!repositories.Exists(repositoryId)) return null;
        var gitPath = repositories.PathOf(repositoryId);
        var resolved = reader.Resolve(gitPath, tag.Split('/'));
        return resolved is { IsBranch: false, Path.Length: 0 } && HasModule(gitPath, resolved.CommitSha) ? resolved.CommitSha : null;
    }

    public async Task BuildAsync(long repositoryId, string commit, string format, CancellationToken ct)
    {
        try
        {
            await BuildExportAsync(repositoryId, commit, format, ct);
        }
        finally
        {
            // Deleted while this export was built: what it wrote goes too (RepositoryLeftoversJob sweeps again later).
            if (!repositories.Exists(repositoryId)) exports.DeleteRepository(repositoryId);
        }
    }

    private async Task BuildExportAsync(long repositoryId, string commit, string format, CancellationToken ct)
    {
        if (exports.State(repositoryId, commit, format) is ExportState.Ready or ExportState.Failed) return;
        if (exports.FilePath(repositoryId, commit, format) is null) return;
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || !repositories.Exists(repositoryId)) return;
        var gitPath = repositories.PathOf(repositoryId);
        var started = DateTimeOffset.UtcNow;
        ExportRecord Failed(IReadOnlyList<string> errors, IReadOnlyList<string> notices) => new(format, commit, DateTimeOffset.UtcNow, false, errors, notices, 0);
        var temporary = exports.TemporaryPath(repositoryId, commit, format);
        try
        {
            if (ReadText(gitPath, commit, ModuleFile) is not { } yaml)
            {
                exports.Fail(repositoryId, Failed(["Ce commit n’a pas de fichier module.yml à la racine du dépôt : ce n’est pas un module de formation."], []));
                return;
            }
            // Teacher-only files named by module.yml are errors of the module (as on its web pages); those a page merely links to
            // are left out of the package by the builder.
            var teacherOnly = teacherOnlyFilter.At(gitPath, commit);
            var parsed = ModuleParser.Parse(yaml, path => reader.BlobHeader(gitPath, commit, path) is null ? null : ReadText(gitPath, commit, path) ?? "", teacherOnly.IsHidden);
            if (parsed.Module is not { } module || parsed.Errors.Count > 0)
            {
                exports.Fail(repositoryId, Failed(parsed.Errors.Select(e => e.ToString()).DefaultIfEmpty("module.yml : le module n’a pas pu être lu.").ToList(), []));
                return;
            }
            var files = new ModuleFiles(path => ReadBytes(gitPath, commit, path), teacherOnly.IsHidden);
            var origin = new ModuleOrigin(repo.Owner, repo.Name, commit, Label(gitPath, commit));
            var package = builder.Build(module, origin, files, options.MaxBytes, navigation: format == ModuleExportFormats.Html);
            PackageWriter.AddFormatFiles(package, format, options.MaxBytes);
            PackageWriter.WriteZip(package, temporary);
            var bytes = new FileInfo(temporary).Length;
            exports.Publish(repositoryId, temporary, new ExportRecord(format, commit, DateTimeOffset.UtcNow, true, [], package.Notices.Distinct().ToList(), bytes));
            log.LogInformation("Module export {Format} of repository {Id} at {Commit}: {Sections} sections, {Bytes} bytes, {Ms} ms",
                format, repositoryId, commit[..7], package.Sections.Count, bytes, (DateTimeOffset.UtcNow - started).TotalMilliseconds);
        }
        catch (ExportTooLargeException e)
        {
            exports.Fail(repositoryId, Failed([e.Message], []));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Module export {Format} of repository {Id} at {Commit} crashed", format, repositoryId, commit);
            exports.Fail(repositoryId, Failed(["Erreur interne de Forge pendant la construction de l’export. Signalez-la à l’administrateur."], []));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>How an export names its version: the tags on the commit, else the commit's short id.</summary>
    private string Label(string gitPath, string commit)
    {
        var tags = reader.Tags(gitPath).Where(t => reader.Resolve(gitPath, t.Split('/')) is { IsBranch: false } r && r.CommitSha == commit).Take(3).ToList();
        return tags.Count > 0 ? string.Join(", ", tags) : commit[..10];
    }

    private string? ReadText(string gitPath, string commit, string path)
    {
        var blob = reader.ReadBlob(gitPath, commit, path, MaxModuleFileBytes + 1);
        if (blob is null || blob.IsBinary || blob.Size > MaxModuleFileBytes) return null;
        return Encoding.UTF8.GetString(blob.Bytes).TrimStart('\uFEFF');
    }

    private byte[]? ReadBytes(string gitPath, string commit, string path)
    {
        if (!GitReader.IsSafePath(path) || path.Length == 0) return null;
        var header = reader.BlobHeader(gitPath, commit, path);
        if (header is null) return null;
        if (header.Value.Size > options.MaxBytes)
            throw new ExportTooLargeException($"« {path} » pèse {ModulePackage.Size(header.Value.Size)} : plus que la taille maximale d’un export ({ModulePackage.Size(options.MaxBytes)}). Donnez-le par un lien.");
        return reader.ReadBlob(gitPath, commit, path, header.Value.Size)?.Bytes;
    }
}
