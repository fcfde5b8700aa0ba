using System.Security.Cryptography;
using System.Text;
using Forge.Core.Naming;
using Forge.Jobs;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Groups;

/// <summary>
/// Groups (communities): creation, visibility, nesting, members, invitations, rename and deletion. Pages and the API
/// call it; who may do what is decided here from the <see cref="Viewer"/>'s effective group roles, so both agree.
/// Errors reuse <see cref="RepositoryError"/> (a field and a French message).
/// </summary>
public sealed class GroupService(ForgeDbContext db, IForgeJobs jobs, TimeProvider clock)
{
    /// <summary>How long an invitation link stays valid.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>At most this many invitations wait at once in one group.</summary>
    public const int MaxPendingInvitations = 200;

    public static string VisibilityLabel(AccountVisibility v) => v switch
    {
        AccountVisibility.Internal => "Interne",
        AccountVisibility.Private => "Privé",
        _ => "Public",
    };

    public static string VisibilityHint(AccountVisibility v) => v switch
    {
        AccountVisibility.Internal => "Toute personne connectée voit le groupe et ses dépôts non privés ; invisible sans connexion.",
        AccountVisibility.Private => "Seuls les membres (de ce groupe ou d’un groupe qui le contient) voient le groupe et ses dépôts.",
        _ => "Tout le monde voit le groupe et ses dépôts publics.",
    };

    public static string RoleLabel(GroupRole role) => role switch
    {
        GroupRole.Reader => "Lecteur",
        GroupRole.Writer => "Rédacteur",
        GroupRole.Maintainer => "Mainteneur",
        GroupRole.Owner => "Propriétaire",
        _ => role.ToString(),
    };

    public static string RoleHint(GroupRole role) => role switch
    {
        GroupRole.Reader => "voit et clone les dépôts du groupe et de ses sous-groupes, même privés",
        GroupRole.Writer => "envoie aussi des modifications et crée des dépôts dans le groupe",
        GroupRole.Maintainer => "gère aussi les membres, les sous-groupes et les paramètres des dépôts",
        GroupRole.Owner => "renomme aussi le groupe, change sa visibilité, le supprime",
        _ => "",
    };

    public static readonly GroupRole[] Roles = [GroupRole.Reader, GroupRole.Writer, GroupRole.Maintainer, GroupRole.Owner];

    /// <summary>Errors about the caller's rights (403 in the API) all start so: « Seuls les propriétaires… ».</summary>
    public static bool IsForbidden(RepositoryError error) => error.Message.StartsWith("Seuls ", StringComparison.Ordinal);

    /// <summary>The field of the error "not a member of this group" (404 in the API).</summary>
    public const string NotMemberField = "Member";

    /// <summary>API names of roles (Forge's own field).</summary>
    public static string ApiRole(GroupRole role) => role.ToString().ToLowerInvariant();

    public static GroupRole? ParseRole(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "reader" or "read" or "lecteur" => GroupRole.Reader,
        "writer" or "write" or "redacteur" or "rédacteur" => GroupRole.Writer,
        "maintainer" or "admin" or "mainteneur" => GroupRole.Maintainer,
        "owner" or "proprietaire" or "propriétaire" => GroupRole.Owner,
        _ => null,
    };

    /// <summary>Gitea names "internal" <c>limited</c>; both are understood.</summary>
    public static AccountVisibility? ParseVisibility(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "public" or "publique" => AccountVisibility.Public,
        "internal" or "limited" or "interne" => AccountVisibility.Internal,
        "private" or "prive" or "privé" => AccountVisibility.Private,
        _ => null,
    };

    public static string ApiVisibility(AccountVisibility v) => v switch
    {
        AccountVisibility.Internal => "limited",
        AccountVisibility.Private => "private",
        _ => "public",
    };

