using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Repos;
using Forge.Web.Resources;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Stars, in Gitea's shapes (<c>/user/starred</c>, <c>/repos/{owner}/{repo}/stargazers</c>), and Forge's own description
/// of a resource (<c>/repos/{owner}/{repo}/resource</c>): the parsed <c>resource.yml</c>, its problems and its ScoLOMFR ids.
/// </summary>
public static partial class ApiV1
{
    private static void MapResources(RouteGroupBuilder api)
    {
        api.MapGet("/user/starred", ListMyStarred)
            .WithName("userCurrentListStarred").WithSummary("Repositories the caller starred and may still read (paged: `page`, `limit`).");
        api.MapGet("/user/starred/{owner}/{repo}", IsStarred)
            .WithName("userCurrentCheckStarring").WithSummary("204 if the caller starred the repository, else 404.");
        api.MapPut("/user/starred/{owner}/{repo}", PutStar)
            .WithName("userCurrentPutStar").WithSummary("Stars a readable repository → 204 (starring twice is harmless).");
        api.MapDelete("/user/starred/{owner}/{repo}", DeleteStar)
            .WithName("userCurrentDeleteStar").WithSummary("Removes the caller's star → 204.");
        api.MapGet("/users/{username}/starred", ListUserStarred)
            .WithName("userListStarred").WithSummary("Repositories a user starred, those the caller may read (paged).");
        api.MapGet("/repos/{owner}/{repo}/stargazers", ListStargazers)
            .WithName("repoListStargazers").WithSummary("Users who starred the repository (paged).");
        api.MapGet("/repos/{owner}/{repo}/resource", GetResource)
            .WithName("forgeGetResource")
            .WithSummary("Forge's own: the repository's resource.yml (or a folder's, with `path`) at `ref` (default branch), parsed.")
            .WithDescription("Returns `metadata` (every field of resource.yml, validated; cycles derived from grades when the file gives none, "
                + "`cycles_derived` says so), `problems` (field, value, French message), `unknown_fields`, and `scolomfr`: the ScoLOMFR "
                + "concept URIs the description maps to (educational levels of voc-022 — grades and the derived cycles —, resource types of "
                + "voc-010, places of use of voc-017, educational methods of voc-018). 404 when there is no resource.yml there.");
    }

