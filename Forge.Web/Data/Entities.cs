using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Data;

/// <summary>A person with an account: teacher, student, trainer or administrator.</summary>
public class ForgeUser : IdentityUser<long>
{
    public string? FullName { get; set; }
    public bool IsAdmin { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A git repository. Its folder on disk is named by <see cref="Id"/>, never by its name.</summary>
public class RepositoryEntity
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
