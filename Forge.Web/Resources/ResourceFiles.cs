using System.Text;
using Forge.Core.Resources;
using Forge.Git;

namespace Forge.Web.Resources;

/// <summary>A <c>resource.yml</c> as found in git: where, its text and blob id, and what the parser made of it.</summary>
public sealed record ResourceFile(string Folder, string FilePath, string Text, string BlobId, ResourceMetadataResult Result);

/// <summary>Reads the <c>resource.yml</c> of a repository's root or of a folder (a "granule") at a commit.</summary>
public sealed class ResourceFiles(GitReader reader)
{
    /// <summary>The path of the description of <paramref name="folder"/> ("" = the repository).</summary>
    public static string PathOf(string folder) =>
        folder.Length == 0 ? ResourceMetadataParser.FileName : folder.TrimEnd('/') + "/" + ResourceMetadataParser.FileName;

    /// <summary>A folder given by a user, checked: no leading or trailing slash, no "..", no empty segment. Null if unsafe.</summary>
    public static string? CleanFolder(string? folder)
    {
        var f = (folder ?? "").Trim().Trim('/');
        return f.Length <= 1000 && GitReader.IsSafePath(f) ? f : null;
    }

    /// <summary>The description of <paramref name="folder"/> at <paramref name="commitSha"/>, or null when there is none.</summary>
    public ResourceFile? Read(string gitPath, string commitSha, string folder)
    {
        var path = PathOf(folder);
        var blob = reader.ReadBlob(gitPath, commitSha, path, ResourceMetadataParser.MaxBytes + 1);
        if (blob is null) return null;
        if (blob.Size > ResourceMetadataParser.MaxBytes || blob.IsBinary)
            return new ResourceFile(folder, path, "", blob.ObjectId, new ResourceMetadataResult(ResourceMetadata.Empty,
                [new MetadataProblem("resource.yml", null, blob.IsBinary ? "Le fichier n’est pas du texte ; il n’a pas été lu."
                    : $"Le fichier dépasse {ResourceMetadataParser.MaxBytes / 1024} Kio ; il n’a pas été lu.")]));
        var text = Encoding.UTF8.GetString(blob.Bytes);
        return new ResourceFile(folder, path, text, blob.ObjectId, ResourceMetadataParser.Parse(text));
    }
}
