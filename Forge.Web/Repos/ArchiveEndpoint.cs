using Forge.Git;
using Microsoft.AspNetCore.Http.Features;

namespace Forge.Web.Repos;

/// <summary><c>/{owner}/{repo}/archive/{ref}.zip</c> and <c>.tar.gz</c>: made by <c>git archive</c> and streamed as produced.</summary>
public static class ArchiveEndpoint
{
    public static void MapArchive(this IEndpointRouteBuilder app) =>
        app.MapGet("/{owner}/{repo}/archive/{**spec}", ServeAsync).ExcludeFromDescription();

    private static async Task ServeAsync(HttpContext context, string owner, string repo, string? spec)
    {
        var services = context.RequestServices;
        var viewer = await context.ViewerAsync();
        var entity = await services.GetRequiredService<RepositoryService>().FindAsync(owner, repo, context.RequestAborted);
        if (entity is null || !RepositoryService.CanRead(entity, viewer) || spec is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var path = services.GetRequiredService<RepositoryStore>().PathOf(entity.Id);
        if (!await StreamAsync(context, entity, path, spec, viewer)) context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary>
    /// Streams the archive <paramref name="spec"/> names (<c>main.zip</c>, <c>feature/x.tar.gz</c>, <c>v1.tar.gz</c>), or
    /// returns false, having written nothing, when its ref or format is unknown. Shared with the API; the caller has
    /// checked read access. Teacher-only files and folders are left out for whoever is not a teacher
    /// (<see cref="TeacherOnlyFilter"/>), and then the archive is never kept by a shared cache.
    /// </summary>
    public static async Task<bool> StreamAsync(HttpContext context, Data.RepositoryEntity entity, string path, string spec, Viewer viewer)
    {
        var services = context.RequestServices;
        var ext = GitCliReader.ArchiveFormats.Keys.FirstOrDefault(e => spec.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        var resolved = ext is null ? null : services.GetRequiredService<GitReader>().Resolve(path, spec[..^ext.Length].Split('/'));
        if (resolved is null || resolved.Path.Length > 0) return false;
        var label = resolved.Ref == resolved.CommitSha ? resolved.CommitSha[..10] : resolved.Ref.Replace('/', '-');
        var prefix = $"{entity.Name}-{label}";
        var reader = services.GetRequiredService<GitReader>();
        var hidden = services.GetRequiredService<TeacherOnlyFilter>().At(path, resolved.CommitSha);
        var excluded = hidden.IsEmpty || TeacherOnlyFilter.CanSee(entity, viewer) ? []
            : hidden.Excluded((reader.ListFiles(path, resolved.CommitSha, 100_000) ?? []).Select(f => f.Path));
        var response = context.Response;
        response.ContentType = ext == ".zip" ? "application/zip" : "application/gzip";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(prefix + ext);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = !RepositoryService.IsPublicToAll(entity) || !hidden.IsEmpty ? "private, no-store" : "public, max-age=300";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await services.GetRequiredService<GitCliReader>().ArchiveAsync(path, resolved.CommitSha, GitCliReader.ArchiveFormats[ext!], prefix, response.Body, context.RequestAborted, excluded);
        return true;
    }
}
