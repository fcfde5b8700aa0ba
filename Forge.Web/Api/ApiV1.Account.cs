using System.Text.Json.Serialization;
using Forge.Web.Accounts;
using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Microsoft.AspNetCore.Authentication;

namespace Forge.Web.Api;

/// <summary>
/// The account through the API, as on the settings pages: personal access tokens with Gitea's paths and shapes
/// (<c>/users/{username}/tokens</c>; creating one needs the password, as on Gitea, so a token never mints a stronger
/// one), and Forge's own <c>/user/sessions</c> and <c>/user/export</c> (the personal-data export of the account page).
/// </summary>
public static partial class ApiV1
{
    /// <summary>Gitea's <c>CreateAccessTokenOption</c>, plus Forge's own <c>expires_in_days</c>.</summary>
    public sealed record CreateAccessTokenOption(string? Name, string[]? Scopes, [property: JsonPropertyName("expires_in_days")] int? ExpiresInDays);

    private static void MapAccount(RouteGroupBuilder api)
    {
        api.MapGet("/users/{username}/tokens", ListTokens).WithName("userGetTokens")
            .WithSummary("The caller's personal access tokens (never their secret): name, last eight characters, scopes, dates; 403 for another user's.")
            .Produces<List<ApiAccessToken>>().Errors(403);
        api.MapPost("/users/{username}/tokens", CreateToken).WithName("userCreateToken")
            .WithSummary("Creates a token (`name`, `scopes` among repo:read, repo:write, api; Forge's `expires_in_days`); the secret is in `sha1`, shown once. Basic authentication with the password only (401 otherwise) → 201.")
            .Produces<ApiAccessToken>(StatusCodes.Status201Created).Errors(422);
        api.MapDelete("/users/{username}/tokens/{id:long}", DeleteToken).WithName("userDeleteAccessToken")
            .WithSummary("Revokes a token: it stops working at once, on git and the API → 204.")
            .Produces(StatusCodes.Status204NoContent);
        api.MapGet("/user/sessions", ListSessions).WithName("forgeListSessions")
            .WithSummary("Forge's own: the caller's web sessions (device, truncated address, dates).")
            .Produces<List<ApiSession>>();
        api.MapDelete("/user/sessions/{id}", DeleteSession).WithName("forgeDeleteSession")
            .WithSummary("Forge's own: signs a web session out; its cookie fails at its next request → 204.")
            .Produces(StatusCodes.Status204NoContent);
        api.MapGet("/user/export", ExportAccount).WithName("forgeExportAccount")
            .WithSummary("Forge's own: the caller's personal data (GDPR export), without any secret.")
            .Produces<Accounts.AccountExport>();
    }

    /// <summary>The caller when they are <paramref name="username"/> (tokens are one's own), else the answer to give.</summary>
    private static async Task<(ForgeUser? Caller, IResult? Failure)> SelfAsync(HttpContext context, string? username)
    {
        var (caller, failure) = await AuthenticateAsync(context);
        if (failure is not null) return (null, failure);
        if (caller is null) return (null, Unauthorized(context));
        if (username is not null && !string.Equals(caller.UserName, username, StringComparison.OrdinalIgnoreCase))
            return (null, Error(StatusCodes.Status403Forbidden, "Vous ne gérez que vos propres jetons.", context.Request));
        return (caller, null);
    }

    /// <summary>Gitea's <c>AccessToken</c>: <c>sha1</c> is the secret, given once at creation (empty afterwards).</summary>
    public sealed record ApiAccessToken(long Id, string Name, string Sha1, string TokenLastEight, string[] Scopes, DateTime CreatedAt, DateTime? LastUsedAt,
        DateTime? ExpiresAt);

    /// <summary>A web session of the caller (address truncated).</summary>
    public sealed record ApiSession(string Id, string? Device, string? Ip, DateTime CreatedAt, DateTime LastSeenAt);

    private static ApiAccessToken TokenJson(AccessToken t, string? secret = null) =>
        new(t.Id, t.Name, secret ?? "", t.LastEight, AccessTokenService.ScopesOf(t), t.CreatedAt, t.LastUsedAt, t.ExpiresAt);

    private static async Task<IResult> ListTokens(HttpContext context, string username, AccessTokenService tokens)
    {
        var (caller, failure) = await SelfAsync(context, username);
        if (caller is null) return failure!;
        return Results.Json((await tokens.ListAsync(caller.Id, context.RequestAborted)).Select(t => TokenJson(t)), ApiModels.Json);
    }

    private static async Task<IResult> CreateToken(HttpContext context, string username, CreateAccessTokenOption? body, AccessTokenService tokens)
    {
        var (caller, failure) = await SelfAsync(context, username);
        if (caller is null) return failure!;
        var auth = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (auth.Principal?.FindFirst(TokenAuthenticationHandler.AuthMethodClaim)?.Value != "password")
            return Error(StatusCodes.Status401Unauthorized,
                "Créer un jeton demande votre mot de passe (authentification Basic avec le mot de passe, pas un jeton).", context.Request);
        if (string.IsNullOrWhiteSpace(body?.Name)) return Error(StatusCodes.Status422UnprocessableEntity, "Donnez un nom au jeton.", context.Request);
        if (body.Name.Trim().Length > 100) return Error(StatusCodes.Status422UnprocessableEntity, "Le nom du jeton ne peut pas dépasser 100 caractères.", context.Request);
        var (scopes, unknown) = ForgeScopes.ParseTokenScopes(string.Join(',', body.Scopes ?? []));
        if (unknown is not null) return Error(StatusCodes.Status422UnprocessableEntity, $"Portée inconnue : « {unknown} ».", context.Request);
        if (body.ExpiresInDays is { } days && (days < 1 || days > 3650))
            return Error(StatusCodes.Status422UnprocessableEntity, "expires_in_days va de 1 à 3650 jours.", context.Request);
        var (token, secret) = await tokens.CreateAsync(caller.Id, body.Name, context.RequestAborted, scopes, body.ExpiresInDays);
        return Results.Json(TokenJson(token, secret), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteToken(HttpContext context, string username, long id, AccessTokenService tokens)
    {
        var (caller, failure) = await SelfAsync(context, username);
        if (caller is null) return failure!;
        return await tokens.RevokeAsync(caller.Id, id, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, "Jeton introuvable.", context.Request);
    }

    private static async Task<IResult> ListSessions(HttpContext context, SessionStore sessions)
    {
        var (caller, failure) = await SelfAsync(context, null);
        if (caller is null) return failure!;
        var list = await sessions.ListAsync(caller.Id, context.RequestAborted);
        return Results.Json(list.Select(s => new ApiSession(s.Id, s.Device, s.Ip, s.CreatedAt, s.LastSeenAt)), ApiModels.Json);
    }

    private static async Task<IResult> DeleteSession(HttpContext context, string id, SessionStore sessions)
    {
        var (caller, failure) = await SelfAsync(context, null);
        if (caller is null) return failure!;
        return await sessions.RevokeAsync(caller.Id, id, context.RequestAborted)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, "Session introuvable.", context.Request);
    }

    private static async Task<IResult> ExportAccount(HttpContext context, AccountService accounts)
    {
        var (caller, failure) = await SelfAsync(context, null);
        if (caller is null) return failure!;
        return Results.Json(await accounts.ExportAsync(caller, context.RequestAborted), ApiModels.Json);
    }
}
