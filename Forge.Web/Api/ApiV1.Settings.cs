using System.Text.Json;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Repository settings in Gitea's API v1 shapes: edit, transfer, collaborators and branch protections. Readers get
/// 403 where Gitea answers 403, and anyone who cannot read the repository gets 404.
/// </summary>
public static partial class ApiV1
{
    /// <summary>
    /// Gitea's <c>EditRepoOption</c> (the fields Forge supports; others are ignored): <c>has_issues</c> turns issues on or
    /// off (« Tickets activés »), <c>default_merge_style</c> is <c>merge</c>, <c>squash</c> or <c>fast-forward-only</c>.
    /// Gitea's <c>allow_*</c> switches are not read: Forge has one merge style per repository, not a set of allowed ones.
    /// </summary>
    public sealed record EditRepoOption(string? Name, string? Description, bool? Private, string? DefaultBranch, bool? HasIssues = null,
        string? DefaultMergeStyle = null);

    /// <summary>Gitea's <c>TransferRepoOption</c> (<c>team_ids</c> is ignored: Forge has no teams).</summary>
    public sealed record TransferRepoOption(string? NewOwner);

    /// <summary>Gitea's <c>RepoCollaboratorPermission</c>.</summary>
    public sealed record ApiCollaboratorPermission(string Permission, string RoleName, ApiUser User);

    /// <summary>Gitea's <c>AddCollaboratorOption</c>: <c>read</c>, <c>write</c> or <c>admin</c>.</summary>
    public sealed record AddCollaboratorOption(string? Permission);

    /// <summary>
    /// Gitea's <c>CreateBranchProtectionOption</c> / <c>EditBranchProtectionOption</c>, the subset that maps to Forge's
    /// rules: <c>enable_push</c> false = nobody; <c>enable_push_whitelist</c> true = maintainers only (Forge has no
    /// per-user allow list); <c>enable_force_push</c>; and Forge's own <c>allow_deletion</c>.
    /// </summary>
    public sealed record BranchProtectionOption(string? RuleName, string? BranchName, bool? EnablePush, bool? EnablePushWhitelist,
        bool? EnableForcePush, bool? AllowDeletion, int? RequiredApprovals = null);

