using Forge.Web.Data;
using Forge.Web.Groups;

namespace Forge.Web.Api;

/// <summary>
/// Forge's own invitations to a group by e-mail (Gitea has none): <c>/api/v1/orgs/{org}/invitations</c>, for the group's
/// maintainers and owners, as on the members page — the same service, the same e-mail.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Body of <c>POST /api/v1/orgs/{org}/invitations</c>: the address and the role (<c>reader</c>, <c>writer</c> (default), <c>maintainer</c>, <c>owner</c>).</summary>
    public sealed record CreateInvitationOption(string? Email, string? Role);

    /// <summary>
    /// A pending invitation. <c>link</c> — the address that accepts it — is given only in the answer that creates it (Forge
    /// keeps only its hash); <c>mailed</c> says whether the instance sent it by e-mail (otherwise pass the link on yourself).
    /// </summary>
    public sealed record ApiInvitation
    {
        public long Id { get; init; }
        public string Email { get; init; } = "";
        public string Role { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime ExpiresAt { get; init; }
        public string? Link { get; init; }
        public bool? Mailed { get; init; }
    }

    private static void MapInvitations(RouteGroupBuilder api)
    {
        api.MapGet("/orgs/{org}/invitations", ListInvitations).WithName("forgeListOrgInvitations")
            .WithSummary("Forge's own: the group's pending invitations by e-mail (maintainers and owners).").Produces<List<ApiInvitation>>();
        api.MapPost("/orgs/{org}/invitations", CreateInvitation).RequestBody(typeof(CreateInvitationOption)).WithName("forgeCreateOrgInvitation")
            .WithSummary("Forge's own: invites an e-mail address with a `role` (maintainers; owners for the owner role) → 201 with the one-time `link`, e-mailed when the instance sends e-mail; 422 for an invalid address.")
            .Produces<ApiInvitation>(StatusCodes.Status201Created).Errors(422);
        api.MapDelete("/orgs/{org}/invitations/{id:long}", CancelInvitation).WithName("forgeDeleteOrgInvitation")
            .WithSummary("Forge's own: cancels a pending invitation (maintainers and owners) → 204.").Produces(StatusCodes.Status204NoContent);
    }

    private static ApiInvitation InvitationJson(GroupInvitation i) => new()
    {
        Id = i.Id,
        Email = i.Email,
        Role = GroupService.ApiRole(i.Role),
        CreatedAt = DateTime.SpecifyKind(i.CreatedAt, DateTimeKind.Utc),
        ExpiresAt = DateTime.SpecifyKind(i.ExpiresAt, DateTimeKind.Utc),
    };

    /// <summary>The group, if the caller manages its members: 404 if unseen, 401 anonymous, 403 otherwise.</summary>
    private static async Task<(ForgeUser? Caller, Repos.Viewer Viewer, ForgeUser? Group, IResult? Failure)> ManagedOrgAsync(HttpContext context, string org,
        GroupService groups)
    {
        var (caller, viewer, group, failure) = await VisibleOrgAsync(context, org, groups);
        if (failure is not null) return (caller, viewer, null, failure);
        if (caller is null) return (null, viewer, null, Unauthorized(context));
        if (!GroupService.CanManage(group!, viewer))
            return (caller, viewer, null, Error(StatusCodes.Status403Forbidden, "Seuls les mainteneurs et propriétaires du groupe invitent des membres.", context.Request));
        return (caller, viewer, group, null);
    }

    private static async Task<IResult> ListInvitations(HttpContext context, string org, GroupService groups)
    {
        var (_, _, group, failure) = await ManagedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        return Results.Json((await groups.PendingInvitationsAsync(group!, context.RequestAborted)).Select(InvitationJson), ApiModels.Json);
    }

    private static async Task<IResult> CreateInvitation(HttpContext context, string org, GroupService groups, Mail.MailQueue mail)
    {
        var (caller, viewer, group, failure) = await ManagedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<CreateInvitationOption>(context);
        if (bad is not null) return bad;
        if (GroupService.ParseRole(option!.Role ?? "writer") is not { } role)
            return Error(StatusCodes.Status422UnprocessableEntity, "`role` vaut reader, writer, maintainer ou owner.", context.Request);
        var (secret, invitation, error) = await groups.InviteAsync(group!, viewer, option.Email, role, context.RequestAborted);
        if (error is not null)
            return Error(GroupService.IsForbidden(error) ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity, error.Message, context.Request);
        var link = GroupInvitationMail.Link(context.Request, secret!);
        var mailed = GroupInvitationMail.Send(mail, group!, caller!.UserName, invitation!.Email, role, link);
        return Results.Json(InvitationJson(invitation) with { Link = link, Mailed = mailed }, ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CancelInvitation(HttpContext context, string org, long id, GroupService groups)
    {
        var (_, _, group, failure) = await ManagedOrgAsync(context, org, groups);
        if (failure is not null) return failure;
        return await groups.CancelInvitationAsync(group!, id, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, "Cette invitation n’existe pas ou a expiré.", context.Request);
    }
}
