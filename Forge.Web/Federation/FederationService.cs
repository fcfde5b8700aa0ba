using System.Globalization;
using System.Security.Claims;
using System.Text;
using Forge.Core.Naming;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Federation;

/// <summary>Who the provider says the person is, read from its claims with the provider's claim mapping.</summary>
public sealed record ExternalIdentity(string Provider, string Subject, string? UserName, string? Email, bool EmailVerified, string? Role)
{
    public const string ClaimPrefix = "forge:external:";

    public static ExternalIdentity? From(FederationProvider provider, ClaimsPrincipal principal)
    {
        string? Claim(string type) => principal.FindFirst(type)?.Value is { Length: > 0 } v ? v.Trim() : null;
        var subject = Claim("sub") ?? Claim(ClaimTypes.NameIdentifier);
        if (subject is null) return null;
        var email = Claim(provider.EmailClaim) ?? Claim(ClaimTypes.Email);
        var verified = string.Equals(Claim("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        var role = provider.RoleClaim is { } roleClaim
            ? provider.MapRole(principal.FindAll(roleClaim).SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)))
            : null;
        return new ExternalIdentity(provider.Name, subject, Claim(provider.UserNameClaim) ?? Claim("name"), email, verified, role);
    }

    /// <summary>Kept in Identity's short-lived external cookie while the person confirms a link with her password.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimPrefix + "provider", Provider), new Claim(ClaimPrefix + "sub", Subject),
        new Claim(ClaimPrefix + "name", UserName ?? ""), new Claim(ClaimPrefix + "email", Email ?? ""),
        new Claim(ClaimPrefix + "email_verified", EmailVerified ? "true" : "false"), new Claim(ClaimPrefix + "role", Role ?? ""),
    ], scheme));

    public static ExternalIdentity? FromPrincipal(ClaimsPrincipal? principal)
    {
        string? Get(string name) => principal?.FindFirst(ClaimPrefix + name)?.Value is { Length: > 0 } v ? v : null;
        return Get("provider") is { } provider && Get("sub") is { } sub
            ? new ExternalIdentity(provider, sub, Get("name"), Get("email"), Get("email_verified") == "true", Get("role"))
            : null;
    }
}

/// <summary>What a callback from a provider leads to.</summary>
public abstract record FederationOutcome
{
    /// <summary>Sign <paramref name="User"/> in (an account found by its link, or just created).</summary>
    public sealed record SignIn(ForgeUser User, bool Created) : FederationOutcome;
    /// <summary>The provider was linked to the signed-in account.</summary>
    public sealed record Linked(ForgeUser User) : FederationOutcome;
    /// <summary>A local account has the provider's verified e-mail: its owner confirms with her password before linking.</summary>
    public sealed record ConfirmLink(ForgeUser User) : FederationOutcome;
    /// <summary>Refused; <see cref="Reason"/> is one of <see cref="FederationErrors"/>' codes.</summary>
    public sealed record Refused(string Reason) : FederationOutcome;
}

/// <summary>Accounts and external logins: find, create, link, unlink, and whether a password may still be used.</summary>
public sealed class FederationService(UserManager<ForgeUser> users, FederationProviders providers, Forge.Web.Accounts.AccountOptions accounts, ILogger<FederationService> log)
{
    /// <summary>Claim of the user (AspNetUserClaims) holding the Forge role the provider's role mapped to.</summary>
    public const string RoleClaimType = "forge:role";

