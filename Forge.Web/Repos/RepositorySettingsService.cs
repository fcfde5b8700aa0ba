using Forge.Core.Naming;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>
/// Settings of a repository: name, description, visibility, default branch, collaborators, protected branches and
/// transfer. Settings pages and the API both call it; they check <see cref="RepositoryService.CanAdmin"/> (or
/// <see cref="RepositoryService.IsOwnerOrAdmin"/> for a transfer) first, and map a <see cref="RepositoryError"/> to
/// their own answer.
/// </summary>
public sealed class RepositorySettingsService(ForgeDbContext db, RepositoryStore store, GitReader reader, IForgeJobs jobs)
{
    /// <summary>Renames the repository; the old name keeps redirecting (pages and git URLs) until a new repository takes it.</summary>
    public async Task<RepositoryError?> RenameAsync(RepositoryEntity repo, string? newName, CancellationToken ct = default)
    {
        newName = newName?.Trim();
        if (NameRules.ValidateRepositoryName(newName) is { } invalid) return new RepositoryError("Name", invalid);
        if (newName == repo.Name) return null;
        var lower = newName!.ToLowerInvariant();
        if (lower != repo.LowerName && await db.Repositories.AnyAsync(r => r.OwnerId == repo.OwnerId && r.LowerName == lower, ct))
            return new RepositoryError("Name", $"Il existe déjà un dépôt nommé « {newName} » chez {repo.Owner.UserName}.", IsConflict: true);
        if (lower != repo.LowerName) await AddRedirectAsync(repo.OwnerId, repo.LowerName, repo.Id, ct);
        db.RepositoryRedirects.RemoveRange(db.RepositoryRedirects.Where(r => r.OwnerId == repo.OwnerId && r.LowerName == lower));
        repo.Name = newName;
        repo.LowerName = lower;
        return await SaveAsync(repo, "Name", $"Il existe déjà un dépôt nommé « {newName} ».", ct);
    }

    public async Task<RepositoryError?> SetDescriptionAsync(RepositoryEntity repo, string? description, CancellationToken ct = default)
    {
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (description is { Length: > 2000 }) return new RepositoryError("Description", "La description ne peut pas dépasser 2 000 caractères.");
        repo.Description = description;
        return await SaveAsync(repo, "Description", "", ct);
    }

    /// <summary>
    /// Makes the repository public or private; the search index follows through a job. A fork of a private repository
    /// stays private.
    /// </summary>
    public async Task<RepositoryError?> SetVisibilityAsync(RepositoryEntity repo, bool isPrivate, CancellationToken ct = default)
    {
        if (repo.IsPrivate == isPrivate) return null;
        if (!isPrivate && await Forks.ForkRules.PublicRefusalAsync(db, repo, ct) is { } refusal) return new RepositoryError("Visibility", refusal);
        if (Accounts.StudentRules.PublishRefusal(repo.Owner, isPrivate) is { } studentOnly) return new RepositoryError("Visibility", studentOnly);
        repo.IsPrivate = isPrivate;
        return await SaveAsync(repo, "Visibility", "", ct);
    }

    /// <summary>Points HEAD at <paramref name="branch"/>, which must exist.</summary>
    public async Task<RepositoryError?> SetDefaultBranchAsync(RepositoryEntity repo, string? branch, CancellationToken ct = default)
    {
        var branches = reader.Branches(store.PathOf(repo.Id));
        if (string.IsNullOrEmpty(branch) || !branches.Contains(branch, StringComparer.Ordinal))
            return new RepositoryError("DefaultBranch", branches.Count == 0
                ? "Ce dépôt n’a encore aucune branche : envoyez d’abord un commit."
                : $"La branche « {branch} » n’existe pas dans ce dépôt.");
        await store.SetDefaultBranchAsync(repo.Id, branch, ct);
        repo.DefaultBranch = branch;
        return await SaveAsync(repo, "DefaultBranch", "", ct);
    }

