using Forge.Git;
using Microsoft.AspNetCore.StaticFiles;

namespace Forge.Web.Repos;

/// <summary>
/// <c>/{owner}/{repo}/raw/{ref}/{path}</c>: the bytes of a file. Served so a browser never runs user content as
/// a page of Forge's origin: active types are sent as plain text, and a sandboxing CSP covers everything else.
/// </summary>
public static class RawEndpoint
{
    private static readonly FileExtensionContentTypeProvider Types = new() { Mappings = { [".vtt"] = "text/vtt" } };
    private static readonly HashSet<string> ActiveTypes =
        ["text/html", "application/xhtml+xml", "text/javascript", "application/javascript", "application/xml", "text/xml"];

    /// <summary>GET, and HEAD for the headers alone (<c>curl -I</c>, link checkers): Kestrel sends no body to a HEAD.</summary>
    public static void MapRaw(this IEndpointRouteBuilder app) =>
        app.MapMethods("/{owner}/{repo}/raw/{**rest}", [HttpMethods.Get, HttpMethods.Head], ServeAsync).ExcludeFromDescription();

    private static async Task<IResult> ServeAsync(HttpContext context, string owner, string repo, string? rest)
    {
        var services = context.RequestServices;
        var viewer = await context.ViewerAsync();
        var repositories = services.GetRequiredService<RepositoryService>();
        var entity = await repositories.FindAsync(owner, repo, context.RequestAborted);
        if (entity is null && await repositories.FindRedirectAsync(owner, repo, context.RequestAborted) is { } moved && RepositoryService.CanRead(moved, viewer))
            return Results.Redirect(RepositoryService.MovedUrl(context.Request, moved), permanent: true);
        if (entity is null || !RepositoryService.CanRead(entity, viewer)) return Results.NotFound();
        var path = services.GetRequiredService<RepositoryStore>().PathOf(entity.Id);
        var resolved = services.GetRequiredService<GitReader>().Resolve(path, (rest ?? "").Split('/'));
        if (resolved is null || resolved.Path.Length == 0) return Results.NotFound();
        return Serve(context, entity, path, resolved, viewer) ?? Results.NotFound();
    }

    /// <summary>
    /// The file at <paramref name="resolved"/> with the safe headers above, or null when no file is there. Shared with
    /// the API's <c>raw</c> and <c>media</c> endpoints; the caller has checked read access. A teacher-only file is no file
    /// for whoever is not a teacher (<see cref="TeacherOnlyFilter"/>).
    /// </summary>
    public static IResult? Serve(HttpContext context, Data.RepositoryEntity entity, string path, ResolvedPath resolved, Viewer viewer)
    {
        var hidden = context.RequestServices.GetRequiredService<TeacherOnlyFilter>().At(path, resolved.CommitSha);
        var teacherOnly = hidden.IsHidden(resolved.Path);
        if (teacherOnly && !TeacherOnlyFilter.CanSee(entity, viewer)) return null;
        var blob = context.RequestServices.GetRequiredService<GitReader>().OpenBlob(path, resolved.CommitSha, resolved.Path);
        if (blob is null) return null;
        context.Response.RegisterForDispose(blob);
        var etag = $"\"{blob.ObjectId}\"";

        var fileName = resolved.Path[(resolved.Path.LastIndexOf('/') + 1)..];
        var type = SafeContentType(fileName);
        var headers = context.Response.Headers;
        if (type == "application/pdf")
        {
            // Framed by Forge's own file page only. Chromium refuses to show a PDF in a sandboxed document and draws it
            // through an internal <embed> (object-src) with inline styles: those alone are allowed, scripts stay forbidden.
            headers.ContentSecurityPolicy = PdfPolicy;
            headers.XFrameOptions = "SAMEORIGIN";
        }
        else headers.ContentSecurityPolicy = SandboxPolicy;
        // A teacher-only file is never kept by a shared cache (a proxy would give it to the next visitor).
        headers.CacheControl = !RepositoryService.IsPublicToAll(entity) || teacherOnly ? "private, no-store"
            : resolved.Ref == resolved.CommitSha ? "public, max-age=31536000, immutable" : "public, max-age=60";
        headers.ETag = etag;
        // The content is named by its blob id: a client that has it already gets 304 without a byte.
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(fileName);
        headers.ContentDisposition = disposition.ToString();
        // Ranges let a video be sought without downloading it whole (the blob stream is seekable when in memory).
        return Results.Stream(blob.Content, type, enableRangeProcessing: blob.Content.CanSeek);
    }

    /// <summary>The policy of user files served from Forge's origin: nothing runs, even opened directly.</summary>
    public const string SandboxPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    /// <summary>The policy of PDF files: shown in a frame of Forge's file page, without the sandbox Chromium's viewer refuses, and no script.</summary>
    public const string PdfPolicy = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'";

    /// <summary>The type a user file is served with: its own, except that anything a browser could run as a page is plain text.</summary>
    public static string SafeContentType(string fileName)
    {
        if (!Types.TryGetContentType(fileName, out var type)) type = "application/octet-stream";
        // WebVTT keeps its type: <track> captions of a video need it (it cannot run anything).
        if (type != "text/vtt" && (ActiveTypes.Contains(type) || type.StartsWith("text/", StringComparison.Ordinal) || IsTextual(fileName)))
            type = "text/plain; charset=utf-8";
        return type;
    }

    private static bool IsTextual(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() is ".py" or ".md" or ".yml" or ".yaml" or ".ipynb" or ".c" or ".h" or ".java" or ".sql" or ".sh" or ".toml" or ".ini" or ".cfg";
}