    /// <summary>The group named <paramref name="name"/> (any case), or null (also for a person's name).</summary>
    public Task<ForgeUser?> FindAsync(string? name, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) return Task.FromResult<ForgeUser?>(null);
        var normalized = name.Trim().ToUpperInvariant();
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized && u.Kind == AccountKind.Group, ct);
    }

    public Task<ForgeUser?> FindByIdAsync(long id, CancellationToken ct = default) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id && u.Kind == AccountKind.Group, ct);

    /// <summary>The group named <paramref name="name"/> if <paramref name="viewer"/> may see it, else null (a hidden group does not exist).</summary>
    public async Task<ForgeUser?> FindVisibleAsync(string? name, Viewer viewer, CancellationToken ct = default) =>
        await FindAsync(name, ct) is { } group && CanSee(group, viewer) ? group : null;

    /// <summary>
    /// Sees the group's page and membership: everyone for a public group, signed-in users for an internal one, members
    /// (of it or of an enclosing group) and admins for a private one. A subgroup is never more open than its parent.
    /// </summary>
    public static bool CanSee(ForgeUser group, Viewer viewer) => group.Visibility switch
    {
        AccountVisibility.Public => true,
        AccountVisibility.Internal => viewer.IsSignedIn,
        _ => viewer.IsAdmin || viewer.RoleIn(group.Id) is not null,
    };

    /// <summary>Adds and removes members, creates subgroups: the group's maintainers and owners (inherited roles count), and admins.</summary>
    public static bool CanManage(ForgeUser group, Viewer viewer) => viewer.IsAdmin || viewer.RoleIn(group.Id) >= GroupRole.Maintainer;

    /// <summary>Renames, changes the visibility of and deletes the group: its owners and admins.</summary>
    public static bool IsOwner(ForgeUser group, Viewer viewer) => viewer.IsAdmin || viewer.RoleIn(group.Id) == GroupRole.Owner;

    /// <summary>Creates repositories in the group: its writers and up, and admins.</summary>
    public static bool CanCreateRepository(ForgeUser group, Viewer viewer) => viewer.IsAdmin || viewer.RoleIn(group.Id) >= GroupRole.Writer;

    /// <summary>The enclosing groups, outermost first (the group itself excluded), that <paramref name="viewer"/> may see.</summary>
    public async Task<List<ForgeUser>> AncestorsAsync(ForgeUser group, Viewer viewer, CancellationToken ct = default)
    {
        var chain = new List<ForgeUser>();
        var parentId = group.ParentGroupId;
        while (parentId is { } id && chain.Count < GroupRoles.MaxDepth)
        {
            var parent = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
            if (parent is null) break;
            chain.Insert(0, parent);
            parentId = parent.ParentGroupId;
        }
        return chain.Where(g => CanSee(g, viewer)).ToList();
    }

    /// <summary>Direct subgroups the viewer may see, by name.</summary>
    public async Task<List<ForgeUser>> SubgroupsAsync(ForgeUser group, Viewer viewer, CancellationToken ct = default)
    {
        var all = await db.Users.AsNoTracking().Where(u => u.ParentGroupId == group.Id).OrderBy(u => u.UserName).ToListAsync(ct);
        return all.Where(g => CanSee(g, viewer)).ToList();
    }

    /// <summary>Direct members with their role, owners first.</summary>
    public Task<List<GroupMember>> MembersAsync(ForgeUser group, CancellationToken ct = default) =>
        db.GroupMembers.AsNoTracking().Include(m => m.User).Where(m => m.GroupId == group.Id)
            .OrderByDescending(m => m.Role == GroupRole.Owner ? 4 : m.Role == GroupRole.Maintainer ? 3 : m.Role == GroupRole.Writer ? 2 : 1)
            .ThenBy(m => m.User.NormalizedUserName).ToListAsync(ct);

    /// <summary>Groups where the viewer has at least <paramref name="minimum"/> (inherited roles count), by name.</summary>
    public async Task<List<ForgeUser>> GroupsWhereAsync(Viewer viewer, GroupRole minimum, CancellationToken ct = default)
    {
        var ids = viewer.GroupRoles.Where(kv => kv.Value >= minimum).Select(kv => kv.Key).ToList();
        if (ids.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).OrderBy(u => u.NormalizedUserName).ToListAsync(ct);
    }

    /// <summary>Groups the user is a direct member of, with the role there.</summary>
    public Task<List<GroupMember>> MembershipsAsync(long userId, CancellationToken ct = default) =>
        db.GroupMembers.AsNoTracking().Include(m => m.Group).Where(m => m.UserId == userId).OrderBy(m => m.Group.NormalizedUserName).ToListAsync(ct);

    /// <summary>Creates a group (a subgroup of <paramref name="parentName"/> when given); its creator becomes its owner.</summary>
    public async Task<(ForgeUser? Group, RepositoryError? Error)> CreateAsync(Viewer viewer, string? name, string? fullName, string? description,
        AccountVisibility visibility, string? parentName, CancellationToken ct = default)
    {
        if (viewer.UserId is not { } creatorId) return (null, new RepositoryError("Name", "Connectez-vous pour créer un groupe."));
        name = name?.Trim();
        if (NameRules.ValidateGroupName(name) is { } invalid) return (null, new RepositoryError("Name", invalid));
        if (Describe(ref fullName, ref description) is { } bad) return (null, bad);
        if (!Enum.IsDefined(visibility)) return (null, new RepositoryError("Visibility", "Choisissez une visibilité : public, interne ou privé."));
        ForgeUser? parent = null;
        if (!string.IsNullOrWhiteSpace(parentName))
        {
            parent = await FindVisibleAsync(parentName, viewer, ct);
            if (parent is null) return (null, new RepositoryError("Parent", $"Aucun groupe ne s’appelle « {parentName.Trim()} »."));
            if (!CanManage(parent, viewer))
                return (null, new RepositoryError("Parent", $"Seuls les mainteneurs et propriétaires de « {parent.UserName} » peuvent y créer un sous-groupe."));
            if (await DepthAsync(parent, ct) >= GroupRoles.MaxDepth)
                return (null, new RepositoryError("Parent", $"Les groupes s’imbriquent sur {GroupRoles.MaxDepth} niveaux au plus."));
            if (visibility < parent.Visibility)
                return (null, new RepositoryError("Visibility",
                    $"Un sous-groupe ne peut pas être plus ouvert que son groupe : « {parent.UserName} » est {VisibilityLabel(parent.Visibility).ToLowerInvariant()}."));
        }
        var normalized = name!.ToUpperInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, ct))
            return (null, Taken(name));
        var group = new ForgeUser
        {
            UserName = name, NormalizedUserName = normalized, Kind = AccountKind.Group, FullName = fullName, Description = description,
            Visibility = visibility, ParentGroupId = parent?.Id, SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
        };
        db.Users.Add(group);
        // The name is a real account again: an old group name pointing elsewhere stops redirecting.
        db.OwnerRedirects.RemoveRange(db.OwnerRedirects.Where(r => r.NormalizedName == normalized));
        db.GroupMembers.Add(new GroupMember { Group = group, UserId = creatorId, Role = GroupRole.Owner });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            DetachAll();
            return (null, Taken(name));
        }
        return (group, null);
    }

    private static RepositoryError Taken(string name) =>
        new("Name", $"Le nom « {name} » est déjà pris par une personne ou un groupe.", IsConflict: true);

    private static RepositoryError? Describe(ref string? fullName, ref string? description)
    {
        fullName = string.IsNullOrWhiteSpace(fullName) ? null : fullName.Trim();
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (fullName is { Length: > 200 }) return new RepositoryError("FullName", "Le nom affiché ne peut pas dépasser 200 caractères.");
        if (description is { Length: > 2000 }) return new RepositoryError("Description", "La description ne peut pas dépasser 2 000 caractères.");
        return null;
    }

    private async Task<int> DepthAsync(ForgeUser group, CancellationToken ct)
    {
        var depth = 1;
        var parentId = group.ParentGroupId;
        while (parentId is { } id && depth <= GroupRoles.MaxDepth)
        {
            parentId = await db.Users.Where(u => u.Id == id).Select(u => u.ParentGroupId).FirstOrDefaultAsync(ct);
            depth++;
        }
        return depth;
    }

    private void DetachAll()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList()) entry.State = EntityState.Detached;
    }

    public async Task<RepositoryError?> EditAsync(ForgeUser group, string? fullName, string? description, CancellationToken ct = default)
    {
        if (Describe(ref fullName, ref description) is { } bad) return bad;
        group.FullName = fullName;
        group.Description = description;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Changes who sees the group. A subgroup is never more open than its parent, so opening past the parent, or
    /// closing below an open subgroup, is refused. The search index follows for every repository of the group.
    /// </summary>
    public async Task<RepositoryError?> SetVisibilityAsync(ForgeUser group, AccountVisibility visibility, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(visibility)) return new RepositoryError("Visibility", "Choisissez une visibilité : public, interne ou privé.");
        if (visibility == group.Visibility) return null;
        if (group.ParentGroupId is { } parentId && await db.Users.FirstOrDefaultAsync(u => u.Id == parentId, ct) is { } parent && visibility < parent.Visibility)
            return new RepositoryError("Visibility",
                $"Un sous-groupe ne peut pas être plus ouvert que son groupe : « {parent.UserName} » est {VisibilityLabel(parent.Visibility).ToLowerInvariant()}.");
        var opener = await db.Users.Where(u => u.ParentGroupId == group.Id && u.Visibility < visibility).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        if (opener is not null)
            return new RepositoryError("Visibility", $"Le sous-groupe « {opener} » est plus ouvert : changez d’abord sa visibilité.");
        group.Visibility = visibility;
        await db.SaveChangesAsync(ct);
        await ReindexRepositoriesAsync(group.Id, ct);
        return null;
    }

    /// <summary>
    /// Moves the group (with its subgroups) under another parent, or to the top level when <paramref name="parentName"/> is
    /// empty: owners of the group, of its current parent and of the new one (admins always). Refused, changing nothing, when
    /// the new parent is the group itself or one of its subgroups, when the nesting would pass <see cref="GroupRoles.MaxDepth"/>
    /// levels, or when the group is more open than the new parent. Names stay flat, so no address changes; roles inherited from
    /// the old parent end and those of the new one apply at once (the tree of groups follows the accounts' version).
    /// </summary>
    public async Task<RepositoryError?> MoveAsync(ForgeUser group, Viewer viewer, string? parentName, CancellationToken ct = default)
    {
        if (!IsOwner(group, viewer)) return new RepositoryError("Parent", "Seuls les propriétaires du groupe peuvent le déplacer.");
        ForgeUser? parent = null;
        if (!string.IsNullOrWhiteSpace(parentName))
        {
            parent = await FindVisibleAsync(parentName, viewer, ct);
            if (parent is null) return new RepositoryError("Parent", $"Aucun groupe ne s’appelle « {parentName.Trim()} ».");
            if (!IsOwner(parent, viewer))
                return new RepositoryError("Parent", $"Seuls les propriétaires de « {parent.UserName} » peuvent y placer un sous-groupe.");
            for (long? id = parent.Id; id is { } current; id = await db.Users.Where(u => u.Id == current).Select(u => u.ParentGroupId).FirstOrDefaultAsync(ct))
                if (current == group.Id)
                    return new RepositoryError("Parent", parent.Id == group.Id ? "Un groupe ne peut pas être son propre parent."
                        : $"« {parent.UserName} » est un sous-groupe de « {group.UserName} » : un groupe ne peut pas entrer dans l’un de ses sous-groupes.");
            if (await DepthAsync(parent, ct) + await HeightAsync(group.Id, ct) > GroupRoles.MaxDepth)
                return new RepositoryError("Parent", $"Les groupes s’imbriquent sur {GroupRoles.MaxDepth} niveaux au plus : « {group.UserName} » et ses sous-groupes n’y tiennent pas.");
            if (group.Visibility < parent.Visibility)
                return new RepositoryError("Parent",
                    $"Un sous-groupe ne peut pas être plus ouvert que son groupe : « {parent.UserName} » est {VisibilityLabel(parent.Visibility).ToLowerInvariant()}, rendez d’abord « {group.UserName} » au moins aussi fermé.");
        }
        if (group.ParentGroupId == parent?.Id) return null;
        if (group.ParentGroupId is { } oldId && await db.Users.FirstOrDefaultAsync(u => u.Id == oldId, ct) is { } old && !IsOwner(old, viewer))
            return new RepositoryError("Parent", $"Seuls les propriétaires de « {old.UserName} » peuvent en retirer un sous-groupe.");
        group.ParentGroupId = parent?.Id;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Levels of the group and its subgroups (1 for a group without subgroups).</summary>
    private async Task<int> HeightAsync(long groupId, CancellationToken ct)
    {
        var level = new List<long> { groupId };
        var height = 0;
        while (level.Count > 0 && height <= GroupRoles.MaxDepth)
        {
            height++;
            var current = level;
            level = await db.Users.Where(u => u.ParentGroupId != null && current.Contains(u.ParentGroupId.Value)).Select(u => u.Id).ToListAsync(ct);
        }
        return height;
    }

    /// <summary>Groups the viewer owns where <paramref name="group"/> could go (not itself, not one of its subgroups), by name.</summary>
    public async Task<List<ForgeUser>> MoveTargetsAsync(ForgeUser group, Viewer viewer, CancellationToken ct = default)
    {
        var owned = (await GroupsWhereAsync(viewer, GroupRole.Owner, ct)).Where(g => g.Id != group.Id && g.Id != group.ParentGroupId).ToList();
        var below = new HashSet<long>();
        var level = new List<long> { group.Id };
        while (level.Count > 0)
        {
            var current = level;
            level = await db.Users.Where(u => u.ParentGroupId != null && current.Contains(u.ParentGroupId.Value)).Select(u => u.Id).ToListAsync(ct);
            level.RemoveAll(id => !below.Add(id));
        }
        return owned.Where(g => !below.Contains(g.Id)).OrderBy(g => g.UserName).ToList();
    }

    private async Task ReindexRepositoriesAsync(long groupId, CancellationToken ct)
    {
        foreach (var id in await db.Repositories.Where(r => r.OwnerId == groupId).Select(r => r.Id).ToListAsync(ct)) jobs.RepositoryChanged(id);
    }

    /// <summary>Renames the group; the old name (its page and its repositories' pages and git URLs) redirects until an account takes it.</summary>
    public async Task<RepositoryError?> RenameAsync(ForgeUser group, string? newName, CancellationToken ct = default)
    {
        newName = newName?.Trim();
        if (NameRules.ValidateGroupName(newName) is { } invalid) return new RepositoryError("Name", invalid);
        if (newName == group.UserName) return null;
        var normalized = newName!.ToUpperInvariant();
        var oldNormalized = group.NormalizedUserName!;
        if (normalized != oldNormalized && await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, ct)) return Taken(newName);
        db.OwnerRedirects.RemoveRange(db.OwnerRedirects.Where(r => r.NormalizedName == normalized || r.NormalizedName == oldNormalized));
        if (normalized != oldNormalized) db.OwnerRedirects.Add(new OwnerRedirect { NormalizedName = oldNormalized, AccountId = group.Id });
        group.UserName = newName;
        group.NormalizedUserName = normalized;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            DetachAll();
            await db.Entry(group).ReloadAsync(CancellationToken.None);
            return Taken(newName);
        }
        await ReindexRepositoriesAsync(group.Id, ct);
        return null;
    }

    /// <summary>Deletes an empty group (no repository, no subgroup) with its memberships, invitations and redirects.</summary>
    public async Task<RepositoryError?> DeleteAsync(ForgeUser group, CancellationToken ct = default)
    {
        var repositories = await db.Repositories.CountAsync(r => r.OwnerId == group.Id, ct);
        if (repositories > 0)
            return new RepositoryError("Delete", $"Le groupe contient encore {repositories} dépôt{(repositories > 1 ? "s" : "")} : supprimez-les ou transférez-les d’abord.");
        var subgroups = await db.Users.CountAsync(u => u.ParentGroupId == group.Id, ct);
        if (subgroups > 0)
            return new RepositoryError("Delete", $"Le groupe contient encore {subgroups} sous-groupe{(subgroups > 1 ? "s" : "")} : supprimez-les d’abord.");
        db.Users.Remove(group);
        await db.SaveChangesAsync(ct);
        return null;
    }

    private async Task<ForgeUser?> FindPersonAsync(string? userName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName)) return null;
        var normalized = userName.Trim().ToUpperInvariant();
        return await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
    }

    /// <summary>
    /// Adds <paramref name="userName"/> with <paramref name="role"/>, or changes their role. Maintainers manage readers,
    /// writers and maintainers; only owners grant or take away the owner role; the last owner keeps it.
    /// </summary>
    public async Task<(GroupMember? Member, RepositoryError? Error)> SetMemberAsync(ForgeUser group, Viewer by, string? userName, GroupRole role,
        CancellationToken ct = default, bool addOnly = false)
    {
        if (!Enum.IsDefined(role)) return (null, new RepositoryError("Role", "Choisissez un rôle : lecteur, rédacteur, mainteneur ou propriétaire."));
        var user = await FindPersonAsync(userName, ct);
        if (user is null)
            return (null, new RepositoryError("UserName", string.IsNullOrWhiteSpace(userName) ? "Indiquez le nom d’utilisateur de la personne à ajouter."
                : $"Aucun utilisateur ne s’appelle « {userName.Trim()} »."));
        if (user.IsGroup) return (null, new RepositoryError("UserName", $"« {user.UserName} » est un groupe : ajoutez plutôt des personnes."));
        var existing = await db.GroupMembers.Include(m => m.User).FirstOrDefaultAsync(m => m.GroupId == group.Id && m.UserId == user.Id, ct);
        if (existing is not null && addOnly)
            return (null, new RepositoryError("UserName", $"{user.UserName} est déjà membre ({RoleLabel(existing.Role).ToLowerInvariant()}) : changez son rôle dans la liste."));
        if ((role == GroupRole.Owner || existing?.Role == GroupRole.Owner) && !IsOwner(group, by))
            return (null, new RepositoryError("Role", "Seuls les propriétaires du groupe nomment ou destituent un propriétaire."));
        if (existing is { Role: GroupRole.Owner } && role != GroupRole.Owner && await IsLastOwnerAsync(group, existing, ct))
            return (null, new RepositoryError("Role", $"{user.UserName} est le dernier propriétaire du groupe : nommez d’abord un autre propriétaire."));
        if (existing is null)
        {
            existing = new GroupMember { GroupId = group.Id, UserId = user.Id, User = user, Role = role };
            db.GroupMembers.Add(existing);
        }
        else existing.Role = role;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            DetachAll();
            return (null, new RepositoryError("UserName", $"{user.UserName} vient d’être ajouté par quelqu’un d’autre.", IsConflict: true));
        }
        return (existing, null);
    }

    private async Task<bool> IsLastOwnerAsync(ForgeUser group, GroupMember member, CancellationToken ct) =>
        member.Role == GroupRole.Owner && !await db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.Role == GroupRole.Owner && m.Id != member.Id, ct);

    /// <summary>Removes a member (or lets one leave: <paramref name="by"/> is then the member). The last owner cannot leave.</summary>
    public async Task<RepositoryError?> RemoveMemberAsync(ForgeUser group, Viewer by, string? userName, CancellationToken ct = default)
    {
        var normalized = userName?.Trim().ToUpperInvariant();
        var member = await db.GroupMembers.Include(m => m.User).FirstOrDefaultAsync(m => m.GroupId == group.Id && m.User.NormalizedUserName == normalized, ct);
        if (member is null) return new RepositoryError(NotMemberField, $"« {userName?.Trim()} » n’est pas membre de ce groupe.");
        var leaving = member.UserId == by.UserId;
        if (!leaving && !CanManage(group, by)) return new RepositoryError("UserName", "Seuls les mainteneurs et propriétaires du groupe retirent des membres.");
        if (!leaving && member.Role == GroupRole.Owner && !IsOwner(group, by))
            return new RepositoryError("UserName", "Seuls les propriétaires du groupe retirent un propriétaire.");
        if (await IsLastOwnerAsync(group, member, ct))
            return new RepositoryError("UserName", leaving
                ? "Vous êtes le dernier propriétaire du groupe : nommez d’abord un autre propriétaire, ou supprimez le groupe."
                : $"{member.User.UserName} est le dernier propriétaire du groupe : nommez d’abord un autre propriétaire.");
        db.GroupMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Invites an e-mail address with a role: returns the secret of the invitation link (shown once to whoever invites;
    /// no e-mail is sent yet). Whoever signs in and opens the link within <see cref="InvitationLifetime"/> joins.
    /// </summary>
    public async Task<(string? Secret, GroupInvitation? Invitation, RepositoryError? Error)> InviteAsync(ForgeUser group, Viewer by, string? email, GroupRole role, CancellationToken ct = default)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            return (null, null, new RepositoryError("Email", "Indiquez une adresse électronique valide, par exemple prenom.nom@ac-lyon.fr."));
        if (!Enum.IsDefined(role)) return (null, null, new RepositoryError("Role", "Choisissez un rôle : lecteur, rédacteur, mainteneur ou propriétaire."));
        if (role == GroupRole.Owner && !IsOwner(group, by))
            return (null, null, new RepositoryError("Role", "Seuls les propriétaires du groupe invitent un propriétaire."));
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.GroupInvitations.CountAsync(i => i.GroupId == group.Id && i.ExpiresAt >= now, ct) >= MaxPendingInvitations)
            return (null, null, new RepositoryError("Email", $"Ce groupe a déjà {MaxPendingInvitations} invitations en attente : annulez-en ou attendez qu’elles expirent."));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        db.GroupInvitations.RemoveRange(db.GroupInvitations.Where(i => i.ExpiresAt < now));
        var invitation = new GroupInvitation
        {
            GroupId = group.Id, Email = email, Role = role, TokenHash = HashOf(secret), InvitedById = by.UserId ?? 0, CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        };
        db.GroupInvitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        return (secret, invitation, null);
    }

    public Task<List<GroupInvitation>> PendingInvitationsAsync(ForgeUser group, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.GroupInvitations.AsNoTracking().Where(i => i.GroupId == group.Id && i.ExpiresAt >= now).OrderBy(i => i.CreatedAt).ToListAsync(ct);
    }

    public async Task<bool> CancelInvitationAsync(ForgeUser group, long invitationId, CancellationToken ct = default)
    {
        var invitation = await db.GroupInvitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.GroupId == group.Id, ct);
        if (invitation is null) return false;
        db.GroupInvitations.Remove(invitation);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The valid (not expired) invitation behind a link's secret, with its group, or null.</summary>
    public async Task<GroupInvitation?> FindInvitationAsync(string? secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100) return null;
        var hash = HashOf(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.GroupInvitations.Include(i => i.Group).FirstOrDefaultAsync(i => i.TokenHash == hash && i.ExpiresAt >= now, ct);
    }

    /// <summary>Joins the invitation's group with its role (never lowering a role the user already has there); the link is used up.</summary>
    public async Task<GroupRole> AcceptAsync(GroupInvitation invitation, long userId, CancellationToken ct = default)
    {
        var member = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == invitation.GroupId && m.UserId == userId, ct);
        if (member is null) db.GroupMembers.Add(member = new GroupMember { GroupId = invitation.GroupId, UserId = userId, Role = invitation.Role });
        else if (member.Role < invitation.Role) member.Role = invitation.Role;
        db.GroupInvitations.Remove(invitation);
        await db.SaveChangesAsync(ct);
        return member.Role;
    }

    private static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
