using Forge.Core.Naming;
using Forge.Web.Auth;
using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Admin;

/// <summary>
/// <c>./forge admin …</c>: operator commands that share the server's configuration (<c>--data</c>, <c>FORGE_DATA</c>,
/// <c>--db</c>) and work while the server runs. Output is plain text; a secret is always on the last line.
/// </summary>
public static partial class AdminCli
{
    private const string Usage = """
        Utilisation :
          forge admin user create NOM --email COURRIEL --password MOTDEPASSE [--admin] [--role teacher|student|admin]
          forge admin user role NOM teacher|student|admin
          forge admin user reset-password NOM [--password MOTDEPASSE]   (sans --password : un mot de passe est tiré et affiché)
          forge admin token create NOM [--name NOM_DU_JETON] [--scopes repo:read,repo:write,api] [--expires-days N]
          forge admin client create ID [--name "Nom affiché"] [--secret S | --public] [--redirect-uri URI ...]
                                       [--post-logout-redirect-uri URI ...] [--scopes openid,profile,email,offline_access,repo:read,repo:write,api]
          forge admin client list | forge admin client delete ID
          forge admin reindex            reconstruit tout l’index de recherche (le serveur peut tourner)
          forge admin seed --resources N [--files 10] [--seed 1] [--programmes DOSSIER] [--export FICHIER.jsonl] [--no-index]
                                         génère un catalogue fictif réaliste (dépôts git réels), puis l’indexe
        Options communes : --data DOSSIER (ou FORGE_DATA), --db URL (ou FORGE_DB)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var (positional, options, flags) = Parse(args);
        var hostArgs = new List<string>();
        foreach (var key in new[] { "data", "db" })
            if (options.TryGetValue(key, out var v)) hostArgs.AddRange([$"--{key}", v]);
        hostArgs.AddRange(["--jobs:workers", "0", "--Logging:LogLevel:Default", "Warning"]);

        var app = ForgeApp.Build(hostArgs.ToArray());
        await ForgeApp.MigrateAsync(app.Services);
        using var scope = app.Services.CreateScope();
        var sp = scope.ServiceProvider;
        try
        {
            switch (positional)
            {
                case ["user", "create", var name]:
                    return await CreateUserAsync(sp, name, options.GetValueOrDefault("email"), options.GetValueOrDefault("password"), flags.Contains("admin"),
                        options.GetValueOrDefault("role"));
                case ["user", "role", var name, var role]:
                    return await AccountCommands.SetRoleAsync(sp, name, role);
                case ["user", "reset-password", var name]:
                    return await AccountCommands.ResetPasswordAsync(sp, name, options.GetValueOrDefault("password"));
                case ["token", "create", var name]:
                    return await CreateTokenAsync(sp, name, options.GetValueOrDefault("name") ?? "forge-admin", options.GetValueOrDefault("scopes"),
                        options.GetValueOrDefault("expires-days"));
                case ["client", ..]:
                    return await ClientAsync(sp, positional[1..], options, flags, args);
                case ["reindex"]:
                    return await ReindexAsync(sp);
                case ["seed"]:
                    return await SeedAsync(sp, options, flags);
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<int> CreateUserAsync(IServiceProvider sp, string name, string? email, string? password, bool admin, string? roleName)
    {
        if (NameRules.ValidateUserName(name) is { } invalid) return Fail(invalid);
        var role = roleName is null ? (admin ? Data.InstanceRole.Administrator : Data.InstanceRole.Teacher) : Accounts.AccountService.ParseRole(roleName);
        if (role is null) return Fail($"Rôle inconnu « {roleName} » : teacher, student ou admin.");
        admin |= role == Data.InstanceRole.Administrator;
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return Fail("--email et --password sont obligatoires.\n" + Usage);
        var users = sp.GetRequiredService<UserManager<ForgeUser>>();
        var user = new ForgeUser { UserName = name, Email = email, EmailConfirmed = true, IsAdmin = admin, Role = role.Value };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return Fail(string.Join("\n", result.Errors.Select(e => e.Description)));
        Console.WriteLine($"Compte « {name} » créé{(admin ? " (administrateur)" : "")}.");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider sp, string userName, string tokenName, string? scopeList, string? expiresDays)
    {
        var (scopes, unknown) = Forge.Web.OpenId.ForgeScopes.ParseTokenScopes(scopeList);
        if (scopes is null) return Fail($"Portée inconnue : « {unknown} ». Portées possibles : {string.Join(", ", Forge.Web.OpenId.ForgeScopes.TokenScopes)}.");
        int? days = null;
        if (expiresDays is not null)
        {
            if (!int.TryParse(expiresDays, out var d) || d is < 1 or > 3650) return Fail("--expires-days attend un nombre de jours entre 1 et 3650.");
            days = d;
        }
        if (tokenName.Trim().Length is 0 or > 100) return Fail("Le nom du jeton doit faire de 1 à 100 caractères.");
        var user = await sp.GetRequiredService<UserManager<ForgeUser>>().FindByNameAsync(userName);
        if (user is null) return Fail($"Utilisateur « {userName} » introuvable.");
        if (user.IsGroup) return Fail($"« {userName} » est un groupe : un groupe ne se connecte pas et n’a pas de jeton.");
        var (token, secret) = await sp.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, tokenName, default, scopes, days);
        Console.WriteLine($"Jeton « {tokenName} » créé pour {user.UserName} (portées : {token.Scopes}"
            + (token.ExpiresAt is { } exp ? $", expire le {exp:yyyy-MM-dd HH:mm} UTC)" : ", sans expiration)") + " :");
        Console.WriteLine(secret);
        return 0;
    }

    /// <summary>
    /// Rebuilds the index into a new generation and publishes it; a running server switches to it within seconds and
    /// re-indexes what was pushed meanwhile. The server's own index is never written to by this process.
    /// </summary>
    private static async Task<int> ReindexAsync(IServiceProvider sp)
    {
        var settings = sp.GetRequiredService<ForgeSettings>();
        var bar = new ProgressBar(Console.Out, interactive: !Console.IsOutputRedirected, unit: "dépôts");
        try
        {
            var report = await sp.GetRequiredService<Forge.Jobs.IndexRebuilder>()
                .RebuildAsync(settings.IndexPath, p => bar.Report(p.Done, p.Total, p.Elapsed), CancellationToken.None);
            bar.Finish();
            Console.WriteLine($"Index reconstruit : {report.Repositories} dépôts, {report.Resources} ressources, {report.Files} fichiers en "
                + $"{report.Elapsed.TotalSeconds:0.0} s ({report.Generation}). Un serveur en marche l’utilise sous quelques secondes.");
            Console.WriteLine($"Détail : lecture git et préparation {report.Reading.TotalSeconds:0.0} s, analyse et écriture Lucene {report.Writing.TotalSeconds:0.0} s "
                + $"(cumulés sur {Environment.ProcessorCount} fils), validation finale {report.Committing.TotalSeconds:0.0} s.");
            return 0;
        }
        catch (Forge.Jobs.RebuildAlreadyRunningException e)
        {
            bar.Finish();
            return Fail(e.Message);
        }
    }

    private static async Task<int> SeedAsync(IServiceProvider sp, Dictionary<string, string> options, HashSet<string> flags)
    {
        if (!int.TryParse(options.GetValueOrDefault("resources"), out var resources) || resources is < 1 or > 1_000_000)
            return Fail("--resources N est obligatoire (de 1 à 1 000 000).\n" + Usage);
        var files = int.TryParse(options.GetValueOrDefault("files"), out var n) ? Math.Clamp(n, 2, 100) : 10;
        var seed = int.TryParse(options.GetValueOrDefault("seed"), out var s) ? s : 1;
        var interactive = !Console.IsOutputRedirected;
        var bar = new ProgressBar(Console.Out, interactive, "dépôts", "Génération");
        var seeder = ActivatorUtilities.CreateInstance<CatalogueSeeder>(sp);
        var report = await seeder.SeedAsync(resources, files, seed, options.GetValueOrDefault("programmes"),
            options.GetValueOrDefault("export"), (done, total, elapsed) => bar.Report(done, total, elapsed), CancellationToken.None);
        bar.Finish();
        Console.WriteLine($"Catalogue généré : {report.Repositories} dépôts ({report.Files} fichiers) pour {report.Users} enseignants en {report.Elapsed.TotalSeconds:0.0} s "
            + $"(base de données {seeder.DatabaseTime.TotalSeconds:0.0} s, dépôts git {seeder.GitTime.TotalSeconds:0.0} s).");
        if (flags.Contains("no-index")) return 0;
        return await ReindexAsync(sp);
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    private static (string[] Positional, Dictionary<string, string> Options, HashSet<string> Flags) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        string[] valued = ["email", "password", "name", "role", "data", "db", "resources", "files", "seed", "programmes", "export",
            "scopes", "expires-days", "secret", "redirect-uri", "post-logout-redirect-uri"];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var key = args[i][2..];
                var eq = key.IndexOf('=');
                if (eq > 0) options[key[..eq]] = key[(eq + 1)..];
                else if (valued.Contains(key) && i + 1 < args.Length) options[key] = args[++i];
                else flags.Add(key);
            }
            else positional.Add(args[i]);
        }
        return (positional.ToArray(), options, flags);
    }
}