    /// <summary>Gives the repository to another user; the old owner/name redirects, and the new owner stops being a collaborator.</summary>
    public async Task<RepositoryError?> TransferAsync(RepositoryEntity repo, string? newOwnerName, CancellationToken ct = default, Viewer? by = null)
    {
        var target = await FindUserAsync(newOwnerName, ct);
        if (target is null) return new RepositoryError("NewOwner", $"Aucun utilisateur ne s’appelle « {newOwnerName?.Trim()} ».");
        // Into a group only for who may create repositories there (its writers and up).
        if (target.IsGroup && !(by is not null && (by.IsAdmin || by.RoleIn(target.Id) >= GroupRole.Writer)))
            return new RepositoryError("NewOwner", $"Vous ne pouvez pas créer de dépôt dans le groupe « {target.UserName} » : il faut y être au moins rédacteur.");
        if (target.Id == repo.OwnerId) return new RepositoryError("NewOwner", $"{target.UserName} possède déjà ce dépôt.");
        if (Accounts.StudentRules.PublishRefusal(target, repo.IsPrivate) is not null)
            return new RepositoryError("NewOwner", $"{target.UserName} est élève et ne peut avoir que des dépôts privés : rendez ce dépôt privé avant de le lui transférer.");
        if (await db.Repositories.AnyAsync(r => r.OwnerId == target.Id && r.LowerName == repo.LowerName, ct))
            return new RepositoryError("NewOwner", $"{target.UserName} a déjà un dépôt nommé « {repo.Name} ».", IsConflict: true);
        await AddRedirectAsync(repo.OwnerId, repo.LowerName, repo.Id, ct);
        db.RepositoryRedirects.RemoveRange(db.RepositoryRedirects.Where(r => r.OwnerId == target.Id && r.LowerName == repo.LowerName));
        db.Collaborators.RemoveRange(db.Collaborators.Where(c => c.RepositoryId == repo.Id && c.UserId == target.Id));
        repo.OwnerId = target.Id;
        repo.Owner = target;
        return await SaveAsync(repo, "NewOwner", $"{target.UserName} a déjà un dépôt nommé « {repo.Name} ».", ct);
    }

    public Task<List<Collaborator>> CollaboratorsAsync(RepositoryEntity repo, CancellationToken ct = default) =>
        db.Collaborators.Include(c => c.User).Where(c => c.RepositoryId == repo.Id).OrderBy(c => c.User.UserName).ToListAsync(ct);

