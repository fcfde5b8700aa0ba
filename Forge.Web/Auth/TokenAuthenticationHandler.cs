using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Forge.Web.Data;
using Forge.Web.OpenId;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Forge.Web.Auth;

/// <summary>
/// Authenticates git and API clients from the <c>Authorization</c> header: <c>Basic</c> (user name with a personal
/// access token or the password), <c>token &lt;PAT&gt;</c> or <c>Bearer &lt;PAT&gt;</c>, as Gitea accepts them.
/// Password attempts count towards the account lockout like a web login.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenService tokens, SignInManager<ForgeUser> signIn, UserManager<ForgeUser> users, VerifiedPasswords verified,
    Federation.FederationService federation)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ForgeToken";
    public const string AuthMethodClaim = "forge:auth";
    public const string TwoFactorPasswordRefused = "Ce compte utilise la validation en deux étapes : pour git et l’API, le mot de passe n’est pas accepté. "
        + "Créez un jeton d’accès personnel (Paramètres › Jetons d’accès, /user/settings/applications) et donnez-le à la place du mot de passe.";
    public const string OneTimePasswordRefused = "Ce mot de passe est provisoire : connectez-vous d’abord sur le site pour choisir le vôtre, "
        + "puis donnez-le à git et à l’API.";

    /// <summary>A refusal whose reason is said to the client as it is (the others stay vague).</summary>
    public static bool IsExplained(string? message) => message is TwoFactorPasswordRefused or OneTimePasswordRefused;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var space = header.IndexOf(' ');
        if (space <= 0) return AuthenticateResult.Fail("malformed Authorization header");
        var kind = header[..space];
        var value = header[(space + 1)..].Trim();

        if (kind.Equals("token", StringComparison.OrdinalIgnoreCase) || kind.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return OpenIdServer.LooksLikeJwt(value) ? await FromOpenIdAsync(expectedUser: null) : await FromTokenAsync(value, expectedUser: null);

        if (!kind.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("unsupported Authorization scheme");
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("malformed Basic credentials");
        }
        var colon = decoded.IndexOf(':');
        var userName = colon < 0 ? decoded : decoded[..colon];
        var secret = colon < 0 ? "" : decoded[(colon + 1)..];
        // Gitea lets a token stand as the user name with an empty or placeholder password.
        if (AccessTokenService.LooksLikeToken(userName) && (secret.Length == 0 || secret == "x-oauth-basic"))
            return await FromTokenAsync(userName, expectedUser: null);
        if (AccessTokenService.LooksLikeToken(secret)) return await FromTokenAsync(secret, userName);
        if (OpenIdServer.LooksLikeJwt(secret)) return await FromOpenIdAsync(userName);

        // An address nobody confirmed does not identify an account (the user name does).
        var user = await users.FindByNameAsync(userName)
            ?? (userName.Contains('@') && await users.FindByEmailAsync(userName) is { EmailConfirmed: true } byMail ? byMail : null);
        if (user is null || user.IsGroup) return AuthenticateResult.Fail("invalid credentials");
        // Linked to a provider that disables passwords: tokens only (checked before the cache, so a new link applies at once).
        if (await federation.PasswordDisabledByAsync(user) is not null) return AuthenticateResult.Fail("password disabled by federation");
        // git repeats the password with each request of a clone or push: verified once, then remembered (see VerifiedPasswords).
        if (verified.IsVerified(header, user))
            return await users.IsLockedOutAsync(user) ? AuthenticateResult.Fail("account locked") : Success(user, "password");
        var check = await signIn.CheckPasswordSignInAsync(user, secret, lockoutOnFailure: true);
        if (!check.Succeeded) return AuthenticateResult.Fail(check.IsLockedOut ? "account locked" : "invalid credentials");
        // With two-factor authentication on, a password alone proves too little: git and the API take a token.
        if (user.TwoFactorEnabled) return AuthenticateResult.Fail(TwoFactorPasswordRefused);
        // A pupil's one-time password (bulk accounts of a class) opens only the page where it is changed.
        if (user.MustChangePassword) return AuthenticateResult.Fail(OneTimePasswordRefused);
        verified.Remember(header, user);
        return Success(user, "password");
    }

    private async Task<AuthenticateResult> FromTokenAsync(string secret, string? expectedUser)
    {
        var token = await tokens.ValidateAsync(secret, Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("invalid token");
        return TokenOf(token.User, expectedUser, "token", AccessTokenService.ScopesOf(token));
    }

    /// <summary>
    /// An access token of Forge's OpenID Connect server (<c>Bearer</c>, or the password of Basic as git credential helpers
    /// send it). OpenIddict checks signature, lifetime, and that the token and its authorization are still valid in the
    /// database; the account is then read as it is now. A client acting as itself has no account: it reads what anonymous
    /// visitors read.
    /// </summary>
    private async Task<AuthenticateResult> FromOpenIdAsync(string? expectedUser)
    {
        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded) return AuthenticateResult.Fail("invalid token");
        var scopes = result.Principal.GetScopes().ToArray();
        if (ForgeScopes.UserIdOf(result.Principal) is not { } id)
        {
            if (expectedUser is not null) return AuthenticateResult.Fail("token does not belong to this user");
            if (ScopeProblem(scopes) is { } problem) return AuthenticateResult.Fail(problem);
            var client = new ClaimsIdentity([new Claim(AuthMethodClaim, "client"), .. scopes.Select(s => new Claim(ForgeScopes.ScopeClaim, s))], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(client), SchemeName));
        }
        return TokenOf(await users.FindByIdAsync(id.ToString()), expectedUser, "oidc", scopes);
    }

    private AuthenticateResult TokenOf(ForgeUser? user, string? expectedUser, string method, string[] scopes)
    {
        if (user is null || user.IsGroup) return AuthenticateResult.Fail("invalid token");
        if (expectedUser is not null && !string.Equals(expectedUser, user.UserName, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(expectedUser, user.Email, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("token does not belong to this user");
        if (user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow) return AuthenticateResult.Fail("account locked");
        return Success(user, method, scopes);
    }

    private AuthenticateResult Success(ForgeUser user, string method, string[]? scopes = null)
    {
        if (scopes is not null && ScopeProblem(scopes) is { } problem) return AuthenticateResult.Fail(problem);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.UserName!),
            new(AuthMethodClaim, method),
        };
        foreach (var scope in scopes ?? []) claims.Add(new Claim(ForgeScopes.ScopeClaim, scope));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// What a token's scopes forbid whatever the endpoint: a token without any Forge scope (only <c>openid profile</c>,
    /// meant for sign-in) opens nothing; on pages (outside the API and git, which check their own rules with a clear
    /// message), a change needs the <c>api</c> scope.
    /// </summary>
    private string? ScopeProblem(string[] scopes)
    {
        if (!ForgeScopes.AllowsRead(scopes)) return "token has no Forge scope";
        var path = Request.Path;
        var gitOrApi = path.StartsWithSegments("/api") || path.Value is { } p && (p.EndsWith("/git-upload-pack", StringComparison.Ordinal)
            || p.EndsWith("/git-receive-pack", StringComparison.Ordinal) || p.EndsWith("/info/refs", StringComparison.Ordinal));
        if (!gitOrApi && !ForgeScopes.IsSafeMethod(Request.Method) && !ForgeScopes.AllowsApiWrite(scopes)) return "token scopes do not allow changes";
        return null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Forge\"";
        return Task.CompletedTask;
    }
}
