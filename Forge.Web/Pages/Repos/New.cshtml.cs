using Forge.Search;
using Forge.Web.Data;
using Forge.Web.Repos;
using Forge.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forge.Web.Pages.Repos;

public sealed class NewModel(RepositoryService repositories, ContentService content, UserManager<ForgeUser> users, SimilarResources similar,
    Forge.Web.Groups.GroupService groups) : PageModel
{
    [BindProperty] public NewRepositoryInput Input { get; set; } = new();

    /// <summary>Groups where the user may create a repository (writers and up), for the owner selector.</summary>
    public IReadOnlyList<ForgeUser> Groups { get; private set; } = [];

    /// <summary>Existing resources like the one about to be created; null until asked.</summary>
    public IReadOnlyList<SearchHit>? Similar { get; private set; }

    public sealed class NewRepositoryInput
    {
        /// <summary>Empty (or one's own name) for oneself, else the name of a group.</summary>
        public string? Owner { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string Visibility { get; set; } = "public";
        /// <summary>Checked on the blank form; a post without the field (an old client) creates an empty repository.</summary>
        public bool Initialize { get; set; }
        /// <summary>Only used to look for similar resources before creating.</summary>
        public string? Discipline { get; set; }
        public string? Grade { get; set; }
    }

    public async Task OnGetAsync(string? owner)
    {
        Input.Initialize = true;
        Input.Owner = owner;
        // A student starts private (see StudentRules).
        if (Accounts.StudentRules.PublishRefusal(await users.GetUserAsync(User), isPrivate: false) is not null) Input.Visibility = "private";
        await LoadGroupsAsync();
    }

    private async Task LoadGroupsAsync() =>
        Groups = await groups.GroupsWhereAsync(await HttpContext.ViewerAsync(), GroupRole.Writer, HttpContext.RequestAborted);

    /// <summary>« Vérifier les ressources proches »: shows existing resources like this one, keeping what was typed.</summary>
    public async Task<IActionResult> OnPostSimilarAsync()
    {
        ModelState.Clear();
        await LoadGroupsAsync();
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
        var author = await users.GetUserAsync(User);
        if (author is null) return Challenge();
        await LoadGroupsAsync();
        var owner = author;
        if (!string.IsNullOrWhiteSpace(Input.Owner) && !string.Equals(Input.Owner.Trim(), author.UserName, StringComparison.OrdinalIgnoreCase))
        {
            var group = await groups.FindVisibleAsync(Input.Owner, await HttpContext.ViewerAsync(), HttpContext.RequestAborted);
            if (group is null || !Forge.Web.Groups.GroupService.CanCreateRepository(group, await HttpContext.ViewerAsync()))
            {
                ModelState.AddModelError("Input.Owner", group is null ? $"Aucun groupe ne s’appelle « {Input.Owner.Trim()} »."
                    : $"Vous ne pouvez pas créer de dépôt dans le groupe « {group.UserName} » : il faut y être au moins rédacteur.");
                return Page();
            }
            owner = group;
        }
        var (repo, error) = await repositories.CreateAsync(owner, Input.Name, Input.Description, Input.Visibility == "private", HttpContext.RequestAborted);
        if (error is not null)
        {
            ModelState.AddModelError($"Input.{error.Field}", error.Message);
            return Page();
        }
        await HttpContext.RequestServices.GetRequiredService<Activity.ActivityService>()
            .RecordAsync(author.Id, repo!.Id, ActivityKind.CreateRepository, ct: HttpContext.RequestAborted);
        if (Input.Initialize) await content.InitializeAsync(repo!, author, HttpContext.RequestAborted);
        return Redirect($"/{owner.UserName}/{repo!.Name}");
    }
}
