using LibGit2Sharp;

namespace Forge.Git;

/// <summary>How a merge request is brought into its target.</summary>
public enum MergeMethod { MergeCommit, Squash, FastForward }

/// <summary>The result of merging two commits without a work tree: the tree written, or the conflicting paths.</summary>
public sealed record MergeCheck(bool Clean, string? TreeSha, IReadOnlyList<string> Conflicts, bool NothingToMerge, bool CanFastForward, string? Error = null);

public enum MergeOutcomeStatus { Merged, Conflicts, NothingToMerge, NotFastForward, TargetMoved, Failed }

/// <summary>What a merge did; <see cref="Message"/> is a French explanation when it did nothing.</summary>
public sealed record MergeOutcome(MergeOutcomeStatus Status, string? MergeSha = null, string? Message = null, IReadOnlyList<string>? Conflicts = null,
    RefUpdate? Update = null)
{
    public bool Ok => Status == MergeOutcomeStatus.Merged;
}

/// <summary>
/// Merge requests in git: the head of request N is kept in the target repository as <c>refs/merge-requests/N/head</c>
/// (fetched from a fork, or copied within the repository), and merges are made without a work tree:
/// <c>git merge-tree --write-tree</c> computes the merged tree (or the conflicts), LibGit2Sharp writes the commit, and
/// <c>git update-ref NEW OLD</c> moves the target only if it is still where the merge was computed from.
/// </summary>
public sealed class GitMerger(GitCli git)
{
    public const string RefPrefix = "refs/merge-requests/";

    public static string HeadRef(int number) => $"{RefPrefix}{number}/head";

    /// <summary>
    /// Copies the tip of <paramref name="sourceBranch"/> of <paramref name="sourcePath"/> into <paramref name="targetPath"/> as
    /// <paramref name="targetRef"/> (or only its objects when <paramref name="targetRef"/> is null), and returns the commit id,
    /// or null when the branch does not exist. Within one repository the ref is set directly.
    /// </summary>
    public async Task<string?> FetchBranchAsync(string targetPath, string sourcePath, string sourceBranch, string? targetRef, CancellationToken ct)
    {
        if (!GitWriter.IsValidBranchName(sourceBranch)) return null;
        string? tip;
        using (var source = new Repository(sourcePath)) tip = source.Branches[sourceBranch]?.Tip?.Sha;
        if (tip is null) return null;
        var same = Path.GetFullPath(sourcePath).TrimEnd('/') == Path.GetFullPath(targetPath).TrimEnd('/');
        if (!same)
        {
            var command = git.Command("fetch").FromLocalRepository().Option("--quiet").Option("--no-tags").Option("--no-write-fetch-head")
                .Value(Path.GetFullPath(sourcePath));
            // Without a destination the objects arrive (for a preview) but no ref points at them; git's gc removes them later.
            command.Value(targetRef is null ? "refs/heads/" + sourceBranch : $"+refs/heads/{sourceBranch}:{targetRef}");
            var fetched = await command.In(targetPath).RunAsync(ct);
            if (!fetched.Success) throw new GitCommandException(fetched.ExitCode, fetched.StandardError);
            if (targetRef is not null) return ReadRef(targetPath, targetRef);
            return tip;
        }
        if (targetRef is not null) (await git.Command("update-ref").Value(targetRef).Value(tip).In(targetPath).RunAsync(ct)).EnsureSuccess();
        return tip;
    }

    private static string? ReadRef(string repoPath, string refName)
    {
        using var repo = new Repository(repoPath);
        return (repo.Refs[refName]?.ResolveToDirectReference()?.TargetIdentifier);
    }

    /// <summary>The commit a branch points at, or null.</summary>
    public static string? BranchTip(string repoPath, string branch)
    {
        using var repo = new Repository(repoPath);
        return repo.Branches[branch]?.Tip?.Sha;
    }

