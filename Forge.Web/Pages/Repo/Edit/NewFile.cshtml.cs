using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Edit;

public sealed class NewFileModel(GitReader reader, ContentService content) : EditorModel(reader)
{
    [BindProperty] public EditFileModel.FileForm Form { get; set; } = new();

    public IActionResult OnGet(string? path)
    {
        if (Locate(path, allowUnborn: true) is { } stop) return stop;
        if (KindAt(At.Path) != TreeEntryKind.Directory) return NotFound();
        Form = new EditFileModel.FileForm { FilePath = At.Path.Length > 0 ? At.Path + "/" : "", ExpectedTip = At.CommitSha };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? path)
    {
        ModelState.Clear();
        if (Locate(path, allowUnborn: true) is { } stop) return stop;
        var newPath = (Form.FilePath ?? "").Trim().Trim('/');
        if (!GitWriter.IsWritablePath(newPath)) ModelState.AddModelError("Form.FilePath", "Indiquez un chemin de fichier valide, par exemple cours/chapitre-1.md.");
        else if (KindAt(newPath) is not null)
            ModelState.AddModelError("Form.FilePath", $"« {newPath} » existe déjà : choisissez un autre nom, ou modifiez ce fichier.");
        var newBranch = NewBranchOf(Form);
        if (string.IsNullOrEmpty(Form.ExpectedTip)) ModelState.AddModelError("", "Le formulaire est incomplet ; rechargez la page.");
        if (!ModelState.IsValid) return Page();
        var message = string.IsNullOrWhiteSpace(Form.Message) ? $"Ajout de {newPath}" : Form.Message;
        var result = await content.CommitAsync(Repo, At.Ref, Form.ExpectedTip!, newBranch,
            [new FileChange.Put(newPath, ContentService.NormaliseText(Form.Content ?? "", null))], message, HttpContext.RequestAborted);
        if (!result.Ok)
        {
            Fail(result, "Form.FilePath");
            return Page();
        }
        return Redirect(Back(newBranch ?? At.Ref, newPath));
    }
}
