using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
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
            // TODO(oidc merge): share the OpenIddict EF stores so state tokens are remembered as redeemed.
            options.DisableTokenStorage();
            // State tokens are signed and encrypted with keys kept in the data folder, so a restart keeps sign-ins going.
            options.AddSigningKey(new RsaSecurityKey(LoadOrCreateRsa(Path.Combine(settings.KeysPath, "federation-signing.pem"))));
            options.AddEncryptionKey(new RsaSecurityKey(LoadOrCreateRsa(Path.Combine(settings.KeysPath, "federation-encryption.pem"))));
            options.UseAspNetCore()
                // Forge usually runs behind a TLS-terminating proxy and answers in plain http on loopback.
                .DisableTransportSecurityRequirement()
                .EnableRedirectionEndpointPassthrough()
                .EnableErrorPassthrough();
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
                options.AddRegistration(registration);
            }
        });
        return services;
    }

    /// <summary>An RSA key stored as PEM (owner read/write only), created on first use.</summary>
    private static RSA LoadOrCreateRsa(string path)
    {
        var rsa = RSA.Create(2048);
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, rsa.ExportRSAPrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (an admin command, a second server) made it first: use theirs.
            File.Delete(temporary);
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        return rsa;
    }
}
