using System.Text;
using Forge.Web.Data;
using Forge.Web.Mail;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Accounts;

/// <summary>What accounts do beyond Identity: e-mails with links, deletion, personal-data export, instance roles.</summary>
public sealed class AccountService(ForgeDbContext db, UserManager<ForgeUser> users, IMailSender mail, MailQueue outgoing, SessionStore sessions,
    RepositoryService repositories, Reviews.ReviewService reviews, ILogger<AccountService> log)
{
    public bool MailEnabled => mail.IsEnabled;

    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 2000) return null;
        try { return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

    /// <summary>Sends the confirmation link; without SMTP the address is taken as confirmed so a fresh install works.</summary>
    public async Task SendConfirmationAsync(ForgeUser user, string baseUrl)
    {
        if (!mail.IsEnabled)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
            return;
        }
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = $"{baseUrl}/user/confirm_email?user={user.Id}&code={Encode(token)}";
        Send(new MailMessage(user.Email!, "Forge : confirmez votre adresse électronique",
            $"Bonjour {user.UserName},\n\nPour confirmer votre adresse électronique sur Forge, ouvrez ce lien :\n{link}\n\n"
            + "Si vous n’avez pas créé de compte, ignorez ce message.\n"));
    }

    /// <summary>
    /// Sends a reset link if an account has this address; does nothing otherwise. The caller answers the same either
    /// way, and the message leaves in the background so the answer takes as long.
    /// </summary>
    public async Task SendPasswordResetAsync(string email, string baseUrl)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.IsGroup) return;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = $"{baseUrl}/user/reset_password?userId={user.Id}&code={Encode(token)}";
        Send(new MailMessage(user.Email!, "Forge : réinitialiser votre mot de passe",
            $"Bonjour {user.UserName},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable un jour, une seule fois) :\n{link}\n\n"
            + "Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n"));
    }

    private void Send(MailMessage message) => outgoing.Enqueue(message);

    /// <summary>Groups where the user is the only owner: deleting the account would leave them without one.</summary>
    public Task<List<string>> SoleOwnedGroupsAsync(long userId, CancellationToken ct = default) =>
        db.GroupMembers.Where(m => m.UserId == userId && m.Role == GroupRole.Owner
                && !db.GroupMembers.Any(o => o.GroupId == m.GroupId && o.UserId != userId && o.Role == GroupRole.Owner))
            .Select(m => m.Group.UserName!).OrderBy(n => n).ToListAsync(ct);

    /// <summary>
    /// Deletes the account: its repositories through <see cref="RepositoryService.DeleteAsync"/> (forks get their own
    /// copy first), its reviews (ratings recounted), then the account and everything that belongs to it (sessions,
    /// tokens, memberships, comments). Refused (with the groups) while it is the only owner of a group.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(ForgeUser user, CancellationToken ct = default)
    {
        var blocking = await SoleOwnedGroupsAsync(user.Id, ct);
        if (blocking.Count > 0) return blocking;
        await sessions.RevokeAllAsync(user.Id, keep: null, ct);
        foreach (var id in await db.Repositories.Where(r => r.OwnerId == user.Id).Select(r => r.Id).ToListAsync(ct))
        {
            var repo = await db.Repositories.Include(r => r.Owner).FirstAsync(r => r.Id == id, ct);
            await repositories.DeleteAsync(repo, ct);
        }
        var viewer = new Viewer(user.Id, false);
        foreach (var review in await db.ResourceReviews.Where(r => r.AuthorId == user.Id).Select(r => new { r.Id, r.RepositoryId }).ToListAsync(ct))
        {
            var repo = await db.Repositories.FirstAsync(r => r.Id == review.RepositoryId, ct);
            await reviews.DeleteAsync(repo, review.Id, viewer, ct);
        }
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        log.LogWarning("Account {Name} ({Id}) deleted", user.UserName, user.Id);
        return [];
    }

    /// <summary>Everything Forge keeps about a person (GDPR art. 15 and 20), never a secret nor a hash.</summary>
    public async Task<AccountExport> ExportAsync(ForgeUser user, CancellationToken ct = default)
    {
        var id = user.Id;
        return new AccountExport(
            DateTime.UtcNow,
            new ExportedProfile(user.UserName, user.FullName, user.Email, user.EmailConfirmed, user.EffectiveRole.ToString().ToLowerInvariant(), user.CanPublish,
                user.CreatedAt, user.TwoFactorEnabled, user.LockoutEnd),
            await db.UserSessions.Where(s => s.UserId == id).OrderBy(s => s.CreatedAt)
                .Select(s => new ExportedSession(s.CreatedAt, s.LastSeenAt, s.Device, s.Ip)).ToListAsync(ct),
            await db.AccessTokens.Where(t => t.UserId == id).OrderBy(t => t.CreatedAt)
                .Select(t => new ExportedToken(t.Name, t.LastEight, t.Scopes, t.CreatedAt, t.LastUsedAt, t.ExpiresAt))
                .ToListAsync(ct),
            await db.Repositories.Where(r => r.OwnerId == id).OrderBy(r => r.Name)
                .Select(r => new ExportedRepository(r.Name, r.Description, r.IsPrivate, r.CreatedAt)).ToListAsync(ct),
            await db.GroupMembers.Where(m => m.UserId == id).OrderBy(m => m.Group.UserName)
                .Select(m => new ExportedMembership(m.Group.UserName, m.Role.ToString().ToLowerInvariant(), m.CreatedAt)).ToListAsync(ct),
            await db.Collaborators.Where(c => c.UserId == id)
                .Select(c => new ExportedCollaboration(c.Repository.Owner.UserName + "/" + c.Repository.Name, c.Role.ToString().ToLowerInvariant())).ToListAsync(ct),
            await db.Stars.Where(s => s.UserId == id).Select(s => s.Repository.Owner.UserName + "/" + s.Repository.Name).ToListAsync(ct),
            await db.ResourceReviews.Where(r => r.AuthorId == id).OrderBy(r => r.CreatedAt)
                .Select(r => new ExportedReview(r.Repository.Owner.UserName + "/" + r.Repository.Name, r.Rating, r.Opinion, r.UsedFor, r.CreatedAt))
                .ToListAsync(ct),
            await db.MergeRequests.Where(m => m.AuthorId == id).OrderBy(m => m.CreatedAt)
                .Select(m => new ExportedMergeRequest(m.TargetRepository.Owner.UserName + "/" + m.TargetRepository.Name, m.Number, m.Title, m.Description, m.CreatedAt))
                .ToListAsync(ct),
            await db.Set<MergeRequestComment>().Where(c => c.AuthorId == id).OrderBy(c => c.CreatedAt)
                .Select(c => new ExportedComment(c.MergeRequest.TargetRepository.Owner.UserName + "/" + c.MergeRequest.TargetRepository.Name, c.MergeRequest.Number, c.Path, c.Body, c.CreatedAt))
                .ToListAsync(ct));
    }

    /// <summary>Sets the instance role (admin flag kept in step). Returns an error in French, or null.</summary>
    public async Task<string?> SetRoleAsync(ForgeUser user, InstanceRole role, ForgeUser? by = null)
    {
        if (user.IsGroup) return $"« {user.UserName} » est un groupe : un groupe n’a pas de rôle.";
        if (user.IsAdmin && role != InstanceRole.Administrator
            && !await db.Users.AnyAsync(u => u.IsAdmin && u.Id != user.Id && u.Kind == AccountKind.Person))
            return "C’est le dernier administrateur de l’instance : nommez-en un autre d’abord.";
        user.Role = role;
        user.IsAdmin = role == InstanceRole.Administrator;
        await users.UpdateAsync(user);
        log.LogWarning("Role of {Name} set to {Role} by {By}", user.UserName, role, by?.UserName ?? "the command line");
        return null;
    }

    public static InstanceRole? ParseRole(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "admin" or "administrator" or "administrateur" => InstanceRole.Administrator,
        "teacher" or "enseignant" => InstanceRole.Teacher,
        "student" or "eleve" or "élève" => InstanceRole.Student,
        _ => null,
    };

    public static string RoleLabel(InstanceRole role) => role switch
    {
        InstanceRole.Administrator => "administrateur",
        InstanceRole.Student => "élève",
        _ => "enseignant",
    };
}
