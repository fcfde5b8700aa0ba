using Forge.Git;
using Forge.Jobs;
using Forge.Web.Modules.Exports;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// <c>/{owner}/{repo}/export/{scorm|html}/{ref}.zip</c>, <c>/export/imscc/{ref}.imscc</c>: the module's export at that ref
/// (tag, branch or commit, resolved to a commit). Built: the file. Never built: its build is queued and a small page says
/// « Export en préparation » (202, reloads itself, no JavaScript). Failed: the errors, in French (422). Readers only.
/// </summary>
public sealed class ExportModel(GitReader reader, ExportStore store, ModuleExportCatalog catalog) : RepoPageModel
{
    public string Format { get; private set; } = "";
    public string Reference { get; private set; } = "";
    public ExportState State { get; private set; }
    public ExportRecord? Record { get; private set; }
    public int Waited { get; private set; }
    /// <summary>The waiting page reloads itself: every 2 s at first, then every 5 s.</summary>
    public int RefreshSeconds => Waited < 10 ? 2 : 5;
    public string RefreshUrl => $"{Request.PathBase}{Request.Path}?attente={Waited + 1}";

    public IActionResult OnGet(string format, string? spec, int attente = 0)
    {
        if (!ModuleExportFormats.All.Contains(format) || spec is null) return NotFound();
        var extension = ModuleExportFormats.Extension(format);
        if (!spec.EndsWith(extension, StringComparison.OrdinalIgnoreCase) || spec.Length == extension.Length) return NotFound();
        var resolved = reader.Resolve(Repo.GitPath, spec[..^extension.Length].Split('/'));
        if (resolved is null || resolved.Path.Length > 0 || !catalog.HasModule(Repo.GitPath, resolved.CommitSha)) return NotFound();
        (Format, Reference, Waited) = (format, resolved.Ref, Math.Clamp(attente, 0, 1000));
        State = catalog.Prepare(Repo.Repository.Id, resolved.CommitSha, format);
        Record = store.Record(Repo.Repository.Id, resolved.CommitSha, format);
        switch (State)
        {
            case ExportState.Ready:
                Response.Headers.CacheControl = RepositoryService.IsPublicToAll(Repo.Repository) ? "public, max-age=300" : "private, no-store";
                return PhysicalFile(store.FilePath(Repo.Repository.Id, resolved.CommitSha, format)!,
                    "application/zip",
                    ModuleExportCatalog.FileName(Repo.Name, resolved, format));
            case ExportState.Failed:
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
            default:
                Response.StatusCode = StatusCodes.Status202Accepted;
                return Page();
        }
    }
}
