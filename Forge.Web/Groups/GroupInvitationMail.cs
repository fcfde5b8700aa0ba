using Forge.Web.Data;
using Forge.Web.Mail;

namespace Forge.Web.Groups;

/// <summary>
/// The e-mail that carries a group invitation's link, when the instance sends e-mail (<c>Forge:Smtp:Host</c>). It leaves
/// after the answer through the <see cref="MailQueue"/>, like notifications: a slow SMTP server never holds up the members page; a failure is logged and the
/// link shown on the page still works.
/// </summary>
public static class GroupInvitationMail
{
    /// <summary>The link that accepts the invitation whose secret is <paramref name="secret"/> (shown once to whoever invites).</summary>
    public static string Link(HttpRequest request, string secret) => $"{request.Scheme}://{request.Host}/groups/invitations/{secret}";

    /// <summary>Sends the invitation in the background; false when the instance sends no e-mail (the inviter passes the link on).</summary>
    public static bool Send(MailQueue mail, ForgeUser group, string? inviter, string email, GroupRole role, string link) =>
        mail.Enqueue(Message(group, inviter, email, role, link));

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
