namespace Forge.Core.Licences;

/// <summary>
/// What the licence of a source allows an adaptation to be licensed under: ND forbids adapting, SA (and ODbL) keeps
/// the same licence or one its authors declared compatible, NC stays NC, GNU GPL code stays under a GPL-compatible
/// copyleft. The source may be a <c>based_on</c> resource or (later) a fork's parent: only its licences matter here.
/// </summary>
public static class AdaptationRules
{
    /// <summary>Licences an adaptation of a ShareAlike or copyleft source may use (besides the source's own licence).</summary>
    private static readonly Dictionary<string, string[]> Compatible = new(StringComparer.OrdinalIgnoreCase)
    {
        // Creative Commons: a later version of the same licence; BY-SA 4.0 to GPLv3 (declared compatible by Creative Commons in 2015).
        ["CC-BY-SA-1.0"] = ["CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0"],
        ["CC-BY-SA-2.0"] = ["CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0"],
        ["CC-BY-SA-2.0-FR"] = ["CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0"],
        ["CC-BY-SA-2.5"] = ["CC-BY-SA-3.0", "CC-BY-SA-4.0"],
        ["CC-BY-SA-3.0"] = ["CC-BY-SA-4.0"],
        ["CC-BY-SA-4.0"] = ["GPL-3.0-only", "GPL-3.0-or-later"],
        ["CC-BY-NC-SA-2.0"] = ["CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"],
        ["CC-BY-NC-SA-2.0-FR"] = ["CC-BY-NC-SA-2.0", "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"],
        ["CC-BY-NC-SA-2.5"] = ["CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"],
        ["CC-BY-NC-SA-3.0"] = ["CC-BY-NC-SA-4.0"],
        ["GFDL-1.3-only"] = [],
        ["GFDL-1.3-or-later"] = ["GFDL-1.3-only"],
        // GNU: « or later » lets the adaptation move to a later version; AGPLv3 and GPLv3 may be combined.
        ["GPL-2.0-only"] = [],
        ["GPL-2.0-or-later"] = ["GPL-2.0-only", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"],
        ["GPL-3.0-only"] = ["GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"],
        ["GPL-3.0-or-later"] = ["GPL-3.0-only", "AGPL-3.0-only", "AGPL-3.0-or-later"],
        ["AGPL-3.0-only"] = ["AGPL-3.0-or-later"],
        ["AGPL-3.0-or-later"] = ["AGPL-3.0-only"],
        // CeCILL 2.x (article 5.3.4) and the EUPL 1.2 (its appendix) let adaptations move to the GNU licences.
        ["CECILL-2.0"] = ["CECILL-2.1", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later"],
        ["CECILL-2.1"] = ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later", "EUPL-1.2"],
        ["EUPL-1.1"] = ["EUPL-1.2", "GPL-2.0-only", "GPL-2.0-or-later", "CECILL-2.0", "CECILL-2.1"],
        ["EUPL-1.2"] = ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
            "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "MPL-2.0", "CECILL-2.0", "CECILL-2.1", "EPL-1.0"],
        ["ODbL-1.0"] = [],
    };

    /// <summary>
    /// The findings for an adaptation licensed under <paramref name="adaptation"/> of a source licensed under
    /// <paramref name="sourceLicence"/>; <paramref name="source"/> names the source for the messages.
    /// </summary>
    public static IEnumerable<LicenceFinding> Check(string sourceLicence, IReadOnlyList<string> adaptation, string source, string? path)
    {
        var s = LicenceTraits.Of(sourceLicence);
        var id = s.Id;
        if (s.NoDerivatives)
        {
            yield return new LicenceFinding("nd-adaptation", FindingSeverity.Error, path,
                $"La ressource source « {source} » est sous licence {id}, qui interdit les modifications (ND, « pas de modification ») : " +
                "une adaptation ne peut pas être publiée sans l’accord écrit de ses auteurs. Demandez-leur l’autorisation, " +
                "ou partez d’une ressource sous licence ouverte (CC BY, CC BY-SA, Licence Ouverte), ou retirez « based_on » si ce n’est pas une adaptation.");
            yield break;
        }
        if (adaptation.Count == 0) yield break;
        if (s.NonCommercial)
        {
            foreach (var a in adaptation.Where(a => !LicenceTraits.Of(a).NonCommercial))
                yield return new LicenceFinding("nc-dropped", FindingSeverity.Error, path,
                    $"La ressource source « {source} » est sous licence {id} (NC, « pas d’utilisation commerciale ») mais cette adaptation est sous {a}, " +
                    "qui permet l’utilisation commerciale : elle donnerait un droit que les auteurs de la source n’ont pas donné. " +
                    $"Publiez l’adaptation sous une licence NC (par exemple {(s.ShareAlike ? id : "CC-BY-NC-SA-4.0")}).");
        }
        if (s.ShareAlike || s.Copyleft == Copyleft.Strong)
        {
            var allowed = Compatible.TryGetValue(id, out var list) ? list : [];
            foreach (var a in adaptation.Where(a => !LicenceCatalogue.SameLicence(a, id) && !allowed.Contains(LicenceCatalogue.Canonical(a) ?? a, StringComparer.OrdinalIgnoreCase)))
            {
                if (s.NonCommercial && !LicenceTraits.Of(a).NonCommercial) continue; // already reported as nc-dropped
                if (LicenceTraits.IsGpl(id))
                    yield return new LicenceFinding("gpl-not-preserved", FindingSeverity.Error, path,
                        $"Le code source de « {source} » est sous {id} : tout code qui en dérive doit rester sous la GPL (ou une licence qu’elle accepte), " +
                        $"pour que chacun garde le droit de l’étudier et de le modifier. Cette adaptation est sous {a}. " +
                        $"Publiez-la sous {id}{(allowed.Length > 0 ? " ou " + string.Join(", ", allowed) : "")}.");
                else if (s.ShareAlike)
                    yield return new LicenceFinding("sa-not-preserved", FindingSeverity.Error, path,
                        $"La ressource source « {source} » est sous licence {id} (SA, « partage dans les mêmes conditions ») : " +
                        $"ses adaptations doivent être publiées sous la même licence ou une licence compatible. Cette adaptation est sous {a}. " +
                        $"Publiez-la sous {id}{(allowed.Length > 0 ? " (ou " + string.Join(", ", allowed) + ")" : "")}.");
                else
                    yield return new LicenceFinding("copyleft-not-preserved", FindingSeverity.Error, path,
                        $"Le code source de « {source} » est sous {id}, une licence copyleft : ses adaptations doivent rester sous {id} " +
                        $"ou une licence qu’elle déclare compatible{(allowed.Length > 0 ? " (" + string.Join(", ", allowed) + ")" : "")}. Cette adaptation est sous {a}.");
            }
        }
    }
}
