using Forge.Web.Repos;
using Forge.Web.Sites;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Settings;

/// <summary>« Site du cours »: the site's own host name (maintainers; the settings filter answers 404 to others).</summary>
public sealed class SiteModel(SiteHostService hosts, IConfiguration configuration) : RepoPageModel
{
    [BindProperty] public string? Host { get; set; }
    [TempData] public string? Notice { get; set; }
    public string? Current { get; private set; }
    /// <summary>The site's address on the owners' site domain (<c>Forge:Sites:Domain</c>), when there is one and the repository is public.</summary>
    public string? DomainUrl { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Host = Current;
    }

    public async Task<IActionResult> OnPostAsync() => await SaveAsync(Host);

    public async Task<IActionResult> OnPostRemoveAsync() => await SaveAsync(null);

    private async Task<IActionResult> SaveAsync(string? host)
    {
        ModelState.Clear();
        var error = await hosts.SetAsync(Repo.Repository, host, Request.Host.Host, HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Host), error);
            await LoadAsync();
            return Page();
        }
        Notice = string.IsNullOrWhiteSpace(host) ? "Nom d’hôte du site retiré." : "Nom d’hôte du site enregistré.";
        return Redirect($"{Repo.BaseUrl}/settings/site");
    }

    private async Task LoadAsync()
    {
        Current = await hosts.HostOfAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        if (SiteHosts.Domain(configuration) is { } domain && RepositoryService.IsPublicToAll(Repo.Repository))
            DomainUrl = $"http://{Repo.Owner.ToLowerInvariant()}.{domain}/{Uri.EscapeDataString(Repo.Name)}/";
    }
}
