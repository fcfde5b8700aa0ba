using Forge.Git;
using Forge.Jobs;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.MergeRequests;

/// <summary>Why an action on a merge request was refused: the form field concerned (or empty) and a French explanation.</summary>
public sealed record MergeRequestError(string Field, string Message, int Status = StatusCodes.Status422UnprocessableEntity);

/// <summary>A line comment sent with a review.</summary>
public sealed record LineCommentInput(string Path, DiffSide Side, int Line, string Body);

/// <summary>
/// Merge requests as pages and the API see them: creation, listing, comments, reviews, merge, close and reopen. Every
/// rule of who may do what lives here; the target repository's read access is checked by the caller
/// (<see cref="RepoContextFilter"/>, the API's lookups), as for any repository page.
/// </summary>
public sealed class MergeRequestService(ForgeDbContext db, RepositoryStore store, GitMerger merger, GitReader reader, IForgeJobs jobs,
    RepositoryService repositories, PushPolicyService policies, ContentService content, ILogger<MergeRequestService> log,
    Forge.Web.Issues.IssueService issues, Activity.ActivityService activity)
{
    public const int MaxTitle = 255;
    public const int MaxBody = 65536;
    public const int PageSize = 30;

    private IQueryable<MergeRequest> Requests => db.Set<MergeRequest>();

    public Task<MergeRequest?> FindAsync(RepositoryEntity target, int number, CancellationToken ct) =>
        Requests.Include(m => m.Author).Include(m => m.MergedBy)
            .Include(m => m.SourceRepository!).ThenInclude(r => r.Owner)
            .Include(m => m.SourceRepository!).ThenInclude(r => r.Collaborators)
            .Include(m => m.Comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)).ThenInclude(c => c.Author)
            .Include(m => m.Reviews.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)).ThenInclude(r => r.Reviewer)
            .AsSplitQuery()
            .FirstOrDefaultAsync(m => m.TargetRepositoryId == target.Id && m.Number == number, ct);

    /// <summary>One page of a repository's requests in <paramref name="state"/> (all when null), newest first, with the count of each state.</summary>
    public async Task<(List<MergeRequest> Page, Dictionary<MergeRequestState, int> Counts)> ListAsync(RepositoryEntity target, MergeRequestState? state,
        int page, int pageSize, CancellationToken ct)
    {
        var counts = await Requests.Where(m => m.TargetRepositoryId == target.Id).GroupBy(m => m.State)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var s in Enum.GetValues<MergeRequestState>()) counts.TryAdd(s, 0);
        var query = Requests.Include(m => m.Author).Include(m => m.SourceRepository!).ThenInclude(r => r.Owner)
            .Include(m => m.SourceRepository!).ThenInclude(r => r.Collaborators)
            .Where(m => m.TargetRepositoryId == target.Id);
        if (state is { } s2) query = query.Where(m => m.State == s2);
        var list = await query.OrderByDescending(m => m.Number).Skip((Math.Max(page, 1) - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (list, counts);
    }

    /// <summary>
    /// The source as shown to <paramref name="viewer"/>: the branch for this repository, <c>owner/name:branch</c> for a fork
    /// they may read, and no name for a private fork they may not (its commits are the request's, its existence is not).
    /// </summary>
    public static string SourceLabel(MergeRequest mr, RepositoryEntity target, Viewer viewer) => mr.SourceRepository switch
    {
        { } s when s.Id == target.Id => mr.SourceBranch,
        { } s when RepositoryService.CanRead(s, viewer) => $"{s.Owner.UserName}/{s.Name}:{mr.SourceBranch}",
        { } => $"(divergence privée):{mr.SourceBranch}",
        null => $"(dépôt supprimé):{mr.SourceBranch}",
    };

    public Task<int> OpenCountAsync(long repositoryId, CancellationToken ct = default) =>
        Requests.CountAsync(m => m.TargetRepositoryId == repositoryId && m.State == MergeRequestState.Open, ct);

    /// <summary>Where a request into <paramref name="target"/> may come from: the repository itself and its forks, those the viewer may write to.</summary>
    public async Task<List<RepositoryEntity>> SourcesAsync(RepositoryEntity target, Viewer viewer, CancellationToken ct)
    {
        var forks = await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).Where(r => r.ForkOfId == target.Id).ToListAsync(ct);
        return new[] { target }.Concat(forks.OrderBy(f => f.Owner.UserName).ThenBy(f => f.Name)).Where(r => RepositoryService.CanWrite(r, viewer)).ToList();
    }

    public async Task<MergeStyle> StyleAsync(long repositoryId, CancellationToken ct = default) =>
        await db.Set<MergeRequestSettings>().Where(s => s.RepositoryId == repositoryId).Select(s => (MergeStyle?)s.MergeStyle).FirstOrDefaultAsync(ct)
        ?? MergeStyle.Merge;

    public async Task SaveStyleAsync(RepositoryEntity repo, MergeStyle style, CancellationToken ct)
    {
        var settings = await db.Set<MergeRequestSettings>().FirstOrDefaultAsync(s => s.RepositoryId == repo.Id, ct);
        if (settings is null) db.Add(new MergeRequestSettings { RepositoryId = repo.Id, MergeStyle = style });
        else settings.MergeStyle = style;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What a request from <paramref name="source"/>'s <paramref name="sourceBranch"/> into <paramref name="targetBranch"/> would bring.</summary>
    public async Task<(Comparison? Comparison, MergeRequestError? Error)> PreviewAsync(RepositoryEntity target, RepositoryEntity source, string sourceBranch,
        string targetBranch, CancellationToken ct)
    {
        var targetPath = store.PathOf(target.Id);
        var targetTip = reader.BranchTip(targetPath, targetBranch);
        if (targetTip is null) return (null, new MergeRequestError("TargetBranch", $"La branche cible « {targetBranch} » n’existe pas."));
        if (source.Id == target.Id && sourceBranch == targetBranch)
            return (null, new MergeRequestError("SourceBranch", "La branche source et la branche cible sont la même branche : choisissez-en deux différentes."));
        string? head;
        try
        {
            head = await merger.FetchBranchAsync(targetPath, store.PathOf(source.Id), sourceBranch, null, ct);
        }
        catch (GitCommandException e)
        {
            log.LogWarning(e, "Could not fetch {Branch} of repository {Source} into {Target}", sourceBranch, source.Id, target.Id);
            return (null, new MergeRequestError("SourceBranch", "La branche source n’a pas pu être lue. Réessayez dans un instant."));
        }
        if (head is null) return (null, new MergeRequestError("SourceBranch", $"La branche source « {sourceBranch} » n’existe pas dans {source.Owner.UserName}/{source.Name}."));
        if (await merger.IsAncestorAsync(targetPath, head, targetTip, ct))
            return (null, new MergeRequestError("SourceBranch",
                $"Rien à fusionner : « {targetBranch} » contient déjà toutes les modifications de « {sourceBranch} ». Envoyez d’abord des modifications sur la branche source."));
        var comparison = reader.Compare(targetPath, targetTip, head, DiffBudget.Default);
        if (comparison?.MergeBaseSha is null)
            return (null, new MergeRequestError("SourceBranch", "Ces deux branches n’ont aucun historique commun : elles ne peuvent pas être fusionnées."));
        return (comparison, null);
    }

    /// <summary>Opens a request; the viewer must be able to write to the source (this repository or one of its forks).</summary>
    public async Task<(MergeRequest? Request, MergeRequestError? Error)> CreateAsync(RepoContext target, long? sourceRepositoryId, string? sourceBranch,
        string? targetBranch, string? title, string? description, CancellationToken ct)
    {
        var viewer = target.Viewer;
        if (viewer.UserId is not { } authorId) return (null, new MergeRequestError("", "Connectez-vous pour proposer une demande de fusion.", StatusCodes.Status401Unauthorized));
        title = title?.Trim();
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        sourceBranch = sourceBranch?.Trim() ?? "";
        targetBranch = string.IsNullOrWhiteSpace(targetBranch) ? target.Repository.DefaultBranch : targetBranch.Trim();
        var sources = await SourcesAsync(target.Repository, viewer, ct);
        var source = sources.FirstOrDefault(s => s.Id == (sourceRepositoryId ?? target.Repository.Id));
        if (source is null)
            return (null, new MergeRequestError("SourceRepositoryId", "Choisissez comme source ce dépôt ou une de ses divergences où vous pouvez écrire.",
                sourceRepositoryId is null ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity));
        if (sourceBranch.Length == 0) return (null, new MergeRequestError("SourceBranch", "Choisissez la branche à fusionner."));
        if (string.IsNullOrEmpty(title)) return (null, new MergeRequestError("Title", "Donnez un titre à la demande de fusion."));
        if (title.Length > MaxTitle) return (null, new MergeRequestError("Title", $"Le titre ne peut pas dépasser {MaxTitle} caractères."));
        if (description is { Length: > MaxBody }) return (null, new MergeRequestError("Description", "La description est trop longue (64 Kio au plus)."));
        var duplicate = await Requests.Where(m => m.TargetRepositoryId == target.Repository.Id && m.State == MergeRequestState.Open
                && m.SourceRepositoryId == source.Id && m.SourceBranch == sourceBranch && m.TargetBranch == targetBranch)
            .Select(m => (int?)m.Number).FirstOrDefaultAsync(ct);
        if (duplicate is { } existing)
            return (null, new MergeRequestError("SourceBranch", $"Une demande de fusion est déjà ouverte pour cette branche : !{existing}.", StatusCodes.Status409Conflict));
        var (comparison, error) = await PreviewAsync(target.Repository, source, sourceBranch, targetBranch, ct);
        if (error is not null) return (null, error);

        var mr = await Numbering.AddWithNextNumberAsync(db, Requests.Where(m => m.TargetRepositoryId == target.Repository.Id).Select(m => m.Number), number => new MergeRequest
        {
            TargetRepositoryId = target.Repository.Id, Number = number, Title = title, Description = description, AuthorId = authorId,
            SourceRepositoryId = source.Id, SourceBranch = sourceBranch, TargetBranch = targetBranch,
            HeadSha = comparison!.HeadSha, BaseSha = comparison.MergeBaseSha!,
        }, ct);
        if (mr is null) return (null, new MergeRequestError("", "La demande n’a pas pu être enregistrée. Réessayez."));
        try
        {
            await RefreshHeadAsync(mr, ct);
        }
        catch (GitCommandException e)
        {
            // Without its head ref the request would show nothing: it is not kept.
            log.LogWarning(e, "Could not set the head of merge request {Id}", mr.Id);
            db.Remove(mr);
            await db.SaveChangesAsync(CancellationToken.None);
            return (null, new MergeRequestError("SourceBranch", "La branche source n’a pas pu être lue. Réessayez dans un instant."));
        }
        jobs.MergeRequestChanged(mr.Id);
        await issues.NotifyNewAsync(target.Repository, mr.Number, true, mr.Title, authorId, mr.Description, ct);
        return (mr, null);
    }

    /// <summary>
    /// Brings <c>refs/merge-requests/N/head</c> of the target up to the source branch; when the head changed, line comments whose
    /// line changed are marked outdated. Returns false when the source branch (or repository) no longer exists.
    /// </summary>
    public async Task<bool> RefreshHeadAsync(MergeRequest mr, CancellationToken ct)
    {
        if (mr.SourceRepositoryId is not { } sourceId) return false;
        var targetPath = store.PathOf(mr.TargetRepositoryId);
        var head = await merger.FetchBranchAsync(targetPath, store.PathOf(sourceId), mr.SourceBranch, GitMerger.HeadRef(mr.Number), ct);
        if (head is null) return false;
        var targetTip = reader.BranchTip(targetPath, mr.TargetBranch);
        var newBase = targetTip is null ? mr.BaseSha : GitMerger.MergeBase(targetPath, targetTip, head) ?? mr.BaseSha;
        if (head == mr.HeadSha && newBase == mr.BaseSha) return true;
        if (head != mr.HeadSha)
        {
            await db.Entry(mr).Collection(m => m.Comments).LoadAsync(ct);
            foreach (var c in mr.Comments.Where(c => c.IsLineComment && !c.Outdated && c.ThreadId is null))
            {
                var line = FollowLine(targetPath, c, c.Side == DiffSide.Old ? newBase : head);
                if (line is null) c.Outdated = true;
                else c.Line = line;
            }
        }
        mr.HeadSha = head;
        mr.BaseSha = newBase;
        mr.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Where a comment's line is in the new version of its side (the new head, or the new merge base for the old side): the same
    /// line number if the line still reads the same there, else the one line of the file that reads as it did (lines added
    /// above move it); null when the line changed (or is ambiguous): the comment is then outdated.
    /// </summary>
    private static int? FollowLine(string repoPath, MergeRequestComment c, string version)
    {
        if (c.LineText is not { } text) return null;
        var lines = GitMerger.FileLines(repoPath, version, c.Path!);
        if (lines is null) return null;
        bool Same(string l) => (l.Length > 500 ? l[..500] : l) == text;
        var i = c.Line!.Value - 1;
        if (i < lines.Length && Same(lines[i])) return c.Line;
        var matches = Enumerable.Range(0, lines.Length).Where(k => Same(lines[k])).Take(2).ToList();
        return matches.Count == 1 ? matches[0] + 1 : null;
    }

    /// <summary>Computes mergeability now (the background job calls this), and records it on the request.</summary>
    public async Task CheckAsync(MergeRequest mr, CancellationToken ct)
    {
        if (mr.State != MergeRequestState.Open) return;
        var path = store.PathOf(mr.TargetRepositoryId);
        var tip = reader.BranchTip(path, mr.TargetBranch);
        if (tip is null)
        {
            (mr.MergeStatus, mr.ConflictFiles) = (MergeStatus.Failed, null);
        }
        else
        {
            var check = await merger.CheckAsync(path, tip, mr.HeadSha, ct);
            mr.MergeStatus = check.Error is not null ? MergeStatus.Failed : check.NothingToMerge ? MergeStatus.NothingToMerge
                : check.Clean ? MergeStatus.Mergeable : MergeStatus.Conflicts;
            mr.ConflictFiles = check.Conflicts.Count > 0 ? string.Join('\n', check.Conflicts.Take(500)) : null;
        }
        mr.CheckedHeadSha = mr.HeadSha;
        mr.CheckedTargetSha = tip;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>True when the recorded mergeability was computed on the current head and target tip.</summary>
    public bool IsCheckCurrent(MergeRequest mr) =>
        mr.CheckedHeadSha == mr.HeadSha && mr.CheckedTargetSha == reader.BranchTip(store.PathOf(mr.TargetRepositoryId), mr.TargetBranch);

    /// <summary>Adds a comment: on the request, on a line of its diff, or in reply to a thread.</summary>
    public async Task<(MergeRequestComment? Comment, MergeRequestError? Error)> CommentAsync(MergeRequest mr, RepoContext repo, string? body,
        string? path, DiffSide? side, int? line, long? replyTo, CancellationToken ct, long? reviewId = null)
    {
        if (repo.Viewer.UserId is not { } userId) return (null, new MergeRequestError("", "Connectez-vous pour commenter.", StatusCodes.Status401Unauthorized));
        body = body?.Trim();
        if (string.IsNullOrEmpty(body)) return (null, new MergeRequestError("Body", "Le commentaire est vide : écrivez quelque chose avant de l’envoyer."));
        if (body.Length > MaxBody) return (null, new MergeRequestError("Body", "Le commentaire est trop long (64 Kio au plus)."));
        var comment = new MergeRequestComment { MergeRequestId = mr.Id, AuthorId = userId, Body = body, ReviewId = reviewId };
        if (replyTo is { } parentId)
        {
            var parent = await db.Set<MergeRequestComment>().FirstOrDefaultAsync(c => c.Id == parentId && c.MergeRequestId == mr.Id, ct);
            if (parent is null) return (null, new MergeRequestError("ReplyTo", "Ce fil de discussion n’existe pas.", StatusCodes.Status404NotFound));
            comment.ThreadId = parent.ThreadId ?? parent.Id;
        }
        else if (path is not null || line is not null || side is not null)
        {
            if (path is null || line is null || side is null) return (null, new MergeRequestError("Line", "Indiquez le fichier, le côté et la ligne commentés."));
            var at = side == DiffSide.Old ? mr.BaseSha : mr.HeadSha;
            var lines = GitMerger.FileLines(repo.GitPath, at, path);
            if (lines is null || line < 1 || line > lines.Length)
                return (null, new MergeRequestError("Line", $"La ligne {line} de « {path} » n’existe pas dans cette version des modifications."));
            var text = lines[line.Value - 1];
            (comment.Path, comment.Side, comment.Line, comment.CommitSha, comment.BaseSha, comment.LineText) =
                (path, side, line, mr.HeadSha, mr.BaseSha, text.Length > 500 ? text[..500] : text);
        }
        db.Add(comment);
        mr.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await issues.NotifyCommentAsync(repo.Repository, mr.Number, true, mr.Title, userId, body, mr.AuthorId, [], ct);
        return (comment, null);
    }

    /// <summary>Marks a thread resolved or not: its author, the request's author or a writer of the target.</summary>
    public async Task<MergeRequestError?> ResolveAsync(MergeRequest mr, RepoContext repo, long commentId, bool resolved, CancellationToken ct)
    {
        var thread = mr.Comments.FirstOrDefault(c => c.Id == commentId && c.ThreadId is null);
        if (thread is null) return new MergeRequestError("", "Ce fil de discussion n’existe pas.", StatusCodes.Status404NotFound);
        if (repo.Viewer.UserId is not { } me || !(repo.CanWrite || me == mr.AuthorId || me == thread.AuthorId))
            return new MergeRequestError("", "Seuls l’auteur du fil, l’auteur de la demande et les rédacteurs du dépôt peuvent le marquer comme résolu.", StatusCodes.Status403Forbidden);
        thread.Resolved = resolved;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Records a review: an approval or a request for changes needs write access to the target and never comes from the
    /// request's author; a plain comment review only needs to read it. Line comments are added with it.
    /// </summary>
    public async Task<(MergeRequestReview? Review, MergeRequestError? Error)> ReviewAsync(MergeRequest mr, RepoContext repo, ReviewVerdict verdict,
        string? body, IReadOnlyList<LineCommentInput> lineComments, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } me) return (null, new MergeRequestError("", "Connectez-vous pour donner votre avis.", StatusCodes.Status401Unauthorized));
        if (mr.State != MergeRequestState.Open) return (null, new MergeRequestError("", "Cette demande de fusion n’est plus ouverte.", StatusCodes.Status409Conflict));
        if (verdict != ReviewVerdict.Comment)
        {
            if (!repo.CanWrite)
                return (null, new MergeRequestError("", "Seuls les rédacteurs et mainteneurs du dépôt cible peuvent approuver ou demander des modifications.", StatusCodes.Status403Forbidden));
            if (me == mr.AuthorId)
                return (null, new MergeRequestError("", "Vous ne pouvez pas approuver votre propre demande de fusion : un autre rédacteur doit la relire.", StatusCodes.Status403Forbidden));
        }
        body = string.IsNullOrWhiteSpace(body) ? null : body.Trim();
        if (body is { Length: > MaxBody }) return (null, new MergeRequestError("Body", "Le commentaire est trop long (64 Kio au plus)."));
        if (verdict == ReviewVerdict.Comment && body is null && lineComments.Count == 0)
            return (null, new MergeRequestError("Body", "Le commentaire est vide : écrivez quelque chose avant de l’envoyer."));
        var review = new MergeRequestReview { MergeRequestId = mr.Id, ReviewerId = me, Verdict = verdict, Body = body, HeadSha = mr.HeadSha };
        db.Add(review);
        await db.SaveChangesAsync(ct);
        foreach (var line in lineComments.Take(100))
        {
            var (_, error) = await CommentAsync(mr, repo, line.Body, line.Path, line.Side, line.Line, null, ct, review.Id);
            if (error is not null) return (review, error);
        }
        mr.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return (review, null);
    }

    /// <summary>Approvals that count (on the current head, by writers of the target other than the author) and approvals required.</summary>
    public async Task<(int Have, int Need, IReadOnlyList<ForgeUser> Approvers)> ApprovalsAsync(MergeRequest mr, RepositoryEntity target, CancellationToken ct)
    {
        var rules = await db.ProtectedBranches.AsNoTracking().Where(p => p.RepositoryId == target.Id).ToListAsync(ct);
        var need = rules.Where(r => BranchPattern.IsMatch(r.Pattern, mr.TargetBranch)).Select(r => r.RequiredApprovals).DefaultIfEmpty(0).Max();
        var approvers = LatestVerdicts(mr)
            .Where(r => r.Verdict == ReviewVerdict.Approved && r.HeadSha == mr.HeadSha && r.ReviewerId != mr.AuthorId
                && RepositoryService.CanWrite(target, new Viewer(r.ReviewerId, r.Reviewer.IsAdmin)))
            .Select(r => r.Reviewer).ToList();
        return (approvers.Count, need, approvers);
    }

    /// <summary>Each reviewer's latest approval or request for changes (plain comments do not change a verdict).</summary>
    public static IEnumerable<MergeRequestReview> LatestVerdicts(MergeRequest mr) =>
        mr.Reviews.Where(r => r.Verdict != ReviewVerdict.Comment).GroupBy(r => r.ReviewerId)
            .Select(g => g.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Last());

    /// <summary>Null when the viewer may merge now; else why not (permission, protection, approvals).</summary>
    public async Task<MergeRequestError?> MergeRefusalAsync(MergeRequest mr, RepoContext repo, CancellationToken ct)
    {
        if (mr.State != MergeRequestState.Open) return new MergeRequestError("", "Cette demande de fusion n’est plus ouverte.", StatusCodes.Status409Conflict);
        if (!repo.Viewer.IsSignedIn) return new MergeRequestError("", "Connectez-vous pour fusionner.", StatusCodes.Status401Unauthorized);
        if (!repo.CanWrite)
            return new MergeRequestError("", "Seuls les rédacteurs et mainteneurs du dépôt cible peuvent fusionner une demande.", StatusCodes.Status403Forbidden);
        var tip = reader.BranchTip(repo.GitPath, mr.TargetBranch) ?? RefUpdate.ZeroSha;
        var policy = await policies.ForPushAsync(repo.Repository, repo.Viewer, [new RefUpdate(tip, mr.HeadSha, "refs/heads/" + mr.TargetBranch)], ct);
        if (policy.Rejections.FirstOrDefault() is { } rejection)
            return new MergeRequestError("", rejection.Replace("Refusé : ", "Fusion impossible : "), StatusCodes.Status403Forbidden);
        var (have, need, _) = await ApprovalsAsync(mr, repo.Repository, ct);
        if (have < need)
            return new MergeRequestError("",
                $"La branche « {mr.TargetBranch} » exige {need} approbation{(need > 1 ? "s" : "")} de rédacteurs autres que l’auteur sur la dernière version ; cette demande en a {have}.",
                StatusCodes.Status405MethodNotAllowed);
        return null;
    }

    /// <summary>
    /// Merges the request into its target with the repository's method (or <paramref name="method"/>), without a work tree. The
    /// target is moved only if it is still where the merge was computed from; conflicts refuse the merge and change nothing.
    /// </summary>
    public async Task<(MergeOutcome? Outcome, MergeRequestError? Error, string? Notice)> MergeAsync(MergeRequest mr, RepoContext repo, MergeStyle? method,
        bool deleteSourceBranch, string? message, CancellationToken ct)
    {
        if (await MergeRefusalAsync(mr, repo, ct) is { } refusal) return (null, refusal, null);
        var style = method ?? await StyleAsync(repo.Repository.Id, ct);
        var tip = reader.BranchTip(repo.GitPath, mr.TargetBranch);
        if (tip is null) return (null, new MergeRequestError("", $"La branche cible « {mr.TargetBranch} » n’existe plus.", StatusCodes.Status409Conflict), null);
        var user = await db.Users.FirstAsync(u => u.Id == repo.Viewer.UserId, ct);
        var author = new Author(string.IsNullOrWhiteSpace(user.FullName) ? user.UserName! : user.FullName!, user.Email ?? $"{user.UserName}@forge.invalid");
        var source = SourceLabel(mr, repo.Repository, repo.Viewer);
        message = string.IsNullOrWhiteSpace(message)
            ? style == MergeStyle.Squash
                ? $"{mr.Title} (!{mr.Number})" + (mr.Description is { } d ? "\n\n" + d : "")
                : $"Fusion de la demande !{mr.Number} : {mr.Title}\n\nBranche « {source} » dans « {mr.TargetBranch} »."
            : message.Trim();
        if (message.Length > MaxBody) return (null, new MergeRequestError("Message", "Le message est trop long (64 Kio au plus)."), null);
        var outcome = await merger.MergeAsync(repo.GitPath, mr.TargetBranch, tip, mr.HeadSha, style switch
        {
            MergeStyle.Squash => MergeMethod.Squash,
            MergeStyle.FastForward => MergeMethod.FastForward,
            _ => MergeMethod.MergeCommit,
        }, author, message, ct);
        if (!outcome.Ok)
        {
            if (outcome.Status == MergeOutcomeStatus.Conflicts)
            {
                (mr.MergeStatus, mr.ConflictFiles, mr.CheckedHeadSha, mr.CheckedTargetSha) = (MergeStatus.Conflicts, string.Join('\n', outcome.Conflicts!), mr.HeadSha, tip);
                await db.SaveChangesAsync(ct);
            }
            return (outcome, new MergeRequestError("", outcome.Message!, StatusCodes.Status409Conflict), null);
        }
        await MarkMergedAsync(mr, outcome.MergeSha!, user.Id, ct);
        await repositories.OnPushedAsync(repo.Repository, [outcome.Update!], ct);
        string? notice = null;
        if (deleteSourceBranch) notice = await DeleteSourceBranchAsync(mr, repo.Viewer, ct);
        return (outcome, null, notice);
    }

    /// <summary>
    /// Records a request as merged — by a merge through Forge or by a push of its head into the target — once, whoever
    /// sees it first: the request is claimed with « update where still open », in one transaction with the « merged »
    /// event and the issues it closes, so a job that sees the same merge at the same moment records nothing twice and
    /// nobody sees the request merged with its issues still open. False when another already recorded it.
    /// </summary>
    public async Task<bool> MarkMergedAsync(MergeRequest mr, string mergeSha, long? mergedBy, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        var claimed = await db.Set<MergeRequest>().Where(m => m.Id == mr.Id && m.State == MergeRequestState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MergeRequestState.Merged).SetProperty(m => m.MergeSha, mergeSha)
                .SetProperty(m => m.MergedById, mergedBy).SetProperty(m => m.MergedAt, now).SetProperty(m => m.UpdatedAt, now)
                .SetProperty(m => m.MergeStatus, MergeStatus.Mergeable).SetProperty(m => m.ConflictFiles, (string?)null), ct);
        if (claimed == 0)
        {
            db.Entry(mr).State = EntityState.Detached;
            return false;
        }
        (mr.State, mr.MergeSha, mr.MergedById, mr.MergedAt, mr.UpdatedAt) = (MergeRequestState.Merged, mergeSha, mergedBy, now, now);
        (mr.MergeStatus, mr.ConflictFiles) = (MergeStatus.Mergeable, null);
        db.Entry(mr).State = EntityState.Unchanged;
        if (mergedBy is { } by) activity.Stage(by, mr.TargetRepositoryId, ActivityKind.MergeMergeRequest, mr.Number, mr.Title);
        await issues.CloseReferencedAsync(mr, mergedBy, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Deletes the merged source branch if it was not moved since; the reason in French when it was not deleted.</summary>
    private async Task<string?> DeleteSourceBranchAsync(MergeRequest mr, Viewer viewer, CancellationToken ct)
    {
        if (mr.SourceRepository is not { } source) return "Le dépôt source n’existe plus.";
        var sourceContext = new RepoContext(source, viewer, store.PathOf(source.Id));
        var tip = reader.BranchTip(sourceContext.GitPath, mr.SourceBranch);
        if (tip is null) return null;
        if (tip != mr.HeadSha) return $"La branche « {mr.SourceBranch} » n’a pas été supprimée : elle a reçu de nouvelles modifications.";
        var result = await content.DeleteBranchAsync(sourceContext, mr.SourceBranch, ct);
        return result.Ok ? $"La branche « {mr.SourceBranch} » a été supprimée." : $"La branche « {mr.SourceBranch} » n’a pas été supprimée : {result.Message}";
    }

    /// <summary>Closes or reopens a request: its author or a writer of the target.</summary>
    public async Task<MergeRequestError?> SetOpenAsync(MergeRequest mr, RepoContext repo, bool open, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } me) return new MergeRequestError("", "Connectez-vous.", StatusCodes.Status401Unauthorized);
        if (!(repo.CanWrite || me == mr.AuthorId))
            return new MergeRequestError("", "Seuls l’auteur de la demande et les rédacteurs du dépôt peuvent la fermer ou la rouvrir.", StatusCodes.Status403Forbidden);
        if (mr.State == MergeRequestState.Merged) return new MergeRequestError("", "Cette demande a déjà été fusionnée.", StatusCodes.Status409Conflict);
        if (open && mr.State == MergeRequestState.Closed)
        {
            var duplicate = await Requests.AnyAsync(m => m.Id != mr.Id && m.TargetRepositoryId == mr.TargetRepositoryId && m.State == MergeRequestState.Open
                && m.SourceRepositoryId == mr.SourceRepositoryId && m.SourceBranch == mr.SourceBranch && m.TargetBranch == mr.TargetBranch, ct);
            if (duplicate) return new MergeRequestError("", "Une autre demande de fusion est déjà ouverte pour cette branche.", StatusCodes.Status409Conflict);
            if (!await RefreshHeadAsync(mr, ct))
                return new MergeRequestError("", $"La branche source « {mr.SourceBranch} » n’existe plus : la demande ne peut pas être rouverte.", StatusCodes.Status409Conflict);
            (mr.State, mr.ClosedAt) = (MergeRequestState.Open, null);
            jobs.MergeRequestChanged(mr.Id);
        }
        else if (!open && mr.State == MergeRequestState.Open)
        {
            (mr.State, mr.ClosedAt) = (MergeRequestState.Closed, DateTime.UtcNow);
        }
        else return null;
        mr.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await activity.RecordAsync(me, mr.TargetRepositoryId, open ? ActivityKind.ReopenMergeRequest : ActivityKind.CloseMergeRequest, mr.Number, mr.Title, ct);
        return null;
    }

    /// <summary>Changes the title or description: the author or a writer of the target.</summary>
    public async Task<MergeRequestError?> EditAsync(MergeRequest mr, RepoContext repo, string? title, string? description, CancellationToken ct)
    {
        if (repo.Viewer.UserId is not { } me) return new MergeRequestError("", "Connectez-vous.", StatusCodes.Status401Unauthorized);
        if (!(repo.CanWrite || me == mr.AuthorId))
            return new MergeRequestError("", "Seuls l’auteur de la demande et les rédacteurs du dépôt peuvent la modifier.", StatusCodes.Status403Forbidden);
        if (title is not null)
        {
            title = title.Trim();
            if (title.Length == 0) return new MergeRequestError("Title", "Donnez un titre à la demande de fusion.");
            if (title.Length > MaxTitle) return new MergeRequestError("Title", $"Le titre ne peut pas dépasser {MaxTitle} caractères.");
            mr.Title = title;
        }
        if (description is not null)
        {
            if (description.Length > MaxBody) return new MergeRequestError("Description", "La description est trop longue (64 Kio au plus).");
            mr.Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        }
        mr.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return null;
    }
}
