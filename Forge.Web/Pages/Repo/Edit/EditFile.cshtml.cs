using System.Text;
using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Edit;

public sealed class EditFileModel(GitReader reader, ContentService content) : EditorModel(reader)
{
    public sealed class FileForm : CommitForm
    {
        public string? FilePath { get; set; }
        public string? Content { get; set; }
    }

    [BindProperty] public FileForm Form { get; set; } = new();

    public IActionResult OnGet(string? path)
    {
        if (Locate(path) is { } stop) return stop;
        var blob = Reader.ReadBlob(Repo.GitPath, At.CommitSha, At.Path, ContentService.MaxEditableBytes + 1);
        if (blob is null) return NotFound();
        if (blob.IsBinary || blob.Size > ContentService.MaxEditableBytes)
        {
            ModelState.AddModelError("", blob.IsBinary ? "Ce fichier est binaire : il ne peut pas être modifié dans le navigateur. Déposez une nouvelle version à la place."
                : "Ce fichier est trop grand pour être modifié dans le navigateur (plus de 1 Mio).");
            Form = new FileForm { FilePath = At.Path, ExpectedTip = At.CommitSha };
            return Page();
        }
        Form = new FileForm { FilePath = At.Path, Content = Encoding.UTF8.GetString(blob.Bytes), ExpectedTip = At.CommitSha };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? path)
    {
        ModelState.Clear();
        if (Locate(path) is { } stop) return stop;
        var original = Reader.ReadBlob(Repo.GitPath, At.CommitSha, At.Path, ContentService.MaxEditableBytes + 1);
        var newPath = (Form.FilePath ?? "").Trim().Trim('/');
        if (!GitWriter.IsWritablePath(newPath)) ModelState.AddModelError("Form.FilePath", "Indiquez un chemin de fichier valide, par exemple cours/chapitre-1.md.");
        var newBranch = NewBranchOf(Form);
        if (string.IsNullOrEmpty(Form.ExpectedTip)) ModelState.AddModelError("", "Le formulaire est incomplet ; rechargez la page.");
        if (!ModelState.IsValid) return Page();

        var bytes = ContentService.NormaliseText(Form.Content ?? "", original is null ? null : Encoding.UTF8.GetString(original.Bytes));
        List<FileChange> changes = newPath == At.Path ? [new FileChange.Put(newPath, bytes)] : [new FileChange.Move(At.Path, newPath), new FileChange.Put(newPath, bytes)];
        var result = await content.CommitAsync(Repo, At.Ref, Form.ExpectedTip!, newBranch, changes, Form.Message ?? "", HttpContext.RequestAborted);
        if (!result.Ok)
        {
            Fail(result, "Form.FilePath");
            return Page();
        }
        return Redirect(Back(newBranch ?? At.Ref, newPath));
    }
}
