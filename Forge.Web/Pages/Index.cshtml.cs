using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages;

public sealed class IndexModel(RepositoryService repositories) : PageModel
{
    public IReadOnlyList<RepositoryEntity> Latest { get; private set; } = [];
    public IReadOnlyList<RepositoryEntity>? Mine { get; private set; }

    public async Task OnGetAsync()
    {
        var viewer = await HttpContext.ViewerAsync();
        Latest = await repositories.LatestPublicAsync(20, HttpContext.RequestAborted);
        if (viewer.UserId is { } id) Mine = await repositories.ListVisibleAsync(id, viewer, HttpContext.RequestAborted);
    }
}
