using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Data;

/// <summary>
/// An account: a person (teacher, student, trainer or administrator) or a group (a community that owns repositories,
/// see <see cref="AccountKind.Group"/>). Both share one namespace of names, so <c>/{name}</c> is either.
/// </summary>
public partial class ForgeUser : IdentityUser<long>
{
    public string? FullName { get; set; }
    public bool IsAdmin { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>A group never signs in: it has no password, no token, and every sign-in path refuses it.</summary>
    public AccountKind Kind { get; set; }
    /// <summary>Groups only: the enclosing group (académie › établissement › équipe), or null.</summary>
    public long? ParentGroupId { get; set; }
    public ForgeUser? ParentGroup { get; set; }
    /// <summary>Groups only (people are always public): who sees the group and its non-private repositories.</summary>
    public AccountVisibility Visibility { get; set; }
    /// <summary>Groups only.</summary>
    public string? Description { get; set; }
    public bool IsGroup => Kind == AccountKind.Group;
}

/// <summary>A git repository. Its folder on disk is named by <see cref="Id"/>, never by its name.</summary>
public partial class RepositoryEntity
{
    public long Id { get; set; }
    public long OwnerId { get; set; }
    public ForgeUser Owner { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>Lower-case name: repository names are unique per owner regardless of case.</summary>
    public required string LowerName { get; set; }
    public string? Description { get; set; }
    public bool IsPrivate { get; set; }
    public string DefaultBranch { get; set; } = "main";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>Last accepted push, null while nothing was pushed.</summary>
    public DateTime? PushedAt { get; set; }
    /// <summary>How many users starred the repository: kept in step with <see cref="Star"/> rows (recounted on each change).</summary>
    public int StarCount { get; set; }
    /// <summary>Number of <see cref="ResourceReview"/>s and their average rating in tenths (43 = 4.3 / 5), recounted on each change.</summary>
    public int ReviewCount { get; set; }
    public int RatingTenths { get; set; }
    /// <summary>The repository this one was forked from; null for an original, or once the source is deleted.</summary>
    public long? ForkOfId { get; set; }
    public RepositoryEntity? ForkOf { get; set; }
    public List<Collaborator> Collaborators { get; set; } = [];
}

/// <summary>A user's star on a repository: a bookmark, and a signal of usefulness ("sort by stars").</summary>
public class Star
{
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A personal access token. Only a SHA-256 hash of the secret is stored; the secret is shown once.</summary>
public class AccessToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public required string Name { get; set; }
    public required string Hash { get; set; }
    /// <summary>Last eight characters of the secret, to help people recognise a token in a list.</summary>
    public required string LastEight { get; set; }
    public string Scopes { get; set; } = "all";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? LastUsedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
}

/// <summary>What a collaborator may do in a repository. The owner and instance admins have every right.</summary>
public enum CollaboratorRole
{
    /// <summary>Reads (and clones) a private repository.</summary>
    Reader = 1,
    /// <summary>Also pushes.</summary>
    Writer = 2,
    /// <summary>Also manages settings: collaborators, protected branches, name, visibility, default branch.</summary>
    Maintainer = 3,
}

/// <summary>A user given a role on a repository they do not own.</summary>
public class Collaborator
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public long UserId { get; set; }
    public ForgeUser User { get; set; } = null!;
    public CollaboratorRole Role { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Who may push to a protected branch.</summary>
public enum PushLevel
{
    /// <summary>Nobody: the branch is frozen.</summary>
    Nobody = 0,
    /// <summary>Maintainers, the owner and admins.</summary>
    Maintainers = 1,
    /// <summary>Everyone who may write to the repository.</summary>
    Writers = 2,
}

/// <summary>
/// A protection rule for the branches whose name matches <see cref="Pattern"/> (a glob: <c>main</c>, <c>release/*</c>;
/// <c>*</c> stays within one path segment, <c>**</c> crosses them). Enforced by the pre-receive hook on every push.
/// </summary>
public class ProtectedBranch
{
    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public required string Pattern { get; set; }
    public PushLevel PushLevel { get; set; } = PushLevel.Maintainers;
    public bool AllowForcePush { get; set; }
    public bool AllowDeletion { get; set; }
    /// <summary>Approvals a merge request into a matching branch needs, from writers other than its author, on its latest head.</summary>
    public int RequiredApprovals { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>An old owner/name of a renamed or transferred repository: pages and git URLs under it redirect.</summary>
public class RepositoryRedirect
{
    public long Id { get; set; }
    public long OwnerId { get; set; }
    public ForgeUser Owner { get; set; } = null!;
    public required string LowerName { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
}
