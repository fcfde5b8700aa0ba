using System.Text.Json;
using Forge.Web.Data;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>JSON shapes of Gitea's API v1 (the fields Gitea clients rely on), in snake_case.</summary>
public static partial class ApiModels
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private static string Base(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}";

    public static ApiUser User(ForgeUser u, HttpContext c, bool includeEmail) => new()
    {
        Id = u.Id,
        Login = u.UserName,
        LoginName = "",
        FullName = u.FullName ?? "",
        Email = includeEmail ? u.Email : "",
        AvatarUrl = "",
        HtmlUrl = $"{Base(c)}/{u.UserName}",
        Language = "fr-FR",
        IsAdmin = u.IsAdmin,
        Created = Utc(u.CreatedAt),
        Restricted = false,
        Active = true,
        ProhibitLogin = false,
        Visibility = u.IsGroup ? Forge.Web.Groups.GroupService.ApiVisibility(u.Visibility) : "public",
        Username = u.UserName,
    };

    /// <param name="forks">The source (when readable) and readable fork count; without it, <c>parent</c> is null and <c>forks_count</c> 0.</param>
    /// <param name="settings">Watchers, issues on or off and merge style; without it (lists), <c>watchers_count</c> is 0,
    /// <c>has_issues</c> true and <c>default_merge_style</c> <c>merge</c>.</param>
    public static ApiRepository Repository(RepositoryEntity r, HttpContext c, bool empty, Viewer? viewer = null, ApiForkFacts? forks = null,
        ApiRepositorySettings? settings = null)
    {
        var canWrite = viewer is not null && RepositoryService.CanWrite(r, viewer);
        var canAdmin = viewer is not null && RepositoryService.CanAdmin(r, viewer);
        var owner = r.Owner;
        return new ApiRepository
        {
            Id = r.Id,
            Owner = User(owner, c, includeEmail: false),
            Name = r.Name,
            FullName = $"{owner.UserName}/{r.Name}",
            Description = r.Description ?? "",
            Empty = empty,
            Private = r.IsPrivate,
            Fork = r.ForkOfId is not null,
            Parent = forks?.Parent,
            Template = false,
            Mirror = false,
            Size = 0,
            HtmlUrl = $"{Base(c)}/{owner.UserName}/{r.Name}",
            CloneUrl = $"{Base(c)}/{owner.UserName}/{r.Name}.git",
            SshUrl = "",
            Website = "",
            StarsCount = r.StarCount,
            ForksCount = forks?.Count ?? 0,
            WatchersCount = settings?.Watchers ?? 0,
            OpenIssuesCount = 0,
            DefaultBranch = r.DefaultBranch,
            Archived = false,
            CreatedAt = Utc(r.CreatedAt),
            UpdatedAt = Utc(r.UpdatedAt),
            Permissions = new ApiPermissions(canAdmin, canWrite, true),
            HasIssues = settings?.HasIssues ?? true,
            HasWiki = false,
            HasPullRequests = true,
            DefaultMergeStyle = MergeStyleName(settings?.MergeStyle ?? MergeStyle.Merge),
            InternalTracker = null,
        };
    }

    /// <summary>
    /// Gitea's <c>BranchProtection</c>, as far as Forge's rules map to it: push level through <c>enable_push</c> /
    /// <c>enable_push_whitelist</c> (the allow list is "the maintainers"), <c>enable_force_push</c>, and Forge's own
    /// <c>allow_deletion</c> and <c>push_level</c>. Approval, status-check and merge fields are fixed at their defaults.
    /// </summary>
    public static ApiBranchProtection BranchProtection(ProtectedBranch p) => new()
    {
        BranchName = p.Pattern,
        RuleName = p.Pattern,
        EnablePush = p.PushLevel != PushLevel.Nobody,
        EnablePushWhitelist = p.PushLevel == PushLevel.Maintainers,
        PushWhitelistUsernames = Array.Empty<string>(),
        PushWhitelistTeams = Array.Empty<string>(),
        PushWhitelistDeployKeys = false,
        EnableForcePush = p.AllowForcePush,
        EnableMergeWhitelist = false,
        EnableStatusCheck = false,
        RequiredApprovals = p.RequiredApprovals,
        BlockOnRejectedReviews = false,
        BlockOnOutdatedBranch = false,
        ProtectedFilePatterns = "",
        UnprotectedFilePatterns = "",
        AllowDeletion = p.AllowDeletion,
        PushLevel = p.PushLevel switch { PushLevel.Nobody => "nobody", PushLevel.Writers => "writers", _ => "maintainers" },
        CreatedAt = Utc(p.CreatedAt),
        UpdatedAt = Utc(p.UpdatedAt),
    };

    /// <summary>Gitea's name of a merge style: <c>merge</c>, <c>squash</c>, <c>fast-forward-only</c>.</summary>
    public static string MergeStyleName(MergeStyle style) => style switch
    {
        MergeStyle.Squash => "squash",
        MergeStyle.FastForward => "fast-forward-only",
        _ => "merge",
    };

    /// <summary>The merge style Gitea names <paramref name="name"/>, or null (<c>rebase</c> and others have no equivalent).</summary>
    public static MergeStyle? ParseMergeStyle(string? name) => name switch
    {
        "merge" => MergeStyle.Merge,
        "squash" => MergeStyle.Squash,
        "fast-forward-only" => MergeStyle.FastForward,
        _ => null,
    };

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}

