using System.Security.Claims;
using Forge.Web.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.OpenId;

/// <summary>The token and userinfo endpoints (OpenIddict validates the request, these decide what the token says).</summary>
public static class OpenIdEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>Maps the endpoints; on the pages that lead to a client's redirect URI, lets forms go there (see <see cref="FormActionFor"/>).</summary>
    public static void UseForgeOpenId(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (FormActionFor(context.Request) is { } origin)
                context.Response.Headers.ContentSecurityPolicy = context.Response.Headers.ContentSecurityPolicy.ToString()
                    .Replace("form-action 'self'", $"form-action 'self' {origin}", StringComparison.Ordinal);
            return next();
        });
        app.MapPost(OpenIdServer.TokenPath, ExchangeAsync).ExcludeFromDescription();
        app.MapMethods(OpenIdServer.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, UserManager<ForgeUser> users, IOpenIddictApplicationManager applications)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        if (request.IsClientCredentialsGrantType())
        {
            // A service acting as itself: no user behind it, so it reads what anonymous visitors read (see TokenAuthenticationHandler).
            var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
                ?? throw new InvalidOperationException("client authenticated by OpenIddict but missing");
            var identity = new ClaimsIdentity(ForgeScopes.AuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, ForgeScopes.ClientSubjectPrefix + request.ClientId)
                .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, context.RequestAborted) ?? request.ClientId);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType() || request.IsDeviceCodeGrantType())
        {
            // The principal stored in the code (or refresh token, or device code): checked again against the account as it is now.
            var principal = (await context.AuthenticateAsync(Scheme)).Principal;
            var user = ForgeScopes.UserIdOf(principal) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
            if (principal is null || user is null || user.IsGroup || await users.IsLockedOutAsync(user))
                return Refuse(Errors.InvalidGrant, "Ce compte n’existe plus ou est bloqué.");
            var identity = new ClaimsIdentity(principal.Claims, ForgeScopes.AuthenticationType, Claims.Name, Claims.Role);
            return Results.SignIn(new ClaimsPrincipal(ForgeScopes.WithUser(identity, user)), authenticationScheme: Scheme);
        }
        return Refuse(Errors.UnsupportedGrantType, "Type d’autorisation non pris en charge.");
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<ForgeUser> users)
    {
        var principal = (await context.AuthenticateAsync(Scheme)).Principal;
        var user = ForgeScopes.UserIdOf(principal) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (principal is null || user is null || user.IsGroup)
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "Ce jeton ne désigne aucun compte."), [Scheme]);
        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = user.Id.ToString() };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.PreferredUsername] = user.UserName;
            claims[Claims.Name] = string.IsNullOrWhiteSpace(user.FullName) ? user.UserName : user.FullName;
            claims[Claims.Role] = ForgeScopes.RoleOf(user);
        }
        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }
        return Results.Ok(claims);
    }

    /// <summary>
    /// Browsers apply <c>form-action</c> to the redirects that follow a form: the sign-in form and the consent form end
    /// with a redirect to the client's <c>redirect_uri</c>, whose origin must then be allowed (OpenIddict only redirects
    /// to registered URIs; any other value never gets a redirect).
    /// </summary>
    private static string? FormActionFor(HttpRequest request)
    {
        string? query = null;
        if (request.Path.StartsWithSegments(OpenIdServer.AuthorizePath) || request.Path.StartsWithSegments(OpenIdServer.LogoutPath))
            query = request.QueryString.Value;
        else if (request.Path.StartsWithSegments("/user/login") && request.Query["ReturnUrl"].ToString() is { } back
                 && back.StartsWith(OpenIdServer.AuthorizePath + "?", StringComparison.Ordinal))
            query = back[OpenIdServer.AuthorizePath.Length..];
        if (string.IsNullOrEmpty(query)) return null;
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var target = parameters.TryGetValue(Parameters.RedirectUri, out var r) ? r.ToString()
            : parameters.TryGetValue(Parameters.PostLogoutRedirectUri, out var p) ? p.ToString() : null;
        return Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(ErrorProperties(error, description), [Scheme]);

    /// <summary>What OpenIddict sends back to the client when the answer is a refusal.</summary>
    public static AuthenticationProperties ErrorProperties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
