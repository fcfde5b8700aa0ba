using Forge.Git;
using Forge.Web.Data;

namespace Forge.Web.Repos;

/// <summary>
/// Changes made to a repository without git: file edits, uploads, deletions, branches and tags from the web and the
/// API. Checks write access, commits through <see cref="GitWriter"/>, then reports the change like a push
/// (search index, maintenance).
/// </summary>
public sealed class ContentService(GitWriter writer, GitReader reader, RepositoryService repositories, PushPolicyService policies, ForgeDbContext db,
    RepositoryStore store, Activity.ActivityService activity)
{
    /// <summary>
    /// First commit of a repository just created from the web or the API (« Initialiser avec un README »): a README.md
    /// with the name and description, so teachers who do not use git get a repository they can edit in the browser.
    /// </summary>
    public async Task<WriteResult> InitializeAsync(RepositoryEntity repo, ForgeUser author, CancellationToken ct)
    {
        var readme = $"# {repo.Name}\n\n{(repo.Description is { } d ? d + "\n" : "")}";
        var result = await writer.CommitAsync(store.PathOf(repo.Id), repo.DefaultBranch, RefUpdate.ZeroSha, null,
            [new FileChange.Put("README.md", System.Text.Encoding.UTF8.GetBytes(readme))],
            AuthorOf(author), "Création du dépôt", ct);
        if (result.Ok) await repositories.OnPushedAsync(repo, [result.Update!], ct);
        return result;
    }

    /// <summary>Largest file edited as text in the browser.</summary>
    public const long MaxEditableBytes = 1024 * 1024;

    /// <summary>Largest file uploaded through the web or written through the API in one piece.</summary>
    public const long MaxUploadBytes = 50L * 1024 * 1024;

    /// <summary>The limit on one written file: <see cref="MaxUploadBytes"/>, or the instance's file quota when smaller.</summary>
    public static long MaxWriteBytes(ForgeSettings settings) =>
        settings.MaxFileBytes > 0 ? Math.Min(settings.MaxFileBytes, MaxUploadBytes) : MaxUploadBytes;

    public async Task<WriteResult> CommitAsync(RepoContext repo, string branch, string expectedTip, string? newBranch,
        IReadOnlyList<FileChange> changes, string message, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        if (string.IsNullOrWhiteSpace(message)) message = DefaultMessage(changes);
        var target = string.IsNullOrWhiteSpace(newBranch) ? null : newBranch.Trim();
        // Web commits obey the same branch protection as pushes (they are always fast-forwards).
        // The new commit does not exist yet: any non-zero id stands for it (a first commit is a creation, never a deletion).
        var probe = expectedTip == RefUpdate.ZeroSha ? new string('f', 40) : expectedTip;
        if (await RefusalAsync(repo, new RefUpdate(target is null ? expectedTip : RefUpdate.ZeroSha, probe, "refs/heads/" + (target ?? branch)), ct) is { } refusal)
            return new WriteResult(WriteStatus.Protected, Message: refusal);
        var author = await AuthorAsync(repo.Viewer, ct);
        var result = await writer.CommitAsync(repo.GitPath, branch, expectedTip, target, changes, author, message, ct);
        if (result.Ok) await repositories.OnPushedAsync(repo.Repository, [result.Update!], ct);
        if (result.Ok) await activity.PushedAsync(repo.Repository, repo.Viewer.UserId, [result.Update!], ct);
        return result;
    }

    public async Task<WriteResult> CreateBranchAsync(RepoContext repo, string name, string fromRef, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        var from = reader.Resolve(repo.GitPath, fromRef.Split('/'));
        if (from is null || from.Path.Length > 0) return new WriteResult(WriteStatus.NotFound, Message: $"« {fromRef} » n’est ni une branche, ni une étiquette, ni une version.");
        if (await RefusalAsync(repo, new RefUpdate(RefUpdate.ZeroSha, from.CommitSha, "refs/heads/" + name.Trim()), ct) is { } refusal)
            return new WriteResult(WriteStatus.Protected, Message: refusal);
        var result = await writer.CreateBranchAsync(repo.GitPath, name.Trim(), from.CommitSha, ct);
        if (result.Ok) await repositories.OnPushedAsync(repo.Repository, [result.Update!], ct);
        return result;
    }

    public async Task<WriteResult> DeleteBranchAsync(RepoContext repo, string name, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        if (name == repo.Repository.DefaultBranch) return new WriteResult(WriteStatus.InvalidBranch, Message: "La branche par défaut ne peut pas être supprimée.");
        var tip = reader.BranchTip(repo.GitPath, name);
        if (tip is null) return new WriteResult(WriteStatus.NotFound, Message: $"La branche « {name} » n’existe pas.");
        if (await RefusalAsync(repo, new RefUpdate(tip, RefUpdate.ZeroSha, "refs/heads/" + name), ct) is { } refusal)
            return new WriteResult(WriteStatus.Protected, Message: refusal);
        var result = await writer.DeleteRefAsync(repo.GitPath, "refs/heads/" + name, tip, ct);
        if (result.Ok) await repositories.OnPushedAsync(repo.Repository, [result.Update!], ct);
        return result;
    }

    public async Task<WriteResult> CreateTagAsync(RepoContext repo, string name, string fromRef, string? message, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        var from = reader.Resolve(repo.GitPath, fromRef.Split('/'));
        if (from is null || from.Path.Length > 0) return new WriteResult(WriteStatus.NotFound, Message: $"« {fromRef} » n’est ni une branche, ni une étiquette, ni une version.");
        var result = await writer.CreateTagAsync(repo.GitPath, name.Trim(), from.CommitSha, message, await AuthorAsync(repo.Viewer, ct), ct);
        if (result.Ok) await repositories.OnPushedAsync(repo.Repository, [result.Update!], ct);
        return result;
    }

    public async Task<WriteResult> DeleteTagAsync(RepoContext repo, string name, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        var target = reader.TagTarget(repo.GitPath, name);
        if (target is null) return new WriteResult(WriteStatus.NotFound, Message: $"L’étiquette « {name} » n’existe pas.");
        var result = await writer.DeleteRefAsync(repo.GitPath, "refs/tags/" + name, target, ct);
        if (result.Ok) await repositories.OnPushedAsync(repo.Repository, [result.Update!], ct);
        return result;
    }

    private async Task<string?> RefusalAsync(RepoContext repo, RefUpdate update, CancellationToken ct) =>
        (await policies.ForPushAsync(repo.Repository, repo.Viewer, [update], ct)).Rejections.FirstOrDefault();

    private async Task<Author> AuthorAsync(Viewer viewer, CancellationToken ct)
    {
        var user = await db.Users.FindAsync([viewer.UserId!.Value], ct);
        return AuthorOf(user!);
    }

    private static Author AuthorOf(ForgeUser user) =>
        new(string.IsNullOrWhiteSpace(user.FullName) ? user.UserName! : user.FullName!, user.Email ?? $"{user.UserName}@forge.invalid");

    private static string DefaultMessage(IReadOnlyList<FileChange> changes) => changes switch
    {
        [FileChange.Put p] => $"Mise à jour de {p.Path}",
        [FileChange.Delete d] => $"Suppression de {d.Path}",
        [FileChange.Move m] => $"Renommage de {m.From} en {m.To}",
        [FileChange.Move m, FileChange.Put p] => $"Mise à jour et renommage de {m.From} en {p.Path}",
        _ => $"Ajout de {changes.Count} fichiers",
    };

    /// <summary>Text from a browser form: textareas send CRLF; keep the file's own line endings.</summary>
    public static byte[] NormaliseText(string text, string? originalText)
    {
        var usesCrlf = originalText?.Contains("\r\n") ?? false;
        var lf = text.Replace("\r\n", "\n");
        return System.Text.Encoding.UTF8.GetBytes(usesCrlf ? lf.Replace("\n", "\r\n") : lf);
    }
}
