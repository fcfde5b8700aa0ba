namespace Forge.Git;

/// <summary>A commit as Forge shows it.</summary>
public sealed record CommitInfo(string Sha, string Message, string AuthorName, string AuthorEmail, DateTimeOffset AuthorDate)
{
    public string ShortSha => Sha[..Math.Min(Sha.Length, 10)];
    public string Subject => Message.Split('\n', 2)[0];
}

public enum TreeEntryKind { Directory, File, Symlink, Submodule }

/// <summary>One entry of a folder listing.</summary>
public sealed record TreeEntryInfo(string Name, string Path, TreeEntryKind Kind, long Size, string ObjectId);

/// <summary>A file's content, read within a byte budget.</summary>
public sealed record BlobContent(string Path, long Size, bool IsBinary, bool Truncated, byte[] Bytes, string ObjectId);

/// <summary>A ref and path resolved from URL segments such as <c>main/docs/cours.md</c> or <c>feature/x/docs</c>.</summary>
public sealed record ResolvedPath(string Ref, string CommitSha, string Path, bool IsBranch);

/// <summary>One ref update announced by a push (<c>old new ref</c>), parsed before git applies anything.</summary>
public sealed record RefUpdate(string OldSha, string NewSha, string RefName)
{
    public const string ZeroSha = "0000000000000000000000000000000000000000";
    public bool IsCreate => OldSha == ZeroSha;
    public bool IsDelete => NewSha == ZeroSha;
}

/// <summary>An open file of a repository, streamed; disposing it closes the repository too.</summary>
public sealed class BlobStream(IDisposable owner, Stream content, long size, string objectId) : IDisposable
{
    public Stream Content { get; } = content;
    public long Size { get; } = size;
    public string ObjectId { get; } = objectId;

    public void Dispose()
    {
        Content.Dispose();
        owner.Dispose();
    }
}
