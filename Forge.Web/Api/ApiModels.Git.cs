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
    public static ApiContents Contents(HttpContext c, RepoContext r, string refName, TreeEntryInfo e, string? lastCommitSha, string? content, string? target)
    {
        var type = e.Kind switch { TreeEntryKind.Directory => "dir", TreeEntryKind.Symlink => "symlink", TreeEntryKind.Submodule => "submodule", _ => "file" };
        var self = $"{RepoApi(c, r)}/contents/{EscapePath(e.Path)}?ref={Uri.EscapeDataString(refName)}";
        var git = e.Kind == TreeEntryKind.Directory ? $"{RepoApi(c, r)}/git/trees/{e.ObjectId}" : $"{RepoApi(c, r)}/git/blobs/{e.ObjectId}";
        var html = $"{RepoHtml(c, r)}/{(e.Kind == TreeEntryKind.Directory ? "tree" : "blob")}/{EscapePath(refName)}/{EscapePath(e.Path)}";
        return new ApiContents
        {
            Name = e.Name,
            Path = e.Path,
            Sha = e.ObjectId,
            LastCommitSha = lastCommitSha,
            Type = type,
            Size = e.Size,
            Encoding = content is null ? null : "base64",
            Content = content,
            Target = target,
            Url = self,
            HtmlUrl = html,
            GitUrl = e.Kind == TreeEntryKind.Submodule ? null : git,
            DownloadUrl = e.Kind is TreeEntryKind.File or TreeEntryKind.Symlink ? $"{RepoHtml(c, r)}/raw/{EscapePath(refName)}/{EscapePath(e.Path)}" : null,
            SubmoduleGitUrl = null,
            Links = new ApiContentsLinks(self, git, html),
        };
    }

    private static ApiCommitUser Identity(string name, string email, DateTimeOffset date) => new(name, email, date.ToString("yyyy-MM-ddTHH:mm:sszzz"));

    /// <summary>Gitea's <c>FileCommitResponse</c>: the commit a file operation made.</summary>
    public static ApiFileCommit FileCommit(HttpContext c, RepoContext r, CommitObject o) => new()
    {
        Url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
        Sha = o.Info.Sha,
        Created = o.CommitterDate,
        HtmlUrl = $"{RepoHtml(c, r)}/commit/{o.Info.Sha}",
        Author = Identity(o.Info.AuthorName, o.Info.AuthorEmail, o.Info.AuthorDate),
        Committer = Identity(o.CommitterName, o.CommitterEmail, o.CommitterDate),
        Parents = o.Parents.Select(p => new ApiCommitMeta($"{RepoApi(c, r)}/git/commits/{p}", p)).ToList(),
        Message = o.Info.Message,
        Tree = new ApiCommitMeta($"{RepoApi(c, r)}/git/trees/{o.TreeSha}", o.TreeSha),
    };

    /// <summary>
    /// Gitea's <c>Commit</c>. <paramref name="diff"/>, when given, fills <c>files</c> and <c>stats</c>; <c>author</c> and
    /// <c>committer</c> (Forge accounts) are null: Forge does not map commit e-mails to accounts.
    /// </summary>
    public static ApiCommit Commit(HttpContext c, RepoContext r, CommitObject o, DiffResult? diff = null) => new()
    {
        Url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
        Sha = o.Info.Sha,
        Created = o.CommitterDate,
        HtmlUrl = $"{RepoHtml(c, r)}/commit/{o.Info.Sha}",
        Commit = new ApiRepoCommit
        {
            Url = $"{RepoApi(c, r)}/git/commits/{o.Info.Sha}",
            Author = Identity(o.Info.AuthorName, o.Info.AuthorEmail, o.Info.AuthorDate),
            Committer = Identity(o.CommitterName, o.CommitterEmail, o.CommitterDate),
            Message = o.Info.Message,
            Tree = new ApiDatedCommitMeta($"{RepoApi(c, r)}/git/trees/{o.TreeSha}", o.TreeSha, o.CommitterDate),
            Verification = null,
        },
        Author = null,
        Committer = null,
        Parents = o.Parents.Select(p => new ApiCommitMeta($"{RepoApi(c, r)}/git/commits/{p}", p)).ToList(),
        Files = diff is null ? null : AffectedFiles(diff).ToList(),
        Stats = diff is null ? null : new ApiCommitStats(diff.Additions + diff.Deletions, diff.Additions, diff.Deletions),
    };

    /// <summary>Gitea's <c>CommitAffectedFiles</c>: <c>filename</c> and <c>status</c> (<c>added</c>, <c>removed</c>, <c>modified</c>, <c>renamed</c>, …).</summary>
    public static IEnumerable<ApiCommitAffectedFile> AffectedFiles(DiffResult diff) => diff.Files.Select(f => new ApiCommitAffectedFile
    {
        Filename = f.Path,
        Status = f.Kind switch
        {
            FileChangeKind.Added => "added", FileChangeKind.Deleted => "removed", FileChangeKind.Renamed => "renamed",
            FileChangeKind.Copied => "copied", FileChangeKind.TypeChanged => "changed", _ => "modified",
        },
        PreviousFilename = f.OldPath,
        Additions = f.Additions,
        Deletions = f.Deletions,
    });

    /// <summary>Gitea's <c>PayloadCommit</c>, as in <c>Branch.commit</c>.</summary>
    public static ApiPayloadCommit PayloadCommit(HttpContext c, RepoContext r, CommitInfo i) => new()
    {
        Id = i.Sha,
        Message = i.Message,
        Url = $"{RepoHtml(c, r)}/commit/{i.Sha}",
        Author = new ApiPayloadUser(i.AuthorName, i.AuthorEmail, ""),
        Committer = new ApiPayloadUser(i.AuthorName, i.AuthorEmail, ""),
        Verification = null,
        Timestamp = i.AuthorDate,
        Added = null,
        Removed = null,
        Modified = null,
    };

    /// <summary>Gitea's <c>Branch</c>; <paramref name="rule"/> is the protection rule that applies, if any.</summary>
    public static ApiBranch Branch(HttpContext c, RepoContext r, string name, CommitInfo tip, string? rule, bool userCanPush) => new()
    {
        Name = name,
        Commit = PayloadCommit(c, r, tip),
        Protected = rule is not null,
        RequiredApprovals = 0,
        EnableStatusCheck = false,
        StatusCheckContexts = Array.Empty<string>(),
        UserCanPush = userCanPush,
        UserCanMerge = userCanPush,
        EffectiveBranchProtectionName = rule ?? "",
    };

    /// <summary>Gitea's <c>Tag</c>: <c>id</c> is the tag object for an annotated tag, else the commit.</summary>
    public static ApiTag Tag(HttpContext c, RepoContext r, TagInfo t, string id) => new()
    {
        Name = t.Name,
        Message = t.Message ?? "",
        Id = id,
        Commit = new ApiDatedCommitMeta($"{RepoApi(c, r)}/git/commits/{t.Target.Sha}", t.Target.Sha, t.Target.AuthorDate),
        ZipballUrl = $"{RepoHtml(c, r)}/archive/{EscapePath(t.Name)}.zip",
        TarballUrl = $"{RepoHtml(c, r)}/archive/{EscapePath(t.Name)}.tar.gz",
    };

    /// <summary>Gitea's <c>GitEntry</c> of <c>GitTreeResponse</c>.</summary>
    public static ApiGitEntry TreeEntry(HttpContext c, RepoContext r, TreeObjectEntry e) => new()
    {
        Path = e.Path,
        Mode = e.Mode,
        Type = e.Type,
        Size = e.Size,
        Sha = e.Sha,
        Url = e.Type switch { "tree" => $"{RepoApi(c, r)}/git/trees/{e.Sha}", "blob" => $"{RepoApi(c, r)}/git/blobs/{e.Sha}", _ => null },
    };

    public static string TreeUrl(HttpContext c, RepoContext r, string sha) => $"{RepoApi(c, r)}/git/trees/{sha}";
    public static string BlobUrl(HttpContext c, RepoContext r, string sha) => $"{RepoApi(c, r)}/git/blobs/{sha}";
}

