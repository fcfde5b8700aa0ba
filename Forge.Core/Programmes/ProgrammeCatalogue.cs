using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Forge.Core.Programmes;

/// <summary>One official programme (e.g. NSI première), as published in the Bulletin officiel.</summary>
public sealed record Programme(string Id, string Title, string Level, string Source, string SourceUrl, int Version,
    string? ExamSource, string? ExamSourceUrl, IReadOnlyList<ProgrammeTheme> Themes)
{
    public IEnumerable<ProgrammeItem> Items => Themes.SelectMany(t => t.Items);
}

/// <summary>A rubric (NSI) or theme (SNT) of a programme, in BO order.</summary>
public sealed record ProgrammeTheme(string Id, string Title, IReadOnlyList<ProgrammeItem> Items);

/// <summary>
/// One row of a BO table: its contents and expected capacities. <see cref="Exam"/> is set on terminale items only
/// (evaluated at the final exam); <see cref="Uncertain"/> items carry a <see cref="Note"/> saying what is in doubt.
/// </summary>
public sealed record ProgrammeItem(string Id, string ProgrammeId, string ThemeId, string Content, IReadOnlyList<string> Capacities,
    bool? Exam, bool Uncertain, string? Note);

/// <summary>
/// The official programmes Forge ships (<c>Programmes/data/*.yml</c>, compiled from the Bulletin officiel; sources in
/// <c>Programmes/data/README.md</c>). Loaded once from embedded resources; the field rules of that README are checked
/// at load, so a broken data file fails loudly at start-up rather than mislabelling resources.
/// </summary>
public sealed partial class ProgrammeCatalogue
{
    private const string ResourcePrefix = "Forge.Core.Programmes.data.";

    private static readonly Lazy<ProgrammeCatalogue> Shipped = new(() => Load(ReadEmbedded()));

    /// <summary>The programmes shipped with Forge.</summary>
    public static ProgrammeCatalogue Default => Shipped.Value;

    private readonly Dictionary<string, Programme> _programmes;
    private readonly Dictionary<string, ProgrammeTheme> _themes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProgrammeItem> _items = new(StringComparer.Ordinal);

