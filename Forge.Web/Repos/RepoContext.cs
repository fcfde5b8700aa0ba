using Forge.Git;
using Forge.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Repos;

/// <summary>The repository a page under <c>/{owner}/{repo}</c> is about, resolved and access-checked once.</summary>
public sealed class RepoContext(RepositoryEntity repository, Viewer viewer, string gitPath)
{
    public RepositoryEntity Repository { get; } = repository;
    public Viewer Viewer { get; } = viewer;
    public string GitPath { get; } = gitPath;
    public string Owner => Repository.Owner.UserName!;
    public string Name => Repository.Name;
    public string FullName => $"{Owner}/{Name}";
    public string BaseUrl => $"/{Owner}/{Name}";
    public bool CanWrite => RepositoryService.CanWrite(Repository, Viewer);
    public bool CanAdmin => RepositoryService.CanAdmin(Repository, Viewer);
    public bool IsOwnerOrAdmin => RepositoryService.IsOwnerOrAdmin(Repository, Viewer);
}

/// <summary>
/// Added to every page of the <c>/Repo</c> folder: resolves owner and repository from the route, checks read
/// access (and, under <c>/Repo/Settings</c>, the right to manage the repository), and answers 404 for missing and
/// forbidden alike so a private repository's existence never leaks. An old name of a renamed or transferred
/// repository redirects a GET to the same page under the current name.
/// </summary>
public sealed class RepoContextFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var owner = context.RouteData.Values["owner"] as string;
        var name = context.RouteData.Values["repo"] as string;
        if (owner is null || name is null)
        {
            context.Result = new NotFoundResult();
            return;
        }
        var services = http.RequestServices;
        var repositories = services.GetRequiredService<RepositoryService>();
        var repo = await repositories.FindAsync(owner, name, http.RequestAborted);
        var viewer = await http.ViewerAsync();
        if (repo is null && HttpMethods.IsGet(http.Request.Method)
            && await repositories.FindRedirectAsync(owner, name, http.RequestAborted) is { } moved && RepositoryService.CanRead(moved, viewer))
        {
            context.Result = new RedirectResult(RepositoryService.MovedUrl(http.Request, moved), permanent: true);
            return;
        }
        var settings = context.ActionDescriptor.ViewEnginePath.StartsWith("/Repo/Settings/", StringComparison.Ordinal);
        if (repo is null || !RepositoryService.CanRead(repo, viewer) || (settings && !RepositoryService.CanAdmin(repo, viewer)))
        {
            context.Result = new NotFoundResult();
            return;
        }
        if (!RepositoryService.IsPublicToAll(repo)) http.Response.Headers.CacheControl = "private, no-store";
        http.Features.Set(new RepoContext(repo, viewer, services.GetRequiredService<RepositoryStore>().PathOf(repo.Id)));
        await next();
    }
}

/// <summary>Base of repository pages: typed access to the resolved <see cref="RepoContext"/>.</summary>
public abstract class RepoPageModel : PageModel
{
    public RepoContext Repo => HttpContext.Features.Get<RepoContext>()
        ?? throw new InvalidOperationException("RepoContextFilter did not run");
}
