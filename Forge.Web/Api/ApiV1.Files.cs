using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Http.Features;

namespace Forge.Web.Api;

/// <summary>
/// Files of a repository in Gitea's API v1 shapes: <c>contents</c> (read, create, update, delete, several at once),
/// <c>raw</c>, <c>media</c>, <c>archive</c>, and Forge's own <c>blame</c>. Writes go through <see cref="ContentService"/>
/// exactly as web edits do: same rights, same branch protection, compare-and-swap on the branch tip.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Files larger than this are described without their <c>content</c> (Gitea's <c>DefaultMaxBlobSize</c>).</summary>
    public const long MaxContentsBytes = 10L * 1024 * 1024;

    /// <summary>Gitea's <c>Identity</c>; accepted and ignored: commits made through Forge are always signed by the caller.</summary>
    public sealed record IdentityOption(string? Name, string? Email);

    /// <summary>Gitea's <c>CreateFileOptions</c>, <c>UpdateFileOptions</c> and <c>DeleteFileOptions</c> in one record.</summary>
    public sealed record FileOptions(string? Content, string? Message, string? Branch, string? NewBranch, string? Sha, string? FromPath,
        IdentityOption? Author, IdentityOption? Committer);

    /// <summary>One entry of Gitea's <c>ChangeFilesOptions.files</c>: <c>operation</c> is <c>create</c>, <c>update</c> or <c>delete</c>.</summary>
    public sealed record ChangeFileOperation(string? Operation, string? Path, string? Content, string? Sha, string? FromPath);

    /// <summary>Gitea's <c>ChangeFilesOptions</c>: several file operations in one commit.</summary>
    public sealed record ChangeFilesOptions(IReadOnlyList<ChangeFileOperation>? Files, string? Message, string? Branch, string? NewBranch,
        IdentityOption? Author, IdentityOption? Committer);

    /// <summary>Gitea's <c>FileResponse</c>: the file written (null when deleted) and the commit.</summary>
    public sealed record ApiFileResponse(ApiContents? Content, ApiFileCommit Commit, object? Verification);

    /// <summary>Gitea's <c>FilesResponse</c>: the files written, in the order of the operations (null for a deletion), and the commit.</summary>
    public sealed record ApiFilesResponse(IReadOnlyList<ApiContents?> Files, ApiFileCommit Commit, object? Verification);

    /// <summary>Forge's blame: runs of lines and the commit that last changed them.</summary>
    public sealed record ApiBlame(string Ref, string CommitSha, string Path, List<ApiBlameHunk> Hunks);

    public sealed record ApiBlameHunk(ApiBlameCommit Commit, int StartLine, int LineCount, IReadOnlyList<string> Lines);

    public sealed record ApiBlameCommit(string Sha, string Message, ApiBlameAuthor Author);

    public sealed record ApiBlameAuthor(string Name, string Email, DateTimeOffset Date);

    private static void MapFiles(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/contents", (HttpContext c, string owner, string repo, string? @ref, RepositoryService s, GitReader g, RepositoryStore st) =>
                GetContents(c, owner, repo, null, @ref, s, g, st))
            .WithName("repoGetContentsList").WithSummary("Lists the root folder of a ref (default branch if `ref` is omitted).")
            .Produces<List<ApiContents>>();
        api.MapGet("/repos/{owner}/{repo}/contents/{**filepath}", GetContents)
            .WithName("repoGetContents").WithSummary("A file (with base64 `content`) or a folder (an array of entries) at `ref`.")
            .Produces<ApiContents>().OrListOf();
        api.MapPost("/repos/{owner}/{repo}/contents/{**filepath}", CreateFile).Accepts<FileOptions>("application/json")
            .WithName("repoCreateFile").WithSummary("Creates a file (base64 `content`) as one commit → 201; 422 if it exists.")
            .Produces<ApiFileResponse>(StatusCodes.Status201Created).Errors(409, 413, 422);
        api.MapPut("/repos/{owner}/{repo}/contents/{**filepath}", UpdateFile).Accepts<FileOptions>("application/json")
            .WithName("repoUpdateFile").WithSummary("Replaces a file; `sha` (blob id of the version replaced) is required: 409 if it changed. `from_path` renames.")
            .Produces<ApiFileResponse>().Errors(409, 413, 422);
        api.MapDelete("/repos/{owner}/{repo}/contents/{**filepath}", DeleteFile).Accepts<FileOptions>("application/json")
            .WithName("repoDeleteFile").WithSummary("Deletes a file; `sha` required (409 if it changed); `content` is null in the answer.")
            .Produces<ApiFileResponse>().Errors(409, 422);
        api.MapPost("/repos/{owner}/{repo}/contents", ChangeFiles).Accepts<ChangeFilesOptions>("application/json")
            .WithName("repoChangeFiles").WithSummary("Creates, updates and deletes several files in one commit → 201 (a deleted file's entry is null).")
            .Produces<ApiFilesResponse>(StatusCodes.Status201Created).Errors(409, 413, 422);
        api.MapGet("/repos/{owner}/{repo}/raw/{**filepath}", GetRaw)
            .WithName("repoGetRawFile").WithSummary("The bytes of a file at `ref` (served as inert content).")
            .ProducesContent("*/*");
        api.MapGet("/repos/{owner}/{repo}/media/{**filepath}", GetRaw)
            .WithName("repoGetRawFileOrLFS").WithSummary("Same as raw (Forge stores no LFS objects).")
            .ProducesContent("*/*");
        api.MapGet("/repos/{owner}/{repo}/archive/{**archive}", GetArchive)
            .WithName("repoGetArchive").WithSummary("`{ref}.zip` or `{ref}.tar.gz`, streamed.")
            .ProducesContent("application/zip", "application/gzip");
        api.MapGet("/repos/{owner}/{repo}/blame/{**refpath}", GetBlame)
            .WithName("forgeGetBlame").WithSummary("Forge's own: who last changed each line of `{ref}/{filepath}`, as runs of lines; 422 for a binary or too large file.")
            .Produces<ApiBlame>().Errors(422);
    }

    /// <summary>The repository as a <see cref="RepoContext"/> if the caller may read it; else the failure (401 or 404).</summary>
    private static async Task<(RepoContext? Repo, IResult? Failure)> ReadContextAsync(HttpContext context, string owner, string repo, RepositoryService repositories)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, failure);
        var gitPath = context.RequestServices.GetRequiredService<RepositoryStore>().PathOf(entity!.Id);
        return (new RepoContext(entity, viewer, gitPath), null);
    }

    /// <summary>The repository if the caller may write to it: 404 if unreadable, 401 for anonymous, 403 for readers.</summary>
    private static async Task<(RepoContext? Repo, IResult? Failure)> WriteContextAsync(HttpContext context, string owner, string repo, RepositoryService repositories)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, failure);
        if (!r!.Viewer.IsSignedIn) return (null, Unauthorized(context));
        if (!r.CanWrite) return (null, Error(StatusCodes.Status403Forbidden, "Vous pouvez lire ce dépôt mais pas le modifier.", context.Request));
        return (r, null);
    }

    /// <summary>
    /// A ref named in full (<c>main</c>, <c>feature/x</c>, <c>v1</c>, <c>refs/heads/main</c>, a commit id), default branch when
    /// empty, matched against the real refs by <see cref="GitReader.Resolve"/>; null when it names nothing.
    /// </summary>
    private static ResolvedPath? ResolveRef(GitReader reader, RepoContext repo, string? refName)
    {
        refName = string.IsNullOrWhiteSpace(refName) ? repo.Repository.DefaultBranch : refName.Trim();
        if (refName.StartsWith("refs/heads/", StringComparison.Ordinal)) refName = refName["refs/heads/".Length..];
        else if (refName.StartsWith("refs/tags/", StringComparison.Ordinal)) refName = refName["refs/tags/".Length..];
        return reader.Resolve(repo.GitPath, refName.Split('/')) is { Path.Length: 0 } at ? at : null;
    }

    private static IResult RefNotFound(HttpContext context, string? refName) =>
        Error(StatusCodes.Status404NotFound, $"« {refName} » n’est ni une branche, ni une étiquette, ni une version de ce dépôt.", context.Request);

    private static IResult PathNotFound(HttpContext context, string path) =>
        Error(StatusCodes.Status404NotFound, $"« {path} » n’existe pas dans cette version.", context.Request);

    /// <summary>The entry at <paramref name="path"/> of a commit (file, link, submodule or folder), or null.</summary>
    private static TreeEntryInfo? EntryAt(GitReader reader, string gitPath, string commitSha, string path)
    {
        if (path.Length == 0 || !GitReader.IsSafePath(path)) return null;
        var slash = path.LastIndexOf('/');
        var (dir, name) = slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
        return reader.ListTree(gitPath, commitSha, dir)?.FirstOrDefault(e => e.Name == name);
    }

    private static string CleanPath(string? path) => (path ?? "").Trim('/');

    private static async Task<IResult> GetContents(HttpContext context, string owner, string repo, string? filepath, string? @ref,
        RepositoryService repositories, GitReader reader, RepositoryStore store)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var at = ResolveRef(reader, r!, @ref);
        if (at is null) return RefNotFound(context, @ref ?? r!.Repository.DefaultBranch);
        var path = CleanPath(filepath);
        var hidden = Hidden(context, r!, at.CommitSha);
        if (!GitReader.IsSafePath(path) || hidden.IsHidden(path)) return PathNotFound(context, path);
        if (reader.KindAt(r!.GitPath, at.CommitSha, path) == TreeEntryKind.Directory)
        {
            var entries = hidden.Filter(reader.ListTree(r.GitPath, at.CommitSha, path) ?? [], e => e.Path);
            var (last, _) = await context.RequestServices.GetRequiredService<LastCommitIndex>().GetAsync(r.GitPath, at.CommitSha, path, context.RequestAborted);
            return Results.Json(entries.Select(e => ApiModels.Contents(context, r, at.Ref, e, last.GetValueOrDefault(e.Name)?.Sha, null, null)), ApiModels.Json);
        }
        return FileContents(context, r, reader, at, path) is { } file ? Results.Json(file, ApiModels.Json) : PathNotFound(context, path);
    }

    /// <summary>The <c>ContentsResponse</c> of a non-folder entry, or null when nothing is at <paramref name="path"/>.</summary>
    private static ApiContents? FileContents(HttpContext context, RepoContext r, GitReader reader, ResolvedPath at, string path)
    {
        var entry = EntryAt(reader, r.GitPath, at.CommitSha, path);
        if (entry is null) return null;
        string? content = null, target = null;
        if (entry.Kind is TreeEntryKind.File or TreeEntryKind.Symlink)
        {
            var blob = reader.ReadBlob(r.GitPath, at.CommitSha, path, MaxContentsBytes);
            if (blob is not null && !blob.Truncated)
            {
                if (entry.Kind == TreeEntryKind.Symlink) target = System.Text.Encoding.UTF8.GetString(blob.Bytes);
                else content = Convert.ToBase64String(blob.Bytes);
            }
        }
        var lastCommit = reader.Log(r.GitPath, at.CommitSha, path, 0, 1).Commits.FirstOrDefault()?.Sha;
        return ApiModels.Contents(context, r, at.Ref, entry, lastCommit, content, target);
    }

    private static Task<IResult> CreateFile(HttpContext context, string owner, string repo, string? filepath, RepositoryService repositories) =>
        SingleFileAsync(context, owner, repo, filepath, "create", repositories);

    private static Task<IResult> UpdateFile(HttpContext context, string owner, string repo, string? filepath, RepositoryService repositories) =>
        SingleFileAsync(context, owner, repo, filepath, "update", repositories);

    private static Task<IResult> DeleteFile(HttpContext context, string owner, string repo, string? filepath, RepositoryService repositories) =>
        SingleFileAsync(context, owner, repo, filepath, "delete", repositories);

    private static async Task<IResult> SingleFileAsync(HttpContext context, string owner, string repo, string? filepath, string operation,
        RepositoryService repositories)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        RaiseBodyLimit(context);
        var (body, bad) = await BodyAsync<FileOptions>(context);
        if (bad is not null) return bad;
        var op = new ChangeFileOperation(operation, filepath, body!.Content, body.Sha, body.FromPath);
        var (done, error) = await ApplyAsync(context, r!, [op], body.Message, body.Branch, body.NewBranch);
        if (error is not null) return error;
        var files = done!.Files;
        return Results.Json(new ApiFileResponse(files[0], done.Commit, null), ApiModels.Json,
            statusCode: operation == "create" ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ChangeFiles(HttpContext context, string owner, string repo, RepositoryService repositories)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        RaiseBodyLimit(context);
        var (body, bad) = await BodyAsync<ChangeFilesOptions>(context);
        if (bad is not null) return bad;
        if (body!.Files is not { Count: > 0 } files)
            return Error(StatusCodes.Status422UnprocessableEntity, "« files » doit contenir au moins une opération.", context.Request);
        var (done, error) = await ApplyAsync(context, r!, files, body.Message, body.Branch, body.NewBranch);
        if (error is not null) return error;
        return Results.Json(new ApiFilesResponse(done!.Files, done.Commit, null), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A base64 body is a third larger than the file it carries.</summary>
    private static void RaiseBodyLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ContentService.MaxUploadBytes / 3 * 4 + 1024 * 1024;
    }

    private sealed record Applied(IReadOnlyList<ApiContents?> Files, ApiFileCommit Commit);

    /// <summary>
    /// Checks every operation against the branch tip (existence, <c>sha</c> of the version replaced), then commits them all
    /// at once through <see cref="ContentService"/>, which refuses if the branch moved meanwhile (409).
    /// </summary>
    private static async Task<(Applied? Done, IResult? Failure)> ApplyAsync(HttpContext context, RepoContext r, IReadOnlyList<ChangeFileOperation> ops,
        string? message, string? branch, string? newBranch)
    {
        var services = context.RequestServices;
        var reader = services.GetRequiredService<GitReader>();
        var limit = ContentService.MaxWriteBytes(services.GetRequiredService<ForgeSettings>());
        IResult Fail(int status, string text) => Error(status, text, context.Request);

        branch = string.IsNullOrWhiteSpace(branch) ? r.Repository.DefaultBranch : branch.Trim();
        var tip = GitWriter.IsValidBranchName(branch) ? reader.BranchTip(r.GitPath, branch) : null;
        if (tip is null)
            return (null, Fail(StatusCodes.Status404NotFound, reader.IsEmpty(r.GitPath)
                ? "Ce dépôt est vide : envoyez un premier commit avec git avant d’y écrire par l’API."
                : $"La branche « {branch} » n’existe pas."));
        var changes = new List<FileChange>();
        var written = new List<string?>();
        foreach (var op in ops)
        {
            var path = CleanPath(op.Path);
            if (!GitWriter.IsWritablePath(path))
                return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"« {op.Path} » n’est pas un chemin de fichier valide (pas de « .. », de « .git », de « \\ », ni de segment vide)."));
            byte[]? bytes = null;
            if (op.Content is not null)
            {
                if (op.Content.Length / 4 * 3 > limit + 3)
                    return (null, Fail(StatusCodes.Status413PayloadTooLarge, $"« {path} » dépasse la taille permise ({Rendering.Formatting.Size(limit)})."));
                try { bytes = Convert.FromBase64String(op.Content); }
                catch (FormatException) { return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"Le contenu de « {path} » n’est pas du base64 valide.")); }
                if (bytes.Length > limit)
                    return (null, Fail(StatusCodes.Status413PayloadTooLarge, $"« {path} » dépasse la taille permise ({Rendering.Formatting.Size(limit)})."));
            }
            switch (op.Operation?.Trim().ToLowerInvariant())
            {
                case "create":
                    if (reader.KindAt(r.GitPath, tip, path) is not null)
                        return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"« {path} » existe déjà dans la branche « {branch} »."));
                    changes.Add(new FileChange.Put(path, bytes ?? []));
                    written.Add(path);
                    break;
                case "update":
                {
                    var from = string.IsNullOrWhiteSpace(op.FromPath) ? path : CleanPath(op.FromPath);
                    if (!GitWriter.IsWritablePath(from))
                        return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"« {op.FromPath} » n’est pas un chemin de fichier valide."));
                    if (Stale(reader, r, tip, from, op.Sha, branch) is { } stale) return (null, stale(context));
                    if (from != path) changes.Add(new FileChange.Move(from, path));
                    if (bytes is not null) changes.Add(new FileChange.Put(path, bytes));
                    else if (from == path)
                        return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"« content » est requis pour modifier « {path} »."));
                    written.Add(path);
                    break;
                }
                case "delete":
                    if (Stale(reader, r, tip, path, op.Sha, branch) is { } gone) return (null, gone(context));
                    changes.Add(new FileChange.Delete(path));
                    written.Add(null);
                    break;
                default:
                    return (null, Fail(StatusCodes.Status422UnprocessableEntity, $"Opération inconnue « {op.Operation} » : create, update ou delete."));
            }
        }

        var result = await services.GetRequiredService<ContentService>().CommitAsync(r, branch, tip, newBranch, changes, message ?? "", context.RequestAborted);
        if (!result.Ok) return (null, WriteFailed(result, context));
        var target = string.IsNullOrWhiteSpace(newBranch) ? branch : newBranch.Trim();
        var at = new ResolvedPath(target, result.CommitSha!, "", true);
        var commit = reader.CommitObjects(r.GitPath, [result.CommitSha!]).Single();
        return (new Applied(written.Select(p => p is null ? null : FileContents(context, r, reader, at, p)).ToList(),
            ApiModels.FileCommit(context, r, commit)), null);
    }

    /// <summary>Null when <paramref name="path"/> is a file whose blob id is <paramref name="sha"/>; else why not (422, 404 or 409).</summary>
    private static Func<HttpContext, IResult>? Stale(GitReader reader, RepoContext r, string tip, string path, string? sha, string branch)
    {
        if (string.IsNullOrWhiteSpace(sha))
            return c => Error(StatusCodes.Status422UnprocessableEntity, $"« sha » est requis : l’identifiant du blob de « {path} » que vous remplacez.", c.Request);
        var entry = EntryAt(reader, r.GitPath, tip, path);
        if (entry is null || entry.Kind == TreeEntryKind.Directory)
            return c => Error(StatusCodes.Status404NotFound, $"Le fichier « {path} » n’existe pas (ou plus) dans la branche « {branch} ».", c.Request);
        if (!string.Equals(entry.ObjectId, sha.Trim(), StringComparison.OrdinalIgnoreCase))
            return c => Error(StatusCodes.Status409Conflict,
                $"« {path} » a été modifié depuis la version {sha.Trim()} que vous remplacez (version actuelle : {entry.ObjectId}). Relisez-le puis recommencez.", c.Request);
        return null;
    }

    /// <summary>How a refused write is answered, as Gitea does where it has the case.</summary>
    private static IResult WriteFailed(WriteResult result, HttpContext context) => Error(result.Status switch
    {
        WriteStatus.BranchMoved => StatusCodes.Status409Conflict,
        WriteStatus.NotFound => StatusCodes.Status404NotFound,
        WriteStatus.Protected => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status422UnprocessableEntity,
    }, result.Message ?? "Modification refusée.", context.Request);

    private static async Task<IResult> GetRaw(HttpContext context, string owner, string repo, string? filepath, string? @ref,
        RepositoryService repositories, GitReader reader)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var path = CleanPath(filepath);
        ResolvedPath? at;
        if (!string.IsNullOrWhiteSpace(@ref))
        {
            at = ResolveRef(reader, r!, @ref);
            if (at is null) return RefNotFound(context, @ref);
            at = at with { Path = path };
        }
        else
        {
            // Gitea also accepts the ref as the first segments of the path (raw/{ref}/{filepath}).
            at = ResolveRef(reader, r!, null) is { } head && reader.KindAt(r!.GitPath, head.CommitSha, path) is TreeEntryKind.File or TreeEntryKind.Symlink
                ? head with { Path = path }
                : reader.Resolve(r!.GitPath, path.Split('/'));
        }
        if (at is null || at.Path.Length == 0 || !GitReader.IsSafePath(at.Path)) return PathNotFound(context, path);
        return RawEndpoint.Serve(context, r!.Repository, r.GitPath, at, r.Viewer) ?? PathNotFound(context, at.Path);
    }

    private static async Task GetArchive(HttpContext context, string owner, string repo, string? archive, RepositoryService repositories)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is null && !await ArchiveEndpoint.StreamAsync(context, r!.Repository, r.GitPath, archive ?? "", r.Viewer))
            failure = Error(StatusCodes.Status404NotFound, "Archive inconnue : demandez {branche, étiquette ou version}.zip ou .tar.gz.", context.Request);
        if (failure is not null) await failure.ExecuteAsync(context);
    }

    private static async Task<IResult> GetBlame(HttpContext context, string owner, string repo, string? refpath, RepositoryService repositories,
        GitReader reader, GitCliReader cli)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var at = reader.Resolve(r!.GitPath, CleanPath(refpath).Split('/'));
        if (at is null || at.Path.Length == 0 || Hidden(context, r, at.CommitSha).IsHidden(at.Path)) return PathNotFound(context, refpath ?? "");
        var probe = reader.ReadBlob(r.GitPath, at.CommitSha, at.Path, 8000);
        if (probe is null) return PathNotFound(context, at.Path);
        if (probe.IsBinary || probe.Size > Pages.Repo.BlameModel.MaxBlameBytes)
            return Error(StatusCodes.Status422UnprocessableEntity,
                $"Pas d’annotation pour « {at.Path} » : fichier binaire ou de plus de {Rendering.Formatting.Size(Pages.Repo.BlameModel.MaxBlameBytes)}.", context.Request);
        var hunks = await cli.BlameAsync(r.GitPath, at.CommitSha, at.Path, context.RequestAborted);
        return Results.Json(new ApiBlame(at.Ref, at.CommitSha, at.Path, hunks.Select(h => new ApiBlameHunk(
            new ApiBlameCommit(h.Commit.Sha, h.Commit.Message, new ApiBlameAuthor(h.Commit.AuthorName, h.Commit.AuthorEmail, h.Commit.AuthorDate)),
            h.StartLine, h.Lines.Count, h.Lines)).ToList()), ApiModels.Json);
    }
}