    /// <summary>The merge base of two commits of one repository, or null (unrelated histories, unknown commit).</summary>
    public static string? MergeBase(string repoPath, string a, string b)
    {
        using var repo = new Repository(repoPath);
        var ca = repo.Lookup<Commit>(a);
        var cb = repo.Lookup<Commit>(b);
        return ca is null || cb is null ? null : repo.ObjectDatabase.FindMergeBase(ca, cb)?.Sha;
    }

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/> (or equal).</summary>
    public async Task<bool> IsAncestorAsync(string repoPath, string ancestor, string descendant, CancellationToken ct) =>
        (await git.Command("merge-base").Option("--is-ancestor").Value(ancestor).Value(descendant).In(repoPath).RunAsync(ct)).Success;

    /// <summary>Merges <paramref name="headSha"/> into <paramref name="targetSha"/> on paper: the merged tree, or the conflicting files.</summary>
    public async Task<MergeCheck> CheckAsync(string repoPath, string targetSha, string headSha, CancellationToken ct)
    {
        RequireId(targetSha);
        RequireId(headSha);
        if (await IsAncestorAsync(repoPath, headSha, targetSha, ct)) return new MergeCheck(true, null, [], NothingToMerge: true, CanFastForward: false);
        var fastForward = await IsAncestorAsync(repoPath, targetSha, headSha, ct);
        var result = await git.Command("merge-tree").Option("--write-tree").Option("--name-only").Option("--no-messages").Option("-z")
            .Value(targetSha).Value(headSha).In(repoPath).RunAsync(ct);
        // Exit 0: clean, 1: conflicts; anything else is an error (unrelated histories, unknown commit).
        if (result.ExitCode is not (0 or 1))
            return new MergeCheck(false, null, [], false, false,
                result.StandardError.Contains("unrelated histories") ? "Les deux branches n’ont aucun historique commun : elles ne peuvent pas être fusionnées."
                    : "La fusion n’a pas pu être calculée.");
        var parts = result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var tree = parts.Length > 0 ? parts[0].Trim() : null;
        var conflicts = result.ExitCode == 1 ? parts.Skip(1).Select(p => p.Trim('\n')).Where(p => p.Length > 0).Distinct().ToList() : [];
        return new MergeCheck(result.ExitCode == 0, tree, conflicts, false, fastForward);
    }

    /// <summary>
    /// Merges <paramref name="headSha"/> into <paramref name="targetBranch"/>, which must still be at <paramref name="expectedTargetSha"/>
    /// when the branch is moved (compare-and-swap): a concurrent change makes it fail with <see cref="MergeOutcomeStatus.TargetMoved"/>
    /// and nothing changes.
    /// </summary>
    public async Task<MergeOutcome> MergeAsync(string repoPath, string targetBranch, string expectedTargetSha, string headSha, MergeMethod method,
        Author author, string message, CancellationToken ct)
    {
        var check = await CheckAsync(repoPath, expectedTargetSha, headSha, ct);
        if (check.Error is not null) return new MergeOutcome(MergeOutcomeStatus.Failed, Message: check.Error);
        if (check.NothingToMerge)
            return new MergeOutcome(MergeOutcomeStatus.NothingToMerge, Message: $"La branche « {targetBranch} » contient déjà toutes ces modifications : rien à fusionner.");
        if (!check.Clean)
            return new MergeOutcome(MergeOutcomeStatus.Conflicts, Message: ConflictMessage(targetBranch, check.Conflicts), Conflicts: check.Conflicts);
        string newSha;
        if (method == MergeMethod.FastForward)
        {
            if (!check.CanFastForward)
                return new MergeOutcome(MergeOutcomeStatus.NotFastForward,
                    Message: $"La branche « {targetBranch} » a reçu d’autres modifications : une avance rapide est impossible. Mettez la branche source à jour (git rebase ou git merge), ou choisissez une autre méthode de fusion dans les paramètres du dépôt.");
            newSha = headSha;
        }
        else
        {
            using var repo = new Repository(repoPath);
            var tree = repo.Lookup<Tree>(check.TreeSha!);
            var target = repo.Lookup<Commit>(expectedTargetSha);
            var head = repo.Lookup<Commit>(headSha);
            if (tree is null || target is null || head is null) return new MergeOutcome(MergeOutcomeStatus.Failed, Message: "La fusion n’a pas pu être calculée.");
            var signature = new Signature(author.Name, author.Email, DateTimeOffset.Now);
            Commit[] parents = method == MergeMethod.Squash ? [target] : [target, head];
            newSha = repo.ObjectDatabase.CreateCommit(signature, signature, message.Trim() + "\n", tree, parents, prettifyMessage: false).Sha;
        }
        var refName = "refs/heads/" + targetBranch;
        var moved = await git.Command("update-ref").Value(refName).Value(newSha).Value(expectedTargetSha).In(repoPath).RunAsync(ct);
        if (!moved.Success)
            return new MergeOutcome(MergeOutcomeStatus.TargetMoved,
                Message: $"La branche « {targetBranch} » a changé pendant la fusion : rien n’a été modifié. Réessayez.");
        return new MergeOutcome(MergeOutcomeStatus.Merged, newSha, Update: new RefUpdate(expectedTargetSha, newSha, refName));
    }

