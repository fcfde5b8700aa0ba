using System.Text;
using Forge.Core.Licences;
using Forge.Git;
using Forge.Web.Repos;

namespace Forge.Web.Compliance;

/// <summary>
/// The one-click fix of the licence report: commits a <c>LICENSE</c> file holding the vendored SPDX text of a licence at
/// the root of the default branch, through the web-commit path (write access, branch protection, and refusal when the
/// branch moved since the report was shown). Only when the repository has no licence file yet: nothing is overwritten.
/// </summary>
public sealed class LicenceFixService(ContentService content, GitReader reader)
{
    public const string FileName = "LICENSE";

    /// <summary>Licences offered when the repository says nothing: the usual choices for course material.</summary>
    public static readonly IReadOnlyList<string> Suggested = ["CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0", "etalab-2.0"];

    /// <summary>The tip of the default branch the fix would commit on, or null for an empty repository.</summary>
    public string? Tip(RepoContext repo) => reader.BranchTip(repo.GitPath, repo.Repository.DefaultBranch);

    public async Task<WriteResult> AddLicenceFileAsync(RepoContext repo, string? licence, string? expectedTip, CancellationToken ct)
    {
        if (!repo.CanWrite) return new WriteResult(WriteStatus.NotFound, Message: "Vous n’avez pas le droit de modifier ce dépôt.");
        var id = LicenceCatalogue.Canonical(licence);
        if (id is null || !LicenceChecker.IsFixable(id))
            return new WriteResult(WriteStatus.InvalidPath, Message: $"Forge ne peut pas ajouter automatiquement la licence « {licence} » : " +
                $"choisissez {string.Join(", ", Suggested)} ou une autre licence sans partie à compléter.");
        var branch = repo.Repository.DefaultBranch;
        var tip = Tip(repo);
        if (tip is null) return new WriteResult(WriteStatus.NotFound, Message: "Le dépôt est vide : ajoutez d’abord un fichier.");
        if (string.IsNullOrEmpty(expectedTip)) expectedTip = tip;
        var existing = (reader.ListTree(repo.GitPath, tip, "") ?? [])
            .FirstOrDefault(e => e.Kind == TreeEntryKind.File && FileFactsReader.RoleOf(e.Path) == FileRole.LicenceFile);
        if (existing is not null)
            return new WriteResult(WriteStatus.AlreadyExists, Message: $"Le dépôt a déjà un fichier de licence (« {existing.Name} ») : " +
                "Forge ne le remplace pas. Modifiez-le vous-même si la licence doit changer.");
        // MIT, BSD…: the copyright line names this year and the repository's owner (a person's full name when known).
        var owner = repo.Repository.Owner;
        var text = LicenceCatalogue.CommittableText(id, DateTime.UtcNow.Year, string.IsNullOrWhiteSpace(owner.FullName) ? owner.UserName! : owner.FullName.Trim())!;
        return await content.CommitAsync(repo, branch, expectedTip, null, [new FileChange.Put(FileName, Encoding.UTF8.GetBytes(text))],
            $"Ajout de la licence {id} (fichier {FileName})", ct);
    }
}
