using Forge.Web.Data;
using Forge.Web.Mail;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Issues;

/// <summary>
/// Sends each notification by e-mail as well, when the instance has an SMTP server (<c>Forge:Smtp:Host</c>) and the user
/// confirmed their address; otherwise the notifications page is all there is. Mail leaves after the answer, in order, through the <see cref="MailQueue"/>: a slow
/// SMTP server never holds up the page or the API call that caused the notification. Each person's choice in
/// « Recevoir les notifications par courriel » (all, only mentions and assignments, none) is honoured.
/// </summary>
public sealed class EmailNotificationDelivery(MailQueue mail, IHttpContextAccessor http, ForgeDbContext db)
    : INotificationDelivery
{
    public async Task DeliverAsync(IReadOnlyList<Notification> notifications, CancellationToken ct)
    {
        if (!mail.IsEnabled) return;
        var request = http.HttpContext?.Request;
        var site = request is null ? "" : $"{request.Scheme}://{request.Host}";
        var ids = notifications.Select(n => n.UserId).Distinct().ToList();
        var levels = await db.Set<NotificationSettings>().Where(s => ids.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, s => s.Email, ct);
        var messages = notifications
            .Where(n => n.User is { EmailConfirmed: true, Email: { Length: > 0 } } && n.Repository?.Owner is not null)
            .Where(n => NotificationService.Mailed(levels.GetValueOrDefault(n.UserId), n.Kind))
            .Select(n => Message(n, site)).ToList();
        mail.Enqueue(messages);
    }

    /// <summary>A short plain-text mail in French (the interface's source language), with the link to the thing.</summary>
    public static MailMessage Message(Notification n, string site)
    {
        var repo = $"{n.Repository.Owner.UserName}/{n.Repository.Name}";
        var reference = $"{repo}{(n.IsMergeRequest ? "!" : "#")}{n.Number}";
        var url = $"{site}/{repo}/{(n.IsMergeRequest ? "merge_requests" : "issues")}/{n.Number}";
        var what = n.Kind switch
        {
            NotificationKind.Mention => "Vous êtes mentionné(e)",
            NotificationKind.Comment => "Nouveau commentaire",
            NotificationKind.Assigned => "Vous êtes assigné(e)",
            NotificationKind.NewIssue => "Nouveau ticket",
            _ => "Nouvelle demande de fusion",
        };
        var text = $"""
            {what} : {reference} — {n.Title}

            {url}

            Vous recevez ce courriel parce que vous participez à ce ticket ou suivez ce dépôt sur Forge.
            Toutes vos notifications : {site}/notifications
            Recevoir moins de courriels : {site}/user/settings/notifications
            """;
        return new MailMessage(n.User.Email!, $"[{repo}] {what} : {n.Title}", text);
    }
}