    private static void MapRepositorySettings(RouteGroupBuilder api)
    {
        api.MapPatch("/repos/{owner}/{repo}", EditRepository).RequestBody(typeof(EditRepoOption)).WithName("repoEdit")
            .WithSummary("Edits `name`, `description`, `private`, `default_branch`, `has_issues`, `default_merge_style` (`merge`, `squash`, `fast-forward-only`) (maintainers); 409 name taken; 422 invalid.")
            .Produces<ApiRepository>().Errors(409, 422);
        api.MapPost("/repos/{owner}/{repo}/transfer", TransferRepository).RequestBody(typeof(TransferRepoOption)).WithName("repoTransfer")
            .WithSummary("Gives the repository to `new_owner` (owner or admin) → 202; 409 name taken there; 422 unknown owner.")
            .Produces<ApiRepository>(StatusCodes.Status202Accepted).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/collaborators", ListCollaborators).WithName("repoListCollaborators")
            .WithSummary("The repository's collaborators.").Produces<List<ApiUser>>();
        api.MapGet("/repos/{owner}/{repo}/collaborators/{collaborator}", IsCollaborator).WithName("repoCheckCollaborator")
            .WithSummary("204 if the user is a collaborator, else 404.").Produces(StatusCodes.Status204NoContent);
        api.MapPut("/repos/{owner}/{repo}/collaborators/{collaborator}", PutCollaborator).RequestBody(typeof(AddCollaboratorOption))
            .WithName("repoAddCollaborator").WithSummary("Adds a collaborator or changes their `permission` (`read`, `write` (default), `admin`) → 204 (maintainers).")
            .Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapDelete("/repos/{owner}/{repo}/collaborators/{collaborator}", DeleteCollaborator).WithName("repoDeleteCollaborator")
            .WithSummary("Removes a collaborator → 204 (maintainers).").Produces(StatusCodes.Status204NoContent);
        api.MapGet("/repos/{owner}/{repo}/collaborators/{collaborator}/permission", CollaboratorPermission).WithName("repoGetRepoPermissions")
            .WithSummary("A user's permission on the repository: `owner`, `admin`, `write`, `read` or `none`.").Produces<ApiCollaboratorPermission>();
        api.MapGet("/repos/{owner}/{repo}/branch_protections", ListBranchProtections).WithName("repoListBranchProtection")
            .WithSummary("The branch protection rules (maintainers).").Produces<List<ApiBranchProtection>>();
        api.MapPost("/repos/{owner}/{repo}/branch_protections", CreateBranchProtection).RequestBody(typeof(BranchProtectionOption))
            .WithName("repoCreateBranchProtection").WithSummary("Creates a rule (maintainers) → 201; 409 if the rule exists; 422 invalid.")
            .Produces<ApiBranchProtection>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/branch_protections/{**name}", GetBranchProtection).WithName("repoGetBranchProtection")
            .WithSummary("One rule (URL-encode `/` as `%2F`).").Produces<ApiBranchProtection>();
        api.MapPatch("/repos/{owner}/{repo}/branch_protections/{**name}", EditBranchProtection).RequestBody(typeof(BranchProtectionOption))
            .WithName("repoEditBranchProtection").WithSummary("Changes a rule (maintainers).").Produces<ApiBranchProtection>().Errors(409, 422);
        api.MapDelete("/repos/{owner}/{repo}/branch_protections/{**name}", DeleteBranchProtection).WithName("repoDeleteBranchProtection")
            .WithSummary("Deletes a rule → 204 (maintainers).").Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>The repository, if the caller may manage it; otherwise the failure to return (401, 403 or 404).</summary>
    private static async Task<(RepositoryEntity? Repo, Viewer Viewer, IResult? Failure)> AdministrableAsync(HttpContext context, string owner, string repo,
        RepositoryService repositories)
    {
        var (entity, viewer, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, viewer, failure);
        if (!viewer.IsSignedIn) return (null, viewer, Unauthorized(context));
        if (!RepositoryService.CanAdmin(entity!, viewer))
            return (null, viewer, Error(StatusCodes.Status403Forbidden, "Seuls les mainteneurs du dépôt peuvent modifier ses paramètres.", context.Request));
        return (entity, viewer, null);
    }

    private static async Task<(T? Body, IResult? Failure)> BodyAsync<T>(HttpContext context) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, ApiModels.Json, context.RequestAborted);
            return body is null ? (null, Error(StatusCodes.Status422UnprocessableEntity, "Corps JSON attendu.", context.Request)) : (body, null);
        }
        catch (JsonException)
        {
            return (null, Error(StatusCodes.Status422UnprocessableEntity, "Corps JSON invalide.", context.Request));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's body size limit: 413, said in JSON.
            return (null, Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Requête trop volumineuse." : "Requête invalide.", context.Request));
        }
    }

    private static IResult Failed(RepositoryError error, HttpContext context) =>
        Error(error.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity, error.Message, context.Request);

    private static async Task<IResult> EditRepository(HttpContext context, string owner, string repo, RepositoryService repositories,
        RepositorySettingsService settings, GitReader reader, RepositoryStore store)
    {
        var (entity, viewer, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<EditRepoOption>(context);
        if (bad is not null) return bad;
        var ct = context.RequestAborted;
        var style = ApiModels.ParseMergeStyle(option!.DefaultMergeStyle);
        if (option.DefaultMergeStyle is not null && style is null)
            return Error(StatusCodes.Status422UnprocessableEntity,
                $"Méthode de fusion « {option.DefaultMergeStyle} » non prise en charge : utilisez « merge », « squash » ou « fast-forward-only ».", context.Request);
        if (option.Name is not null && await settings.RenameAsync(entity!, option.Name, ct) is { } e1) return Failed(e1, context);
        if (option.Description is not null && await settings.SetDescriptionAsync(entity!, option.Description, ct) is { } e2) return Failed(e2, context);
        if (option.DefaultBranch is not null && await settings.SetDefaultBranchAsync(entity!, option.DefaultBranch, ct) is { } e3) return Failed(e3, context);
        if (option.Private is { } isPrivate && await settings.SetVisibilityAsync(entity!, isPrivate, ct) is { } e4) return Failed(e4, context);
        var services = context.RequestServices;
        var r = new RepoContext(entity!, viewer, store.PathOf(entity!.Id));
        if (option.HasIssues is { } hasIssues && await services.GetRequiredService<Issues.IssueService>().SetEnabledAsync(r, hasIssues, ct) is { } e5)
            return Error(e5.Status, e5.Message, context.Request);
        if (style is { } chosen) await services.GetRequiredService<MergeRequests.MergeRequestService>().SaveStyleAsync(entity!, chosen, ct);
        return Results.Json(ApiModels.Repository(entity!, context, reader.IsEmpty(store.PathOf(entity!.Id)), viewer,
            settings: await RepositorySettingsAsync(context, entity!)), ApiModels.Json);
    }

    /// <summary>What the repository's JSON says beyond its row (see <see cref="ApiRepositorySettings"/>), read from the services the pages use.</summary>
    private static async Task<ApiRepositorySettings> RepositorySettingsAsync(HttpContext context, RepositoryEntity entity)
    {
        var services = context.RequestServices;
        var ct = context.RequestAborted;
        return new ApiRepositorySettings(
            await services.GetRequiredService<Issues.NotificationService>().WatcherCountAsync(entity.Id, ct),
            await services.GetRequiredService<Issues.IssueService>().EnabledAsync(entity.Id, ct),
            await services.GetRequiredService<MergeRequests.MergeRequestService>().StyleAsync(entity.Id, ct));
    }

    private static async Task<IResult> TransferRepository(HttpContext context, string owner, string repo, RepositoryService repositories,
        RepositorySettingsService settings, GitReader reader, RepositoryStore store)
    {
        var (entity, viewer, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        if (!RepositoryService.IsOwnerOrAdmin(entity!, viewer))
            return Error(StatusCodes.Status403Forbidden, "Seul le propriétaire peut transférer ce dépôt.", context.Request);
        var (option, bad) = await BodyAsync<TransferRepoOption>(context);
        if (bad is not null) return bad;
        if (await settings.TransferAsync(entity!, option!.NewOwner, context.RequestAborted, viewer) is { } error)
            return error.IsConflict ? Failed(error, context) : Error(StatusCodes.Status422UnprocessableEntity, error.Message, context.Request);
        return Results.Json(ApiModels.Repository(entity!, context, reader.IsEmpty(store.PathOf(entity!.Id)), viewer), ApiModels.Json,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListCollaborators(HttpContext context, string owner, string repo, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var list = await settings.CollaboratorsAsync(entity!, context.RequestAborted);
        return Results.Json(list.Select(c => ApiModels.User(c.User, context, includeEmail: false)), ApiModels.Json);
    }

    private static async Task<IResult> IsCollaborator(HttpContext context, string owner, string repo, string collaborator, RepositoryService repositories,
        ForgeDbContext db)
    {
        var (entity, _, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var normalized = collaborator.ToUpperInvariant();
        return await db.Collaborators.AnyAsync(c => c.RepositoryId == entity!.Id && c.User.NormalizedUserName == normalized, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, $"{collaborator} n’est pas collaborateur de ce dépôt.", context.Request);
    }

    private static async Task<IResult> PutCollaborator(HttpContext context, string owner, string repo, string collaborator, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var role = CollaboratorRole.Writer; // Gitea's default when no body is sent
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (option, bad) = await BodyAsync<AddCollaboratorOption>(context);
            if (bad is not null) return bad;
            CollaboratorRole? parsed = option!.Permission switch
            {
                null or "write" => CollaboratorRole.Writer,
                "read" => CollaboratorRole.Reader,
                "admin" => CollaboratorRole.Maintainer,
                _ => null,
            };
            if (parsed is null) return Error(StatusCodes.Status422UnprocessableEntity, "« permission » vaut « read », « write » ou « admin ».", context.Request);
            role = parsed.Value;
        }
        var (_, error) = await settings.SetCollaboratorAsync(entity!, collaborator, role, context.RequestAborted);
        return error is null ? Results.NoContent() : Failed(error, context);
    }

    private static async Task<IResult> DeleteCollaborator(HttpContext context, string owner, string repo, string collaborator, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        return await settings.RemoveCollaboratorAsync(entity!, collaborator, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, $"{collaborator} n’est pas collaborateur de ce dépôt.", context.Request);
    }

    /// <summary>Gitea's <c>RepoCollaboratorPermission</c>: <c>owner</c>, <c>admin</c>, <c>write</c>, <c>read</c> or <c>none</c>.</summary>
    private static async Task<IResult> CollaboratorPermission(HttpContext context, string owner, string repo, string collaborator,
        RepositoryService repositories, ForgeDbContext db)
    {
        var (entity, _, failure) = await ReadableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var normalized = collaborator.ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, context.RequestAborted);
        if (user is null) return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        var target = await repositories.ViewerOfAsync(user, context.RequestAborted);
        var permission = user.Id == entity!.OwnerId ? "owner"
            : RepositoryService.RoleOf(entity, target) switch
            {
                CollaboratorRole.Maintainer => "admin",
                CollaboratorRole.Writer => "write",
                CollaboratorRole.Reader => "read",
                _ => RepositoryService.CanRead(entity, target) ? "read" : "none",
            };
        return Results.Json(new ApiCollaboratorPermission(permission, permission, ApiModels.User(user, context, includeEmail: false)), ApiModels.Json);
    }

    private static async Task<IResult> ListBranchProtections(HttpContext context, string owner, string repo, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var rules = await settings.ProtectedBranchesAsync(entity!, context.RequestAborted);
        return Results.Json(rules.Select(ApiModels.BranchProtection), ApiModels.Json);
    }

    private static async Task<IResult> GetBranchProtection(HttpContext context, string owner, string repo, string name, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var rule = await settings.ProtectedBranchAsync(entity!, Uri.UnescapeDataString(name), context.RequestAborted);
        return rule is null ? RuleNotFound(context) : Results.Json(ApiModels.BranchProtection(rule), ApiModels.Json);
    }

    private static async Task<IResult> CreateBranchProtection(HttpContext context, string owner, string repo, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<BranchProtectionOption>(context);
        if (bad is not null) return bad;
        var (rule, error) = await settings.SaveProtectedBranchAsync(entity!, null, option!.RuleName ?? option.BranchName,
            Level(option, PushLevel.Maintainers, create: true), option.EnableForcePush ?? false, option.AllowDeletion ?? false, context.RequestAborted,
            option.RequiredApprovals);
        return error is not null ? Failed(error, context)
            : Results.Json(ApiModels.BranchProtection(rule!), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> EditBranchProtection(HttpContext context, string owner, string repo, string name, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var rule = await settings.ProtectedBranchAsync(entity!, Uri.UnescapeDataString(name), context.RequestAborted);
        if (rule is null) return RuleNotFound(context);
        var (option, bad) = await BodyAsync<BranchProtectionOption>(context);
        if (bad is not null) return bad;
        var (saved, error) = await settings.SaveProtectedBranchAsync(entity!, rule, rule.Pattern, Level(option!, rule.PushLevel, create: false),
            option!.EnableForcePush ?? rule.AllowForcePush, option.AllowDeletion ?? rule.AllowDeletion, context.RequestAborted,
            option.RequiredApprovals);
        return error is not null ? Failed(error, context) : Results.Json(ApiModels.BranchProtection(saved!), ApiModels.Json);
    }

    private static async Task<IResult> DeleteBranchProtection(HttpContext context, string owner, string repo, string name, RepositoryService repositories,
        RepositorySettingsService settings)
    {
        var (entity, _, failure) = await AdministrableAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var rule = await settings.ProtectedBranchAsync(entity!, Uri.UnescapeDataString(name), context.RequestAborted);
        if (rule is null) return RuleNotFound(context);
        await settings.DeleteProtectedBranchAsync(rule, context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// Gitea's push switches mapped to Forge's push level. Absent switches keep <paramref name="current"/>; on creation
    /// <c>enable_push: true</c> without an allow list means every writer, as in Gitea.
    /// </summary>
    private static PushLevel Level(BranchProtectionOption option, PushLevel current, bool create)
    {
        if (option.EnablePush == false) return PushLevel.Nobody;
        var allowList = option.EnablePushWhitelist ?? (create && option.EnablePush == true ? false : null);
        if (allowList == true) return PushLevel.Maintainers;
        if (allowList == false) return PushLevel.Writers;
        return option.EnablePush == true && current == PushLevel.Nobody ? PushLevel.Writers : current;
    }

    private static IResult RuleNotFound(HttpContext context) =>
        Error(StatusCodes.Status404NotFound, "Aucune règle de protection ne porte ce nom.", context.Request);
}
