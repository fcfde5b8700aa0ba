using System.Security.Cryptography;
using Forge.Web.Accounts;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Admin;

/// <summary><c>forge admin user role</c> and <c>forge admin user reset-password</c>.</summary>
public static class AccountCommands
{
    public static async Task<int> SetRoleAsync(IServiceProvider sp, string name, string roleName)
    {
        var user = await sp.GetRequiredService<UserManager<ForgeUser>>().FindByNameAsync(name);
        if (user is null) return AdminCli.Fail($"Utilisateur « {name} » introuvable.");
        if (AccountService.ParseRole(roleName) is not { } role) return AdminCli.Fail($"Rôle inconnu « {roleName} » : teacher, student ou admin.");
        if (await sp.GetRequiredService<AccountService>().SetRoleAsync(user, role) is { } error) return AdminCli.Fail(error);
        Console.WriteLine($"« {user.UserName} » est maintenant {AccountService.RoleLabel(role)}.");
        return 0;
    }

    /// <summary>Sets a new password (given, or drawn at random and printed on the last line), unlocks the account and ends its sessions.</summary>
    public static async Task<int> ResetPasswordAsync(IServiceProvider sp, string name, string? password)
    {
        var users = sp.GetRequiredService<UserManager<ForgeUser>>();
        var user = await users.FindByNameAsync(name);
        if (user is null) return AdminCli.Fail($"Utilisateur « {name} » introuvable.");
        if (user.IsGroup) return AdminCli.Fail($"« {name} » est un groupe : un groupe n’a pas de mot de passe.");
        var generated = password is null;
        password ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded) return AdminCli.Fail(string.Join("\n", result.Errors.Select(e => e.Description)));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        var ended = await sp.GetRequiredService<SessionStore>().RevokeAllAsync(user.Id, keep: null);
        Console.WriteLine($"Mot de passe de « {user.UserName} » remplacé ; le compte est débloqué ; {ended} session(s) fermée(s).");
        if (generated)
        {
            Console.WriteLine("Nouveau mot de passe, à transmettre à son titulaire :");
            Console.WriteLine(password);
        }
        return 0;
    }
}
