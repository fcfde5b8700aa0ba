using System.IO.Compression;
using Forge.Git;
using Forge.Web.Api;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Classroom;

public static class ClassroomSetup
{
    /// <summary>Classes and assignments: the service, the automatic checks of the copies, and the first-sign-in password filter.</summary>
    public static IServiceCollection AddClassroom(this IServiceCollection services)
    {
        services.AddScoped<ClassroomService>();
        services.AddScoped<IAssignmentChecks, CommitStatusAssignmentChecks>();
        services.AddScoped<Checks.IFixedTestsSource, AssignmentFixedTests>();
        services.Configure<MvcOptions>(o => o.Filters.Add(new MustChangePasswordFilter()));
        return services;
    }

    /// <summary>
    /// <c>/{class}/-/assignments/{id}/submissions.zip</c> (the dashboard's link) and <c>/api/v1/assignments/{id}/submissions.zip</c>
    /// (the same for scripts, with a token, in the OpenAPI description): every copy's default branch, one folder per student, streamed.
    /// </summary>
    public static void MapClassroom(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/-/assignments/{id:long}/submissions.zip", (HttpContext context, string group, long id) => SubmissionsZipAsync(context, group, id))
            .ExcludeFromDescription();
        app.MapGet("/api/v1/assignments/{id:long}/submissions.zip", (HttpContext context, long id) => SubmissionsZipAsync(context, null, id))
            .WithName("assignmentSubmissionsArchive").WithTags("classroom")
            .WithSummary("Forge's own (the class's teachers; the dashboard's « Télécharger tous les rendus » at `/{class}/-/assignments/{id}/submissions.zip`): every copy's default branch in one zip, a folder per pupil (`equipe-{team}` for team work), files over 20 Mio left out and listed in `LISEZMOI.txt`; 404 (no body) for anyone else.")
            .ProducesContent("application/zip");
    }

    /// <summary>The folder of a copy in the archive: the student's user name, or <c>equipe-{team}</c> for team work.</summary>
    private static string Folder(AssignmentCopy copy) => copy.TeamName is { } team ? "equipe-" + ClassroomService.Slug(team, 30) : copy.Student.UserName!;

    /// <summary>A file larger than this is left out of the archive (named in <c>LISEZMOI.txt</c>).</summary>
    public const long MaxFileBytes = 20 * 1024 * 1024;

    private static async Task SubmissionsZipAsync(HttpContext context, string? group, long id)
    {
        var services = context.RequestServices;
        var viewer = await context.ViewerAsync();
        var classes = services.GetRequiredService<ClassroomService>();
        var a = await classes.FindAssignmentAsync(id, context.RequestAborted);
        if (a is null || group is not null && !string.Equals(a.Class.UserName, group, StringComparison.OrdinalIgnoreCase) || !ClassroomService.IsTeacherOf(a.Class, viewer))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var copies = await services.GetRequiredService<ForgeDbContext>().AssignmentCopies.AsNoTracking().Include(c => c.Repository).Include(c => c.Student)
            .Where(c => c.AssignmentId == a.Id).OrderBy(c => c.Student.UserName).ToListAsync(context.RequestAborted);
        var store = services.GetRequiredService<RepositoryStore>();
        var reader = services.GetRequiredService<GitReader>();
        var response = context.Response;
        response.ContentType = "application/zip";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"{a.Class.UserName}-{a.Slug}.zip");
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "private, no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // ZipArchive writes synchronously; this response alone may, and it goes out entry by entry (never whole in memory).
        if (context.Features.Get<IHttpBodyControlFeature>() is { } control) control.AllowSynchronousIO = true;
        var skipped = new List<string>();
        using (var zip = new ZipArchive(response.Body, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var copy in copies)
            {
                context.RequestAborted.ThrowIfCancellationRequested();
                var path = store.PathOf(copy.RepositoryId);
                var tip = reader.BranchTip(path, copy.Repository.DefaultBranch);
                if (tip is null) continue;
                foreach (var file in reader.ListFiles(path, tip, 10_000) ?? [])
                {
                    var name = $"{Folder(copy)}/{file.Path}";
                    if (file.Size > MaxFileBytes)
                    {
                        skipped.Add($"{name} ({file.Size} octets)");
                        continue;
                    }
                    if (reader.ReadBlobById(path, file.BlobId, MaxFileBytes) is not { } blob) continue;
                    var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                    using var stream = entry.Open();
                    stream.Write(blob.Bytes);
                }
            }
            if (skipped.Count > 0)
            {
                using var note = new StreamWriter(zip.CreateEntry("LISEZMOI.txt").Open());
                note.WriteLine("Fichiers trop gros, laissés hors de l’archive (téléchargez-les depuis le dépôt de l’élève) :");
                foreach (var s in skipped) note.WriteLine(s);
            }
        }
    }
}

/// <summary>
/// A pupil account made with a one-time password opens no page but « Choisir votre mot de passe » (and sign-out) until it has
/// chosen its own. The flag is read once a minute at most per account (dropped at once when this process clears it).
/// </summary>
public sealed class MustChangePasswordFilter : IAsyncPageFilter
{
    public const string PagePath = "/classes/password";

    public static string CacheKey(long userId) => $"must-change-password:{userId}";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.UserId() is { } id && !http.Request.Path.StartsWithSegments(PagePath) && !http.Request.Path.StartsWithSegments("/user/logout")
            && !http.Request.Path.StartsWithSegments("/error"))
        {
            var cache = http.RequestServices.GetRequiredService<IMemoryCache>();
            if (!cache.TryGetValue(CacheKey(id), out bool must))
            {
                must = await http.RequestServices.GetRequiredService<ForgeDbContext>().Users.Where(u => u.Id == id).Select(u => u.MustChangePassword)
                    .FirstOrDefaultAsync(http.RequestAborted);
                cache.Set(CacheKey(id), must, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1), Size = 1 });
            }
            if (must)
            {
                context.Result = new RedirectResult(PagePath + "?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
                return;
            }
        }
        await next();
    }
}
