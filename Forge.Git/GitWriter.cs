using LibGit2Sharp;

namespace Forge.Git;

/// <summary>One change to the files of a branch.</summary>
public abstract record FileChange
{
    /// <summary>Create or replace <paramref name="Path"/> with <paramref name="Content"/>.</summary>
    public sealed record Put(string Path, byte[] Content) : FileChange;
    public sealed record Delete(string Path) : FileChange;
    public sealed record Move(string From, string To) : FileChange;
}

/// <summary>Who makes a change made through the web or the API.</summary>
public sealed record Author(string Name, string Email);

public enum WriteStatus { Committed, BranchMoved, BranchExists, NotFound, AlreadyExists, InvalidPath, InvalidBranch, NothingToCommit, Protected }

/// <summary>The outcome of a write; <see cref="Message"/> is a French explanation when it failed.</summary>
public sealed record WriteResult(WriteStatus Status, string? CommitSha = null, string? Message = null, RefUpdate? Update = null)
{
    public bool Ok => Status == WriteStatus.Committed;
}

/// <summary>
/// Commits made without a work tree: objects are written with LibGit2Sharp, and the branch is moved with
/// <c>git update-ref NEW OLD</c>, which refuses if the branch moved meanwhile. Two people editing at once therefore
/// never overwrite each other silently: the second one is told, and keeps her text.
/// </summary>
public sealed class GitWriter(GitCli git)
{
    /// <summary>
    /// Applies <paramref name="changes"/> on top of <paramref name="expectedTip"/> (the branch tip the user saw) and moves
    /// <paramref name="branch"/> to the new commit — or creates <paramref name="newBranch"/> there when given.
    /// </summary>
    public async Task<WriteResult> CommitAsync(string repoPath, string branch, string expectedTip, string? newBranch,
        IReadOnlyList<FileChange> changes, Author author, string message, CancellationToken ct = default)
    {
        var target = newBranch ?? branch;
        if (!IsValidBranchName(target)) return new(WriteStatus.InvalidBranch, Message: $"« {target} » n’est pas un nom de branche valide.");
        string newSha;
        using (var repo = new Repository(repoPath))
        {
            var current = repo.Branches[branch]?.Tip;
            // expectedTip = zero: the first commit of an empty repository (the branch must still not exist).
            var unborn = expectedTip == RefUpdate.ZeroSha && newBranch is null;
            if (current is null && !unborn) return new(WriteStatus.NotFound, Message: $"La branche « {branch} » n’existe pas.");
            if ((current?.Sha ?? RefUpdate.ZeroSha) != expectedTip)
                return new(WriteStatus.BranchMoved, Message: $"La branche « {branch} » a été modifiée depuis que vous avez ouvert cette page (par quelqu’un d’autre ou dans un autre onglet). Votre texte est conservé ci-dessous : vérifiez les dernières modifications, puis enregistrez à nouveau.");
            if (newBranch is not null && repo.Branches[newBranch] is not null)
                return new(WriteStatus.BranchExists, Message: $"La branche « {newBranch} » existe déjà.");
            var tree = current is null ? new TreeDefinition() : TreeDefinition.From(current.Tree);
            foreach (var change in changes)
            {
                var error = Apply(repo, current, tree, change);
                if (error is not null) return error;
            }
            var newTree = repo.ObjectDatabase.CreateTree(tree);
            if (newTree.Id == current?.Tree.Id || (current is null && changes.Count == 0)) return new(WriteStatus.NothingToCommit, Message: "Aucune modification : le fichier est identique à la version actuelle.");
            var signature = new Signature(author.Name, author.Email, DateTimeOffset.Now);
            var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message.Trim() + "\n", newTree, current is null ? [] : [current], prettifyMessage: true);
            newSha = commit.Sha;
        }
        var refName = "refs/heads/" + target;
        var old = newBranch is null ? expectedTip : RefUpdate.ZeroSha;
        var update = await git.Command("update-ref").Value(refName).Value(newSha).Value(old).In(repoPath).RunAsync(ct);
        if (!update.Success)
            return newBranch is null
                ? new(WriteStatus.BranchMoved, Message: $"La branche « {branch} » a été modifiée au même moment. Votre texte est conservé : enregistrez à nouveau.")
                : new(WriteStatus.BranchExists, Message: $"La branche « {newBranch} » vient d’être créée par quelqu’un d’autre.");
        return new(WriteStatus.Committed, newSha, Update: new RefUpdate(old, newSha, refName));
    }

    private static WriteResult? Apply(Repository repo, Commit? current, TreeDefinition tree, FileChange change)
    {
        switch (change)
        {
            case FileChange.Put put:
                if (!IsWritablePath(put.Path)) return InvalidPath(put.Path);
                if (Conflicts(current, put.Path) is { } clash) return clash;
                var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(put.Content));
                var existingMode = current?[put.Path]?.Mode;
                tree.Add(put.Path, blob, existingMode == Mode.ExecutableFile ? Mode.ExecutableFile : Mode.NonExecutableFile);
                return null;
            case FileChange.Delete delete:
                if (!IsWritablePath(delete.Path)) return InvalidPath(delete.Path);
                if (current?[delete.Path] is not { } gone || gone.TargetType != TreeEntryTargetType.Blob)
                    return new(WriteStatus.NotFound, Message: $"Le fichier « {delete.Path} » n’existe pas (ou plus) dans cette branche.");
                tree.Remove(delete.Path);
                return null;
            case FileChange.Move move:
                if (!IsWritablePath(move.From)) return InvalidPath(move.From);
                if (!IsWritablePath(move.To)) return InvalidPath(move.To);
                if (current?[move.From] is not { } source || source.TargetType != TreeEntryTargetType.Blob)
                    return new(WriteStatus.NotFound, Message: $"Le fichier « {move.From} » n’existe pas (ou plus) dans cette branche.");
                if (move.From == move.To) return null;
                if (current?[move.To] is not null) return new(WriteStatus.AlreadyExists, Message: $"« {move.To} » existe déjà.");
                if (Conflicts(current, move.To) is { } c) return c;
                tree.Remove(move.From);
                tree.Add(move.To, (Blob)source.Target, source.Mode);
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }

    /// <summary>A file cannot be written where a folder is, nor under something that is a file.</summary>
    private static WriteResult? Conflicts(Commit? current, string path)
    {
        if (current?[path] is { TargetType: TreeEntryTargetType.Tree })
            return new(WriteStatus.AlreadyExists, Message: $"« {path} » est un dossier.");
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var prefix = string.Join('/', parts.Take(i));
            if (current?[prefix] is { TargetType: not TreeEntryTargetType.Tree })
                return new(WriteStatus.AlreadyExists, Message: $"« {prefix} » est un fichier, pas un dossier.");
        }
        return null;
    }

    private static WriteResult InvalidPath(string path) =>
        new(WriteStatus.InvalidPath, Message: $"« {path} » n’est pas un chemin de fichier valide (pas de « .. », de « .git », de « \\ », ni de segment vide).");

    /// <summary>A path a user may write: safe segments, nothing named <c>.git</c>, not too long.</summary>
    public static bool IsWritablePath(string path) =>
        path.Length is > 0 and <= 4096 && !path.StartsWith('/') && !path.EndsWith('/') && GitReader.IsSafePath(path)
        && path.Split('/').All(s => !s.Equals(".git", StringComparison.OrdinalIgnoreCase) && !s.Any(char.IsControl));

    public static bool IsValidBranchName(string name) =>
        name.Length is > 0 and <= 200 && !name.StartsWith('-') && Reference.IsValidName("refs/heads/" + name);

    public static bool IsValidTagName(string name) =>
        name.Length is > 0 and <= 200 && !name.StartsWith('-') && Reference.IsValidName("refs/tags/" + name);

    /// <summary>Creates branch <paramref name="name"/> at commit <paramref name="commitSha"/>; fails if it exists.</summary>
    public async Task<WriteResult> CreateBranchAsync(string repoPath, string name, string commitSha, CancellationToken ct = default)
    {
        if (!IsValidBranchName(name)) return new(WriteStatus.InvalidBranch, Message: $"« {name} » n’est pas un nom de branche valide.");
        var result = await git.Command("update-ref").Value("refs/heads/" + name).Value(commitSha).Value(RefUpdate.ZeroSha).In(repoPath).RunAsync(ct);
        return result.Success ? new(WriteStatus.Committed, commitSha, Update: new RefUpdate(RefUpdate.ZeroSha, commitSha, "refs/heads/" + name))
            : new(WriteStatus.BranchExists, Message: $"La branche « {name} » existe déjà.");
    }

    /// <summary>Deletes a branch or tag ref if it still points at <paramref name="expectedSha"/>.</summary>
    public async Task<WriteResult> DeleteRefAsync(string repoPath, string refName, string expectedSha, CancellationToken ct = default)
    {
        var result = await git.Command("update-ref").Option("-d").Value(refName).Value(expectedSha).In(repoPath).RunAsync(ct);
        return result.Success ? new(WriteStatus.Committed, Update: new RefUpdate(expectedSha, RefUpdate.ZeroSha, refName))
            : new(WriteStatus.BranchMoved, Message: "Cette référence a changé ou n’existe plus.");
    }

    /// <summary>Creates a tag (annotated when <paramref name="message"/> is given) at <paramref name="commitSha"/>.</summary>
    public async Task<WriteResult> CreateTagAsync(string repoPath, string name, string commitSha, string? message, Author author, CancellationToken ct = default)
    {
        if (!IsValidTagName(name)) return new(WriteStatus.InvalidBranch, Message: $"« {name} » n’est pas un nom d’étiquette valide.");
        string target = commitSha;
        if (!string.IsNullOrWhiteSpace(message))
        {
            using var repo = new Repository(repoPath);
            var commit = repo.Lookup<Commit>(commitSha);
            if (commit is null) return new(WriteStatus.NotFound, Message: "Version introuvable.");
            var tagger = new Signature(author.Name, author.Email, DateTimeOffset.Now);
            target = repo.ObjectDatabase.CreateTagAnnotation(name, commit, tagger, message.Trim() + "\n").Sha;
        }
        var result = await git.Command("update-ref").Value("refs/tags/" + name).Value(target).Value(RefUpdate.ZeroSha).In(repoPath).RunAsync(ct);
        return result.Success ? new(WriteStatus.Committed, commitSha, Update: new RefUpdate(RefUpdate.ZeroSha, target, "refs/tags/" + name))
            : new(WriteStatus.AlreadyExists, Message: $"L’étiquette « {name} » existe déjà.");
    }
}
