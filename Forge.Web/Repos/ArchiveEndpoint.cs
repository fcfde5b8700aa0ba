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
        var ext = spec is null ? null : GitCliReader.ArchiveFormats.Keys.FirstOrDefault(e => spec.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        if (entity is null || !RepositoryService.CanRead(entity, viewer) || ext is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var refName = spec![..^ext.Length];
        var path = services.GetRequiredService<RepositoryStore>().PathOf(entity.Id);
        var resolved = services.GetRequiredService<GitReader>().Resolve(path, refName.Split('/'));
        if (resolved is null || resolved.Path.Length > 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var label = resolved.Ref == resolved.CommitSha ? resolved.CommitSha[..10] : resolved.Ref.Replace('/', '-');
        var prefix = $"{entity.Name}-{label}";
        var response = context.Response;
        response.ContentType = ext == ".zip" ? "application/zip" : "application/gzip";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(prefix + ext);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = entity.IsPrivate ? "private, no-store" : "public, max-age=300";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await services.GetRequiredService<GitCliReader>().ArchiveAsync(path, resolved.CommitSha, GitCliReader.ArchiveFormats[ext], prefix, response.Body, context.RequestAborted);
    }
}
