using Forge.Web.OpenId;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Admin;

/// <summary>
/// <c>/admin/applications</c>: the client applications of Forge's OpenID Connect server — list, register, delete
/// (administrators only, 404 for anyone else). The same rules as <c>forge admin client create</c>.
/// </summary>
public sealed class ApplicationsModel(ClientApplications clients) : PageModel
{
    [BindProperty] public string? ClientId { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public bool IsPublic { get; set; }
    [BindProperty] public string? RedirectUris { get; set; }
    [BindProperty] public List<string> Scopes { get; set; } = [.. ClientApplications.DefaultScopes];
    public IReadOnlyList<ClientSummary> Clients { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? NewClientId { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        Clients = await clients.ListAsync(HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        ModelState.Clear();
        var uris = (RedirectUris ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new ClientRequest(ClientId?.Trim() ?? "", DisplayName, null, IsPublic, uris, Scopes);
        foreach (var (field, message) in await clients.ValidateAsync(request, HttpContext.RequestAborted))
            ModelState.AddModelError(field, message);
        if (ModelState.IsValid)
        {
            NewSecret = await clients.CreateAsync(request, HttpContext.RequestAborted);
            NewClientId = request.ClientId;
            (ClientId, DisplayName, RedirectUris) = (null, null, null);
        }
        Clients = await clients.ListAsync(HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string client)
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        await clients.DeleteAsync(client, HttpContext.RequestAborted);
        return RedirectToPage();
    }
}
