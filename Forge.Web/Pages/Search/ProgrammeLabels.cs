using Forge.Core.Programmes;

namespace Forge.Web.Pages.Search;

/// <summary>
/// Labels and order of the <c>programme</c> facet's values, from the shipped programme catalogue. The engine counts a
/// programme level (<c>nsi-1re</c>), a theme (<c>nsi-1re.algorithmique</c>) and an item
/// (<c>nsi-1re.algorithmique.tris</c>) alike; the panel offers the first two and shows items when they are chosen.
/// </summary>
public static class ProgrammeLabels
{
    private static readonly ProgrammeCatalogue Catalogue = ProgrammeCatalogue.Default;

    /// <summary>Level prefix of the ids (<c>nsi-1re</c>) → its programme.</summary>
    private static readonly IReadOnlyDictionary<string, Programme> ByPrefix = Catalogue.Programmes
        .Where(p => p.Items.Any())
        .ToDictionary(p => p.Items.First().Id.Split('.')[0], StringComparer.Ordinal);

    /// <summary>Every id in catalogue order: a programme, its themes and items in the order of the Bulletin officiel.</summary>
    private static readonly IReadOnlyDictionary<string, int> Order = ByPrefix
        .SelectMany(p => new[] { p.Key }.Concat(p.Value.Themes.SelectMany(t => new[] { t.Id }.Concat(t.Items.Select(i => i.Id)))))
        .Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> LevelWords = new Dictionary<string, string>
    {
        ["2nde"] = "seconde", ["1re"] = "première", ["tle"] = "terminale",
    };

    /// <summary>« NSI première ».</summary>
    private static string ShortName(string prefix, Programme programme) =>
        $"{prefix.Split('-')[0].ToUpperInvariant()} {LevelWords.GetValueOrDefault(programme.Level, programme.Level)}";

    /// <summary>« NSI première », « NSI première · Algorithmique », « Tris par insertion, par sélection »; the id when unknown.</summary>
    public static string Label(string id)
    {
        var prefix = id.Split('.')[0];
        if (!ByPrefix.TryGetValue(prefix, out var programme)) return id;
        if (id == prefix) return ShortName(prefix, programme);
        if (Catalogue.Theme(id) is { } theme) return $"{ShortName(prefix, programme)} · {theme.Title}";
        return Catalogue.Item(id)?.Content ?? id;
    }

    public static int Position(string id) => Order.GetValueOrDefault(id, int.MaxValue);

    /// <summary>Programme levels and themes are offered in the panel; items only once chosen (from a coverage page, say).</summary>
    public static bool Offered(string id) => id.Count(c => c == '.') <= 1;
}
