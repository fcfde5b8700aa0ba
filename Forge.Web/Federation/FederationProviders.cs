using System.Net;
using System.Text.RegularExpressions;

namespace Forge.Web.Federation;

/// <summary>
/// An external OpenID Connect provider the administrator configured (<c>Forge:Federation:Providers:N:…</c> in
/// appsettings, environment variables or the command line). Forge is a client of it: authorization code with PKCE.
/// </summary>
public sealed record FederationProvider
{
    /// <summary>Short name used in URLs (<c>/signin-oidc/{Name}</c>): lower-case letters, digits and dashes.</summary>
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public required Uri Issuer { get; init; }
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "profile", "email"];
    public string UserNameClaim { get; init; } = "preferred_username";
    public string EmailClaim { get; init; } = "email";
    public string? RoleClaim { get; init; }
    /// <summary>Provider role value → Forge role name (<c>enseignant</c> → <c>teacher</c>), compared without case.</summary>
    public IReadOnlyDictionary<string, string> RoleMapping { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Users linked to this provider may not sign in with a password (web or git Basic): the provider or a token.</summary>
    public bool DisableLocalPassword { get; init; }

    /// <summary>Path of the redirection endpoint the provider sends the browser back to (give it to the provider).</summary>
    public string CallbackPath => "/signin-oidc/" + Name;

    /// <summary>The Forge role the provider's role values map to (the first that maps), or null.</summary>
    public string? MapRole(IEnumerable<string> values)
    {
        foreach (var value in values)
            if (RoleMapping.TryGetValue(value.Trim(), out var role)) return role;
        return null;
    }
}

/// <summary>The configured providers, read and checked once at start-up.</summary>
public sealed partial class FederationProviders
{
    public const string Section = "Forge:Federation:Providers";

    public FederationProviders(IReadOnlyList<FederationProvider> all) => All = all;

    public IReadOnlyList<FederationProvider> All { get; }

    public FederationProvider? Find(string? name) =>
        name is null ? null : All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>Reads <c>Forge:Federation:Providers</c>; a misconfiguration stops the start with a French explanation.</summary>
    public static FederationProviders From(IConfiguration config)
    {
        var list = new List<FederationProvider>();
        foreach (var section in config.GetSection(Section).GetChildren())
        {
            var where = $"{Section}:{section.Key}";
            var name = section["Name"]?.Trim() ?? "";
            if (!NamePattern().IsMatch(name) || name is "error" or "link")
                throw new InvalidOperationException($"{where}:Name « {name} » : un nom de fournisseur s’écrit en minuscules non accentuées, chiffres et « - » (40 caractères au plus), et ne peut être ni « error » ni « link ».");
            if (list.Any(p => p.Name == name)) throw new InvalidOperationException($"{where}:Name : le fournisseur « {name} » est configuré deux fois.");
            var clientId = section["ClientId"]?.Trim();
            if (string.IsNullOrEmpty(clientId)) throw new InvalidOperationException($"{where}:ClientId est obligatoire.");
            var issuer = ParseIssuer(section["Issuer"], where);
            var mapping = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in section.GetSection("RoleMapping").GetChildren())
                if (!string.IsNullOrWhiteSpace(pair.Value)) mapping[pair.Key.Trim()] = pair.Value.Trim();
            var scopes = Words(section["Scopes"]);
            list.Add(new FederationProvider
            {
                Name = name,
                DisplayName = NonEmpty(section["DisplayName"]) ?? name,
                Issuer = issuer,
                ClientId = clientId,
                ClientSecret = NonEmpty(section["ClientSecret"]),
                Scopes = scopes.Count > 0 ? (scopes.Contains("openid") ? scopes : ["openid", .. scopes]) : ["openid", "profile", "email"],
                UserNameClaim = NonEmpty(section["UserNameClaim"]) ?? "preferred_username",
                EmailClaim = NonEmpty(section["EmailClaim"]) ?? "email",
                RoleClaim = NonEmpty(section["RoleClaim"]),
                RoleMapping = mapping,
                DisableLocalPassword = bool.TryParse(section["DisableLocalPassword"], out var disable) && disable,
            });
        }
        return new FederationProviders(list);
    }

    /// <summary>An absolute https URL; plain http only for a loopback address (tests, a provider on the same machine).</summary>
    private static Uri ParseIssuer(string? value, string where)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"{where}:Issuer « {value} » : indiquez l’adresse absolue du fournisseur (https://…).");
        if (issuer.Scheme == "http" && !IsLoopback(issuer))
            throw new InvalidOperationException($"{where}:Issuer « {value} » : un fournisseur d’identité doit être joint en https (http n’est accepté que sur la machine elle-même, 127.0.0.1 ou localhost).");
        // Kept as written: OpenIddict compares it with the "issuer" of the provider's discovery document.
        return issuer;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Words(string? value) =>
        [.. (value ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];
}
