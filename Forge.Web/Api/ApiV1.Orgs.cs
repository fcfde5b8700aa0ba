using System.Text.Json.Serialization;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>
/// Groups through Gitea's organisation API: <c>/orgs</c>, <c>/orgs/{org}</c>, its repositories and members, and
/// <c>/user/orgs</c>. A group the caller may not see answers 404 everywhere, as if it did not exist; Gitea's
/// <c>limited</c> visibility is Forge's internal one. Roles (Gitea has teams) are in Forge's own <c>role</c> field.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreateOrgOption</c>, plus Forge's own <c>parent</c> (the enclosing group's name).</summary>
    public sealed record CreateOrgOption(string? Username, [property: JsonPropertyName("full_name")] string? FullName, string? Description,
        string? Visibility, string? Parent);

    /// <summary>Gitea's <c>EditOrgOption</c> (the fields Forge keeps).</summary>
    public sealed record EditOrgOption([property: JsonPropertyName("full_name")] string? FullName, string? Description, string? Visibility);

    /// <summary>Gitea's <c>RenameOrgOption</c>.</summary>
    public sealed record RenameOrgOption([property: JsonPropertyName("new_name")] string? NewName);

    /// <summary>Body of Forge's <c>POST /orgs/{org}/move</c>.</summary>
    public sealed record MoveOrgOption(string? Parent);

    /// <summary>Body of <c>PUT /orgs/{org}/members/{username}</c> (Forge's own): <c>reader</c>, <c>writer</c>, <c>maintainer</c> or <c>owner</c>.</summary>
    public sealed record MemberOption(string? Role);

    /// <summary>Gitea's <c>Organization</c>, with Forge's own <c>parent</c> (enclosing group) and the caller's <c>role</c>.</summary>
    public sealed record ApiOrganization
    {
        public long Id { get; init; }
        public string? Name { get; init; }
        public string? Username { get; init; }
        public string FullName { get; init; } = "";
        public string Email { get; init; } = "";
        public string AvatarUrl { get; init; } = "";
        public string Description { get; init; } = "";
        public string Website { get; init; } = "";
        public string Location { get; init; } = "";
        /// <summary><c>public</c>, <c>limited</c> (Forge's internal) or <c>private</c>.</summary>
        public string Visibility { get; init; } = "";
        public bool RepoAdminChangeTeamAccess { get; init; }
        public string HtmlUrl { get; init; } = "";
        public string? Parent { get; init; }
        /// <summary><c>reader</c>, <c>writer</c>, <c>maintainer</c> or <c>owner</c>.</summary>
        public string? Role { get; init; }
    }

    private static void MapOrgs(RouteGroupBuilder api)
    {
        api.MapPost("/orgs", CreateOrg).WithName("orgCreate")
            .WithSummary("Creates a group (`username`, `full_name`, `description`, `visibility`: public, limited (= internal) or private; Forge's `parent`); the caller becomes its owner → 201; 409 name taken; 422 invalid.")
            .RequestBody(typeof(CreateOrgOption)).Produces<ApiOrganization>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet("/orgs/{org}", GetOrg).WithName("orgGet").WithSummary("A group (404 if the caller may not see it).").Produces<ApiOrganization>();
        api.MapPatch("/orgs/{org}", EditOrg).WithName("orgEdit").WithSummary("Edits `full_name`, `description`, `visibility` (owners).")
            .RequestBody(typeof(EditOrgOption)).Produces<ApiOrganization>().Errors(409, 422);
        api.MapDelete("/orgs/{org}", DeleteOrg).WithName("orgDelete").WithSummary("Deletes an empty group (owners) → 204; 422 while it holds repositories or subgroups.")
            .Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapPost("/orgs/{org}/rename", RenameOrg).WithName("renameOrg")
            .WithSummary("Renames a group (`new_name`, owners); the old name redirects, with its repositories' URLs → 204.")
            .RequestBody(typeof(RenameOrgOption)).Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapPost("/orgs/{org}/move", MoveOrg).WithName("orgMove")
            .WithSummary("Forge's own: moves a group under `parent` (a group name; empty or null: top level). Owners of the group, its current parent and the new one → 204; 422 with the reason (a subgroup of itself, too deep, more open than the new parent).")
            .RequestBody(typeof(MoveOrgOption)).Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapGet("/orgs/{org}/repos", ListOrgRepos).WithName("orgListRepos").WithSummary("The group's repositories the caller may read.").Produces<List<ApiRepository>>();
        api.MapPost("/orgs/{org}/repos", CreateOrgRepo).WithName("createOrgRepo")
            .WithSummary("Creates a repository in the group (writers and up), same body as `POST /user/repos` → 201.")
            .RequestBody(typeof(CreateRepoOption)).Produces<ApiRepository>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet("/orgs/{org}/members", ListOrgMembers).WithName("orgListMembers")
            .WithSummary("Direct members, as users with Forge's own `role` (reader, writer, maintainer, owner).")
            .Produces<List<ApiMember>>();
        api.MapGet("/orgs/{org}/members/{username}", IsOrgMember).WithName("orgIsMember").WithSummary("204 if a direct member, else 404.").Produces(StatusCodes.Status204NoContent);
        api.MapPut("/orgs/{org}/members/{username}", PutOrgMember).WithName("orgPutMember")
            .WithSummary("Forge's own: adds a member or changes their role (`{\"role\": \"writer\"}`, maintainers; owners for the owner role) → 204.")
            .RequestBody(typeof(MemberOption)).Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapDelete("/orgs/{org}/members/{username}", DeleteOrgMember).WithName("orgDeleteMember")
            .WithSummary("Removes a member (maintainers), or leaves (oneself); the last owner stays → 422.")
            .Produces(StatusCodes.Status204NoContent).Errors(409, 422);
        api.MapGet("/user/orgs", ListMyOrgs).WithName("orgListCurrentUserOrgs").WithSummary("The caller's groups (direct memberships), with `role`.").Produces<List<ApiOrganization>>();
        api.MapGet("/users/{username}/orgs", ListUserOrgs).WithName("orgListUserOrgs").WithSummary("A user's groups the caller may see (`role` null).").Produces<List<ApiOrganization>>();
    }

    private static ApiOrganization Organization(ForgeUser g, HttpContext c, string? parent = null, GroupRole? role = null) => new()
    {
        Id = g.Id,
        Name = g.UserName,
        Username = g.UserName,
        FullName = g.FullName ?? "",
        Email = "",
        AvatarUrl = "",
        Description = g.Description ?? "",
        Website = "",
        Location = "",
        Visibility = GroupService.ApiVisibility(g.Visibility),
        RepoAdminChangeTeamAccess = false,
        HtmlUrl = $"{c.Request.Scheme}://{c.Request.Host}/{g.UserName}",
        Parent = parent,
        Role = role is { } r ? GroupService.ApiRole(r) : null,
    };

    /// <summary>The caller, their viewer and the group if they may see it; else the failure (401 for a bad header, 404).</summary>
    private static async Task<(ForgeUser? Caller, Viewer Viewer, ForgeUser? Group, IResult? Failure)> VisibleOrgAsync(HttpContext context, string org,
        GroupService groups)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return (null, Viewer.Anonymous, null, failure);
        var viewer = await context.ViewerAsync(Principal(caller));
        var group = await groups.FindVisibleAsync(org, viewer, context.RequestAborted);
        return group is null
            ? (caller, viewer, null, Error(StatusCodes.Status404NotFound, "Groupe introuvable.", context.Request))
            : (caller, viewer, group, null);
    }

    private static async Task<string?> ParentNameAsync(ForgeUser group, Viewer viewer, GroupService groups, CancellationToken ct) =>
        group.ParentGroupId is { } id && await groups.FindByIdAsync(id, ct) is { } parent && GroupService.CanSee(parent, viewer) ? parent.UserName : null;

    private static async Task<IResult> CreateOrg(HttpContext context, GroupService groups)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        var (option, bad) = await BodyAsync<CreateOrgOption>(context);
        if (bad is not null) return bad;
        var visibility = AccountVisibility.Public;
        if (option!.Visibility is not null && GroupService.ParseVisibility(option.Visibility) is not { } parsed)
            return Error(StatusCodes.Status422UnprocessableEntity, "`visibility` vaut public, limited (interne) ou private.", context.Request);
        else if (option.Visibility is not null) visibility = GroupService.ParseVisibility(option.Visibility)!.Value;
        var viewer = await context.ViewerAsync(Principal(caller));
        var (group, error) = await groups.CreateAsync(viewer, option.Username, option.FullName, option.Description, visibility, option.Parent,
            context.RequestAborted);
        if (error is not null) return Failed(error, context);
        return Results.Json(Organization(group!, context, option.Parent is null ? null : await ParentNameAsync(group!, viewer, groups, context.RequestAborted),
            GroupRole.Owner), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetOrg(HttpContext context, string org, GroupService groups)
    {
        var (_, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        return Results.Json(Organization(group!, context, await ParentNameAsync(group!, viewer, groups, context.RequestAborted), viewer.RoleIn(group!.Id)),
            ApiModels.Json);
    }

    /// <summary>The group if the caller owns it; 401 anonymous, 403 if they see it without owning it, 404 if they do not see it.</summary>
    private static async Task<(Viewer Viewer, ForgeUser? Group, IResult? Failure)> OwnedOrgAsync(HttpContext context, string org, GroupService groups)
    {
        var (caller, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return (viewer, null, failure);
        if (caller is null) return (viewer, null, Unauthorized(context));
        if (!GroupService.IsOwner(group!, viewer))
            return (viewer, null, Error(StatusCodes.Status403Forbidden, "Seuls les propriétaires du groupe peuvent faire cela.", context.Request));
        return (viewer, group, null);
    }

    private static async Task<IResult> EditOrg(HttpContext context, string org, GroupService groups)
    {
        var (viewer, group, failure) = await OwnedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<EditOrgOption>(context);
        if (bad is not null) return bad;
        var ct = context.RequestAborted;
        if (option!.Visibility is not null)
        {
            if (GroupService.ParseVisibility(option.Visibility) is not { } visibility)
                return Error(StatusCodes.Status422UnprocessableEntity, "`visibility` vaut public, limited (interne) ou private.", context.Request);
            if (await groups.SetVisibilityAsync(group!, visibility, ct) is { } e1) return Failed(e1, context);
        }
        if ((option.FullName is not null || option.Description is not null)
            && await groups.EditAsync(group!, option.FullName ?? group!.FullName, option.Description ?? group!.Description, ct) is { } e2)
            return Failed(e2, context);
        return Results.Json(Organization(group!, context, await ParentNameAsync(group!, viewer, groups, ct), viewer.RoleIn(group!.Id)), ApiModels.Json);
    }

    private static async Task<IResult> DeleteOrg(HttpContext context, string org, GroupService groups)
    {
        var (_, group, failure) = await OwnedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        return await groups.DeleteAsync(group!, context.RequestAborted) is { } error ? Failed(error, context) : Results.NoContent();
    }

    private static async Task<IResult> RenameOrg(HttpContext context, string org, GroupService groups)
    {
        var (_, group, failure) = await OwnedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<RenameOrgOption>(context);
        if (bad is not null) return bad;
        return await groups.RenameAsync(group!, option!.NewName, context.RequestAborted) is { } error ? Failed(error, context) : Results.NoContent();
    }

    private static async Task<IResult> MoveOrg(HttpContext context, string org, GroupService groups)
    {
        var (viewer, group, failure) = await OwnedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<MoveOrgOption>(context);
        if (bad is not null) return bad;
        return await groups.MoveAsync(group!, viewer, option!.Parent, context.RequestAborted) is { } error ? Failed(error, context) : Results.NoContent();
    }

    private static async Task<IResult> ListOrgRepos(HttpContext context, string org, GroupService groups, RepositoryService repositories,
        RepositoryStore store, GitReader reader)
    {
        var (_, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var list = await repositories.ListVisibleAsync(group!.Id, viewer, context.RequestAborted);
        return Results.Json(list.Select(r => ApiModels.Repository(r, context, reader.IsEmpty(store.PathOf(r.Id)), viewer)), ApiModels.Json);
    }

    private static async Task<IResult> CreateOrgRepo(HttpContext context, string org, CreateRepoOption? option, GroupService groups,
        RepositoryService repositories, ContentService content)
    {
        var (caller, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        if (!GroupService.CanCreateRepository(group!, viewer))
            return Error(StatusCodes.Status403Forbidden, $"Il faut être au moins rédacteur du groupe « {group!.UserName} » pour y créer un dépôt.", context.Request);
        return await CreateRepositoryAsync(context, option, owner: group!, author: caller, repositories, content);
    }

    private static async Task<IResult> ListOrgMembers(HttpContext context, string org, GroupService groups)
    {
        var (_, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var members = await Classroom.ClassroomRules.VisibleMembersAsync(groups, group!, viewer, context.RequestAborted);
        return Results.Json(members.Select(m => Member(m, context)), ApiModels.Json);
    }

    /// <summary>Gitea's <c>User</c>, with Forge's own <c>role</c> in the group.</summary>
    private static ApiMember Member(GroupMember m, HttpContext context) =>
        new(ApiModels.User(m.User, context, includeEmail: false), GroupService.ApiRole(m.Role));

    private static async Task<IResult> IsOrgMember(HttpContext context, string org, string username, GroupService groups)
    {
        var (_, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var members = await Classroom.ClassroomRules.VisibleMembersAsync(groups, group!, viewer, context.RequestAborted);
        return members.Any(m => string.Equals(m.User.UserName, username, StringComparison.OrdinalIgnoreCase))
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, $"{username} n’est pas membre de ce groupe.", context.Request);
    }

    private static async Task<IResult> PutOrgMember(HttpContext context, string org, string username, GroupService groups)
    {
        var (caller, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        if (!GroupService.CanManage(group!, viewer))
            return Error(StatusCodes.Status403Forbidden, "Seuls les mainteneurs et propriétaires du groupe gèrent ses membres.", context.Request);
        var (option, bad) = await BodyAsync<MemberOption>(context);
        if (bad is not null) return bad;
        if (GroupService.ParseRole(option!.Role ?? "writer") is not { } role)
            return Error(StatusCodes.Status422UnprocessableEntity, "`role` vaut reader, writer, maintainer ou owner.", context.Request);
        var (_, error) = await groups.SetMemberAsync(group!, viewer, username, role, context.RequestAborted);
        if (error is null) return Results.NoContent();
        return GroupService.IsForbidden(error) ? Error(StatusCodes.Status403Forbidden, error.Message, context.Request) : Failed(error, context);
    }

    private static async Task<IResult> DeleteOrgMember(HttpContext context, string org, string username, GroupService groups)
    {
        var (caller, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        var leaving = string.Equals(caller.UserName, username, StringComparison.OrdinalIgnoreCase);
        if (!leaving && !GroupService.CanManage(group!, viewer))
            return Error(StatusCodes.Status403Forbidden, "Seuls les mainteneurs et propriétaires du groupe gèrent ses membres.", context.Request);
        var error = await groups.RemoveMemberAsync(group!, viewer, username, context.RequestAborted);
        if (error is null) return Results.NoContent();
        if (GroupService.IsForbidden(error)) return Error(StatusCodes.Status403Forbidden, error.Message, context.Request);
        return error.Field == GroupService.NotMemberField ? Error(StatusCodes.Status404NotFound, error.Message, context.Request) : Failed(error, context);
    }

    private static async Task<IResult> ListMyOrgs(HttpContext context, GroupService groups)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        if (caller is null) return Unauthorized(context);
        var memberships = await groups.MembershipsAsync(caller.Id, context.RequestAborted);
        return Results.Json(memberships.Select(m => Organization(m.Group, context, role: m.Role)), ApiModels.Json);
    }

    private static async Task<IResult> ListUserOrgs(HttpContext context, string username, GroupService groups,
        Microsoft.AspNetCore.Identity.UserManager<ForgeUser> users)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        var user = await users.FindByNameAsync(username);
        if (user is null || user.IsGroup) return Error(StatusCodes.Status404NotFound, "Utilisateur introuvable.", context.Request);
        var viewer = await context.ViewerAsync(Principal(caller));
        var memberships = await groups.MembershipsAsync(user.Id, context.RequestAborted);
        return Results.Json(memberships.Where(m => GroupService.CanSee(m.Group, viewer)).Select(m => Organization(m.Group, context)), ApiModels.Json);
    }
}
