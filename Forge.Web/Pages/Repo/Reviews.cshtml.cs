using Forge.Web.Data;
using Forge.Web.Repos;
using Forge.Web.Reviews;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// Teachers' reviews of a resource: the list with the average, the viewer's own review (write, change, delete), and the
/// authors' answers. Readable by whoever can read the repository.
/// </summary>
public sealed class ReviewsModel(ReviewService reviews) : RepoPageModel
{
    public IReadOnlyList<ResourceReview> Reviews { get; private set; } = [];
    public ResourceReview? Mine { get; private set; }
    public string? CannotReview { get; private set; }
    [TempData] public string? Notice { get; set; }

    [BindProperty] public int? Rating { get; set; }
    [BindProperty] public string? Opinion { get; set; }
    [BindProperty] public string? UsedFor { get; set; }
    [BindProperty] public string? Answer { get; set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Mine is not null)
        {
            Rating = Mine.Rating;
            Opinion = Mine.Opinion;
            UsedFor = Mine.UsedFor;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        var (review, errors) = await reviews.WriteAsync(Repo.Repository, Repo.Viewer, new ReviewInput(Rating, Opinion, UsedFor), HttpContext.RequestAborted);
        if (review is not null)
        {
            Notice = SharedResource.T("Merci : votre avis est publié.");
            return Redirect($"{Repo.BaseUrl}/reviews#review-{review.Id}");
        }
        foreach (var (field, message) in errors) ModelState.AddModelError(field, SharedResource.T(message));
        Response.StatusCode = errors.ContainsKey("") ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!await reviews.DeleteAsync(Repo.Repository, id, Repo.Viewer, HttpContext.RequestAborted)) return NotFound();
        Notice = SharedResource.T("Votre avis est supprimé.");
        return Redirect($"{Repo.BaseUrl}/reviews");
    }

    public async Task<IActionResult> OnPostAnswerAsync(long id)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (await reviews.AnswerAsync(Repo.Repository, id, Repo.Viewer, Answer, HttpContext.RequestAborted) is { } problem)
        {
            ModelState.AddModelError($"answer-{id}", SharedResource.T(problem));
            Response.StatusCode = Repo.CanWrite ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status403Forbidden;
            await LoadAsync();
            return Page();
        }
        Notice = SharedResource.T("Votre réponse est publiée.");
        return Redirect($"{Repo.BaseUrl}/reviews#review-{id}");
    }

    private async Task LoadAsync()
    {
        Reviews = await reviews.ListAsync(Repo.Repository.Id, HttpContext.RequestAborted);
        Mine = Repo.Viewer.UserId is { } me ? Reviews.FirstOrDefault(r => r.AuthorId == me) : null;
        CannotReview = ReviewService.CannotReview(Repo.Repository, Repo.Viewer);
    }

    /// <summary>« ★★★★☆ » for a rating, the text alternative given separately.</summary>
    public static string Stars(int rating) => new string('★', rating) + new string('☆', 5 - rating);
}
