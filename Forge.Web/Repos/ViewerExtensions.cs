using System.Security.Claims;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

public static class ViewerExtensions
{
    private const string ItemKey = "forge:viewer";

    /// <summary>The signed-in user's id from the current principal, or null.</summary>
    public static long? UserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The viewer of this request (admin flag and group roles read from the database once per request).</summary>
    public static async Task<Viewer> ViewerAsync(this HttpContext context, ClaimsPrincipal? principal = null)
    {
        principal ??= context.User;
        if (principal == context.User && context.Items.TryGetValue(ItemKey, out var cached) && cached is Viewer v) return v;
        var id = principal.UserId();
        var db = context.RequestServices.GetRequiredService<ForgeDbContext>();
        var account = id is null ? null
            : await db.Users.Where(u => u.Id == id).Select(u => new { u.IsAdmin, u.Role }).FirstOrDefaultAsync(context.RequestAborted);
        var viewer = id is null ? Viewer.Anonymous
            : new Viewer(id, account?.IsAdmin ?? false)
            {
                IsTeacherAccount = account is not null && (account.IsAdmin || account.Role != InstanceRole.Student),
                GroupRoles = await Forge.Web.Groups.GroupRoles.LoadAsync(db, id.Value,
                    context.RequestServices.GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(), context.RequestAborted),
            };
        if (principal == context.User) context.Items[ItemKey] = viewer;
        return viewer;
    }
}
