using Forge.Git;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Edit;

/// <summary>What every change form posts: where to commit, and the branch tip the user saw (to refuse silent overwrites).</summary>
public class CommitForm
{
    public string? Message { get; set; }
    /// <summary><c>branch</c>: commit on the current branch; <c>new</c>: create <see cref="NewBranch"/>.</summary>
    public string Target { get; set; } = "branch";
    public string? NewBranch { get; set; }
    public string? ExpectedTip { get; set; }
}

/// <summary>Base of the pages that change files: resolves the branch and path, and checks write access.</summary>
public abstract class EditorModel(GitReader reader) : RepoPageModel
{
    protected GitReader Reader => reader;
    public ResolvedPath At { get; protected set; } = null!;
    public string? Error { get; protected set; }
    public string BranchUrl => MarkdownRenderer.EncodePath(At.Ref);

    /// <summary>Resolves <c>branch/path</c>; null with the result to return when editing is not possible here.</summary>
    /// <remarks>
    /// With <paramref name="allowUnborn"/>, an empty repository's default branch resolves to a commit id of zeros: the
    /// change becomes the repository's first commit (teachers start a repository from the browser, without git).
    /// </remarks>
    protected IActionResult? Locate(string? path, bool allowUnborn = false)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var at = string.IsNullOrEmpty(path) ? reader.Resolve(Repo.GitPath, [Repo.Repository.DefaultBranch]) : reader.Resolve(Repo.GitPath, path.Split('/'));
        if (at is null && allowUnborn && (string.IsNullOrEmpty(path) || path == Repo.Repository.DefaultBranch) && reader.IsEmpty(Repo.GitPath))
            at = new ResolvedPath(Repo.Repository.DefaultBranch, RefUpdate.ZeroSha, "", IsBranch: true);
        if (at is null || !at.IsBranch) return NotFound();
        // A pupil writing to an assignment copy is no teacher: teacher-only files cannot be opened in the editor either.
        if (at.Path.Length > 0 && at.CommitSha != RefUpdate.ZeroSha
            && HttpContext.RequestServices.GetRequiredService<TeacherOnlyFilter>().For(Repo, at.CommitSha).IsHidden(at.Path)) return NotFound();
        At = at;
        return null;
    }

    /// <summary>True when the branch has no commit yet (first commit of an empty repository).</summary>
    public bool IsUnborn => At.CommitSha == RefUpdate.ZeroSha;

    /// <summary>What is at <paramref name="path"/> on the branch; an unborn branch is one empty folder.</summary>
    protected TreeEntryKind? KindAt(string path) =>
        IsUnborn ? (path.Length == 0 ? TreeEntryKind.Directory : null) : reader.KindAt(Repo.GitPath, At.CommitSha, path);

    /// <summary>Validates the target branch fields; adds errors to the model state.</summary>
    protected string? NewBranchOf(CommitForm form)
    {
        if (form.Target != "new") return null;
        var name = form.NewBranch?.Trim() ?? "";
        if (!GitWriter.IsValidBranchName(name))
            ModelState.AddModelError("Form.NewBranch", "Indiquez un nom de branche valide (lettres, chiffres, « - », « _ », « / » ; sans espace).");
        return name;
    }

    protected string Back(string branch, string path, string kind = "blob") =>
        $"{Repo.BaseUrl}/{kind}/{MarkdownRenderer.EncodePath(branch)}{(path.Length > 0 ? "/" + MarkdownRenderer.EncodePath(path) : "")}";

    protected void Fail(WriteResult result, string field)
    {
        Error = result.Message;
        if (result.Status is WriteStatus.InvalidPath or WriteStatus.AlreadyExists) ModelState.AddModelError(field, result.Message!);
        else if (result.Status is WriteStatus.BranchExists or WriteStatus.InvalidBranch) ModelState.AddModelError("Form.NewBranch", result.Message!);
        else ModelState.AddModelError("", result.Message!);
        if (result.Status == WriteStatus.BranchMoved) Response.StatusCode = StatusCodes.Status409Conflict;
        if (result.Status == WriteStatus.Protected) Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
