using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages;

/// <summary>The signed-in user's notifications: unread or all, each linking to its issue or merge request; mark one or all read.</summary>
[Authorize]
public sealed class NotificationsModel(NotificationService notifications) : PageModel
{
    public IReadOnlyList<Notification> Notifications { get; private set; } = [];
    public bool All { get; private set; }
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }
    public int Unread { get; private set; }

    public async Task OnGetAsync(string? show, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] int? page)
    {
        All = show == "all";
        PageNumber = Math.Clamp(page ?? 1, 1, 10_000);
        var viewer = await HttpContext.ViewerAsync();
        var list = await notifications.ListAsync(viewer, !All, PageNumber, HttpContext.RequestAborted);
        HasMore = list.Count > NotificationService.PageSize;
        Notifications = list.Take(NotificationService.PageSize).ToList();
        Unread = await notifications.UnreadCountAsync(viewer, HttpContext.RequestAborted);
    }

    /// <summary>Marks one notification read (<paramref name="id"/>) or all of them, then goes on to <paramref name="go"/> when it is given (the notification's link).</summary>
    public async Task<IActionResult> OnPostReadAsync(long? id, string? go, string? show)
    {
        var viewer = await HttpContext.ViewerAsync();
        if (!await notifications.MarkReadAsync(viewer.UserId!.Value, id, HttpContext.RequestAborted)) return NotFound();
        if (!string.IsNullOrEmpty(go) && Url.IsLocalUrl(go)) return Redirect(go);
        return Redirect(show == "all" ? "/notifications?show=all" : "/notifications");
    }

    public static string Why(NotificationKind kind) => kind switch
    {
        NotificationKind.Mention => "Vous êtes mentionné",
        NotificationKind.Assigned => "Vous êtes assigné",
        NotificationKind.Comment => "Nouveau commentaire",
        NotificationKind.NewIssue => "Nouveau ticket",
        _ => "Nouvelle demande de fusion",
    };
}
