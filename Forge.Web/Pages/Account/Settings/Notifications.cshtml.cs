using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Mail;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>« Recevoir les notifications par courriel » : toutes, seulement mentions et attributions, aucune.</summary>
public sealed class NotificationSettingsModel(NotificationService notifications, IMailSender mail) : PageModel
{
    public EmailNotificationLevel Level { get; private set; }
    public bool Saved { get; private set; }
    public bool MailEnabled => mail.IsEnabled;

    private long Me => User.UserId() ?? throw new InvalidOperationException("signed-in page");

    public async Task OnGetAsync(bool saved)
    {
        Saved = saved;
        Level = await notifications.EmailLevelAsync(Me, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync(EmailNotificationLevel? level)
    {
        // Radio buttons: a value outside the three is a forged form; nothing is changed.
        if (level is not { } chosen || !Enum.IsDefined(chosen)) return BadRequest();
        await notifications.SetEmailLevelAsync(Me, chosen, HttpContext.RequestAborted);
        return Redirect("/user/settings/notifications?saved=true");
    }
}