    private ProgrammeCatalogue(IReadOnlyList<Programme> programmes)
    {
        Programmes = programmes;
        _programmes = programmes.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var programme in programmes)
        foreach (var theme in programme.Themes)
        {
            if (!_themes.TryAdd(theme.Id, theme)) throw Invalid(programme.Id, $"theme id {theme.Id} is not unique");
            foreach (var item in theme.Items)
                if (!_items.TryAdd(item.Id, item)) throw Invalid(programme.Id, $"item id {item.Id} is not unique");
        }
        if (_programmes.Keys.Any(_themes.ContainsKey) || _programmes.Keys.Any(_items.ContainsKey) || _themes.Keys.Any(_items.ContainsKey))
            throw new InvalidDataException("Programme catalogue: an id is used for two different things.");
    }

    /// <summary>Programmes in a stable order: by level (2nde, 1re, tle), then id.</summary>
    public IReadOnlyList<Programme> Programmes { get; }

    public IEnumerable<ProgrammeItem> Items => Programmes.SelectMany(p => p.Items);

    public Programme? Programme(string id) => _programmes.GetValueOrDefault(id);

    public ProgrammeTheme? Theme(string id) => _themes.GetValueOrDefault(id);

    public ProgrammeItem? Item(string id) => _items.GetValueOrDefault(id);

    /// <summary>The programme an item belongs to.</summary>
    public Programme ProgrammeOf(ProgrammeItem item) => _programmes[item.ProgrammeId];

    /// <summary>
    /// Finds an item by id, or else by its exact contents text (case, accents, apostrophes ’/' and spacing ignored), as
    /// long as that text names a single item. Null when nothing matches.
    /// </summary>
    public ProgrammeItem? Find(string idOrContent)
    {
        var trimmed = idOrContent.Trim();
        if (_items.TryGetValue(trimmed.ToLowerInvariant(), out var byId)) return byId;
        var key = NormaliseText(trimmed);
        if (key.Length == 0) return null;
        var matches = _items.Values.Where(i => NormaliseText(i.Content) == key || NormaliseText(i.Content).TrimEnd('.') == key.TrimEnd('.')).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The existing item ids closest to <paramref name="unknown"/> (by edit distance), best first.</summary>
    public IReadOnlyList<string> Closest(string unknown, int count = 3)
    {
        var probe = unknown.Trim().ToLowerInvariant();
        if (probe.Length > 200) probe = probe[..200];
        return _items.Keys
            .Select(id => (Id: id, Score: Distance(probe, id) - (id.Contains(probe, StringComparison.Ordinal) && probe.Length >= 3 ? 100 : 0)))
            .OrderBy(x => x.Score).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(count).Select(x => x.Id).ToList();
    }

    /// <summary>
    /// Text for matching: lower case, accents removed, typographic apostrophe ’ and the straight one ' unified,
    /// runs of spaces collapsed.
    /// </summary>
    public static string NormaliseText(string text) => Forge.Core.Text.TextFolding.Fold(text);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    // ---- loading and the README's field rules ----

    private static readonly string[] TopKeys = ["programme", "title", "level", "source", "source_url", "version", "themes"];
    private static readonly string[] ExamKeys = ["exam_source", "exam_source_url"];
    private static readonly Dictionary<string, string> LevelPrefixes = new() { ["2nde"] = "snt-2nde", ["1re"] = "nsi-1re", ["tle"] = "nsi-tle" };
    private static readonly string[] LevelOrder = ["2nde", "1re", "tle"];

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    private static IEnumerable<(string Name, string Text)> ReadEmbedded()
    {
        var assembly = typeof(ProgrammeCatalogue).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            yield return (name[ResourcePrefix.Length..^".yml".Length], reader.ReadToEnd());
        }
    }

    /// <summary>Loads programmes from YAML texts (file name without <c>.yml</c>, contents), checking every field rule.</summary>
    public static ProgrammeCatalogue Load(IEnumerable<(string Name, string Text)> files)
    {
        var programmes = files.Select(f => ParseProgramme(f.Name, f.Text)).ToList();
        if (programmes.Count == 0) throw new InvalidDataException("Programme catalogue: no programme file found.");
        return new ProgrammeCatalogue(programmes.OrderBy(p => Array.IndexOf(LevelOrder, p.Level)).ThenBy(p => p.Id, StringComparer.Ordinal).ToList());
    }

    private static Programme ParseProgramme(string fileName, string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root) throw Invalid(fileName, "not one YAML mapping");
        var id = Scalar(root, "programme", fileName);
        if (id != fileName) throw Invalid(fileName, $"programme id {id} differs from the file name");
        var level = Scalar(root, "level", fileName);
        if (!LevelPrefixes.TryGetValue(level, out var prefix)) throw Invalid(fileName, $"unknown level {level}");
        var isTerminale = level == "tle";
        CheckKeys(root, isTerminale ? [.. TopKeys, .. ExamKeys] : TopKeys, isTerminale ? [.. TopKeys, .. ExamKeys] : TopKeys, fileName);
        if (!int.TryParse(Scalar(root, "version", fileName), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw Invalid(fileName, "version is not a year");
        var sourceUrl = Scalar(root, "source_url", fileName);
        if (!sourceUrl.StartsWith("https://", StringComparison.Ordinal)) throw Invalid(fileName, "source_url is not an https URL");

        if (root.Children[new YamlScalarNode("themes")] is not YamlSequenceNode themeNodes || themeNodes.Children.Count == 0)
            throw Invalid(fileName, "themes is not a non-empty list");
        var themes = new List<ProgrammeTheme>();
        foreach (var node in themeNodes)
        {
            if (node is not YamlMappingNode themeNode) throw Invalid(fileName, "a theme is not a mapping");
            CheckKeys(themeNode, ["id", "title", "items"], ["id", "title", "items"], fileName);
            var themeId = CheckId(Scalar(themeNode, "id", fileName), fileName);
            if (!themeId.StartsWith(prefix + ".", StringComparison.Ordinal)) throw Invalid(fileName, $"theme {themeId} does not start with {prefix}");
            if (themeNode.Children[new YamlScalarNode("items")] is not YamlSequenceNode itemNodes || itemNodes.Children.Count == 0)
                throw Invalid(fileName, $"theme {themeId} has no items");
            var items = new List<ProgrammeItem>();
            foreach (var itemNode in itemNodes)
            {
                if (itemNode is not YamlMappingNode item) throw Invalid(fileName, $"an item of {themeId} is not a mapping");
                string[] required = isTerminale ? ["id", "content", "capacities", "exam"] : ["id", "content", "capacities"];
                CheckKeys(item, required, [.. required, "uncertain", "note"], fileName);
                var itemId = CheckId(Scalar(item, "id", fileName), fileName);
                if (!itemId.StartsWith(themeId + ".", StringComparison.Ordinal)) throw Invalid(fileName, $"item {itemId} does not start with its theme id");
                if (item.Children[new YamlScalarNode("capacities")] is not YamlSequenceNode caps || caps.Children.Count == 0
                    || caps.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
                    throw Invalid(fileName, $"item {itemId} has no capacities or a capacity that is not text");
                bool? exam = isTerminale ? Bool(Scalar(item, "exam", fileName), itemId, fileName) : null;
                var uncertain = item.Children.ContainsKey(new YamlScalarNode("uncertain"));
                if (uncertain && Bool(Scalar(item, "uncertain", fileName), itemId, fileName) != true) throw Invalid(fileName, $"item {itemId}: uncertain must be true when present");
                var note = item.Children.ContainsKey(new YamlScalarNode("note")) ? Scalar(item, "note", fileName) : null;
                if (uncertain && note is null) throw Invalid(fileName, $"item {itemId} is uncertain without a note");
                items.Add(new ProgrammeItem(itemId, id, themeId, Scalar(item, "content", fileName),
                    caps.Children.Cast<YamlScalarNode>().Select(c => c.Value!).ToList(), exam, uncertain, note));
            }
            themes.Add(new ProgrammeTheme(themeId, Scalar(themeNode, "title", fileName), items));
        }
        return new Programme(id, Scalar(root, "title", fileName), level, Scalar(root, "source", fileName), sourceUrl, version,
            isTerminale ? Scalar(root, "exam_source", fileName) : null, isTerminale ? Scalar(root, "exam_source_url", fileName) : null, themes);
    }

    private static void CheckKeys(YamlMappingNode node, string[] required, string[] allowed, string file)
    {
        var keys = node.Children.Keys.Select(k => (k as YamlScalarNode)?.Value ?? "").ToList();
        if (keys.FirstOrDefault(k => !allowed.Contains(k)) is { } extra) throw Invalid(file, $"unexpected key {extra}");
        if (required.FirstOrDefault(r => !keys.Contains(r)) is { } missing) throw Invalid(file, $"missing key {missing}");
    }

    private static string Scalar(YamlMappingNode node, string key, string file) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text }
            ? text
            : throw Invalid(file, $"{key} is missing or not text");

    private static bool Bool(string value, string itemId, string file) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw Invalid(file, $"item {itemId}: {value} is not a boolean"),
    };

    private static string CheckId(string id, string file) =>
        IdPattern().IsMatch(id) ? id : throw Invalid(file, $"id {id} does not match the id pattern");

    private static InvalidDataException Invalid(string file, string what) => new($"Programme file {file}.yml: {what}.");
}
