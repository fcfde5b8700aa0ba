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

    public static object User(ForgeUser u, HttpContext c, bool includeEmail) => new
    {
        id = u.Id,
        login = u.UserName,
        login_name = "",
        full_name = u.FullName ?? "",
        email = includeEmail ? u.Email : "",
        avatar_url = "",
        html_url = $"{Base(c)}/{u.UserName}",
        language = "fr-FR",
        is_admin = u.IsAdmin,
        created = Utc(u.CreatedAt),
        restricted = false,
        active = true,
        prohibit_login = false,
        visibility = u.IsGroup ? Forge.Web.Groups.GroupService.ApiVisibility(u.Visibility) : "public",
        username = u.UserName,
    };

    /// <param name="forks">The source (when readable) and readable fork count; without it, <c>parent</c> is null and <c>forks_count</c> 0.</param>
    public static object Repository(RepositoryEntity r, HttpContext c, bool empty, Viewer? viewer = null, ApiForkFacts? forks = null)
    {
        var canWrite = viewer is not null && RepositoryService.CanWrite(r, viewer);
        var canAdmin = viewer is not null && RepositoryService.CanAdmin(r, viewer);
        var owner = r.Owner;
        return new
        {
            id = r.Id,
            owner = User(owner, c, includeEmail: false),
            name = r.Name,
            full_name = $"{owner.UserName}/{r.Name}",
            description = r.Description ?? "",
            empty,
            @private = r.IsPrivate,
            fork = r.ForkOfId is not null,
            parent = forks?.Parent,
            template = false,
            mirror = false,
            size = 0,
            html_url = $"{Base(c)}/{owner.UserName}/{r.Name}",
            clone_url = $"{Base(c)}/{owner.UserName}/{r.Name}.git",
            ssh_url = "",
            website = "",
            stars_count = r.StarCount,
            forks_count = forks?.Count ?? 0,
            watchers_count = 0,
            open_issues_count = 0,
            default_branch = r.DefaultBranch,
            archived = false,
            created_at = Utc(r.CreatedAt),
            updated_at = Utc(r.UpdatedAt),
            permissions = new { admin = canAdmin, push = canWrite, pull = true },
            has_issues = false,
            has_wiki = false,
            has_pull_requests = false,
            internal_tracker = (object?)null,
        };
    }

    /// <summary>
    /// Gitea's <c>BranchProtection</c>, as far as Forge's rules map to it: push level through <c>enable_push</c> /
    /// <c>enable_push_whitelist</c> (the allow list is "the maintainers"), <c>enable_force_push</c>, and Forge's own
    /// <c>allow_deletion</c> and <c>push_level</c>. Approval, status-check and merge fields are fixed at their defaults.
    /// </summary>
    public static object BranchProtection(ProtectedBranch p) => new
    {
        branch_name = p.Pattern,
        rule_name = p.Pattern,
        enable_push = p.PushLevel != PushLevel.Nobody,
        enable_push_whitelist = p.PushLevel == PushLevel.Maintainers,
        push_whitelist_usernames = Array.Empty<string>(),
        push_whitelist_teams = Array.Empty<string>(),
        push_whitelist_deploy_keys = false,
        enable_force_push = p.AllowForcePush,
        enable_merge_whitelist = false,
        enable_status_check = false,
        required_approvals = p.RequiredApprovals,
        block_on_rejected_reviews = false,
        block_on_outdated_branch = false,
        protected_file_patterns = "",
        unprotected_file_patterns = "",
        allow_deletion = p.AllowDeletion,
        push_level = p.PushLevel switch { PushLevel.Nobody => "nobody", PushLevel.Writers => "writers", _ => "maintainers" },
        created_at = Utc(p.CreatedAt),
        updated_at = Utc(p.UpdatedAt),
    };

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}
