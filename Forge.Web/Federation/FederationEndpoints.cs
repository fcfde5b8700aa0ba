using System.Globalization;
using Forge.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Client.AspNetCore;

namespace Forge.Web.Federation;

/// <summary>The redirection endpoint the providers send the browser back to, and the start of a flow.</summary>
public static class FederationEndpoints
{
    /// <summary>Property of the flow (kept in OpenIddict's state token) naming the account that asked to link a provider.</summary>
    public const string LinkUserProperty = "forge_link_user";
    public const string ErrorPath = "/user/login/external/error";
    public const string ConfirmLinkPath = "/user/login/external/link";
    public const string LinkedAccountsPath = "/user/settings/linked";

    public static string ErrorUrl(string provider, string reason) =>
        $"{ErrorPath}?provider={Uri.EscapeDataString(provider)}&reason={Uri.EscapeDataString(reason)}";

    /// <summary>
    /// Turns failures of the OpenIddict client while it talks to a provider (unreachable issuer, broken discovery
    /// document, token endpoint down) into the French error page instead of a 500. Must wrap authentication.
    /// </summary>
    public static IApplicationBuilder UseFederationErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/signin-oidc", out var rest) && !path.StartsWithSegments("/user/login/external"))
        {
            await next();
            return;
        }
        try
        {
            await next();
        }
        catch (Exception e) when (!context.Response.HasStarted && IsProviderFailure(e))
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Forge.Federation")
                .LogWarning(e, "Sign-in with an external provider failed at {Path}", path.Value);
            var provider = rest.HasValue ? rest.Value!.Trim('/') : context.Request.RouteValues["provider"] as string ?? "";
            context.Response.Clear();
            context.Response.Redirect(ErrorUrl(provider, FederationErrors.Unreachable));
        }
    });

    /// <summary>What the OpenIddict client throws when a provider cannot be reached or answers nonsense.</summary>
    public static bool IsProviderFailure(Exception e) =>
        e is HttpRequestException or TaskCanceledException or InvalidOperationException or OpenIddict.Abstractions.OpenIddictExceptions.ProtocolException;

    public static void MapFederation(this IEndpointRouteBuilder app)
    {
        // GET for the query response mode, POST for form_post; OpenIddict has already checked the state token (passthrough).
        app.MapMethods("/signin-oidc/{provider}", ["GET", "POST"], CallbackAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> CallbackAsync(string provider, HttpContext http, FederationProviders providers,
        FederationService federation, SignInManager<ForgeUser> signIn, UserManager<ForgeUser> users)
    {
        var configured = providers.Find(provider);
        if (configured is null) return Results.NotFound();
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            var error = result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.Error, out var e) == true ? e : null;
            return Results.Redirect(ErrorUrl(configured.Name, FederationErrors.FromOAuthError(error)));
        }
        // The state token names the registration the flow started with; it must be this provider's (mix-up attacks).
        var items = result.Properties?.Items ?? new Dictionary<string, string?>();
        if (!items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.RegistrationId, out var registration) || registration != configured.Name)
            return Results.Redirect(ErrorUrl(configured.Name, FederationErrors.State));
        var identity = ExternalIdentity.From(configured, result.Principal);
        if (identity is null) return Results.Redirect(ErrorUrl(configured.Name, FederationErrors.Provider));

        long? linkTo = items.TryGetValue(LinkUserProperty, out var link) && long.TryParse(link, CultureInfo.InvariantCulture, out var id) ? id : null;
        long? signedIn = http.User.Identity?.IsAuthenticated == true && long.TryParse(users.GetUserId(http.User), CultureInfo.InvariantCulture, out var me) ? me : null;
        var returnUrl = result.Properties?.RedirectUri is { } r && IsLocal(r) ? r : "/";

        switch (await federation.ResolveAsync(configured, identity, linkTo, signedIn))
        {
            case FederationOutcome.SignIn(var user, _):
                await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: configured.Name);
                return Results.Redirect(returnUrl);
            case FederationOutcome.Linked:
                return Results.Redirect($"{LinkedAccountsPath}?linked={Uri.EscapeDataString(configured.Name)}");
            case FederationOutcome.ConfirmLink:
                // Kept a few minutes in Identity's external cookie, until the owner of the local account gives her password.
                var properties = new AuthenticationProperties { RedirectUri = returnUrl };
                await http.SignInAsync(IdentityConstants.ExternalScheme, identity.ToPrincipal(IdentityConstants.ExternalScheme), properties);
                return Results.Redirect(ConfirmLinkPath);
            case FederationOutcome.Refused(var reason):
                return Results.Redirect(ErrorUrl(configured.Name, reason));
            default:
                return Results.Redirect(ErrorUrl(configured.Name, FederationErrors.Failed));
        }
    }

    /// <summary>A path of this site (<c>/x</c>), never <c>//host</c> nor <c>/\host</c> nor an absolute URL.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