/// <summary>Gitea's <c>FileLinksResponse</c>.</summary>
public sealed record ApiContentsLinks(string Self, string Git, string Html);

/// <summary>Gitea's <c>ContentsResponse</c>: a file (base64 <c>content</c>), a folder, a symbolic link or a submodule.</summary>
public sealed record ApiContents
{
    public string Name { get; init; } = "";
    public string Path { get; init; } = "";
    public string Sha { get; init; } = "";
    public string? LastCommitSha { get; init; }
    /// <summary><c>file</c>, <c>dir</c>, <c>symlink</c> or <c>submodule</c>.</summary>
    public string Type { get; init; } = "";
    public long Size { get; init; }
    public string? Encoding { get; init; }
    public string? Content { get; init; }
    public string? Target { get; init; }
    public string Url { get; init; } = "";
    public string HtmlUrl { get; init; } = "";
    public string? GitUrl { get; init; }
    public string? DownloadUrl { get; init; }
    public string? SubmoduleGitUrl { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("_links")]
    public required ApiContentsLinks Links { get; init; }
}

/// <summary>Gitea's <c>CommitUser</c>: a name, an e-mail and an ISO 8601 date.</summary>
public sealed record ApiCommitUser(string Name, string Email, string Date);

/// <summary>Gitea's <c>CommitMeta</c>: an object's API address and id.</summary>
public sealed record ApiCommitMeta(string Url, string Sha);

