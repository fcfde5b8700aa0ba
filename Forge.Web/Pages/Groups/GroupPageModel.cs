using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Groups;

/// <summary>
/// Base of the pages under <c>/{group}/-/</c>: resolves the group from the route and the viewer once, and answers 404
/// when there is no such group or the viewer may not see it (a private group's existence never leaks). An old name of a
/// renamed group redirects a GET to the same page under the new name.
/// </summary>
public abstract class GroupPageModel(GroupService groups, RepositoryService repositories) : PageModel
{
    protected GroupService Groups { get; } = groups;
    public ForgeUser Group { get; private set; } = null!;
    public Viewer Viewer { get; private set; } = Viewer.Anonymous;
    public string BaseUrl => $"/{Uri.EscapeDataString(Group.UserName!)}";
    [TempData] public string? Notice { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var name = RouteData.Values["group"] as string;
        var ct = HttpContext.RequestAborted;
        Viewer = await HttpContext.ViewerAsync();
        var group = await Groups.FindVisibleAsync(name, Viewer, ct);
        if (group is null)
        {
            if (name is not null && HttpMethods.IsGet(Request.Method) && await repositories.RenamedOwnerIdAsync(name, ct) is { } id
                && await Groups.FindByIdAsync(id, ct) is { } renamed && GroupService.CanSee(renamed, Viewer))
            {
                var path = Request.Path.Value!;
                var rest = path[Math.Max(0, path.IndexOf("/-/", StringComparison.Ordinal))..];
                context.Result = new RedirectResult($"/{Uri.EscapeDataString(renamed.UserName!)}{rest}{Request.QueryString}", permanent: true);
                return;
            }
            context.Result = NotFound();
            return;
        }
        Group = group;
        Response.Headers.CacheControl = "private, no-store";
        if (!Allowed())
        {
            context.Result = NotFound();
            return;
        }
        await next();
    }

    /// <summary>Whether the viewer may open this page at all (404 otherwise).</summary>
    protected virtual bool Allowed() => true;

    protected IActionResult Done(string notice, string page)
    {
        Notice = notice;
        return Redirect($"{BaseUrl}/-/{page}");
    }
}
