using System.Security.Claims;
using Forge.Web.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.OpenId;

/// <summary>
/// The scopes Forge's tokens carry — OpenID Connect access tokens and personal access tokens alike — and what each
/// one allows. <c>repo:read</c>: clone, fetch, read the API. <c>repo:write</c>: also push. <c>api</c>: everything the
/// user can do (API writes included). A personal access token made before scopes existed says <c>all</c> (= <c>api</c>).
/// </summary>
public static class ForgeScopes
{
    public const string RepoRead = "repo:read";
    public const string RepoWrite = "repo:write";
    public const string Api = "api";
    public const string All = "all";

    /// <summary>The claim carrying each scope of the token that authenticated a git or API request.</summary>
    public const string ScopeClaim = "forge:scope";

    /// <summary>Scopes a personal access token may have, in the order forms list them.</summary>
    public static readonly string[] TokenScopes = [RepoRead, RepoWrite, Api];

    /// <summary>Every scope the OpenID Connect server knows.</summary>
    public static readonly string[] ServerScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, RepoRead, RepoWrite, Api];

    /// <summary>What the consent page says each scope lets the application do.</summary>
    public static string Describe(string scope) => scope switch
    {
        Scopes.OpenId => "vous identifier avec votre compte Forge",
        Scopes.Profile => "connaître votre nom d’utilisateur, votre nom et votre rôle",
        Scopes.Email => "connaître votre adresse électronique",
        Scopes.OfflineAccess => "garder cet accès quand vous n’êtes pas connecté (jeton de rafraîchissement)",
        RepoRead => "lire et cloner les dépôts auxquels vous avez accès, y compris privés",
        RepoWrite => "lire les dépôts et y envoyer des modifications (git push)",
        Api => "agir en votre nom par l’API : tout ce que vous pouvez faire",
        _ => scope,
    };

    /// <summary>Parses a list such as <c>repo:read,repo:write</c> (commas or spaces); null with the unknown value otherwise.</summary>
    public static (string[]? Scopes, string? Unknown) ParseTokenScopes(string? value)
    {
        var parts = (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
            if (!TokenScopes.Contains(part) && part != All) return (null, part);
        return (parts.Distinct().ToArray(), null);
    }

    /// <summary>True when a token with these scopes may read repositories (clone, fetch, API reads).</summary>
    public static bool AllowsRead(IEnumerable<string> scopes) => scopes.Any(s => s is RepoRead or RepoWrite or Api or All);

    /// <summary>True when a token with these scopes may push.</summary>
    public static bool AllowsPush(IEnumerable<string> scopes) => scopes.Any(s => s is RepoWrite or Api or All);

    /// <summary>True when a token with these scopes may change things through the API.</summary>
    public static bool AllowsApiWrite(IEnumerable<string> scopes) => scopes.Any(s => s is Api or All);

    public static bool IsSafeMethod(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>Why the request's token may not do this API call (French, for the answer), or null.</summary>
    public static string? ApiProblem(ClaimsPrincipal? principal, string method) =>
        Of(principal) is { } scopes && !IsSafeMethod(method) && !AllowsApiWrite(scopes)
            ? "Ce jeton ne permet que la lecture : il faut la portée « api » pour modifier par l’API." : null;

    /// <summary>Why the request's token may not push (French, shown by git), or null.</summary>
    public static string? PushProblem(ClaimsPrincipal? principal) =>
        Of(principal) is { } scopes && !AllowsPush(scopes)
            ? "Ce jeton ne permet que la lecture (portée repo:read) : il faut la portée repo:write pour envoyer des modifications." : null;

    /// <summary>
    /// The scopes of the request's credentials, or null when they are not limited (a password, a session cookie).
    /// </summary>
    public static string[]? Of(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        var method = principal.FindFirstValue(Auth.TokenAuthenticationHandler.AuthMethodClaim);
        if (method is null or "password") return null;
        return principal.FindAll(ScopeClaim).Select(c => c.Value).ToArray();
    }

    /// <summary>The identity a token issued to <paramref name="user"/> carries, with each claim sent where its scope allows.</summary>
    public static ClaimsIdentity IdentityFor(ForgeUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(authenticationType: AuthenticationType, nameType: Claims.Name, roleType: Claims.Role);
        identity.SetScopes(scopes);
        return WithUser(identity, user);
    }

    public const string AuthenticationType = "Forge.OpenId";

    /// <summary>Prefix of the subject of a token a client obtained for itself (client credentials): never a user id.</summary>
    public const string ClientSubjectPrefix = "client:";

    /// <summary>The user id a token was issued for, or null for a client acting as itself.</summary>
    public static long? UserIdOf(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.GetClaim(Claims.Subject), System.Globalization.NumberStyles.None, null, out var id) ? id : null;

    /// <summary>Sets (or refreshes, on a refresh-token grant) the user's claims and their destinations.</summary>
    public static ClaimsIdentity WithUser(ClaimsIdentity identity, ForgeUser user)
    {
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, string.IsNullOrWhiteSpace(user.FullName) ? user.UserName : user.FullName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed)
            .SetClaim(Claims.Role, RoleOf(user));
        identity.SetDestinations(DestinationsOf);
        return identity;
    }

    public static string RoleOf(ForgeUser user) => user.IsAdmin ? "admin" : "user";

    private static IEnumerable<string> DestinationsOf(Claim claim)
    {
        var scopes = claim.Subject?.GetScopes() ?? [];
        switch (claim.Type)
        {
            case Claims.Name or Claims.PreferredUsername or Claims.Role:
                yield return Destinations.AccessToken;
                if (scopes.Contains(Scopes.Profile)) yield return Destinations.IdentityToken;
                break;
            case Claims.Email or Claims.EmailVerified:
                if (scopes.Contains(Scopes.Email)) yield return Destinations.IdentityToken;
                break;
            case Claims.Subject:
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                break;
            // Any other claim (the security stamp…) never leaves the server.
        }
    }
}
