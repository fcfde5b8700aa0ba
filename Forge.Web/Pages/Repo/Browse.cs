using System.Text;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Html;

namespace Forge.Web.Pages.Repo;

/// <summary>Shared reading for repository pages: folder listings, README and resource.yml.</summary>
public sealed class Browse(GitReader reader, MarkdownRenderer markdown)
{
    public const long MaxRenderedBytes = 1024 * 1024;

    public IReadOnlyList<TreeEntryInfo>? List(RepoContext repo, ResolvedPath at) => reader.ListTree(repo.GitPath, at.CommitSha, at.Path);

    /// <summary>The folder's README rendered to safe HTML, with its file name; null if there is none.</summary>
    public (string Name, IHtmlContent Html)? Readme(RepoContext repo, ResolvedPath at, IReadOnlyList<TreeEntryInfo> entries)
    {
        var entry = reader.FindReadme(entries);
        if (entry is null) return null;
        var blob = reader.ReadBlob(repo.GitPath, at.CommitSha, entry.Path, MaxRenderedBytes);
        if (blob is null || blob.IsBinary) return null;
        var text = Encoding.UTF8.GetString(blob.Bytes);
        IHtmlContent html = entry.Name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || entry.Name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase)
            ? new HtmlString(markdown.Render(text, new MarkdownContext(repo.Owner, repo.Name, at.Ref, at.Path)))
            : new HtmlString("<pre>" + System.Net.WebUtility.HtmlEncode(text) + "</pre>");
        return (entry.Name, html);
    }

    /// <summary>resource.yml of the folder, parsed; null when the folder has none.</summary>
    public ResourceMetadataResult? Metadata(RepoContext repo, ResolvedPath at, IReadOnlyList<TreeEntryInfo> entries)
    {
        var entry = entries.FirstOrDefault(e => e.Kind == TreeEntryKind.File && e.Name == ResourceMetadataParser.FileName);
        if (entry is null) return null;
        var blob = reader.ReadBlob(repo.GitPath, at.CommitSha, entry.Path, ResourceMetadataParser.MaxBytes + 1);
        if (blob is null) return null;
        if (blob.Size > ResourceMetadataParser.MaxBytes)
            return new ResourceMetadataResult(ResourceMetadata.Empty,
                [new MetadataProblem("resource.yml", null, $"Le fichier dépasse {ResourceMetadataParser.MaxBytes / 1024} Kio ; il n’a pas été lu.")]);
        return ResourceMetadataParser.Parse(Encoding.UTF8.GetString(blob.Bytes));
    }
}
