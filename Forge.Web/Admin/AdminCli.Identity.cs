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
