namespace Forge.Core.Licences;

/// <summary>
/// Builds a repository's licence report from the facts of its files (see <see cref="FileFactsReader"/>) and, for an
/// adaptation, what is known of its source. Pure: no git, no database, so the same facts always give the same report.
/// </summary>
public static class LicenceChecker
{
    /// <summary>Per-file findings listed for one code; beyond it a summary finding gives the count.</summary>
    public const int MaxFilesPerCode = 100;

    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The licence offered by the one-click fix when the repository says nothing at all.</summary>
    public const string DefaultLicence = "CC-BY-SA-4.0";

    /// <summary>Licences whose vendored text Forge can commit: none, or only its copyright line, to fill in (year, holder).</summary>
    public static bool IsFixable(string id) => LicenceCatalogue.CommittableText(id, 2000, "holder") is not null;

    /// <summary>The licences a repository states for all of its content: root resource.yml, root licence files, README.</summary>
    public static IReadOnlyList<string> MainLicences(IEnumerable<FileFacts> files)
    {
        var ids = new List<string>();
        foreach (var f in files.Where(f => f.Folder.Length == 0).OrderBy(f => f.Role == FileRole.ResourceYml ? 0 : f.Role == FileRole.LicenceFile ? 1 : 2))
        {
            var id = f.Role switch
            {
                FileRole.ResourceYml => f.Declared is { } d ? LicenceCatalogue.Canonical(d) ?? d : null,
                FileRole.LicenceFile or FileRole.Readme => f.Match?.Id,
                _ => null,
            };
            if (id is not null && !ids.Any(x => LicenceCatalogue.SameLicence(x, id))) ids.Add(id);
        }
        return ids;
    }

    public static LicenceReport Check(IReadOnlyCollection<FileFacts> files, IReadOnlyList<SourceCheck> sources, string commitSha, DateTimeOffset checkedAt)
    {
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var findings = new List<LicenceFinding>();
        var reuseMode = files.Any(f => f.Role is FileRole.ReuseText or FileRole.ReuseToml or FileRole.Dep5);
        // dep5 first, then REUSE.toml files from the root down: a later annotation takes precedence.
        var configs = files.Where(f => f.Reuse is not null)
            .OrderBy(f => f.Role == FileRole.Dep5 ? 0 : 1).ThenBy(f => f.Path.Count(c => c == '/')).ToList();

        var declared = files.Where(f => f.Role == FileRole.ResourceYml && f.Declared is not null)
            .Select(f => new DeclaredLicence(LicenceCatalogue.Canonical(f.Declared) ?? f.Declared!, f.Path, LicenceCatalogue.Canonical(f.Declared) is not null))
            .OrderBy(d => d.Path.Count(c => c == '/')).ThenBy(d => d.Path, StringComparer.Ordinal).ToList();
        var detected = files.Where(f => f.Match is not null && f.Role is FileRole.LicenceFile or FileRole.ReuseText or FileRole.Readme)
            .Select(f => new DetectedLicence(f.Match!.Id, f.Path, f.Match.Confidence, f.Match.Method))
            .OrderBy(d => d.Path.Count(c => c == '/')).ThenBy(d => d.Path, StringComparer.Ordinal).ToList();

        // Licences stated for a folder (and everything below it): its licence files and its resource.yml.
        var folderLicences = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var id = f.Role switch
            {
                FileRole.ResourceYml => f.Declared is { } d ? LicenceCatalogue.Canonical(d) ?? d : null,
                FileRole.LicenceFile => f.Match?.Id,
                FileRole.Readme => f.Match?.Id,
                _ => null,
            };
            if (id is null) continue;
            if (!folderLicences.TryGetValue(f.Folder, out var list)) folderLicences[f.Folder] = list = [];
            if (!list.Any(x => LicenceCatalogue.SameLicence(x, id))) list.Add(id);
        }
        var main = MainLicences(files).ToList();

        CheckStatements(files, declared, findings, reuseMode, main);

