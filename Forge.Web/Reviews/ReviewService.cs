using Forge.Jobs;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Reviews;

/// <summary>What a reviewer submits. Fields are checked by <see cref="ReviewService.WriteAsync"/>.</summary>
public sealed record ReviewInput(int? Rating, string? Opinion, string? UsedFor);

/// <summary>
/// Reviews of a resource by the teachers who reused it (as on Capytale's library or MERLOT): a rating from 1 to 5, a
/// short opinion, what it was used for, and the authors' answer. Any teacher (or administrator) who can read the
/// repository may review it — not students — except those who may write to it (authors do not rate their own work); writers answer. The repository
/// keeps the count and the average (recounted on each change) for its page and for « mieux notées » in search.
/// </summary>
public sealed class ReviewService(ForgeDbContext db, IForgeJobs jobs)
{
    public Task<List<ResourceReview>> ListAsync(long repositoryId, CancellationToken ct = default) =>
        db.ResourceReviews.AsNoTracking().Include(r => r.Author).Include(r => r.AnsweredBy)
            .Where(r => r.RepositoryId == repositoryId).OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id).ToListAsync(ct);

    public Task<ResourceReview?> FindAsync(long repositoryId, long id, CancellationToken ct = default) =>
        db.ResourceReviews.Include(r => r.Author).Include(r => r.AnsweredBy).FirstOrDefaultAsync(r => r.RepositoryId == repositoryId && r.Id == id, ct);

    public Task<ResourceReview?> MineAsync(long repositoryId, long userId, CancellationToken ct = default) =>
        db.ResourceReviews.AsNoTracking().FirstOrDefaultAsync(r => r.RepositoryId == repositoryId && r.AuthorId == userId, ct);

    /// <summary>Why <paramref name="viewer"/> may not review the repository, or null when they may.</summary>
    public static string? CannotReview(RepositoryEntity repo, Viewer viewer) =>
        viewer.UserId is null ? "Connectez-vous pour donner votre avis."
        : viewer.UserId == repo.OwnerId || RepositoryService.RoleOf(repo, viewer) >= CollaboratorRole.Writer && !viewer.IsAdmin
            ? "Les auteurs d’une ressource ne la notent pas : ils répondent aux avis."
        : !viewer.IsTeacherAccount ? "Les avis sur les ressources sont donnés par les enseignants : un compte élève ne peut pas en publier."
        : null;

    /// <summary>Field → French message for each problem of <paramref name="input"/>; empty when it is valid.</summary>
    public static Dictionary<string, string> Validate(ReviewInput input)
    {
        var errors = new Dictionary<string, string>();
        if (input.Rating is not (>= 1 and <= 5)) errors["Rating"] = "Choisissez une note de 1 à 5.";
        var opinion = input.Opinion?.Trim() ?? "";
        if (opinion.Length == 0) errors["Opinion"] = "Écrivez votre avis en quelques mots.";
        else if (opinion.Length > ResourceReview.MaxOpinion) errors["Opinion"] = $"Votre avis dépasse {ResourceReview.MaxOpinion} caractères ({opinion.Length}).";
        if ((input.UsedFor?.Trim().Length ?? 0) > ResourceReview.MaxUsedFor)
            errors["UsedFor"] = $"Ce champ dépasse {ResourceReview.MaxUsedFor} caractères ({input.UsedFor!.Trim().Length}).";
        return errors;
    }

    /// <summary>Creates or replaces the viewer's review. Returns the review, or the problems (field → French message).</summary>
    public async Task<(ResourceReview? Review, Dictionary<string, string> Errors)> WriteAsync(RepositoryEntity repo, Viewer viewer, ReviewInput input,
        CancellationToken ct = default)
    {
        if (CannotReview(repo, viewer) is { } why) return (null, new() { [""] = why });
        var errors = Validate(input);
        if (errors.Count > 0) return (null, errors);
        var userId = viewer.UserId!.Value;
        var review = await db.ResourceReviews.FirstOrDefaultAsync(r => r.RepositoryId == repo.Id && r.AuthorId == userId, ct);
        var now = DateTime.UtcNow;
        if (review is null)
        {
            review = new ResourceReview { RepositoryId = repo.Id, AuthorId = userId, Opinion = "", CreatedAt = now };
            db.ResourceReviews.Add(review);
        }
        review.Rating = input.Rating!.Value;
        review.Opinion = input.Opinion!.Trim();
        review.UsedFor = string.IsNullOrWhiteSpace(input.UsedFor) ? null : input.UsedFor.Trim();
        review.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same person sent the form twice at once: the unique index kept the first; nothing else to do.
            db.Entry(review).State = EntityState.Detached;
            return (await MineAsync(repo.Id, userId, ct), []);
        }
        await RecountAsync(repo, ct);
        return (review, []);
    }

    /// <summary>Deletes a review: its author or an instance administrator. False when there was nothing the viewer may delete.</summary>
    public async Task<bool> DeleteAsync(RepositoryEntity repo, long reviewId, Viewer viewer, CancellationToken ct = default)
    {
        if (viewer.UserId is not { } me) return false;
        var deleted = await db.ResourceReviews.Where(r => r.RepositoryId == repo.Id && r.Id == reviewId && (r.AuthorId == me || viewer.IsAdmin))
            .ExecuteDeleteAsync(ct);
        if (deleted > 0) await RecountAsync(repo, ct);
        return deleted > 0;
    }

    /// <summary>The authors' answer (an empty text removes it): anyone who may write to the repository.</summary>
    public async Task<string?> AnswerAsync(RepositoryEntity repo, long reviewId, Viewer viewer, string? answer, CancellationToken ct = default)
    {
        if (!RepositoryService.CanWrite(repo, viewer)) return "Seuls les auteurs de la ressource peuvent répondre aux avis.";
        var text = answer?.Trim() ?? "";
        if (text.Length > ResourceReview.MaxAnswer) return $"La réponse dépasse {ResourceReview.MaxAnswer} caractères ({text.Length}).";
        var review = await db.ResourceReviews.FirstOrDefaultAsync(r => r.RepositoryId == repo.Id && r.Id == reviewId, ct);
        if (review is null) return "Cet avis n’existe plus.";
        review.Answer = text.Length == 0 ? null : text;
        review.AnsweredById = text.Length == 0 ? null : viewer.UserId;
        review.AnsweredAt = text.Length == 0 ? null : DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return null;
    }

    private async Task RecountAsync(RepositoryEntity repo, CancellationToken ct)
    {
        var stats = await db.ResourceReviews.Where(r => r.RepositoryId == repo.Id)
            .GroupBy(r => 1).Select(g => new { Count = g.Count(), Sum = g.Sum(r => r.Rating) }).FirstOrDefaultAsync(ct);
        var count = stats?.Count ?? 0;
        var tenths = count == 0 ? 0 : (int)Math.Round(stats!.Sum * 10.0 / count, MidpointRounding.AwayFromZero);
        if (repo.ReviewCount == count && repo.RatingTenths == tenths) return;
        // The repository is tracked (read by the page or the API in this request): saving it also refreshes the page cache's stamp.
        repo.ReviewCount = count;
        repo.RatingTenths = tenths;
        await db.SaveChangesAsync(ct);
        // The search index keeps them for « mieux notées ».
        jobs.RepositoryChanged(repo.Id);
    }
}
