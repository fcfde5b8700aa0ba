namespace Forge.Core.Licences;

/// <summary>What kind of copyleft a licence imposes on adaptations.</summary>
public enum Copyleft { None, Weak, Strong }

/// <summary>
/// What a licence allows, as far as reuse in a commons goes. Known for the licences teachers meet; any other SPDX id
/// is judged by its OSI approval only.
/// </summary>
public sealed record LicenceTraits(string Id, bool IsOpen, bool NonCommercial, bool NoDerivatives, bool ShareAlike, Copyleft Copyleft,
    bool IsAssessed)
{
    /// <summary>A short French label: « ouverte », « pas d’utilisation commerciale », ….</summary>
    public string Summary => !IsAssessed ? "non évaluée par Forge"
        : NoDerivatives && NonCommercial ? "pas d’utilisation commerciale, pas de modification"
        : NoDerivatives ? "pas de modification"
        : NonCommercial && ShareAlike ? "pas d’utilisation commerciale, partage dans les mêmes conditions"
        : NonCommercial ? "pas d’utilisation commerciale"
        : ShareAlike || Copyleft == Copyleft.Strong ? "ouverte, partage dans les mêmes conditions"
        : Copyleft == Copyleft.Weak ? "ouverte, copyleft faible"
        : "ouverte";

    private static readonly Dictionary<string, LicenceTraits> Table = Build();

    /// <summary>The traits of a licence id (canonical or not), or of an unknown id (not open, not assessed).</summary>
    public static LicenceTraits Of(string id)
    {
        var canonical = LicenceCatalogue.Canonical(id) ?? id;
        if (Table.TryGetValue(canonical, out var t)) return t;
        var known = LicenceCatalogue.Find(canonical);
        return new LicenceTraits(canonical, known?.OsiApproved ?? false, false, false, false, Copyleft.None, IsAssessed: false);
    }

    private static Dictionary<string, LicenceTraits> Build()
    {
        var t = new Dictionary<string, LicenceTraits>(StringComparer.OrdinalIgnoreCase);
        void Add(string id, bool open = true, bool nc = false, bool nd = false, bool sa = false, Copyleft copyleft = Copyleft.None) =>
            t[id] = new LicenceTraits(id, open, nc, nd, sa, copyleft, true);
        foreach (var v in new[] { "1.0", "2.0", "2.5", "3.0", "4.0" })
        {
            Add($"CC-BY-{v}");
            Add($"CC-BY-SA-{v}", sa: true);
            Add($"CC-BY-NC-{v}", open: false, nc: true);
            Add($"CC-BY-NC-SA-{v}", open: false, nc: true, sa: true);
            Add($"CC-BY-ND-{v}", open: false, nd: true);
            Add($"CC-BY-NC-ND-{v}", open: false, nc: true, nd: true);
        }
        foreach (var id in new[] { "CC-BY-2.0-FR" }) Add(id);
        foreach (var id in new[] { "CC-BY-NC-SA-2.0-FR" }) Add(id, open: false, nc: true, sa: true);
        foreach (var id in new[] { "CC-BY-NC-ND-2.0-FR" }) Add(id, open: false, nc: true, nd: true);
        foreach (var id in new[] { "CC-BY-SA-2.0-FR" }) Add(id, sa: true);
        foreach (var id in new[] { "CC0-1.0", "Unlicense", "PDDL-1.0", "0BSD", "MIT-0", "WTFPL" }) Add(id);
        foreach (var id in new[] { "etalab-2.0", "ODC-By-1.0", "MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "Zlib", "BSL-1.0",
                     "Artistic-2.0", "CECILL-B", "OFL-1.1", "LPPL-1.3c", "Python-2.0", "PSF-2.0" })
            Add(id);
        Add("ODbL-1.0", sa: true);
        foreach (var id in new[] { "GFDL-1.3-only", "GFDL-1.3-or-later" }) Add(id, sa: true, copyleft: Copyleft.Strong);
        foreach (var id in new[] { "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "MPL-2.0", "CECILL-C", "EPL-2.0" })
            Add(id, copyleft: Copyleft.Weak);
        foreach (var id in new[] { "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
                     "CECILL-2.1", "CECILL-2.0", "EUPL-1.1", "EUPL-1.2" })
            Add(id, copyleft: Copyleft.Strong);
        return t;
    }

    /// <summary>Is <paramref name="id"/> a GNU GPL (or AGPL) of any version?</summary>
    public static bool IsGpl(string id) => id.StartsWith("GPL-", StringComparison.OrdinalIgnoreCase) || id.StartsWith("AGPL-", StringComparison.OrdinalIgnoreCase);
}
