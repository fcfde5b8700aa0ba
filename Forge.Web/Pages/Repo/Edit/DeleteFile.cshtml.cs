using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Edit;

public sealed class DeleteFileModel(GitReader reader, ContentService content) : EditorModel(reader)
{
    [BindProperty] public CommitForm Form { get; set; } = new();

    public IActionResult OnGet(string? path)
    {
        if (Locate(path) is { } stop) return stop;
        if (Reader.KindAt(Repo.GitPath, At.CommitSha, At.Path) is not (TreeEntryKind.File or TreeEntryKind.Symlink)) return NotFound();
        Form = new CommitForm { ExpectedTip = At.CommitSha };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? path)
    {
        ModelState.Clear();
        if (Locate(path) is { } stop) return stop;
        var newBranch = NewBranchOf(Form);
        if (!ModelState.IsValid) return Page();
        var result = await content.CommitAsync(Repo, At.Ref, Form.ExpectedTip ?? "", newBranch, [new FileChange.Delete(At.Path)],
            Form.Message ?? "", HttpContext.RequestAborted);
        if (!result.Ok)
        {
            Fail(result, "");
            return Page();
        }
        var dir = At.Path.Contains('/') ? At.Path[..At.Path.LastIndexOf('/')] : "";
        return Redirect(Back(newBranch ?? At.Ref, dir, "tree"));
    }
}
