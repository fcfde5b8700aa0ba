namespace Forge.Web.Federation;

/// <summary>
/// Forge's Content-Security-Policy says <c>form-action 'self'</c>, and browsers apply it to the redirections that follow
/// a form's submission too: a page whose form leads, through Forge, to another site (« Se connecter avec … » to a
/// provider; a consent form back to a client's redirect URI) must also name that site's origin, or the browser stops
/// at Forge's redirection.
/// </summary>
public static class FederationCsp
{
    /// <summary>Adds the origins of the configured providers' issuers to this response's <c>form-action</c>.</summary>
    public static void AllowProviders(HttpContext context, FederationProviders providers) =>
        AllowFormActions(context, providers.All.Select(p => p.Issuer));

    /// <summary>Adds the origins of <paramref name="targets"/> (absolute http(s) URLs) to this response's <c>form-action</c>.</summary>
    public static void AllowFormActions(HttpContext context, IEnumerable<Uri> targets)
    {
        var origins = string.Join(' ', targets.Where(t => t.IsAbsoluteUri && t.Scheme is "https" or "http")
            .Select(t => t.GetLeftPart(UriPartial.Authority)).Distinct());
        if (origins.Length == 0) return;
        context.Response.OnStarting(() =>
        {
            var csp = context.Response.Headers.ContentSecurityPolicy.ToString();
            if (csp.Contains("form-action 'self';", StringComparison.Ordinal))
                context.Response.Headers.ContentSecurityPolicy = csp.Replace("form-action 'self';", $"form-action 'self' {origins};", StringComparison.Ordinal);
            return Task.CompletedTask;
        });
    }
}