        // Every content file: its own licence (header or sidecar), the REUSE annotation covering it, or its folder's.
        var usedIds = new List<string>();
        var withoutLicence = new List<string>();
        var withoutCopyright = new List<string>();
        var restricted = new List<(string Path, string Id)>();
        var total = 0;
        var covered = 0;
        var mainOpen = main.Count > 0 && main.All(id => LicenceTraits.Of(id).IsOpen);
        foreach (var f in files.Where(f => f.Role is FileRole.Ordinary or FileRole.ResourceYml or FileRole.Readme).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            total++;
            var sidecar = byPath.GetValueOrDefault(f.Path + ".license");
            var own = f.Licences.Count > 0 ? f.Licences : sidecar?.Licences ?? [];
            var ownCopyright = f.Copyright || sidecar?.Copyright == true;
            ReuseAnnotation? annotation = null;
            foreach (var c in configs) annotation = c.Reuse!.For(f.Path) ?? annotation;
            var annotated = SpdxExpression.Ids(annotation?.LicenceExpression);
            IReadOnlyList<string> effective = annotation?.Precedence == ReusePrecedence.Override && annotated.Count > 0 ? annotated
                : own.Count > 0 ? (annotation?.Precedence == ReusePrecedence.Aggregate ? [.. own, .. annotated] : own)
                : annotated.Count > 0 ? annotated
                : Inherited(folderLicences, f.Folder);
            foreach (var id in own.Concat(annotated))
                if (!usedIds.Contains(id, StringComparer.OrdinalIgnoreCase)) usedIds.Add(id);
            if (effective.Count > 0) covered++;
            if (reuseMode)
            {
                if (own.Count == 0 && annotated.Count == 0) withoutLicence.Add(f.Path);
                else if (!ownCopyright && annotation?.HasCopyright != true) withoutCopyright.Add(f.Path);
            }
            else if (main.Count == 0 && effective.Count == 0) withoutLicence.Add(f.Path);
            if (mainOpen)
                foreach (var id in effective)
                    if (LicenceTraits.Of(id) is { IsAssessed: true, IsOpen: false }) restricted.Add((f.Path, id));
        }
        if (main.Count == 0 && reuseMode) main.AddRange(usedIds.Where(id => !main.Contains(id, StringComparer.OrdinalIgnoreCase)));

        var hasAnyStatement = main.Count > 0 || folderLicences.Count > 0 || covered > 0;
        if (main.Count == 0 && !reuseMode)
        {
            var rootLicenceFile = files.Any(f => f.Folder.Length == 0 && f.Role == FileRole.LicenceFile);
            findings.Add(new LicenceFinding("no-licence", FindingSeverity.Error, null,
                "Ce dépôt ne dit pas sous quelle licence il est publié. Sans licence, le droit d’auteur s’applique en entier : " +
                "personne, pas même un collègue, n’a le droit de copier, modifier ou redistribuer ce contenu. " +
                "Ajoutez un fichier LICENSE (par exemple CC-BY-SA-4.0 pour un cours, MIT pour du code) et indiquez la licence dans resource.yml.",
                rootLicenceFile ? null : new LicenceFix(DefaultLicence, "LICENSE")));
        }
        if (reuseMode || hasAnyStatement)
        {
            PerFile(findings, "file-without-licence", FindingSeverity.Warning, withoutLicence, p => reuseMode
                ? $"« {p} » n’a pas d’information de licence : ni en-tête SPDX-License-Identifier, ni fichier « {p}.license », ni entrée de REUSE.toml. " +
                  "Le dépôt suit la convention REUSE, où chaque fichier doit dire sa licence : ajoutez un en-tête (ou une entrée dans REUSE.toml)."
                : $"« {p} » n’a aucune information de licence, et le dépôt n’a pas de licence générale : personne ne peut le réutiliser. " +
                  "Ajoutez une licence au dépôt (fichier LICENSE) ou un en-tête SPDX-License-Identifier au fichier.");
            PerFile(findings, "file-without-copyright", FindingSeverity.Warning, withoutCopyright, p =>
                $"« {p} » indique sa licence mais pas ses auteurs. La convention REUSE demande aussi une ligne « SPDX-FileCopyrightText: année Nom » " +
                "(ou « Copyright année Nom ») : c’est ce qui permet de créditer les auteurs, comme l’exigent les licences CC BY.");
        }
        if (reuseMode) CheckReuseTexts(files, usedIds.Concat(declared.Select(d => d.Id)).ToList(), findings);
        foreach (var c in configs)
            foreach (var problem in c.Reuse!.Problems.Take(20))
                findings.Add(new LicenceFinding("reuse-config-invalid", FindingSeverity.Warning, c.Path,
                    $"{c.Path} : {problem} Les fichiers concernés peuvent apparaître sans licence ; corrigez le fichier (voir reuse.software)."));