/// <summary>Gitea's <c>CommitMeta</c> with its date: a commit's tree, a tag's commit.</summary>
public sealed record ApiDatedCommitMeta(string Url, string Sha, DateTimeOffset Created);

/// <summary>Gitea's <c>FileCommitResponse</c>.</summary>
public sealed record ApiFileCommit
{
    public string Url { get; init; } = "";
    public string Sha { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public string HtmlUrl { get; init; } = "";
    public required ApiCommitUser Author { get; init; }
    public required ApiCommitUser Committer { get; init; }
    public List<ApiCommitMeta> Parents { get; init; } = [];
    public string Message { get; init; } = "";
    public required ApiCommitMeta Tree { get; init; }
}

/// <summary>Gitea's <c>RepoCommit</c>, the <c>commit</c> of a <c>Commit</c>.</summary>
public sealed record ApiRepoCommit
{
    public string Url { get; init; } = "";
    public required ApiCommitUser Author { get; init; }
    public required ApiCommitUser Committer { get; init; }
    public string Message { get; init; } = "";
    public required ApiDatedCommitMeta Tree { get; init; }
    public object? Verification { get; init; }
}

/// <summary>Gitea's <c>CommitStats</c>.</summary>
public sealed record ApiCommitStats(int Total, int Additions, int Deletions);

/// <summary>Gitea's <c>CommitAffectedFiles</c>.</summary>
public sealed record ApiCommitAffectedFile
{
    public string Filename { get; init; } = "";
    public string Status { get; init; } = "";
    public string? PreviousFilename { get; init; }
    public int Additions { get; init; }
    public int Deletions { get; init; }
}

/// <summary>Gitea's <c>Commit</c>; <c>author</c> and <c>committer</c> (Forge accounts) are always null.</summary>
public sealed record ApiCommit
{
    public string Url { get; init; } = "";
    public string Sha { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public string HtmlUrl { get; init; } = "";
    public required ApiRepoCommit Commit { get; init; }
    public ApiUser? Author { get; init; }
    public ApiUser? Committer { get; init; }
    public List<ApiCommitMeta> Parents { get; init; } = [];
    public List<ApiCommitAffectedFile>? Files { get; init; }
    public ApiCommitStats? Stats { get; init; }
}

/// <summary>Gitea's <c>PayloadUser</c>.</summary>
public sealed record ApiPayloadUser(string Name, string Email, string Username);

/// <summary>Gitea's <c>PayloadCommit</c>.</summary>
public sealed record ApiPayloadCommit
{
    public string Id { get; init; } = "";
    public string Message { get; init; } = "";
    public string Url { get; init; } = "";
    public required ApiPayloadUser Author { get; init; }
    public required ApiPayloadUser Committer { get; init; }
    public object? Verification { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public List<string>? Added { get; init; }
    public List<string>? Removed { get; init; }
    public List<string>? Modified { get; init; }
}

/// <summary>Gitea's <c>Branch</c>.</summary>
public sealed record ApiBranch
{
    public string Name { get; init; } = "";
    public required ApiPayloadCommit Commit { get; init; }
    public bool Protected { get; init; }
    public int RequiredApprovals { get; init; }
    public bool EnableStatusCheck { get; init; }
    public string[] StatusCheckContexts { get; init; } = [];
    public bool UserCanPush { get; init; }
    public bool UserCanMerge { get; init; }
    public string EffectiveBranchProtectionName { get; init; } = "";
}

/// <summary>Gitea's <c>Tag</c>.</summary>
public sealed record ApiTag
{
    public string Name { get; init; } = "";
    public string Message { get; init; } = "";
    public string Id { get; init; } = "";
    public required ApiDatedCommitMeta Commit { get; init; }
    public string ZipballUrl { get; init; } = "";
    public string TarballUrl { get; init; } = "";
}

/// <summary>Gitea's <c>GitEntry</c>.</summary>
public sealed record ApiGitEntry
{
    public string Path { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Type { get; init; } = "";
    public long Size { get; init; }
    public string Sha { get; init; } = "";
    public string? Url { get; init; }
}