    /// <summary>
    /// Decides what a verified answer of <paramref name="provider"/> means. <paramref name="linkTo"/> is the account that
    /// started the flow from its settings (still signed in: <paramref name="signedIn"/>), or null for a sign-in.
    /// </summary>
    public async Task<FederationOutcome> ResolveAsync(FederationProvider provider, ExternalIdentity identity, long? linkTo, long? signedIn)
    {
        var existing = await users.FindByLoginAsync(provider.Name, identity.Subject);
        if (linkTo is { } targetId)
        {
            // Linking from the settings page: the same person must still be signed in when the provider answers.
            if (signedIn != targetId) return new FederationOutcome.Refused(FederationErrors.State);
            if (existing is not null)
                return existing.Id == targetId ? new FederationOutcome.Linked(existing) : new FederationOutcome.Refused(FederationErrors.LinkedElsewhere);
            var target = await users.FindByIdAsync(targetId.ToString(CultureInfo.InvariantCulture));
            if (target is null || target.IsGroup) return new FederationOutcome.Refused(FederationErrors.State);
            return await LinkAsync(target, provider, identity) ? new FederationOutcome.Linked(target) : new FederationOutcome.Refused(FederationErrors.Failed);
        }
        if (existing is not null)
        {
            if (existing.IsGroup) return new FederationOutcome.Refused(FederationErrors.Failed);
            if (await users.IsLockedOutAsync(existing)) return new FederationOutcome.Refused(FederationErrors.LockedOut);
            await ApplyRoleAsync(existing, identity.Role);
            return new FederationOutcome.SignIn(existing, Created: false);
        }
        if (string.IsNullOrEmpty(identity.Email) || !identity.Email.Contains('@')) return new FederationOutcome.Refused(FederationErrors.NoEmail);
        if (await users.FindByEmailAsync(identity.Email) is { } sameEmail)
        {
            // Never link on an e-mail the provider did not verify: anyone could claim another's address there.
            if (!identity.EmailVerified || sameEmail.IsGroup) return new FederationOutcome.Refused(FederationErrors.EmailTaken);
            return new FederationOutcome.ConfirmLink(sameEmail);
        }
        var created = await CreateAsync(provider, identity);
        return created is null ? new FederationOutcome.Refused(FederationErrors.Failed) : new FederationOutcome.SignIn(created, Created: true);
    }

    /// <summary>Stores (provider, subject) in AspNetUserLogins for <paramref name="user"/>.</summary>
    public async Task<bool> LinkAsync(ForgeUser user, FederationProvider provider, ExternalIdentity identity)
    {
        var result = await users.AddLoginAsync(user, new UserLoginInfo(provider.Name, identity.Subject, provider.DisplayName));
        if (!result.Succeeded)
        {
            log.LogWarning("Linking {Provider} to {User} failed: {Errors}", provider.Name, user.UserName, string.Join("; ", result.Errors.Select(e => e.Code)));
            return false;
        }
        // Ends at once the git passwords remembered for this account, now that its password may no longer be used.
        if (provider.DisableLocalPassword) await users.UpdateSecurityStampAsync(user);
        await ApplyRoleAsync(user, identity.Role);
        return true;
    }