    /// <summary>Adds <paramref name="userName"/> with <paramref name="role"/>, or changes the role of an existing collaborator.</summary>
    public async Task<(Collaborator? Collaborator, RepositoryError? Error)> SetCollaboratorAsync(RepositoryEntity repo, string? userName,
        CollaboratorRole role, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(role)) return (null, new RepositoryError("Role", "Choisissez un rôle : lecteur, rédacteur ou mainteneur."));
        var user = await FindUserAsync(userName, ct);
        if (user is null)
            return (null, new RepositoryError("UserName", string.IsNullOrWhiteSpace(userName) ? "Indiquez le nom d’utilisateur de la personne à ajouter."
                : $"Aucun utilisateur ne s’appelle « {userName.Trim()} »."));
        if (user.Id == repo.OwnerId) return (null, new RepositoryError("UserName", $"{user.UserName} est propriétaire du dépôt et a déjà tous les droits."));
        if (user.IsGroup) return (null, new RepositoryError("UserName", $"« {user.UserName} » est un groupe : ajoutez plutôt des personnes."));
        var existing = await db.Collaborators.FirstOrDefaultAsync(c => c.RepositoryId == repo.Id && c.UserId == user.Id, ct);
        if (existing is null)
        {
            existing = new Collaborator { RepositoryId = repo.Id, UserId = user.Id, Role = role };
            db.Collaborators.Add(existing);
        }
        existing.Role = role;
        existing.User = user;
        await db.SaveChangesAsync(ct);
        return (existing, null);
    }

    /// <summary>Removes a collaborator; false when <paramref name="userName"/> was not one.</summary>
    public async Task<bool> RemoveCollaboratorAsync(RepositoryEntity repo, string userName, CancellationToken ct = default)
    {
        var normalized = userName.Trim().ToUpperInvariant();
        var existing = await db.Collaborators.FirstOrDefaultAsync(c => c.RepositoryId == repo.Id && c.User.NormalizedUserName == normalized, ct);
        if (existing is null) return false;
        db.Collaborators.Remove(existing);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public Task<List<ProtectedBranch>> ProtectedBranchesAsync(RepositoryEntity repo, CancellationToken ct = default) =>
        db.ProtectedBranches.Where(p => p.RepositoryId == repo.Id).OrderBy(p => p.Pattern).ToListAsync(ct);

    public Task<ProtectedBranch?> ProtectedBranchAsync(RepositoryEntity repo, string pattern, CancellationToken ct = default) =>
        db.ProtectedBranches.FirstOrDefaultAsync(p => p.RepositoryId == repo.Id && p.Pattern == pattern, ct);

    /// <summary>Creates a rule (<paramref name="rule"/> null) or updates one; the pattern is unique per repository.</summary>
    public async Task<(ProtectedBranch? Rule, RepositoryError? Error)> SaveProtectedBranchAsync(RepositoryEntity repo, ProtectedBranch? rule,
        string? pattern, PushLevel level, bool allowForcePush, bool allowDeletion, CancellationToken ct = default, int? requiredApprovals = null)
    {
        if (requiredApprovals is < 0 or > 20) return (null, new RepositoryError("RequiredApprovals", "Le nombre d’approbations requises va de 0 à 20."));
        pattern = pattern?.Trim();
        if (BranchPattern.Validate(pattern) is { } invalid) return (null, new RepositoryError("Pattern", invalid));
        if (!Enum.IsDefined(level)) return (null, new RepositoryError("PushLevel", "Choisissez qui peut envoyer des modifications."));
        if (await db.ProtectedBranches.AnyAsync(p => p.RepositoryId == repo.Id && p.Pattern == pattern && (rule == null || p.Id != rule.Id), ct))
            return (null, new RepositoryError("Pattern", $"Une règle existe déjà pour « {pattern} ».", IsConflict: true));
        if (rule is null)
        {
            rule = new ProtectedBranch { RepositoryId = repo.Id, Pattern = pattern! };
            db.ProtectedBranches.Add(rule);
        }
        rule.Pattern = pattern!;
        rule.PushLevel = level;
        rule.AllowForcePush = allowForcePush;
        rule.AllowDeletion = allowDeletion;
        if (requiredApprovals is { } approvals) rule.RequiredApprovals = approvals;
        rule.UpdatedAt = DateTime.UtcNow;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return (null, new RepositoryError("Pattern", $"Une règle existe déjà pour « {pattern} ».", IsConflict: true));
        }
        return (rule, null);
    }

    public async Task DeleteProtectedBranchAsync(ProtectedBranch rule, CancellationToken ct = default)
    {
        db.ProtectedBranches.Remove(rule);
        await db.SaveChangesAsync(ct);
    }

    private Task<ForgeUser?> FindUserAsync(string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return Task.FromResult<ForgeUser?>(null);
        var normalized = name.Trim().ToUpperInvariant();
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
    }

    private async Task AddRedirectAsync(long ownerId, string lowerName, long repositoryId, CancellationToken ct)
    {
        var existing = await db.RepositoryRedirects.FirstOrDefaultAsync(r => r.OwnerId == ownerId && r.LowerName == lowerName, ct);
        if (existing is null) db.RepositoryRedirects.Add(new RepositoryRedirect { OwnerId = ownerId, LowerName = lowerName, RepositoryId = repositoryId });
        else existing.RepositoryId = repositoryId;
    }

    private async Task<RepositoryError?> SaveAsync(RepositoryEntity repo, string field, string conflict, CancellationToken ct)
    {
        repo.UpdatedAt = DateTime.UtcNow;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request took the name first: the unique index decided.
            await db.Entry(repo).ReloadAsync(CancellationToken.None);
            return new RepositoryError(field, conflict, IsConflict: true);
        }
        jobs.RepositoryChanged(repo.Id);
        // Forks' search documents name their source and depend on its visibility.
        foreach (var fork in await Forks.ForkRules.ForkIdsAsync(db, repo.Id, ct)) jobs.RepositoryChanged(fork);
        return null;
    }
}
