using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.OpenId;

/// <summary>An application a user allowed (consent remembered), as « Jetons d’accès » lists it.</summary>
public sealed record AuthorizedApplication(string ClientId, string DisplayName, IReadOnlyList<string> Scopes, DateTimeOffset? Since);

/// <summary>
/// The applications a user authorized, and the withdrawal of that consent: the authorization is revoked, and with it
/// every token issued under it (OpenIddict checks the authorization of a token at each request).
/// </summary>
public sealed class AuthorizedApplications(IOpenIddictAuthorizationManager authorizations, IOpenIddictApplicationManager applications)
{
    public async Task<List<AuthorizedApplication>> ListAsync(long userId, CancellationToken ct = default)
    {
        var list = new List<AuthorizedApplication>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId.ToString(), ct))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct)) continue;
            var applicationId = await authorizations.GetApplicationIdAsync(authorization, ct);
            var application = applicationId is null ? null : await applications.FindByIdAsync(applicationId, ct);
            if (application is null) continue;
            var clientId = (await applications.GetClientIdAsync(application, ct))!;
            list.Add(new AuthorizedApplication(clientId, await applications.GetDisplayNameAsync(application, ct) ?? clientId,
                await authorizations.GetScopesAsync(authorization, ct), await authorizations.GetCreationDateAsync(authorization, ct)));
        }
        return list;
    }

    /// <summary>Revokes every valid authorization of <paramref name="userId"/> for the client; false when there was none.</summary>
    public async Task<bool> RevokeAsync(long userId, string clientId, CancellationToken ct = default)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null) return false;
        var revoked = false;
        var found = new List<object>();
        await foreach (var authorization in authorizations.FindAsync(userId.ToString(), await applications.GetIdAsync(application, ct), Statuses.Valid, null, null, ct))
            found.Add(authorization);
        foreach (var authorization in found) revoked |= await authorizations.TryRevokeAsync(authorization, ct);
        return revoked;
    }
}
