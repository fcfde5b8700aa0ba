using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.OpenId;

/// <summary>A client application as an administrator describes it (CLI or <c>/admin/applications</c>).</summary>
public sealed record ClientRequest(string ClientId, string? DisplayName, string? Secret, bool IsPublic,
    IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes, IReadOnlyList<string>? PostLogoutRedirectUris = null);

/// <summary>A registered client as lists show it.</summary>
public sealed record ClientSummary(string ClientId, string DisplayName, bool IsPublic, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes);

/// <summary>
/// Registers client applications of the OpenID Connect server. A client without secret is public (a command-line tool, a
/// single-page application) and must use PKCE; a confidential client gets a generated secret when none is given (shown
/// once: OpenIddict stores it hashed). Redirect URIs are matched exactly by OpenIddict.
/// </summary>
public sealed partial class ClientApplications(IOpenIddictApplicationManager manager)
{
    public static readonly string[] DefaultScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, ForgeScopes.RepoRead];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex ClientIdPattern();

    /// <summary>Field → French message for each problem of <paramref name="request"/>; empty when it can be registered.</summary>
    public async Task<Dictionary<string, string>> ValidateAsync(ClientRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (!ClientIdPattern().IsMatch(request.ClientId ?? ""))
            errors["ClientId"] = "L’identifiant doit faire de 1 à 100 caractères : lettres, chiffres, point, tiret ou tiret bas, en commençant par une lettre ou un chiffre.";
        else if (await manager.FindByClientIdAsync(request.ClientId!, ct) is not null)
            errors["ClientId"] = $"Une application « {request.ClientId} » existe déjà.";
        if (request.DisplayName is { Length: > 100 }) errors["DisplayName"] = "Le nom ne peut pas dépasser 100 caractères.";
        if (request.IsPublic && !string.IsNullOrEmpty(request.Secret)) errors["Secret"] = "Une application publique n’a pas de secret.";
        else if (request.Secret is { Length: > 0 and < 16 }) errors["Secret"] = "Le secret doit faire au moins 16 caractères.";
        foreach (var uri in request.RedirectUris.Concat(request.PostLogoutRedirectUris ?? []))
            if (RedirectUriProblem(uri) is { } problem) { errors["RedirectUris"] = problem; break; }
        if (request.RedirectUris.Count > 20) errors["RedirectUris"] = "20 adresses de retour au plus.";
        foreach (var scope in request.Scopes)
            if (!ForgeScopes.ServerScopes.Contains(scope))
            {
                errors["Scopes"] = $"Portée inconnue : « {scope} ». Portées possibles : {string.Join(", ", ForgeScopes.ServerScopes)}.";
                break;
            }
        return errors;
    }

    /// <summary>Why <paramref name="uri"/> cannot be a redirect URI, or null.</summary>
    public static string? RedirectUriProblem(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") && !parsed.Scheme.Contains('.'))
            return $"« {uri} » n’est pas une adresse de retour valide (http, https ou schéma privé comme fr.exemple.app:/retour).";
        if (parsed.Fragment.Length > 0) return $"« {uri} » ne doit pas contenir de fragment (#…).";
        return null;
    }

    /// <summary>Registers the client; returns the secret to show once (generated when a confidential client has none).</summary>
    public async Task<string?> CreateAsync(ClientRequest request, CancellationToken ct = default)
    {
        var secret = request.IsPublic ? null
            : string.IsNullOrEmpty(request.Secret) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
            : request.Secret;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = request.ClientId,
            ClientSecret = secret,
            ClientType = request.IsPublic ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.ClientId : request.DisplayName.Trim(),
        };
        foreach (var uri in request.RedirectUris) descriptor.RedirectUris.Add(new Uri(uri));
        foreach (var uri in request.PostLogoutRedirectUris ?? request.RedirectUris) descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
        descriptor.Permissions.UnionWith([
            Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.DeviceAuthorization,
            Permissions.GrantTypes.RefreshToken, Permissions.GrantTypes.DeviceCode,
        ]);
        if (request.RedirectUris.Count > 0)
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
            ]);
        if (!request.IsPublic)
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Introspection, Permissions.GrantTypes.ClientCredentials]);
        foreach (var scope in request.Scopes.Count > 0 ? request.Scopes : DefaultScopes)
            if (scope != Scopes.OpenId) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        if (request.IsPublic) descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        await manager.CreateAsync(descriptor, ct);
        return secret;
    }

    public async Task<List<ClientSummary>> ListAsync(CancellationToken ct = default)
    {
        var list = new List<ClientSummary>();
        await foreach (var application in manager.ListAsync(count: 1000, offset: 0, ct))
        {
            var permissions = await manager.GetPermissionsAsync(application, ct);
            list.Add(new ClientSummary(
                (await manager.GetClientIdAsync(application, ct))!,
                await manager.GetDisplayNameAsync(application, ct) ?? "",
                await manager.HasClientTypeAsync(application, ClientTypes.Public, ct),
                (await manager.GetRedirectUrisAsync(application, ct)).ToList(),
                permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                    .Select(p => p[Permissions.Prefixes.Scope.Length..]).ToList()));
        }
        return list.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes the client (its authorizations and tokens go with it, so they stop working at once).</summary>
    public async Task<bool> DeleteAsync(string clientId, CancellationToken ct = default)
    {
        var application = await manager.FindByClientIdAsync(clientId, ct);
        if (application is null) return false;
        await manager.DeleteAsync(application, ct);
        return true;
    }
}
