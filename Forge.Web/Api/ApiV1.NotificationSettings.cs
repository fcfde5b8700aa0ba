using Forge.Web.Data;
using Forge.Web.Issues;
using Forge.Web.Mail;

namespace Forge.Web.Api;

/// <summary>
/// Forge's own <c>/api/v1/user/settings/notifications</c> (Gitea's <c>/user/settings</c> has no such field): which
/// notifications the caller also receives by e-mail, as on « Paramètres › Notifications ».
/// </summary>
public static partial class ApiV1
{
    /// <summary>
    /// <c>email</c>: <c>all</c>, <c>mentions</c> (only when mentioned or assigned) or <c>none</c>; <c>mail_enabled</c>
    /// says whether this instance sends e-mail at all (when it does not, the choice is kept for later).
    /// </summary>
    public sealed record ApiNotificationSettings(string Email, bool MailEnabled);

    /// <summary>Body of <c>PUT /api/v1/user/settings/notifications</c>.</summary>
    public sealed record NotificationSettingsOption(string? Email);

    private static void MapNotificationSettings(RouteGroupBuilder api)
    {
        const string path = "/user/settings/notifications";
        api.MapGet(path, GetNotificationSettings).WithName("forgeGetNotificationSettings")
            .WithSummary("Forge's own: which notifications the caller also gets by e-mail (`all`, `mentions`, `none`).").Produces<ApiNotificationSettings>();
        api.MapPut(path, PutNotificationSettings).RequestBody(typeof(NotificationSettingsOption)).WithName("forgePutNotificationSettings")
            .WithSummary("Forge's own: sets `email` to `all`, `mentions` (mentions and assignments) or `none` → 200; 422 otherwise.")
            .Produces<ApiNotificationSettings>().Errors(422);
    }

    /// <summary>The API's names of the levels, one list for both directions.</summary>
    private static readonly (EmailNotificationLevel Level, string Name)[] EmailLevels =
        [(EmailNotificationLevel.All, "all"), (EmailNotificationLevel.MentionsAndAssignments, "mentions"), (EmailNotificationLevel.None, "none")];

    private static string EmailLevelName(EmailNotificationLevel level) => EmailLevels.FirstOrDefault(l => l.Level == level).Name ?? "all";

    private static async Task<IResult> GetNotificationSettings(HttpContext context, NotificationService notifications, IMailSender mail)
    {
        var (caller, failure) = await SelfAsync(context, null);
        if (failure is not null) return failure;
        var level = await notifications.EmailLevelAsync(caller!.Id, context.RequestAborted);
        return Results.Json(new ApiNotificationSettings(EmailLevelName(level), mail.IsEnabled), ApiModels.Json);
    }

    private static async Task<IResult> PutNotificationSettings(HttpContext context, NotificationService notifications, IMailSender mail)
    {
        var (caller, failure) = await SelfAsync(context, null);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<NotificationSettingsOption>(context);
        if (bad is not null) return bad;
        EmailNotificationLevel? level = EmailLevels.Any(l => l.Name == option!.Email) ? EmailLevels.First(l => l.Name == option!.Email).Level : null;
        if (level is null) return Error(StatusCodes.Status422UnprocessableEntity, "« email » vaut « all », « mentions » ou « none ».", context.Request);
        await notifications.SetEmailLevelAsync(caller!.Id, level.Value, context.RequestAborted);
        return Results.Json(new ApiNotificationSettings(EmailLevelName(level.Value), mail.IsEnabled), ApiModels.Json);
    }
}
