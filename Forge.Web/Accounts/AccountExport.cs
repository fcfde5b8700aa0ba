namespace Forge.Web.Accounts;

// The personal-data export (GDPR art. 15 and 20), written in snake_case (the API and the account page's download):
// everything Forge keeps about a person, never a secret nor a hash.

public sealed record AccountExport(DateTime ExportedAt, ExportedProfile Profile, List<ExportedSession> Sessions, List<ExportedToken> AccessTokens,
    List<ExportedRepository> Repositories, List<ExportedMembership> Memberships, List<ExportedCollaboration> Collaborations, List<string> Stars,
    List<ExportedReview> Reviews, List<ExportedMergeRequest> MergeRequests, List<ExportedComment> Comments);

public sealed record ExportedProfile(string? UserName, string? FullName, string? Email, bool EmailConfirmed, string Role, bool CanPublish, DateTime CreatedAt,
    bool TwoFactorEnabled, DateTimeOffset? LockoutEnd);

public sealed record ExportedSession(DateTime CreatedAt, DateTime LastSeenAt, string? Device, string? Ip);

/// <summary>A personal access token: its name, last eight characters (<c>ends_with</c>) and scopes, never its secret.</summary>
public sealed record ExportedToken(string Name, string EndsWith, string Scopes, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt);

public sealed record ExportedRepository(string Name, string? Description, bool Private, DateTime CreatedAt);

public sealed record ExportedMembership(string? Group, string Role, DateTime Since);

public sealed record ExportedCollaboration(string Repository, string Role);

public sealed record ExportedReview(string Repository, int Rating, string Opinion, string? UsedFor, DateTime CreatedAt);

public sealed record ExportedMergeRequest(string Repository, int Number, string Title, string? Description, DateTime CreatedAt);

public sealed record ExportedComment(string Repository, int MergeRequest, string? Path, string Body, DateTime CreatedAt);
