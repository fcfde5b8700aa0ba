using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Forge.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Repos;

public sealed class NewModel(RepositoryService repositories, ContentService content, UserManager<ForgeUser> users, SimilarResources similar) : PageModel
{
    [BindProperty] public NewRepositoryInput Input { get; set; } = new();

    /// <summary>Existing resources like the one about to be created; null until asked.</summary>
    public IReadOnlyList<SearchHit>? Similar { get; private set; }

    public sealed class NewRepositoryInput
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string Visibility { get; set; } = "public";
        /// <summary>Checked on the blank form; a post without the field (an old client) creates an empty repository.</summary>
        public bool Initialize { get; set; }
        /// <summary>Only used to look for similar resources before creating.</summary>
        public string? Discipline { get; set; }
        public string? Grade { get; set; }
    }

    public void OnGet() => Input.Initialize = true;

    /// <summary>« Vérifier les ressources proches »: shows existing resources like this one, keeping what was typed.</summary>
    public async Task<IActionResult> OnPostSimilarAsync()
    {
        ModelState.Clear();
        var title = (Input.Name ?? "").Replace('-', ' ').Replace('_', ' ').Replace('.', ' ');
        if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(Input.Description))
        {
            ModelState.AddModelError("Input.Name", "Tapez d’abord un nom ou une description : les ressources proches sont cherchées d’après eux.");
            return Page();
        }
        static IReadOnlyList<string> One(string? code, IEnumerable<string> allowed) => code is not null && allowed.Contains(code) ? [code] : [];
        Similar = await similar.FindAsync(await HttpContext.ViewerAsync(), title, Input.Description,
            One(Input.Discipline, Forge.Core.Resources.ResourceVocabulary.Disciplines.Keys),
            One(Input.Grade, Forge.Core.Resources.ResourceVocabulary.GradeLabels.Keys), ct: HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        var owner = await users.GetUserAsync(User);
        if (owner is null) return Challenge();
        var (repo, error) = await repositories.CreateAsync(owner, Input.Name, Input.Description, Input.Visibility == "private", HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError($"Input.{error.Field}", error.Message);
            return Page();
        }
        if (Input.Initialize) await content.InitializeAsync(repo!, owner, HttpContext.RequestAborted);
        return Redirect($"/{owner.UserName}/{repo!.Name}");
    }
}
