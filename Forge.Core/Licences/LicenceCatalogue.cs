using System.Collections.Frozen;
using System.Text.Json;

namespace Forge.Core.Licences;

/// <summary>A licence Forge knows by SPDX id: its name, whether OSI approved it, and its full text when vendored.</summary>
public sealed record KnownLicence(string Id, string Name, bool OsiApproved, string? Text);

/// <summary>
/// The SPDX licence list (every id, name and OSI flag) and the full texts Forge compares licence files with, all from
/// the npm package <c>spdx-license-list</c> (CC0-1.0) embedded in this assembly. Read once, immutable.
/// </summary>
public static class LicenceCatalogue
{
    /// <summary>Version of the vendored <c>spdx-license-list</c> package.</summary>
    public const string SourceVersion = "spdx-license-list 6.12.0";

    private static readonly Lazy<Data> Loaded = new(Load);

    /// <summary>Deprecated SPDX ids still seen in the wild, mapped to the id SPDX now uses.</summary>
    private static readonly FrozenDictionary<string, string> Deprecated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["GPL-2.0"] = "GPL-2.0-only", ["GPL-2.0+"] = "GPL-2.0-or-later", ["GPL-3.0"] = "GPL-3.0-only", ["GPL-3.0+"] = "GPL-3.0-or-later",
        ["LGPL-2.1"] = "LGPL-2.1-only", ["LGPL-2.1+"] = "LGPL-2.1-or-later", ["LGPL-3.0"] = "LGPL-3.0-only", ["LGPL-3.0+"] = "LGPL-3.0-or-later",
        ["AGPL-3.0"] = "AGPL-3.0-only", ["AGPL-3.0+"] = "AGPL-3.0-or-later", ["GFDL-1.3"] = "GFDL-1.3-only",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical SPDX id for <paramref name="id"/> (any case, deprecated forms mapped), or null when SPDX has no such id.</summary>
    public static string? Canonical(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        id = id.Trim();
        if (Deprecated.TryGetValue(id, out var current)) return current;
        return Loaded.Value.ById.TryGetValue(id, out var known) ? known.Id : null;
    }

    public static KnownLicence? Find(string? id) => Canonical(id) is { } c ? Loaded.Value.ById[c] : null;

    /// <summary>Licences whose full text is vendored, in preference order (the first of identical texts comes first).</summary>
    public static IReadOnlyList<KnownLicence> WithText => Loaded.Value.WithText;

    /// <summary>How many SPDX ids are known.</summary>
    public static int Count => Loaded.Value.ById.Count;

    /// <summary>
    /// True when two ids name the same licence for Forge's purposes: the same id, or ids whose vendored texts are
    /// identical (<c>GPL-3.0-only</c> and <c>GPL-3.0-or-later</c> share one text; a licence file cannot tell them apart).
    /// </summary>
    public static bool SameLicence(string a, string b)
    {
        var ca = Canonical(a) ?? a;
        var cb = Canonical(b) ?? b;
        if (string.Equals(ca, cb, StringComparison.OrdinalIgnoreCase)) return true;
        var texts = Loaded.Value.TextGroup;
        return texts.TryGetValue(ca, out var ga) && texts.TryGetValue(cb, out var gb) && ga == gb;
    }

    /// <summary>The vendored text of a licence, or null.</summary>
    public static string? TextOf(string id) => Find(id)?.Text;

    /// <summary>
    /// The licence's text ready to commit as a LICENSE file: the placeholders of its copyright line (<c>&lt;year&gt;</c>,
    /// <c>&lt;copyright holders&gt;</c>, <c>&lt;owner&gt;</c> — MIT, BSD, ISC…) filled with <paramref name="year"/> and
    /// <paramref name="holder"/>. Null for an unknown licence, or when a placeholder is left elsewhere in the text
    /// (an appendix to adapt, as in Apache or GPL texts): such a file must be written by hand.
    /// </summary>
    public static string? CommittableText(string id, int year, string holder)
    {
        if (TextOf(id) is not { } text) return null;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].TrimStart().StartsWith("Copyright", StringComparison.OrdinalIgnoreCase))
                lines[i] = lines[i].Replace("<year>", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("<copyright holders>", holder, StringComparison.Ordinal).Replace("<owner>", holder, StringComparison.Ordinal);
        var filled = string.Join('\n', lines);
        foreach (var placeholder in Placeholders)
            if (filled.Contains(placeholder, StringComparison.Ordinal)) return null;
        return filled.EndsWith('\n') ? filled : filled + "\n";
    }

    private static readonly string[] Placeholders = ["<year>", "<copyright holders>", "<owner>", "[yyyy]", "<YEAR>", "[name of copyright owner]", "<name of author>"];

    private sealed record Data(FrozenDictionary<string, KnownLicence> ById, IReadOnlyList<KnownLicence> WithText, FrozenDictionary<string, int> TextGroup);

    private sealed record Entry(string? name, bool osiApproved, string? licenseText);

    private static Data Load()
    {
        var assembly = typeof(LicenceCatalogue).Assembly;
        Dictionary<string, Entry> Read(string name)
        {
            using var stream = assembly.GetManifestResourceStream("Forge.Core.Licences." + name)
                ?? throw new InvalidOperationException($"embedded resource {name} is missing");
            return JsonSerializer.Deserialize<Dictionary<string, Entry>>(stream) ?? [];
        }
        var list = Read("spdx.json");
        var texts = Read("spdx-texts.json");
        var byId = new Dictionary<string, KnownLicence>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, e) in list) byId[id] = new KnownLicence(id, e.name ?? id, e.osiApproved, null);
        var withText = new List<KnownLicence>();
        var groups = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var firstOfText = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, e) in texts)
        {
            if (string.IsNullOrEmpty(e.licenseText)) continue;
            var known = new KnownLicence(id, e.name ?? id, e.osiApproved, e.licenseText);
            byId[id] = known;
            var key = LicenceText.Normalise(e.licenseText).Text;
            if (!firstOfText.TryGetValue(key, out var group))
            {
                group = firstOfText[key] = firstOfText.Count;
                withText.Add(known);
            }
            groups[id] = group;
        }
        return new Data(byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), withText, groups.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }
}