    private async Task<ForgeUser?> CreateAsync(FederationProvider provider, ExternalIdentity identity)
    {
        var baseName = UserNameFrom(identity.UserName) ?? UserNameFrom(identity.Email!.Split('@')[0]) ?? "utilisateur";
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            var name = attempt == 1 ? baseName : Suffixed(baseName, attempt);
            if (await users.FindByNameAsync(name) is not null) continue;
            // The instance's default role (as for a registration), unless the provider's role claim says otherwise below.
            var user = new ForgeUser { UserName = name, Email = identity.Email, EmailConfirmed = identity.EmailVerified, Role = accounts.DefaultRole };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded)
            {
                // Another sign-in took the name between the look-up and the insert: try the next one.
                if (result.Errors.Any(e => e.Code == "DuplicateUserName")) continue;
                log.LogWarning("Creating the account of {Provider}:{Subject} failed: {Errors}", provider.Name, identity.Subject, string.Join("; ", result.Errors.Select(e => e.Code)));
                return null;
            }
            if (await LinkAsync(user, provider, identity)) return user;
            await users.DeleteAsync(user);
            return null;
        }
        return null;
    }

    private static string Suffixed(string name, int n)
    {
        var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
        return name[..Math.Min(name.Length, 39 - suffix.Length)].TrimEnd('-', '_') + suffix;
    }

    /// <summary>
    /// A valid Forge user name from what the provider calls the person: accents dropped (« Éloïse » → « Eloise »),
    /// other characters turned into dashes, trimmed to 39; null when nothing usable remains or the name is reserved.
    /// </summary>
    public static string? UserNameFrom(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var plain = new StringBuilder();
        foreach (var c in value.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' ? c : '-');
        }
        var name = plain.ToString();
        while (name.Contains("--", StringComparison.Ordinal)) name = name.Replace("--", "-", StringComparison.Ordinal);
        name = name.Trim('-', '_');
        if (name.Length > 39) name = name[..39].TrimEnd('-', '_');
        if (name.Length == 0) return null;
        if (NameRules.Reserved.Contains(name)) name = Suffixed(name, 1);
        return NameRules.ValidateUserName(name) is null ? name : null;
    }

    /// <summary>
    /// Records the Forge role the provider's role claim mapped to (claim <c>forge:role</c>) and sets the instance role from
    /// it: teacher or student only, never administrator on a provider's word, and an administrator's role is left alone.
    /// </summary>
    private async Task ApplyRoleAsync(ForgeUser user, string? role)
    {
        if (role is null) return;
        var claims = await users.GetClaimsAsync(user);
        var current = claims.FirstOrDefault(c => c.Type == RoleClaimType);
        if (current is not null && current.Value != role) await users.ReplaceClaimAsync(user, current, new Claim(RoleClaimType, role));
        else if (current is null) await users.AddClaimAsync(user, new Claim(RoleClaimType, role));
        if (Forge.Web.Accounts.AccountService.ParseRole(role) is { } parsed and not InstanceRole.Administrator
            && !user.IsAdmin && user.Role != parsed)
        {
            user.Role = parsed;
            await users.UpdateAsync(user);
            log.LogInformation("Role of {Name} set to {Role} by provider mapping", user.UserName, parsed);
        }
    }

    /// <summary>The configured providers this account is linked to, and links to providers no longer configured.</summary>
    public async Task<IReadOnlyList<(UserLoginInfo Login, FederationProvider? Provider)>> LinksAsync(ForgeUser user) =>
        [.. (await users.GetLoginsAsync(user)).Select(l => (l, providers.Find(l.LoginProvider)))];

    /// <summary>
    /// The provider whose settings forbid this account's password (it is linked to one with DisableLocalPassword),
    /// or null when the password may be used. Costs nothing when no provider disables passwords.
    /// </summary>
    public async Task<FederationProvider?> PasswordDisabledByAsync(ForgeUser user)
    {
        if (!providers.All.Any(p => p.DisableLocalPassword)) return null;
        foreach (var (_, provider) in await LinksAsync(user))
            if (provider is { DisableLocalPassword: true }) return provider;
        return null;
    }

    /// <summary>
    /// Why this account may not sign in with a password, in French (the login page says it), or null when it may:
    /// a linked provider disables passwords, or the account was created by a provider and never had one.
    /// </summary>
    public async Task<string?> PasswordRefusalAsync(ForgeUser user)
    {
        if (user.IsGroup) return null;
        if (await PasswordDisabledByAsync(user) is { } provider)
            return $"Ce compte se connecte avec « {provider.DisplayName} » : son mot de passe n’est pas accepté. Utilisez le bouton « Se connecter avec {provider.DisplayName} » ; pour git, utilisez un jeton d’accès personnel.";
        if (await users.HasPasswordAsync(user)) return null;
        var linked = (await LinksAsync(user)).Where(l => l.Provider is not null).Select(l => l.Provider!.DisplayName).ToList();
        return linked.Count == 0 ? null
            : $"Ce compte n’a pas de mot de passe : il se connecte avec « {string.Join(" » ou « ", linked)} ». Utilisez le bouton correspondant ; pour git, utilisez un jeton d’accès personnel.";
    }

    /// <summary>
    /// Removes a link, only when the account keeps a way to sign in: another linked provider that is configured, or a
    /// password that no remaining provider disables. Returns null on success, else a French explanation.
    /// </summary>
    public async Task<string?> UnlinkAsync(ForgeUser user, string providerName)
    {
        var links = await LinksAsync(user);
        var link = links.FirstOrDefault(l => l.Login.LoginProvider == providerName);
        if (link.Login is null) return "Ce compte n’est pas lié à ce fournisseur.";
        var others = links.Where(l => l.Login.LoginProvider != providerName).ToList();
        var passwordUsable = await users.HasPasswordAsync(user) && !others.Any(o => o.Provider is { DisableLocalPassword: true });
        if (!passwordUsable && !others.Any(o => o.Provider is not null))
            return SharedResource.T("Impossible de délier « {0} » : ce serait votre seul moyen de vous connecter. Liez d’abord un autre fournisseur, ou demandez un mot de passe à l’administrateur.", link.Provider?.DisplayName ?? providerName);
        var result = await users.RemoveLoginAsync(user, link.Login.LoginProvider, link.Login.ProviderKey);
        return result.Succeeded ? null : "La liaison n’a pas pu être supprimée ; réessayez.";
    }
}
