using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Groups;

/// <summary>
/// A user's effective role in every group they reach: their own memberships, carried down into every subgroup, where
/// a membership of the subgroup can raise the role but never lower it. Computed once per request (see
/// <see cref="Forge.Web.Repos.ViewerExtensions.ViewerAsync"/>): one query for the memberships (and none more for a user in
/// no group), the tree of groups coming from memory.
/// </summary>
public static class GroupRoles
{
    /// <summary>Groups nest at most this deep (académie › établissement › équipe › …).</summary>
    public const int MaxDepth = 5;

    public static readonly IReadOnlyDictionary<long, GroupRole> None = new Dictionary<long, GroupRole>();

    public static async Task<IReadOnlyDictionary<long, GroupRole>> LoadAsync(ForgeDbContext db, long userId, IMemoryCache? cache = null,
        CancellationToken ct = default)
    {
        var direct = await db.GroupMembers.AsNoTracking().Where(m => m.UserId == userId)
            .Select(m => new { m.GroupId, m.Role }).ToListAsync(ct);
        if (direct.Count == 0) return None;
        var tree = await TreeAsync(db, cache, ct);
        var roles = direct.ToDictionary(m => m.GroupId, m => m.Role);
        var frontier = roles.Keys.ToList();
        for (var depth = 0; depth < MaxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<long>();
            foreach (var parent in frontier)
            foreach (var child in tree[parent])
            {
                var inherited = roles[parent];
                if (roles.TryGetValue(child, out var own) && own >= inherited) continue;
                roles[child] = inherited;
                next.Add(child);
            }
            frontier = next;
        }
        return roles;
    }

    /// <summary>
    /// Parent group → its subgroups, read in one query and kept in memory like the repositories' cache stamps: dropped
    /// at once when this process changes an account, at most two seconds old when another node does.
    /// </summary>
    private static async Task<ILookup<long, long>> TreeAsync(ForgeDbContext db, IMemoryCache? cache, CancellationToken ct)
    {
        var key = $"group-tree:{ForgeDbContext.RepositoryVersion}";
        if (cache is not null && cache.TryGetValue(key, out ILookup<long, long>? hit) && hit is not null) return hit;
        var rows = await db.Users.AsNoTracking().Where(u => u.ParentGroupId != null)
            .Select(u => new { u.Id, Parent = u.ParentGroupId!.Value }).ToListAsync(ct);
        var tree = rows.ToLookup(r => r.Parent, r => r.Id);
        cache?.Set(key, tree, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2), Size = 64 + rows.Count * 32L });
        return tree;
    }

    /// <summary>The repository role a group role gives in the group's repositories.</summary>
    public static CollaboratorRole ForRepositories(GroupRole role) => role switch
    {
        GroupRole.Reader => CollaboratorRole.Reader,
        GroupRole.Writer => CollaboratorRole.Writer,
        _ => CollaboratorRole.Maintainer,
    };
}
