using Forge.Web.Data;
using Forge.Web.Mail;

namespace Forge.Web.Groups;

/// <summary>
/// The e-mail that carries a group invitation's link, when the instance sends e-mail (<c>Forge:Smtp:Host</c>). It leaves
/// after the answer, like notifications: a slow SMTP server never holds up the members page; a failure is logged and the
/// link shown on the page still works.
/// </summary>
public static class GroupInvitationMail
{
    /// <summary>Sends the invitation in the background; false when the instance sends no e-mail (the inviter passes the link on).</summary>
    public static bool Send(IMailSender mail, ILogger log, ForgeUser group, string? inviter, string email, GroupRole role, string link)
    {
        if (!mail.IsEnabled) return false;
        var message = Message(group, inviter, email, role, link);
        _ = Task.Run(async () =>
        {
            try { await mail.SendAsync(message, CancellationToken.None); }
            catch (Exception e) { log.LogWarning(e, "Group invitation e-mail to {To} not sent", email); }
        }, CancellationToken.None);
        return true;
    }

    /// <summary>Plain text, in French (the interface's source language).</summary>
    public static MailMessage Message(ForgeUser group, string? inviter, string email, GroupRole role, string link)
    {
        var name = group.FullName ?? group.UserName;
        var text = $"""
            Bonjour,

            {inviter ?? "Un membre"} vous invite à rejoindre le groupe « {name} » sur Forge, avec le rôle {GroupService.RoleLabel(role).ToLowerInvariant()}.

            Pour accepter, ouvrez ce lien (en vous connectant ou en créant un compte) :
            {link}

            Le lien est valable {GroupService.InvitationLifetime.Days} jours et ne sert qu’une fois. Si vous n’attendiez pas cette invitation, ignorez ce courriel.
            """;
        return new MailMessage(email, $"Invitation à rejoindre le groupe « {name} » sur Forge", text);
    }
}
