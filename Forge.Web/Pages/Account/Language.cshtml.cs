using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account;

/// <summary>
/// The language switch. The footer links here rather than carrying the form itself: anonymous public pages are
/// cached whole and shared between visitors, so they cannot hold a per-visitor anti-forgery token.
/// </summary>
public sealed class LanguageModel : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public string? Culture { get; set; }

    public void OnGet()
    {
        if (SharedResource.Languages.All(l => l.Culture != Culture))
            Culture = SharedResource.Languages.FirstOrDefault(l => l.Culture.StartsWith(SharedResource.Language, StringComparison.Ordinal)).Culture;
        ReturnUrl = SafeReturnUrl();
    }

    public IActionResult OnPost()
    {
        if (SharedResource.Languages.Any(l => l.Culture == Culture))
            Response.Cookies.Append(SharedResource.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Culture!)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = Request.IsHttps });
        return LocalRedirect(SafeReturnUrl());
    }

    /// <summary>Back to the page the visitor came from, on this site only (never <c>//host</c> nor an absolute URL).</summary>
    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) && !ReturnUrl!.StartsWith("/user/language", StringComparison.OrdinalIgnoreCase) ? ReturnUrl : "/";
}