        foreach (var id in main)
        {
            var t = LicenceTraits.Of(id);
            if (t.IsAssessed && !t.IsOpen)
                findings.Add(new LicenceFinding("non-open", FindingSeverity.Warning, null,
                    $"La licence {id} n’est pas une licence ouverte ({t.Summary}). Les collègues peuvent utiliser ce contenu en classe, " +
                    (t.NoDerivatives ? "mais pas l’adapter à leurs élèves ni le corriger. " : "mais pas dans tous les cadres (formation payante, édition). ") +
                    "Si vous êtes l’auteur de tout le contenu, préférez CC-BY-4.0 ou CC-BY-SA-4.0 ; sinon, vérifiez les conditions des ressources réutilisées."));
            else if (!t.IsAssessed && !t.IsOpen && !id.StartsWith("LicenseRef-", StringComparison.Ordinal))
                findings.Add(new LicenceFinding("licence-not-assessed", FindingSeverity.Info, null,
                    $"Forge ne sait pas dire si la licence {id} est ouverte : lisez ses conditions avant de réutiliser ce contenu."));
        }
        PerFile(findings, "restricted-file", FindingSeverity.Warning, restricted.Select(r => r.Path).ToList(), p =>
        {
            var id = restricted.First(r => r.Path == p).Id;
            return $"« {p} » est sous licence {id} ({LicenceTraits.Of(id).Summary}), plus restrictive que celle du dépôt ({string.Join(", ", main)}). " +
                   "Ce fichier ne peut pas être réutilisé aux mêmes conditions que le reste : signalez-le dans le README, ou remplacez-le par une ressource sous licence ouverte.";
        });

        foreach (var source in sources)
            CheckSource(source, main, source.Kind == SourceCheck.BasedOn ? "resource.yml" : null, findings);

