using Forge.Git;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>Gitea's shapes for files, commits, branches and tags (<c>ContentsResponse</c>, <c>Commit</c>, <c>Branch</c>, <c>Tag</c>, …).</summary>
public static partial class ApiModels
{
    /// <summary>Each segment escaped, slashes kept: <c>cours/été 2025.md</c> → <c>cours/%C3%A9t%C3%A9%202025.md</c>.</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string RepoApi(HttpContext c, RepoContext r) => $"{Base(c)}/api/v1/repos/{EscapePath(r.FullName)}";
    private static string RepoHtml(HttpContext c, RepoContext r) => $"{Base(c)}/{EscapePath(r.FullName)}";

    /// <summary>
    /// Gitea's <c>ContentsResponse</c>. <paramref name="content"/> is the base64 content of a file (null for folders, and for
    /// files over the size limit, as in Gitea); <paramref name="target"/> the target of a symbolic link.
    /// </summary>
    public static object Contents(HttpContext c, RepoContext r, string refName, TreeEntryInfo e, string? lastCommitSha, string? content, string? target)
    {
        var type = e.Kind switch { TreeEntryKind.Directory => "dir", TreeEntryKind.Symlink => "symlink", TreeEntryKind.Submodule => "submodule", _ => "file" };
        var self = $"{RepoApi(c, r)}/contents/{EscapePath(e.Path)}?ref={Uri.EscapeDataString(refName)}";
        var git = e.Kind == TreeEntryKind.Directory ? $"{RepoApi(c, r)}/git/trees/{e.ObjectId}" : $"{RepoApi(c, r)}/git/blobs/{e.ObjectId}";
        var html = $"{RepoHtml(c, r)}/{(e.Kind == TreeEntryKind.Directory ? "tree" : "blob")}/{EscapePath(refName)}/{EscapePath(e.Path)}";
        return new
        {
            name = e.Name,
            path = e.Path,
            sha = e.ObjectId,
            last_commit_sha = lastCommitSha,
            type,
            size = e.Size,
            encoding = content is null ? null : "base64",
            content,
            target,
            url = self,
            html_url = html,
            git_url = e.Kind == TreeEntryKind.Submodule ? null : git,
            download_url = e.Kind is TreeEntryKind.File or TreeEntryKind.Symlink ? $"{RepoHtml(c, r)}/raw/{EscapePath(refName)}/{EscapePath(e.Path)}" : null,
            submodule_git_url = (string?)null,
            _links = new { self, git, html },
        };
    }

    private static object Identity(string name, string email, DateTimeOffset date) => new { name, email, date = date.ToString("yyyy-MM-ddTHH:mm:sszzz") };

    /// <summary>Gitea's <c>FileCommitResponse</c>: the commit a file operation made.</summary>
    public static object FileCommit(HttpContext c, RepoContext r, CommitObject o) => new
    {
        url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
        sha = o.Info.Sha,
        created = o.CommitterDate,
        html_url = $"{RepoHtml(c, r)}/commit/{o.Info.Sha}",
        author = Identity(o.Info.AuthorName, o.Info.AuthorEmail, o.Info.AuthorDate),
        committer = Identity(o.CommitterName, o.CommitterEmail, o.CommitterDate),
        parents = o.Parents.Select(p => new { url = $"{RepoApi(c, r)}/git/commits/{p}", sha = p }),
        message = o.Info.Message,
        tree = new { url = $"{RepoApi(c, r)}/git/trees/{o.TreeSha}", sha = o.TreeSha },
    };

    /// <summary>
    /// Gitea's <c>Commit</c>. <paramref name="diff"/>, when given, fills <c>files</c> and <c>stats</c>; <c>author</c> and
    /// <c>committer</c> (Forge accounts) are null: Forge does not map commit e-mails to accounts.
    /// </summary>
    public static object Commit(HttpContext c, RepoContext r, CommitObject o, DiffResult? diff = null) => new
    {
        url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
        sha = o.Info.Sha,
        created = o.CommitterDate,
        html_url = $"{RepoHtml(c, r)}/commit/{o.Info.Sha}",
        commit = new
        {
            url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
            author = Identity(o.Info.AuthorName, o.Info.AuthorEmail, o.Info.AuthorDate),
            committer = Identity(o.CommitterName, o.CommitterEmail, o.CommitterDate),
            message = o.Info.Message,
            tree = new { url = $"{RepoApi(c, r)}/git/trees/{o.TreeSha}", sha = o.TreeSha, created = o.CommitterDate },
            verification = (object?)null,
        },
        author = (object?)null,
        committer = (object?)null,
        parents = o.Parents.Select(p => new { url = $"{RepoApi(c, r)}/git/commits/{p}", sha = p }),
        files = diff is null ? null : AffectedFiles(diff),
        stats = diff is null ? null : new { total = diff.Additions + diff.Deletions, additions = diff.Additions, deletions = diff.Deletions },
    };