    private static async Task<(ForgeUser? User, IResult? Failure)> SignedInAsync(HttpContext context)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return (null, failure);
        return user is null ? (null, Unauthorized(context)) : (user, null);
    }

    private static async Task<IResult> ListMyStarred(HttpContext context, int? page, int? limit, StarService stars, RepositoryStore store, GitReader reader)
    {
        var (user, failure) = await SignedInAsync(context);
        if (failure is not null) return failure;
        var viewer = await context.ViewerAsync(Principal(user));
        var (p, l) = Paging(page, limit);
        var list = await stars.StarredAsync(user!.Id, viewer, p, l, context.RequestAborted);
        return Results.Json(list.Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer)), ApiModels.Json);
    }

    private static async Task<IResult> ListUserStarred(HttpContext context, string username, int? page, int? limit, StarService stars,
        Microsoft.AspNetCore.Identity.UserManager<ForgeUser> users, RepositoryStore store, GitReader reader)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var user = await users.FindByNameAsync(username);
        if (user is null) return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        var viewer = await context.ViewerAsync(Principal(caller));
        var (p, l) = Paging(page, limit);
        var list = await stars.StarredAsync(user.Id, viewer, p, l, context.RequestAborted);
        return Results.Json(list.Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer)), ApiModels.Json);
    }

    private static async Task<IResult> IsStarred(HttpContext context, string owner, string repo, RepositoryService repositories, StarService stars)
    {
        var (user, failure) = await SignedInAsync(context);
        if (failure is not null) return failure;
        var (entity, _, notReadable) = await ReadableAsync(context, owner, repo, repositories);
        if (notReadable is not null) return notReadable;
        return await stars.IsStarredAsync(user!.Id, entity!.Id, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, "Vous n’avez pas mis d’étoile à ce dépôt.", context.Request);
    }

    private static Task<IResult> PutStar(HttpContext context, string owner, string repo, RepositoryService repositories, StarService stars) =>
        ChangeStarAsync(context, owner, repo, repositories, stars, star: true);

    private static Task<IResult> DeleteStar(HttpContext context, string owner, string repo, RepositoryService repositories, StarService stars) =>
        ChangeStarAsync(context, owner, repo, repositories, stars, star: false);

    private static async Task<IResult> ChangeStarAsync(HttpContext context, string owner, string repo, RepositoryService repositories, StarService stars, bool star)
    {
        var (user, failure) = await SignedInAsync(context);
        if (failure is not null) return failure;
        var (entity, _, notReadable) = await ReadableAsync(context, owner, repo, repositories);
        if (notReadable is not null) return notReadable;
        if (star) await stars.StarAsync(entity!, user!.Id, context.RequestAborted);
        else await stars.UnstarAsync(entity!, user!.Id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ListStargazers(HttpContext context, string owner, string repo, int? page, int? limit,
        RepositoryService repositories, StarService stars)
    {
        var (entity, _, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (p, l) = Paging(page, limit);
        var users = await stars.StargazersAsync(entity!.Id, p, l, context.RequestAborted);
        return Results.Json(users.Select(u => ApiModels.User(u, context, includeEmail: false)), ApiModels.Json);
    }

    private static async Task<IResult> GetResource(HttpContext context, string owner, string repo, string? @ref, string? path,
        RepositoryService repositories, RepositoryStore store, GitReader reader, ResourceFiles files)
    {
        var (entity, _, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var gitPath = store.PathOf(entity!.Id);
        var refName = string.IsNullOrEmpty(@ref) ? entity.DefaultBranch : @ref;
        var at = reader.Resolve(gitPath, refName.Split('/'));
        if (at is null || at.Path.Length > 0) return Error(StatusCodes.Status404NotFound, $"« {refName} » n’est ni une branche, ni une étiquette, ni une version.", context.Request);
        if (ResourceFiles.CleanFolder(path) is not { } folder) return Error(StatusCodes.Status422UnprocessableEntity, "Chemin de dossier invalide.", context.Request);
        if (files.Read(gitPath, at.CommitSha, folder) is not { } file)
            return Error(StatusCodes.Status404NotFound, $"Aucun fichier {ResourceFiles.PathOf(folder)} à « {refName} ».", context.Request);
        return Results.Json(ApiModels.Resource(file, at, $"{entity.Owner.UserName}/{entity.Name}", context), ApiModels.Json);
    }
}

public static partial class ApiModels
{
    /// <summary>Forge's own resource description: metadata, problems, unknown fields and ScoLOMFR concepts.</summary>
    public static object Resource(ResourceFile file, ResolvedPath at, string fullName, HttpContext c)
    {
        var m = file.Result.Metadata;
        var scolomfr = ScoLomFr.Of(m);
        return new
        {
            path = file.Folder,
            file = file.FilePath,
            @ref = at.Ref,
            commit = at.CommitSha,
            sha = file.BlobId,
            html_url = $"{Base(c)}/{fullName}" + (file.Folder.Length > 0 ? $"/tree/{Rendering.MarkdownRenderer.EncodePath(at.Ref)}/{Rendering.MarkdownRenderer.EncodePath(file.Folder)}" : ""),
            valid = file.Result.IsValid,
            metadata = new
            {
                title = m.Title,
                description = m.Description,
                disciplines = m.Disciplines,
                grades = m.Grades,
                cycles = m.Cycles,
                cycles_derived = m.CyclesDerived,
                usage = m.Usage,
                autonomy = m.Autonomy,
                audience = m.Audience,
                types = m.Types,
                personalisation = m.Personalisation,
                has_exercises = m.HasExercises,
                teacher_sees_results = m.TeacherSeesResults,
                duration_minutes = m.DurationMinutes,
                focus_minutes = m.FocusMinutes,
                accessibility = m.Accessibility,
                languages = m.Languages,
                programme = m.Programme,
                authors = m.Authors,
                based_on = m.BasedOn,
                licence = m.Licence,
                keywords = m.Keywords,
            },
            problems = file.Result.Problems.Select(p => new { field = p.Field, value = p.Value, message = p.Message }),
            unknown_fields = ResourceMetadataParser.UnknownFields(file.Text).Select(u => u.Key),
            scolomfr = new
            {
                educational_level = scolomfr.EducationalLevels,
                learning_resource_type = scolomfr.ResourceTypes,
                place = scolomfr.Places,
                educational_method = scolomfr.EducationalMethods,
            },
        };
    }
}