        var status = findings.Any(f => f.Severity == FindingSeverity.Error) ? LicenceStatus.NotReusable
            : findings.Any(f => f.Severity == FindingSeverity.Warning) || main.Count == 0 ? LicenceStatus.ToCheck
            : LicenceStatus.Open;
        return new LicenceReport
        {
            CommitSha = commitSha,
            CheckedAt = checkedAt,
            Status = status,
            Declared = declared,
            Detected = detected,
            Findings = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal).ToList(),
            Files = new FileCoverage(total, covered, withoutLicence.Count, withoutCopyright.Count, reuseMode),
            Sources = sources,
            Licences = main,
        };
    }

    /// <summary>Declared against detected licences, licence files that are modified or unknown, ids SPDX does not know.</summary>
    private static void CheckStatements(IReadOnlyCollection<FileFacts> files, List<DeclaredLicence> declared, List<LicenceFinding> findings, bool reuseMode,
        List<string> main)
    {
        foreach (var d in declared)
        {
            var folder = d.Path.Contains('/') ? d.Path[..d.Path.LastIndexOf('/')] : "";
            var stated = files.Where(f => f.Folder == folder && f.Match is not null && f.Role is FileRole.LicenceFile or FileRole.Readme).ToList();
            if (stated.Count > 0 && !stated.Any(f => LicenceCatalogue.SameLicence(f.Match!.Id, d.Id)))
                foreach (var f in stated)
                    findings.Add(new LicenceFinding("declared-detected-mismatch", FindingSeverity.Warning, f.Path,
                        $"{d.Path} déclare la licence {d.Id}, mais « {f.Path} » {(f.Match!.Method == MatchMethod.Mention ? "mentionne" : "contient le texte de")} {f.Match.Id}. " +
                        "Deux licences contradictoires laissent les collègues dans le doute sur ce qu’ils ont le droit de faire. " +
                        $"Choisissez-en une : corrigez « licence » dans {d.Path}, ou remplacez « {f.Path} »."));
            var hasLicenceFile = files.Any(f => f.Folder == folder && f.Role == FileRole.LicenceFile);
            if (!hasLicenceFile && !reuseMode && d.Known)
                findings.Add(new LicenceFinding("licence-text-missing", FindingSeverity.Info, d.Path,
                    $"{d.Path} déclare la licence {d.Id}, mais le dépôt n’en contient pas le texte. Ajouter un fichier LICENSE avec ce texte " +
                    "permet à ceux qui téléchargent le dépôt (archive, clone) de connaître leurs droits sans passer par Forge.",
                    folder.Length == 0 && IsFixable(d.Id) ? new LicenceFix(d.Id, "LICENSE") : null));
            if (!d.Known && !d.Id.StartsWith("LicenseRef-", StringComparison.Ordinal))
                findings.Add(UnknownId(d.Id, d.Path));
        }
        foreach (var f in files.Where(f => f.Role is FileRole.LicenceFile or FileRole.ReuseText).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (f.Match is null)
                findings.Add(new LicenceFinding("unknown-licence-text", FindingSeverity.Warning, f.Path,
                    $"« {f.Path} » ne correspond à aucune licence connue. Une licence écrite soi-même est difficile à interpréter : " +
                    "remplacez ce texte par celui d’une licence standard (CC-BY-SA-4.0, CC-BY-4.0, Licence Ouverte, MIT…)."));
            else if (f.Match.Method == MatchMethod.ModifiedText)
                findings.Add(new LicenceFinding("modified-licence-text", FindingSeverity.Warning, f.Path,
                    $"« {f.Path} » ressemble à la licence {f.Match.Id} ({f.Match.Confidence.ToString("0.#", French)} % de similarité) mais son texte a été modifié. " +
                    $"Une licence modifiée n’est plus la licence {f.Match.Id} : personne ne sait exactement ce qu’elle permet. " +
                    $"Remettez le texte officiel de {f.Match.Id} (ajoutez vos conditions particulières dans le README, pas dans la licence)."));
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in files.Where(f => f.Licences.Count > 0).OrderBy(f => f.Path, StringComparer.Ordinal))
            foreach (var id in f.Licences)
                if (LicenceCatalogue.Canonical(id) is null && !id.StartsWith("LicenseRef-", StringComparison.Ordinal) && seen.Add(id))
                    findings.Add(UnknownId(id, f.Path));
    }

    private static LicenceFinding UnknownId(string id, string path) =>
        new("unknown-licence-id", FindingSeverity.Warning, path,
            $"« {id} » (dans {path}) n’est pas un identifiant SPDX. Forge ne peut pas savoir de quelle licence il s’agit : " +
            "utilisez l’identifiant exact de la liste SPDX (par exemple CC-BY-SA-4.0, CC-BY-NC-4.0, etalab-2.0, MIT).");

    /// <summary>REUSE: every licence used has its text in LICENSES/, and every text there is used.</summary>
    private static void CheckReuseTexts(IReadOnlyCollection<FileFacts> files, List<string> used, List<LicenceFinding> findings)
    {
        var texts = files.Where(f => f.Role == FileRole.ReuseText).ToList();
        string IdOf(FileFacts f) => f.Name.LastIndexOf('.') is var dot and > 0 ? f.Name[..dot] : f.Name;
        foreach (var id in used.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            if (!texts.Any(t => string.Equals(LicenceCatalogue.Canonical(IdOf(t)) ?? IdOf(t), id, StringComparison.OrdinalIgnoreCase)))
                findings.Add(new LicenceFinding("missing-licence-text", FindingSeverity.Warning, $"LICENSES/{id}.txt",
                    $"La licence {id} est utilisée dans le dépôt mais son texte n’est pas dans le dossier LICENSES/. " +
                    $"La convention REUSE demande le texte de chaque licence utilisée : ajoutez LICENSES/{id}.txt (commande « reuse download {id} »)."));
        foreach (var t in texts)
        {
            var id = LicenceCatalogue.Canonical(IdOf(t)) ?? IdOf(t);
            if (!used.Contains(id, StringComparer.OrdinalIgnoreCase))
                findings.Add(new LicenceFinding("unused-licence-text", FindingSeverity.Info, t.Path,
                    $"« {t.Path} » n’est utilisé par aucun fichier : supprimez-le, ou ajoutez l’en-tête SPDX-License-Identifier: {id} aux fichiers concernés."));
            if (t.Match is { } m && m.Method != MatchMethod.Mention && !LicenceCatalogue.SameLicence(m.Id, id))
                findings.Add(new LicenceFinding("declared-detected-mismatch", FindingSeverity.Warning, t.Path,
                    $"« {t.Path} » devrait contenir le texte de {id} mais contient celui de {m.Id} : remplacez-le par le bon texte."));
        }
    }

    private static void CheckSource(SourceCheck source, IReadOnlyList<string> main, string? path, List<LicenceFinding> findings)
    {
        var name = source.Reference;
        switch (source.State)
        {
            case SourceCheck.External:
                findings.Add(new LicenceFinding("source-external", FindingSeverity.Info, path,
                    $"Cette ressource adapte « {name} », hors de cette forge : Forge ne peut pas vérifier sa licence. " +
                    "Vérifiez qu’elle autorise les adaptations (pas de ND) et que votre licence respecte ses conditions (SA, NC)."));
                return;
            case SourceCheck.NotFound:
                findings.Add(new LicenceFinding("source-not-found", FindingSeverity.Warning, path,
                    $"La ressource source « {name} » est introuvable sur cette forge (ou n’est pas publique) : sa licence n’a pas pu être vérifiée. " +
                    "Corrigez « based_on » dans resource.yml (propriétaire/dépôt ou adresse web de la source)."));
                return;
        }
        if (source.Licences.Count == 0)
        {
            findings.Add(new LicenceFinding("source-without-licence", FindingSeverity.Error, path,
                $"La ressource source « {name} » n’a pas de licence : ses auteurs n’ont donné à personne le droit de l’adapter. " +
                "Demandez-leur d’ajouter une licence ouverte (ou leur accord écrit) avant de publier cette adaptation."));
            return;
        }
        foreach (var s in source.Licences)
            findings.AddRange(AdaptationRules.Check(s, main, name, path));
    }

    private static IReadOnlyList<string> Inherited(Dictionary<string, List<string>> folderLicences, string folder)
    {
        while (true)
        {
            if (folderLicences.TryGetValue(folder, out var ids)) return ids;
            if (folder.Length == 0) return [];
            var slash = folder.LastIndexOf('/');
            folder = slash < 0 ? "" : folder[..slash];
        }
    }

    private static void PerFile(List<LicenceFinding> findings, string code, FindingSeverity severity, List<string> paths, Func<string, string> message)
    {
        foreach (var p in paths.Take(MaxFilesPerCode)) findings.Add(new LicenceFinding(code, severity, p, message(p)));
        if (paths.Count > MaxFilesPerCode)
            findings.Add(new LicenceFinding(code, severity, null,
                $"… et {paths.Count - MaxFilesPerCode} autres fichiers dans le même cas ({paths.Count} en tout)."));
    }
}