    /// <summary>Gitea's <c>CommitAffectedFiles</c>: <c>filename</c> and <c>status</c> (<c>added</c>, <c>removed</c>, <c>modified</c>, <c>renamed</c>, …).</summary>
    public static IEnumerable<object> AffectedFiles(DiffResult diff) => diff.Files.Select(f => new
    {
        filename = f.Path,
        status = f.Kind switch
        {
            FileChangeKind.Added => "added", FileChangeKind.Deleted => "removed", FileChangeKind.Renamed => "renamed",
            FileChangeKind.Copied => "copied", FileChangeKind.TypeChanged => "changed", _ => "modified",
        },
        previous_filename = f.OldPath,
        additions = f.Additions,
        deletions = f.Deletions,
    });

    /// <summary>Gitea's <c>PayloadCommit</c>, as in <c>Branch.commit</c>.</summary>
    public static object PayloadCommit(HttpContext c, RepoContext r, CommitInfo i) => new
    {
        id = i.Sha,
        message = i.Message,
        url = $"{RepoHtml(c, r)}/commit/{i.Sha}",
        author = new { name = i.AuthorName, email = i.AuthorEmail, username = "" },
        committer = new { name = i.AuthorName, email = i.AuthorEmail, username = "" },
        verification = (object?)null,
        timestamp = i.AuthorDate,
        added = (object?)null,
        removed = (object?)null,
        modified = (object?)null,
    };

    /// <summary>Gitea's <c>Branch</c>; <paramref name="rule"/> is the protection rule that applies, if any.</summary>
    public static object Branch(HttpContext c, RepoContext r, string name, CommitInfo tip, string? rule, bool userCanPush) => new
    {
        name,
        commit = PayloadCommit(c, r, tip),
        @protected = rule is not null,
        required_approvals = 0,
        enable_status_check = false,
        status_check_contexts = Array.Empty<string>(),
        user_can_push = userCanPush,
        user_can_merge = userCanPush,
        effective_branch_protection_name = rule ?? "",
    };

    /// <summary>Gitea's <c>Tag</c>: <c>id</c> is the tag object for an annotated tag, else the commit.</summary>
    public static object Tag(HttpContext c, RepoContext r, TagInfo t, string id) => new
    {
        name = t.Name,
        message = t.Message ?? "",
        id,
        commit = new { url = $"{RepoApi(c, r)}/git/commits/{t.Target.Sha}", sha = t.Target.Sha, created = t.Target.AuthorDate },
        zipball_url = $"{RepoHtml(c, r)}/archive/{EscapePath(t.Name)}.zip",
        tarball_url = $"{RepoHtml(c, r)}/archive/{EscapePath(t.Name)}.tar.gz",
    };

    /// <summary>Gitea's <c>GitEntry</c> of <c>GitTreeResponse</c>.</summary>
    public static object TreeEntry(HttpContext c, RepoContext r, TreeObjectEntry e) => new
    {
        path = e.Path,
        mode = e.Mode,
        type = e.Type,
        size = e.Size,
        sha = e.Sha,
        url = e.Type switch { "tree" => $"{RepoApi(c, r)}/git/trees/{e.Sha}", "blob" => $"{RepoApi(c, r)}/git/blobs/{e.Sha}", _ => null },
    };

    public static string TreeUrl(HttpContext c, RepoContext r, string sha) => $"{RepoApi(c, r)}/git/trees/{sha}";
    public static string BlobUrl(HttpContext c, RepoContext r, string sha) => $"{RepoApi(c, r)}/git/blobs/{sha}";
}
