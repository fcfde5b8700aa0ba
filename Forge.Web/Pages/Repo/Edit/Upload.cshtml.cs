using Forge.Git;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Edit;

[RequestSizeLimit(UploadModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadModel.MaxRequestBytes)]
public sealed class UploadModel(GitReader reader, ContentService content) : EditorModel(reader)
{
    public const long MaxFileBytes = ContentService.MaxUploadBytes;
    public const long MaxRequestBytes = 200L * 1024 * 1024;
    private const int MaxFiles = 100;

    public sealed class UploadForm : CommitForm
    {
        public string? Directory { get; set; }
        public List<IFormFile> Files { get; set; } = [];
    }

    [BindProperty] public UploadForm Form { get; set; } = new();

    public IActionResult OnGet(string? path)
    {
        if (Locate(path, allowUnborn: true) is { } stop) return stop;
        if (KindAt(At.Path) != TreeEntryKind.Directory) return NotFound();
        Form = new UploadForm { Directory = At.Path, ExpectedTip = At.CommitSha };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? path)
    {
        ModelState.Clear();
        if (Locate(path, allowUnborn: true) is { } stop) return stop;
        var dir = (Form.Directory ?? "").Trim().Trim('/');
        if (dir.Length > 0 && !GitWriter.IsWritablePath(dir)) ModelState.AddModelError("Form.Directory", "Ce dossier n’est pas un chemin valide.");
        if (Form.Files.Count == 0) ModelState.AddModelError("Form.Files", "Choisissez au moins un fichier.");
        if (Form.Files.Count > MaxFiles) ModelState.AddModelError("Form.Files", $"Au plus {MaxFiles} fichiers à la fois.");
        foreach (var f in Form.Files.Where(f => f.Length > MaxFileBytes))
            ModelState.AddModelError("Form.Files", $"« {f.FileName} » dépasse la taille permise ({Rendering.Formatting.Size(MaxFileBytes)}).");
        var newBranch = NewBranchOf(Form);
        if (!ModelState.IsValid) return Page();

        var changes = new List<FileChange>();
        foreach (var file in Form.Files)
        {
            var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
            var target = dir.Length > 0 ? $"{dir}/{name}" : name;
            if (!GitWriter.IsWritablePath(target))
            {
                ModelState.AddModelError("Form.Files", $"« {file.FileName} » n’est pas un nom de fichier accepté.");
                continue;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            changes.Add(new FileChange.Put(target, buffer.ToArray()));
        }
        if (!ModelState.IsValid) return Page();
        var message = string.IsNullOrWhiteSpace(Form.Message)
            ? (changes.Count == 1 ? $"Ajout de {((FileChange.Put)changes[0]).Path}" : $"Ajout de {changes.Count} fichiers dans {(dir.Length > 0 ? dir : "la racine")}")
            : Form.Message;
        var result = await content.CommitAsync(Repo, At.Ref, Form.ExpectedTip ?? "", newBranch, changes, message, HttpContext.RequestAborted);
        if (!result.Ok)
        {
            Fail(result, "Form.Files");
            return Page();
        }
        return Redirect(Back(newBranch ?? At.Ref, dir, "tree"));
    }
}
