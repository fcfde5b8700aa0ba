using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Groups;

/// <summary>
/// A user's effective role in every group they reach: their own memberships, carried down into every subgroup, where
/// a membership of the subgroup can raise the role but never lower it. Computed once per request (see
/// <see cref="Forge.Web.Repos.ViewerExtensions.ViewerAsync"/>), one query per level of nesting, none for a user in no group.
/// </summary>
public static class GroupRoles
{
    /// <summary>Groups nest at most this deep (académie › établissement › équipe › …).</summary>
    public const int MaxDepth = 5;

    public static readonly IReadOnlyDictionary<long, GroupRole> None = new Dictionary<long, GroupRole>();

    public static async Task<IReadOnlyDictionary<long, GroupRole>> LoadAsync(ForgeDbContext db, long userId, CancellationToken ct = default)
    {
        var direct = await db.GroupMembers.AsNoTracking().Where(m => m.UserId == userId)
            .Select(m => new { m.GroupId, m.Role }).ToListAsync(ct);
        if (direct.Count == 0) return None;
        var roles = direct.ToDictionary(m => m.GroupId, m => m.Role);
        var frontier = roles.Keys.ToList();
        for (var depth = 0; depth < MaxDepth && frontier.Count > 0; depth++)
        {
            var parents = frontier;
            var children = await db.Users.AsNoTracking().Where(u => u.ParentGroupId != null && parents.Contains(u.ParentGroupId.Value))
                .Select(u => new { u.Id, Parent = u.ParentGroupId!.Value }).ToListAsync(ct);
            frontier = [];
            foreach (var child in children)
            {
                var inherited = roles[child.Parent];
                if (roles.TryGetValue(child.Id, out var own) && own >= inherited) continue;
                roles[child.Id] = inherited;
                frontier.Add(child.Id);
            }
        }
        return roles;
    }

    /// <summary>The repository role a group role gives in the group's repositories.</summary>
    public static CollaboratorRole ForRepositories(GroupRole role) => role switch
    {
        GroupRole.Reader => CollaboratorRole.Reader,
        GroupRole.Writer => CollaboratorRole.Writer,
        _ => CollaboratorRole.Maintainer,
    };
}
