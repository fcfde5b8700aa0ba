using System.Text;
using System.Text.Json;
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
            .WithName("userCurrentListStarred").WithSummary("Repositories the caller starred and may still read (paged: `page`, `limit`).")
            .Produces<List<ApiRepository>>();
        api.MapGet("/user/starred/{owner}/{repo}", IsStarred)
            .WithName("userCurrentCheckStarring").WithSummary("204 if the caller starred the repository, else 404.").Produces(StatusCodes.Status204NoContent);
        api.MapPut("/user/starred/{owner}/{repo}", PutStar)
            .WithName("userCurrentPutStar").WithSummary("Stars a readable repository → 204 (starring twice is harmless).").Produces(StatusCodes.Status204NoContent);
        api.MapDelete("/user/starred/{owner}/{repo}", DeleteStar)
            .WithName("userCurrentDeleteStar").WithSummary("Removes the caller's star → 204.").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/users/{username}/starred", ListUserStarred)
            .WithName("userListStarred").WithSummary("Repositories a user starred, those the caller may read (paged).")
            .Produces<List<ApiRepository>>();
        api.MapGet("/repos/{owner}/{repo}/stargazers", ListStargazers)
            .WithName("repoListStargazers").WithSummary("Users who starred the repository (paged).").Produces<List<ApiUser>>();
        api.MapGet("/repos/{owner}/{repo}/resource", GetResource)
            .WithName("forgeGetResource")
            .WithSummary("Forge's own: the repository's resource.yml (or a folder's, with `path`) at `ref` (default branch), parsed.")
            .WithDescription("Returns `metadata` (every field of resource.yml, validated; cycles derived from grades when the file gives none, "
                + "`cycles_derived` says so), `problems` (field, value, French message), `unknown_fields`, and `scolomfr`: the ScoLOMFR "
                + "concept URIs the description maps to (educational levels of voc-022 — grades and the derived cycles —, resource types of "
                + "voc-010, places of use of voc-017, educational methods of voc-018). 404 when there is no resource.yml there.")
            .Produces<ApiResource>().Errors(422);
        api.MapPut("/repos/{owner}/{repo}/resource", PutResource)
            .WithName("forgePutResource")
            .WithSummary("Forge's own: describes the resource (or folder `path`) — validated like the web form, committed as resource.yml.")
            .WithDescription("Body: `metadata` (the keys of the GET answer; `cycles` is ignored when `cycles_derived` is true), `message`, "
                + "`branch` (default branch if omitted), `new_branch`, and `sha`: the blob id of the resource.yml replaced, required when one "
                + "exists (409 if it changed since). Invalid values → 422 with `problems` (field, value, French message), nothing committed. "
                + "Fields of the file unknown to Forge are carried over. → 201 when the file is created, 200 when replaced, with the GET answer.")
            .RequestBody(typeof(ResourceOption))
            .Produces<ApiResource>().Produces<ApiResource>(StatusCodes.Status201Created).Errors(409)
            .Produces<ApiResourceProblems>(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Body of <c>PUT /repos/{owner}/{repo}/resource</c>.</summary>
    public sealed record ResourceOption(JsonElement? Metadata, string? Message, string? Branch, string? NewBranch, string? Sha);

    /// <summary>JSON keys of a description (as the GET answer names them) → resource.yml fields.</summary>
    private static readonly Dictionary<string, string> ResourceKeys = new(StringComparer.Ordinal)
    {
        ["types"] = "type", ["languages"] = "language",
    };

    private static async Task<IResult> PutResource(HttpContext context, string owner, string repo, string? path, RepositoryService repositories,
        GitReader reader, ResourceFiles files, ContentService content)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<ResourceOption>(context);
        if (bad is not null) return bad;
        if (ResolveRef(reader, r!, option!.Branch) is not { IsBranch: true } at) return RefNotFound(context, option.Branch);
        if (ResourceFiles.CleanFolder(path) is not { } folder) return Error(StatusCodes.Status422UnprocessableEntity, "Chemin de dossier invalide.", context.Request);
        if (folder.Length > 0 && reader.KindAt(r!.GitPath, at.CommitSha, folder) != TreeEntryKind.Directory)
            return Error(StatusCodes.Status404NotFound, $"Le dossier « {folder} » n’existe pas dans la branche « {at.Ref} ».", context.Request);
        if (option.Metadata is not { ValueKind: JsonValueKind.Object } metadata)
            return Error(StatusCodes.Status422UnprocessableEntity, "« metadata » est requis : un objet JSON dont les clés sont celles de la réponse de GET.", context.Request);
        var (fields, invalid) = ResourceFields(metadata);
        if (invalid is not null) return Error(StatusCodes.Status422UnprocessableEntity, invalid, context.Request);
        if (fields.Count == 0) return Error(StatusCodes.Status422UnprocessableEntity, "« metadata » ne contient aucun champ.", context.Request);
        var existing = files.Read(r!.GitPath, at.CommitSha, folder);
        var filePath = ResourceFiles.PathOf(folder);
        if (existing is not null && string.IsNullOrWhiteSpace(option.Sha))
            return Error(StatusCodes.Status422UnprocessableEntity, $"« sha » est requis : l’identifiant du blob de « {filePath} » que vous remplacez.", context.Request);
        if (!string.IsNullOrWhiteSpace(option.Sha) && !string.Equals(existing?.BlobId, option.Sha.Trim(), StringComparison.OrdinalIgnoreCase))
            return Error(StatusCodes.Status409Conflict, existing is null
                ? $"« {filePath} » n’existe pas (ou plus) dans la branche « {at.Ref} »."
                : $"« {filePath} » a été modifié depuis la version {option.Sha.Trim()} que vous remplacez (version actuelle : {existing.BlobId}). Relisez-le puis recommencez.",
                context.Request);

        var parsed = ResourceMetadataParser.Parse(ResourceMetadataWriter.WriteFields(fields));
        if (!parsed.IsValid)
            return Results.Json(new ApiResourceProblems("La description contient des valeurs invalides ; rien n’a été enregistré.",
                $"{context.Request.Scheme}://{context.Request.Host}/api/swagger", parsed.Problems.ToList()), ApiModels.Json,
                statusCode: StatusCodes.Status422UnprocessableEntity);

        var yaml = ResourceMetadataWriter.Write(parsed.Metadata, existing is null ? [] : ResourceMetadataParser.UnknownFields(existing.Text));
        var message = string.IsNullOrWhiteSpace(option.Message) ? Pages.Repo.DescribeModel.DefaultMessage : option.Message.Trim();
        var result = await content.CommitAsync(r, at.Ref, at.CommitSha, option.NewBranch, [new FileChange.Put(filePath, Encoding.UTF8.GetBytes(yaml))],
            message, context.RequestAborted);
        if (!result.Ok) return WriteFailed(result, context);
        var written = new ResolvedPath(string.IsNullOrWhiteSpace(option.NewBranch) ? at.Ref : option.NewBranch.Trim(), result.CommitSha!, "", true);
        var file = files.Read(r.GitPath, written.CommitSha, folder)!;
        return Results.Json(ApiModels.Resource(file, written, r.FullName, context), ApiModels.Json,
            statusCode: existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>The JSON description as resource.yml fields (texts or lists of texts), or why it cannot be read.</summary>
    private static (List<(string Field, object Value)> Fields, string? Invalid) ResourceFields(JsonElement metadata)
    {
        var fields = new List<(string Field, object Value)>();
        var derived = metadata.TryGetProperty("cycles_derived", out var d) && d.ValueKind == JsonValueKind.True;
        foreach (var property in metadata.EnumerateObject())
        {
            if (property.Name == "cycles_derived" || (property.Name == "cycles" && derived) || property.Value.ValueKind == JsonValueKind.Null) continue;
            var field = ResourceKeys.GetValueOrDefault(property.Name, property.Name);
            if (!ResourceMetadataParser.Fields.Contains(field)) return (fields, $"Champ inconnu « {property.Name} » dans « metadata ».");
            if (fields.Any(f => f.Field == field)) return (fields, $"Le champ « {field} » apparaît deux fois dans « metadata ».");
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    fields.Add((field, property.Value.GetString()!));
                    break;
                case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number:
                    fields.Add((field, property.Value.GetRawText()));
                    break;
                case JsonValueKind.Array when property.Value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String):
                    if (property.Value.GetArrayLength() > 0) fields.Add((field, property.Value.EnumerateArray().Select(i => i.GetString()!).ToList()));
                    break;
                default:
                    return (fields, $"« {property.Name} » doit être un texte, un nombre, un booléen ou une liste de textes.");
            }
        }
        return (fields, null);
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
    public static ApiResource Resource(ResourceFile file, ResolvedPath at, string fullName, HttpContext c)
    {
        var m = file.Result.Metadata;
        var scolomfr = ScoLomFr.Of(m);
        return new ApiResource
        {
            Path = file.Folder,
            File = file.FilePath,
            Ref = at.Ref,
            Commit = at.CommitSha,
            Sha = file.BlobId,
            HtmlUrl = $"{Base(c)}/{fullName}" + (file.Folder.Length > 0 ? $"/tree/{Rendering.MarkdownRenderer.EncodePath(at.Ref)}/{Rendering.MarkdownRenderer.EncodePath(file.Folder)}" : ""),
            Valid = file.Result.IsValid,
            Metadata = m,
            Problems = file.Result.Problems.ToList(),
            UnknownFields = ResourceMetadataParser.UnknownFields(file.Text).Select(u => u.Key).ToList(),
            ScoLomFr = new ApiScoLomFr(scolomfr.EducationalLevels, scolomfr.ResourceTypes, scolomfr.Places, scolomfr.EducationalMethods),
        };
    }
}

/// <summary>The 422 answer of <c>PUT …/resource</c>: Gitea's error shape with the problems.</summary>
public sealed record ApiResourceProblems(string Message, string Url, List<MetadataProblem> Problems);

/// <summary>The ScoLOMFR concept URIs of a description, by vocabulary.</summary>
public sealed record ApiScoLomFr(IReadOnlyList<string> EducationalLevel, IReadOnlyList<string> LearningResourceType, IReadOnlyList<string> Place,
    IReadOnlyList<string> EducationalMethod);

/// <summary>Forge's description of a resource (or a granule folder): its resource.yml parsed and validated.</summary>
public sealed record ApiResource
{
    public string Path { get; init; } = "";
    public string File { get; init; } = "";
    public string Ref { get; init; } = "";
    public string Commit { get; init; } = "";
    public string Sha { get; init; } = "";
    public string HtmlUrl { get; init; } = "";
    public bool Valid { get; init; }
    public required ResourceMetadata Metadata { get; init; }
    public List<MetadataProblem> Problems { get; init; } = [];
    public List<string> UnknownFields { get; init; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("scolomfr")]
    public required ApiScoLomFr ScoLomFr { get; init; }
}
