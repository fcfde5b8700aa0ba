namespace Forge.Web.Data;

/// <summary>
/// A teacher's review of a resource they reused: a rating from 1 to 5, a short opinion and what it was used for, and
/// the authors' answer. One per user and repository (writing again replaces it).
/// </summary>
public class ResourceReview
{
    public const int MaxOpinion = 2000;
    public const int MaxUsedFor = 300;
    public const int MaxAnswer = 2000;

    public long Id { get; set; }
    public long RepositoryId { get; set; }
    public RepositoryEntity Repository { get; set; } = null!;
    public long AuthorId { get; set; }
    public ForgeUser Author { get; set; } = null!;
    /// <summary>1 to 5.</summary>
    public int Rating { get; set; }
    public required string Opinion { get; set; }
    /// <summary>What the resource was used for (« en 1re NSI, deux séances en demi-groupe »); optional.</summary>
    public string? UsedFor { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>The authors' answer, written by someone who may write to the repository.</summary>
    public string? Answer { get; set; }
    public long? AnsweredById { get; set; }
    public ForgeUser? AnsweredBy { get; set; }
    public DateTime? AnsweredAt { get; set; }
}
