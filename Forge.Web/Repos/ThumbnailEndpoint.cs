using Forge.Git;
using Forge.Jobs.Images;

namespace Forge.Web.Repos;

/// <summary>
/// <c>/{owner}/{repo}/thumbnail/{ref}/{path}?w=640</c>: a reduced WebP copy of a raster image, made by a background
/// job and named by blob id. Until it exists (or when the image is small, refused or not raster) the answer is a
/// redirect to the raw file, so an image is always shown. Same permission checks as raw files.
/// </summary>
public static class ThumbnailEndpoint
{
    public static void MapThumbnails(this IEndpointRouteBuilder app) =>
        app.MapGet("/{owner}/{repo}/thumbnail/{**rest}", ServeAsync).ExcludeFromDescription();

    /// <summary>Thumbnail URL of an image at <paramref name="refName"/>/<paramref name="path"/> (both unencoded).</summary>
    public static string Url(string owner, string repo, string refName, string path, int width) =>
        $"/{owner}/{repo}/thumbnail/{Rendering.MarkdownRenderer.EncodePath(refName)}/{Rendering.MarkdownRenderer.EncodePath(path)}?w={width}";

    /// <summary><c>srcset</c> value for the widths thumbnails are made in, plus the original as the largest candidate.</summary>
    public static string SrcSet(string owner, string repo, string refName, string path) =>
        string.Join(", ", ThumbnailStore.Widths.Select(w => $"{Url(owner, repo, refName, path, w)} {w}w"));

    private static async Task<IResult> ServeAsync(HttpContext context, string owner, string repo, string? rest)
    {
        var services = context.RequestServices;
        var viewer = await context.ViewerAsync();
        var entity = await services.GetRequiredService<RepositoryService>().FindAsync(owner, repo, context.RequestAborted);
        if (entity is null || !RepositoryService.CanRead(entity, viewer)) return Results.NotFound();
        var gitPath = services.GetRequiredService<RepositoryStore>().PathOf(entity.Id);
        var reader = services.GetRequiredService<GitReader>();
        var resolved = reader.Resolve(gitPath, (rest ?? "").Split('/'));
        if (resolved is null || resolved.Path.Length == 0) return Results.NotFound();
        var teacherOnly = services.GetRequiredService<TeacherOnlyFilter>().At(gitPath, resolved.CommitSha).IsHidden(resolved.Path);
        if (teacherOnly && !TeacherOnlyFilter.CanSee(entity, viewer)) return Results.NotFound();
        // Never in a shared cache: a private repository's image, or a teacher-only one.
        var shareable = RepositoryService.IsPublicToAll(entity) && !teacherOnly;
        var blobId = reader.BlobIdAt(gitPath, resolved.CommitSha, resolved.Path);
        if (blobId is null) return Results.NotFound();

        var raw = $"/{entity.Owner.UserName}/{entity.Name}/raw/{Rendering.MarkdownRenderer.EncodePath(resolved.Ref)}/{Rendering.MarkdownRenderer.EncodePath(resolved.Path)}";
        var store = services.GetRequiredService<ThumbnailStore>();
        var width = int.TryParse(context.Request.Query["w"], out var w) ? Math.Clamp(w, 1, 4096) : ThumbnailStore.Widths[^1];
        if (!ThumbnailStore.IsThumbnailable(resolved.Path) || store.IsRefused(blobId)) return Redirect(context, raw, !shareable);
        if (store.Info(blobId) is not { } info)
        {
            services.GetRequiredService<IThumbnailQueue>().Request(entity.Id, blobId);
            return Redirect(context, raw, !shareable);
        }
        if (store.Best(blobId, info, width) is not { } file) return Redirect(context, raw, !shareable);

        var headers = context.Response.Headers;
        var etag = $"\"{blobId}-{Path.GetFileNameWithoutExtension(file)[^4..]}\"";
        headers.ETag = etag;
        headers.CacheControl = !shareable ? "private, no-store"
            : resolved.Ref == resolved.CommitSha ? "public, max-age=31536000, immutable" : "public, no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.File(file, "image/webp");
    }

    /// <summary>Temporary: the thumbnail may exist on the next request.</summary>
    private static IResult Redirect(HttpContext context, string raw, bool isPrivate)
    {
        context.Response.Headers.CacheControl = isPrivate ? "private, no-store" : "no-cache";
        return Results.Redirect(raw, permanent: false);
    }
}