/// <summary>Gitea's <c>User</c> (a group is a user with <c>visibility</c>).</summary>
public record ApiUser
{
    public long Id { get; init; }
    public string? Login { get; init; }
    public string LoginName { get; init; } = "";
    public string FullName { get; init; } = "";
    public string? Email { get; init; }
    public string AvatarUrl { get; init; } = "";
    public string HtmlUrl { get; init; } = "";
    public string Language { get; init; } = "";
    public bool IsAdmin { get; init; }
    public DateTime Created { get; init; }
    public bool Restricted { get; init; }
    public bool Active { get; init; }
    public bool ProhibitLogin { get; init; }
    public string Visibility { get; init; } = "";
    public string? Username { get; init; }
}

/// <summary>A member of a group: Gitea's <c>User</c> with Forge's own <c>role</c> (reader, writer, maintainer, owner).</summary>
public sealed record ApiMember : ApiUser
{
    public ApiMember(ApiUser user, string role) : base(user) => Role = role;

    public string Role { get; init; }
}

/// <summary>Gitea's <c>Permission</c> of the caller on a repository.</summary>
public sealed record ApiPermissions(bool Admin, bool Push, bool Pull);

/// <summary>Gitea's <c>Repository</c>; <c>parent</c> is the source of a fork when the caller may read it.</summary>
public sealed record ApiRepository
{
    public long Id { get; init; }
    public required ApiUser Owner { get; init; }
    public string Name { get; init; } = "";
    public string FullName { get; init; } = "";
    public string Description { get; init; } = "";
    public bool Empty { get; init; }
    public bool Private { get; init; }
    public bool Fork { get; init; }
    public ApiRepository? Parent { get; init; }
    public bool Template { get; init; }
    public bool Mirror { get; init; }
    public long Size { get; init; }
    public string HtmlUrl { get; init; } = "";
    public string CloneUrl { get; init; } = "";
    public string SshUrl { get; init; } = "";
    public string Website { get; init; } = "";
    public int StarsCount { get; init; }
    public int ForksCount { get; init; }
    public int WatchersCount { get; init; }
    public int OpenIssuesCount { get; init; }
    public string DefaultBranch { get; init; } = "";
    public bool Archived { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public required ApiPermissions Permissions { get; init; }
    public bool HasIssues { get; init; }
    public bool HasWiki { get; init; }
    public bool HasPullRequests { get; init; }
    public object? InternalTracker { get; init; }
    /// <summary><c>merge</c>, <c>squash</c> or <c>fast-forward-only</c>: how « Fusionner » merges (Paramètres › Méthode de fusion).</summary>
    public string DefaultMergeStyle { get; init; } = "merge";
}

/// <summary>What a repository's JSON reports beyond its row: people watching it, issues on or off, its merge style.</summary>
public sealed record ApiRepositorySettings(int Watchers, bool HasIssues, MergeStyle MergeStyle);

/// <summary>Gitea's <c>BranchProtection</c>, with Forge's <c>allow_deletion</c> and <c>push_level</c>.</summary>
public sealed record ApiBranchProtection
{
    public string BranchName { get; init; } = "";
    public string RuleName { get; init; } = "";
    public bool EnablePush { get; init; }
    public bool EnablePushWhitelist { get; init; }
    public string[] PushWhitelistUsernames { get; init; } = [];
    public string[] PushWhitelistTeams { get; init; } = [];
    public bool PushWhitelistDeployKeys { get; init; }
    public bool EnableForcePush { get; init; }
    public bool EnableMergeWhitelist { get; init; }
    public bool EnableStatusCheck { get; init; }
    public int RequiredApprovals { get; init; }
    public bool BlockOnRejectedReviews { get; init; }
    public bool BlockOnOutdatedBranch { get; init; }
    public string ProtectedFilePatterns { get; init; } = "";
    public string UnprotectedFilePatterns { get; init; } = "";
    public bool AllowDeletion { get; init; }
    public string PushLevel { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>Gitea's <c>RepositoryMeta</c>: which repository an issue or a search hit belongs to.</summary>
public sealed record ApiRepositoryMeta(long Id, string Name, string Owner, string FullName);

/// <summary><c>GET /api/v1/version</c>.</summary>
public sealed record ApiVersion(string Version);
