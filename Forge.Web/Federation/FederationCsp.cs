namespace Forge.Web.Federation;

/// <summary>
/// Forge's Content-Security-Policy says <c>form-action 'self'</c>, and browsers apply it to the redirections that follow
/// a form's submission too: a page with « Se connecter avec … » buttons (a form to Forge that answers with a redirection
/// to the provider) must also name the providers' origins, or the browser stops at Forge's redirection.
/// </summary>
public static class FederationCsp
{
    public static void AllowProviders(HttpContext context, FederationProviders providers)
    {
        if (providers.All.Count == 0) return;
        var origins = string.Join(' ', providers.All.Select(p => p.Issuer.GetLeftPart(UriPartial.Authority)).Distinct());
        context.Response.OnStarting(() =>
        {
            var csp = context.Response.Headers.ContentSecurityPolicy.ToString();
            if (csp.Contains("form-action 'self';", StringComparison.Ordinal))
                context.Response.Headers.ContentSecurityPolicy = csp.Replace("form-action 'self';", $"form-action 'self' {origins};", StringComparison.Ordinal);
            return Task.CompletedTask;
        });
    }
}
