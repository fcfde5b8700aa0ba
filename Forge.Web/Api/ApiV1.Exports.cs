using Forge.Web.Modules.Exports;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>A training module's exports through the API (Forge's own: Gitea has no such operation).</summary>
public static partial class ApiV1
{
    /// <summary>One export of a version; <c>status</c>: <c>ready</c>, <c>queued</c>, <c>failed</c> or <c>missing</c>.</summary>
    public sealed record ApiModuleExport(string Format, string Label, string Status, IReadOnlyList<string> Errors, string Url);

    /// <summary>A version of the module (the default branch's latest, or a tag) and its exports.</summary>
    public sealed record ApiModuleExportVersion(string Ref, bool Tag, string Commit, List<ApiModuleExport> Exports);

    public sealed record ApiModuleExports(List<ApiModuleExportVersion> Versions);

    private static void MapModuleExports(RouteGroupBuilder api) =>
        api.MapGet("/repos/{owner}/{repo}/module/exports", GetModuleExports)
            .WithName("forgeGetModuleExports")
            .WithSummary("Forge's own: the exports of a training module (a repository with `module.yml`) for Moodle-based platforms.")
            .WithDescription("`versions`: the default branch's latest version, then every tag whose commit has a `module.yml` (newest first), each with `ref`, " +
                "`tag`, `commit` and `exports` — one per format (`scorm`: SCORM 1.2 zip, `imscc`: IMS Common Cartridge 1.1, `html`: offline HTML zip) with `status` " +
                "(`ready`, `queued`, `failed`, `missing`: never asked for), `errors` (French) and `url`. The files are downloaded from the web URLs " +
                "`/{owner}/{repo}/export/scorm/{ref}.zip`, `/{owner}/{repo}/export/imscc/{ref}.imscc` and `/{owner}/{repo}/export/html/{ref}.zip` " +
                "({ref}: tag, branch or commit; same authentication as the API): 200 with the file when built, 202 and a waiting page while it is built " +
                "(the first request queues it; tags are built when pushed), 422 with the errors when the module cannot be exported. 404 when the repository " +
                "is not readable or has no module.")
            .Produces<ApiModuleExports>();

    private static async Task<IResult> GetModuleExports(HttpContext context, string owner, string repo, RepositoryService repositories,
        ModuleExportCatalog catalog, ExportStore store)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var versions = catalog.Versions(r!.Repository, r.Owner, r.GitPath);
        if (versions.Count == 0) return Error(StatusCodes.Status404NotFound, "Ce dépôt n’a pas de module de formation (module.yml) sur sa branche par défaut.", context.Request);
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        return Results.Json(new ApiModuleExports(versions.Select(v => new ApiModuleExportVersion(v.Ref, v.IsTag, v.Commit, v.Exports.Select(e => new ApiModuleExport(
            e.Format, e.Label,
            e.State switch { ExportState.Ready => "ready", ExportState.Queued => "queued", ExportState.Failed => "failed", _ => "missing" },
            e.State == ExportState.Failed ? store.Record(r.Repository.Id, v.Commit, e.Format)?.Errors ?? [] : [],
            origin + e.Url)).ToList())).ToList()), ApiModels.Json);
    }
}
