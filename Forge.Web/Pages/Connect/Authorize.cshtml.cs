using System.Security.Claims;
using Forge.Web.Data;
using Forge.Web.OpenId;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Forge.Web.Pages.Connect;

/// <summary>
/// <c>/connect/authorize</c>, after OpenIddict has checked the request (client, exactly registered redirect URI, PKCE,
/// scopes): asks the signed-in user to consent (« L’application X demande : … »), remembers the answer as a permanent
/// authorization per user and client, and issues the code. The decision is only read from the POSTed form (anti-forgery
/// token checked), never from a link.
/// </summary>
public sealed class AuthorizeModel(UserManager<ForgeUser> users, IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations) : PageModel
{
    public const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public string ApplicationName { get; private set; } = "";
    public string UserName { get; private set; } = "";
    public IReadOnlyList<string> RequestedScopes { get; private set; } = [];
    /// <summary>The request's parameters, carried by the consent form back to this endpoint.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => HandleAsync(decision: null);

    public Task<IActionResult> OnPostAsync(string? decision) => HandleAsync(decision ?? "");

    private async Task<IActionResult> HandleAsync(string? decision)
    {
        var request = HttpContext.GetOpenIddictServerRequest();
        if (request is null) return NotFound();
        var ct = HttpContext.RequestAborted;

        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        if (user is null || user.IsGroup)
        {
            if (request.HasPromptValue(PromptValues.None)) return Refuse(Errors.LoginRequired, "Vous n’êtes pas connecté à Forge.");
            return Challenge(new AuthenticationProperties { RedirectUri = Request.PathBase + Request.Path + QueryString.Create(RequestParameters()!) },
                IdentityConstants.ApplicationScheme);
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, ct)
            ?? throw new InvalidOperationException("client validated by OpenIddict but missing");
        var applicationId = await applications.GetIdAsync(application, ct);
        var subject = user.Id.ToString();
        var scopes = request.GetScopes();
        var existing = new List<object>();
        await foreach (var a in authorizations.FindAsync(subject, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, ct))
            existing.Add(a);

        if (decision == "deny") return Refuse(Errors.AccessDenied, "L’utilisateur a refusé l’accès.");
        var consented = decision == "accept" || (existing.Count > 0 && !request.HasPromptValue(PromptValues.Consent));
        if (!consented)
        {
            if (request.HasPromptValue(PromptValues.None)) return Refuse(Errors.ConsentRequired, "L’utilisateur doit d’abord autoriser cette application.");
            ApplicationName = await applications.GetLocalizedDisplayNameAsync(application, ct) ?? request.ClientId!;
            UserName = user.UserName!;
            RequestedScopes = scopes;
            Parameters = RequestParameters();
            // The answer is a redirection to the client's (registered) redirect URI: the browser must be allowed to follow it.
            if (Uri.TryCreate(request.RedirectUri, UriKind.Absolute, out var redirect)) Forge.Web.Federation.FederationCsp.AllowFormActions(HttpContext, [redirect]);
            return Page();
        }

        var identity = ForgeScopes.IdentityFor(user, scopes);
        var authorization = existing.LastOrDefault()
            ?? await authorizations.CreateAsync(new ClaimsPrincipal(identity), subject, applicationId!, AuthorizationTypes.Permanent, scopes, ct);
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, ct));
        return SignIn(new ClaimsPrincipal(identity), Scheme);
    }

    /// <summary>The OpenID Connect parameters of this request (query or form), without the form's own fields.</summary>
    private List<KeyValuePair<string, string>> RequestParameters()
    {
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source = Request.HasFormContentType ? Request.Form : Request.Query;
        return source.Where(p => p.Key is not ("__csrf" or "decision"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))
            .ToList();
    }

    private ForbidResult Refuse(string error, string description) => Forbid(OpenIdEndpoints.ErrorProperties(error, description), Scheme);
}