    public static string ConflictMessage(string targetBranch, IReadOnlyList<string> conflicts) =>
        $"Fusion impossible : des conflits opposent ces modifications à la branche « {targetBranch} » ({string.Join(", ", conflicts.Take(20))}"
        + (conflicts.Count > 20 ? "…" : "") + "). Résolvez-les dans la branche source (git merge ou git rebase), puis envoyez-la de nouveau.";

    /// <summary>Commits of <paramref name="headSha"/> not in <paramref name="baseSha"/>, oldest first, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<CommitInfo> CommitsBetween(string repoPath, string baseSha, string headSha, int max = 250)
    {
        using var repo = new Repository(repoPath);
        var head = repo.Lookup<Commit>(headSha);
        var @base = repo.Lookup<Commit>(baseSha);
        if (head is null) return [];
        return repo.Commits.QueryBy(new CommitFilter
            {
                IncludeReachableFrom = head, ExcludeReachableFrom = @base, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse,
            })
            .Take(max).Select(c => new CommitInfo(c.Sha, c.Message, c.Author.Name, c.Author.Email, c.Author.When)).ToList();
    }

    /// <summary>The unified diff from <paramref name="baseSha"/> to <paramref name="headSha"/>, cut after <paramref name="maxChars"/> characters.</summary>
    public static string PatchText(string repoPath, string baseSha, string headSha, int maxChars = 10 * 1024 * 1024, Func<string, bool>? withheld = null)
    {
        using var repo = new Repository(repoPath);
        var from = repo.Lookup<Commit>(baseSha);
        var to = repo.Lookup<Commit>(headSha);
        if (from is null || to is null) return "";
        var patch = repo.Diff.Compare<Patch>(from.Tree, to.Tree, new CompareOptions { Similarity = SimilarityOptions.Renames });
        // Files the reader may not see (teacher-only) are left out of the patch.
        var text = withheld is null ? patch.Content
            : string.Concat(patch.Where(e => !withheld(e.Path) && !withheld(e.OldPath)).Select(e => e.Patch));
        return text.Length > maxChars ? text[..maxChars] : text;
    }

    /// <summary>The lines of a text file at a commit (null when it does not exist there or is binary or too large).</summary>
    public static string[]? FileLines(string repoPath, string commitSha, string path, long maxBytes = 1024 * 1024)
    {
        if (!GitReader.IsSafePath(path) || path.Length == 0) return null;
        using var repo = new Repository(repoPath);
        if (repo.Lookup<Commit>(commitSha)?[path]?.Target is not Blob blob || blob.IsBinary || blob.Size > maxBytes) return null;
        return blob.GetContentText().Replace("\r\n", "\n").Split('\n');
    }

    private static void RequireId(string sha)
    {
        if (sha.Length != 40 || !sha.All(Uri.IsHexDigit)) throw new ArgumentException("a full commit id is required");
    }
}
