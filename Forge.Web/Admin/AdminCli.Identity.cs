using System.Security.Cryptography;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Admin;

/// <summary><c>forge admin client …</c> (OpenID Connect applications) and <c>forge admin user reset-password</c>.</summary>
public static partial class AdminCli
{
    private static async Task<int> ClientAsync(IServiceProvider sp, string[] positional, Dictionary<string, string> options, HashSet<string> flags, string[] args)
    {
        var clients = sp.GetRequiredService<ClientApplications>();
        switch (positional)
        {
            case ["create", var id]:
            {
                var scopes = (options.GetValueOrDefault("scopes") ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var request = new ClientRequest(id, options.GetValueOrDefault("name"), options.GetValueOrDefault("secret"), flags.Contains("public"),
                    AllValues(args, "redirect-uri"), scopes, AllValues(args, "post-logout-redirect-uri") is { Count: > 0 } logout ? logout : null);
                var errors = await clients.ValidateAsync(request);
                if (errors.Count > 0) return Fail(string.Join("\n", errors.Values));
                var secret = await clients.CreateAsync(request);
                Console.WriteLine($"Application « {id} » enregistrée ({(request.IsPublic ? "publique : PKCE obligatoire" : "confidentielle")}).");
                if (secret is not null && string.IsNullOrEmpty(request.Secret))
                {
                    Console.WriteLine("Son secret, affiché une seule fois :");
                    Console.WriteLine(secret);
                }
                return 0;
            }
            case ["list"]:
                foreach (var c in await clients.ListAsync())
                    Console.WriteLine($"{c.ClientId}\t{(c.IsPublic ? "publique" : "confidentielle")}\t{string.Join(' ', c.Scopes)}\t{string.Join(' ', c.RedirectUris)}");
                return 0;
            case ["delete", var id]:
                return await clients.DeleteAsync(id) ? Ok($"Application « {id} » supprimée : ses jetons ne fonctionnent plus.") : Fail($"Application « {id} » introuvable.");
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    /// <summary>Sets a new password (given, or drawn and printed on the last line) and lifts a lockout.</summary>
    private static async Task<int> ResetPasswordAsync(IServiceProvider sp, string name, string? password)
    {
        var users = sp.GetRequiredService<UserManager<ForgeUser>>();
        var user = await users.FindByNameAsync(name);
        if (user is null) return Fail($"Utilisateur « {name} » introuvable.");
        if (user.IsGroup) return Fail($"« {name} » est un groupe : un groupe n’a pas de mot de passe.");
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
        // A new password renews the security stamp: sessions and remembered git passwords end.
        var result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password!);
        if (!result.Succeeded) return Fail(string.Join("\n", result.Errors.Select(e => e.Description)));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        Console.WriteLine($"Mot de passe de « {user.UserName} » remplacé ; le compte est débloqué.");
        if (generated)
        {
            Console.WriteLine("Nouveau mot de passe, à transmettre à son titulaire :");
            Console.WriteLine(password);
        }
        return 0;
    }

    /// <summary>Every value of a repeatable option (<c>--redirect-uri A --redirect-uri B</c>, or <c>--redirect-uri=A</c>).</summary>
    private static List<string> AllValues(string[] args, string key)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--" + key && i + 1 < args.Length) values.Add(args[++i]);
            else if (args[i].StartsWith($"--{key}=", StringComparison.Ordinal)) values.Add(args[i][(key.Length + 3)..]);
        }
        return values;
    }

    private static int Ok(string message)
    {
        Console.WriteLine(message);
        return 0;
    }
}
