namespace Forge.Web.Forks;

/// <summary>The message a fork action leaves for the next page (shown once by the repository header).</summary>
public static class ForkNotices
{
    public const string Key = "ForkNotice";
    /// <summary>"success" or "error": how the notice is shown.</summary>
    public const string KindKey = "ForkNoticeKind";
}
