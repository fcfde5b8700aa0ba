using System.Text;
using Microsoft.AspNetCore;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Validation;
using Application = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication<long>;
using Authorization = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreAuthorization<long>;
using Token = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken<long>;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.OpenId;

/// <summary>
/// Forge as an OpenID Connect provider (OpenIddict): endpoints under <c>/connect/</c>, discovery at
/// <c>/.well-known/openid-configuration</c>, applications, authorizations and tokens stored in Forge's database, and the
/// validation of its own access tokens for git and the API (entries checked in the database at every request, so a
/// revoked token or authorization stops working at once).
/// </summary>
public static class OpenIdServer
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string LogoutPath = "/connect/logout";
    public const string DeviceAuthorizationPath = "/connect/device_authorization";
    public const string DevicePath = "/connect/device";
    public const string IntrospectionPath = "/connect/introspect";
    public const string RevocationPath = "/connect/revoke";

    /// <summary>The OpenIddict tables (applications, authorizations, scopes, tokens) with Forge's key type.</summary>
    public static void ConfigureModel(ModelBuilder b) => b.UseOpenIddict<long>();

    public static IServiceCollection AddForgeOpenId(this IServiceCollection services, ForgeSettings settings, IConfiguration configuration)
    {
        var publicUrl = configuration["Forge:PublicUrl"];
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ForgeDbContext>().ReplaceDefaultEntities<long>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(AuthorizePath[1..])
                    .SetTokenEndpointUris(TokenPath[1..])
                    .SetUserInfoEndpointUris(UserInfoPath[1..])
                    .SetEndSessionEndpointUris(LogoutPath[1..])
                    .SetDeviceAuthorizationEndpointUris(DeviceAuthorizationPath[1..])
                    .SetEndUserVerificationEndpointUris(DevicePath[1..])
                    .SetIntrospectionEndpointUris(IntrospectionPath[1..])
                    .SetRevocationEndpointUris(RevocationPath[1..]);
                o.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowDeviceAuthorizationFlow();
                o.RegisterScopes(ForgeScopes.ServerScopes);
                o.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, Claims.Role);
                o.AddSigningCertificate(SigningKeys.Signing(settings.KeysPath))
                    .AddEncryptionCertificate(SigningKeys.Encryption(settings.KeysPath));
                if (!string.IsNullOrWhiteSpace(publicUrl)) o.SetIssuer(new Uri(publicUrl, UriKind.Absolute));
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    // Forge serves plain HTTP on loopback and is put behind a TLS reverse proxy in production.
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
                o.EnableTokenEntryValidation();
                o.EnableAuthorizationEntryValidation();
                // git credential helpers send an access token as the password of HTTP Basic.
                o.AddEventHandler<OpenIddictValidationEvents.ProcessAuthenticationContext>(h => h
                    .UseInlineHandler(ExtractTokenFromBasic)
                    .SetOrder(OpenIddictValidationAspNetCoreHandlers.ExtractAccessTokenFromAuthorizationHeader.Descriptor.Order + 1));
            });
        services.AddScoped<ClientApplications>();
        services.AddScoped<AuthorizedApplications>();
        // OpenIddict's stores cache parsed values without giving them a size, which Forge's shared, size-limited cache
        // refuses: they get a cache of their own (their entries expire by themselves).
        var cache = new MemoryCache(new MemoryCacheOptions());
        AddStore<IOpenIddictApplicationStore<Application>, OpenIddictEntityFrameworkCoreApplicationStore<Application, Authorization, Token, long>>(services, cache);
        AddStore<IOpenIddictAuthorizationStore<Authorization>, OpenIddictEntityFrameworkCoreAuthorizationStore<Authorization, Application, Token, long>>(services, cache);
        AddStore<IOpenIddictScopeStore<OpenIddictEntityFrameworkCoreScope<long>>, OpenIddictEntityFrameworkCoreScopeStore<OpenIddictEntityFrameworkCoreScope<long>, long>>(services, cache);
        AddStore<IOpenIddictTokenStore<Token>, OpenIddictEntityFrameworkCoreTokenStore<Token, Application, Authorization, long>>(services, cache);
        return services;
    }

    private static void AddStore<TService, TStore>(IServiceCollection services, IMemoryCache cache) where TService : class where TStore : class, TService =>
        services.AddScoped<TService>(sp => ActivatorUtilities.CreateInstance<TStore>(sp, cache));

    private static ValueTask ExtractTokenFromBasic(OpenIddictValidationEvents.ProcessAuthenticationContext context)
    {
        if (!string.IsNullOrEmpty(context.AccessToken)) return default;
        var request = context.Transaction.GetHttpRequest();
        var header = request?.Headers.Authorization.ToString();
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return default;
        var secret = PasswordOf(header);
        if (secret is not null && LooksLikeJwt(secret)) context.AccessToken = secret;
        return default;
    }

    /// <summary>The password part of a Basic header, or null.</summary>
    public static string? PasswordOf(string basicHeader)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basicHeader[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A JWT or JWE in compact form (3 or 5 base64url parts): what this server's access tokens look like.</summary>
    public static bool LooksLikeJwt(string value) =>
        value.Length is > 40 and < 16_384 && value.StartsWith("eyJ", StringComparison.Ordinal) && value.Count(c => c == '.') is 2 or 4;
}
