using Forge.Web.OpenId;
using OpenIddict.Client;
using Polly;

namespace Forge.Web.Federation;

/// <summary>
/// Sign-in with external OpenID Connect providers: the OpenIddict client (authorization code + PKCE), one registration
/// per configured provider, each with its own redirection endpoint <c>/signin-oidc/{name}</c> (against mix-up attacks).
/// </summary>
public static class FederationSetup
{
    /// <summary>How long the provider may take to answer (discovery, token, userinfo) before the sign-in is given up.</summary>
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddFederation(this IServiceCollection services, IConfiguration config, ForgeSettings settings)
    {
        var providers = FederationProviders.From(config);
        services.AddSingleton(providers);
        services.AddScoped<FederationService>();
        if (providers.All.Count == 0) return services;

        services.AddOpenIddict().AddClient(options =>
        {
            options.AllowAuthorizationCodeFlow();
            // State tokens are stored through the OpenIddict EF Core stores the server registered (AddCore), so each is
            // redeemed once; they are signed and encrypted with the instance's certificates (data/keys), which survive a
            // restart. OpenIddict tells a state token from the server's own tokens by its type, so sharing keys is safe.
            options.AddSigningCertificate(SigningKeys.Signing(settings.KeysPath))
                .AddEncryptionCertificate(SigningKeys.Encryption(settings.KeysPath));
            options.UseAspNetCore()
                // Forge usually runs behind a TLS-terminating proxy and answers in plain http on loopback.
                .DisableTransportSecurityRequirement()
                .EnableRedirectionEndpointPassthrough()
                .EnableErrorPassthrough()
                // No authentication scheme named after each provider: Forge's own schemes stay the only ones.
                .DisableAutomaticAuthenticationSchemeForwarding();
            options.UseSystemNetHttp()
                .SetProductInformation(typeof(FederationSetup).Assembly)
                // No retries: an unreachable provider is said at once, in French, instead of after a minute of back-off.
                .SetHttpResiliencePipeline(ResiliencePipeline<HttpResponseMessage>.Empty)
                .ConfigureHttpClient(client => client.Timeout = ProviderTimeout);
            foreach (var provider in providers.All)
            {
                var registration = new OpenIddictClientRegistration
                {
                    RegistrationId = provider.Name,
                    ProviderName = provider.Name,
                    ProviderDisplayName = provider.DisplayName,
                    Issuer = provider.Issuer,
                    ClientId = provider.ClientId,
                    ClientSecret = provider.ClientSecret,
                    RedirectUri = new Uri(provider.CallbackPath.TrimStart('/'), UriKind.Relative),
                };
                foreach (var scope in provider.Scopes) registration.Scopes.Add(scope);
                // PKCE even when the provider's discovery document does not advertise it.
                registration.CodeChallengeMethods.Add(OpenIddict.Abstractions.OpenIddictConstants.CodeChallengeMethods.Sha256);
                // The answer comes back as a top-level GET (query), which carries the Lax correlation cookie below.
                registration.ResponseModes.Add(OpenIddict.Abstractions.OpenIddictConstants.ResponseModes.Query);
                options.AddRegistration(registration);
            }
        });
        // The cookie binding the provider's answer to this browser: OpenIddict's default (SameSite=None, Secure) is never
        // sent back over plain http, where Forge runs behind its proxy or on loopback; Lax suits the GET redirection back.
        services.Configure<OpenIddict.Client.AspNetCore.OpenIddictClientAspNetCoreOptions>(o =>
        {
            o.CookieBuilder.SameSite = SameSiteMode.Lax;
            o.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }
}
