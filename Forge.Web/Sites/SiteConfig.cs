using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forge.Web.Sites;

/// <summary>An entry of the site's navigation: a page (a path under <c>docs_dir</c>), an external link, or a section.</summary>
public sealed record NavItem(string? Title, string? Page, string? Url, IReadOnlyList<NavItem> Children, int Line = 0)
{
    public bool IsSection => Page is null && Url is null;
}

/// <summary>A problem of the site's sources, where it is (file, line) and what to do, in French.</summary>
public sealed record SiteProblem(string File, long? Line, string Message)
{
    public override string ToString() => Line is { } l ? $"{File}, ligne {l} : {Message}" : $"{File} : {Message}";
}

/// <summary>What a repository says about its course site: from <c>mkdocs.yml</c>, a <c>site:</c> section of <c>resource.yml</c>, or a <c>docs/</c> folder.</summary>
public sealed record SiteConfig
{
    public required string Source { get; init; }
    public string? SiteName { get; init; }
    public string DocsDir { get; init; } = "docs";
    public IReadOnlyList<NavItem>? Nav { get; init; }
    public IReadOnlyList<string> ExcludeDocs { get; init; } = [];
    public string? Palette { get; init; }
    /// <summary><c>extra:</c> values by dotted name (<c>extra.auteur</c> is <c>auteur</c>), for <c>{{ … }}</c> macros.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public const int MaxBytes = 256 * 1024;
    public const int MaxNavItems = 2_000;

    /// <summary>Reads <c>mkdocs.yml</c>; a YAML error or a bad value is a problem with its line, and no configuration.</summary>
    public static SiteConfig? ParseMkDocs(string yaml, string file, List<SiteProblem> problems)
    {
        if (Load(yaml, file, problems) is not { } root) return null;
        if (root is not YamlMappingNode map)
        {
            problems.Add(new(file, root.Start.Line, "le fichier doit être une liste de réglages « clé: valeur » (site_name, nav, docs_dir…)."));
            return null;
        }
        var docsDir = Scalar(map, "docs_dir")?.Trim().Trim('/') ?? "docs";
        if (docsDir.Length == 0 || docsDir == "." ) docsDir = "";
        if (docsDir.Length > 0 && !Forge.Git.GitReader.IsSafePath(docsDir))
        {
            problems.Add(new(file, Node(map, "docs_dir")?.Start.Line, $"« docs_dir: {docsDir} » n’est pas un dossier du dépôt (pas de « .. », pas de chemin absolu)."));
            return null;
        }
        var nav = Node(map, "nav") is { } navNode ? ParseNav(navNode, file, problems) : null;
        var exclude = Node(map, "exclude_docs") switch
        {
            YamlScalarNode s => (s.Value ?? "").Split('\n').ToList(),
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList(),
            _ => [],
        };
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Node(map, "extra") is YamlMappingNode extraNode) Flatten(extraNode, "", extra);
        return new SiteConfig
        {
            Source = file, SiteName = Scalar(map, "site_name"), DocsDir = docsDir, Nav = nav, ExcludeDocs = exclude,
            Palette = PrimaryColour(Node(map, "theme")), Extra = extra,
        };
    }

    /// <summary>The <c>site:</c> section of <c>resource.yml</c> (<c>site: true</c>, or <c>name</c>, <c>docs_dir</c>, <c>nav</c>, <c>palette</c>); null without one.</summary>
    public static SiteConfig? ParseResourceSection(string yaml, List<SiteProblem> problems)
    {
        const string file = "resource.yml";
        var ignored = new List<SiteProblem>();
        // resource.yml's own errors are its page's business (Décrire cette ressource): here only its site section counts.
        if (Load(yaml, file, ignored) is not YamlMappingNode map || Node(map, "site") is not { } site) return null;
        if (site is YamlScalarNode flag)
            return flag.Value is "true" or "oui" or "yes" ? new SiteConfig { Source = file, DocsDir = "" } : null;
        if (site is not YamlMappingNode section)
        {
            problems.Add(new(file, site.Start.Line, "« site: » attend « true » ou des réglages (name, docs_dir, nav, palette)."));
            return null;
        }
        var docsDir = Scalar(section, "docs_dir")?.Trim().Trim('/') ?? "";
        if (docsDir == ".") docsDir = "";
        if (docsDir.Length > 0 && !Forge.Git.GitReader.IsSafePath(docsDir))
        {
            problems.Add(new(file, Node(section, "docs_dir")?.Start.Line, $"« docs_dir: {docsDir} » n’est pas un dossier du dépôt."));
            return null;
        }
        return new SiteConfig
        {
            Source = file, SiteName = Scalar(section, "name") ?? Scalar(section, "site_name"), DocsDir = docsDir,
            Nav = Node(section, "nav") is { } nav ? ParseNav(nav, file, problems) : null,
            Palette = Scalar(section, "palette"),
        };
    }

    /// <summary>Whether <c>resource.yml</c> says <c>site: false</c> (or <c>non</c>, <c>no</c>): no site, even from Markdown folders.</summary>
    public static bool DeclinesSite(string yaml) =>
        Load(yaml, "resource.yml", []) is YamlMappingNode map && Node(map, "site") is YamlScalarNode { Value: "false" or "non" or "no" };

    /// <summary>An awesome-pages <c>.pages</c> file: <c>title</c>, <c>nav</c> (or <c>arrange</c>) with <c>...</c> for the rest, <c>hide</c>.</summary>
    public static (string? Title, IReadOnlyList<NavItem>? Nav, bool Hide) ParsePagesFile(string yaml, string file, List<SiteProblem> problems)
    {
        if (Load(yaml, file, problems) is not YamlMappingNode map) return (null, null, false);
        var nav = Node(map, "nav") ?? Node(map, "arrange");
        return (Scalar(map, "title"), nav is null ? null : ParseNav(nav, file, problems), Scalar(map, "hide") is "true" or "yes");
    }

    private static YamlNode? Load(string yaml, string file, List<SiteProblem> problems)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(yaml);
            stream.Load(new Parser(new Scanner(reader, skipComments: true)) );
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            problems.Add(new(file, (int)e.Start.Line, "erreur de syntaxe YAML (" + Explain(e) + "). Vérifiez l’indentation (des espaces, jamais de tabulation) et les deux-points après chaque clé."));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed input (an unclosed « [ » before a « - »).
            problems.Add(new(file, null, "erreur de syntaxe YAML (une liste « [ » ou un texte entre guillemets n’est pas fermé ?). Vérifiez l’indentation (des espaces, jamais de tabulation) et les deux-points après chaque clé."));
            return null;
        }
    }

    private static string Explain(YamlException e)
    {
        var message = (e.InnerException?.Message ?? e.Message).Trim();
        return message.Length > 200 ? message[..200] + "…" : message;
    }

    private static List<NavItem> ParseNav(YamlNode node, string file, List<SiteProblem> problems)
    {
        var count = 0;
        return Items(node, 0);

        List<NavItem> Items(YamlNode n, int depth)
        {
            var items = new List<NavItem>();
            if (n is not YamlSequenceNode seq)
            {
                problems.Add(new(file, n.Start.Line, "« nav » doit être une liste (des lignes commençant par « - »)."));
                return items;
            }
            foreach (var child in seq.Children)
            {
                if (++count > MaxNavItems || depth > 10) break;
                var line = (int)child.Start.Line;
                switch (child)
                {
                    case YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value):
                        items.Add(Leaf(null, s.Value!, line));
                        break;
                    case YamlMappingNode m when m.Children.Count == 1:
                        var (key, value) = m.Children.First();
                        var title = (key as YamlScalarNode)?.Value;
                        if (value is YamlScalarNode target && !string.IsNullOrWhiteSpace(target.Value)) items.Add(Leaf(title, target.Value!, line));
                        else if (value is YamlSequenceNode) items.Add(new NavItem(title, null, null, Items(value, depth + 1), line));
                        else problems.Add(new(file, line, $"l’entrée « {title} » de « nav » n’indique ni une page (.md) ni une sous-liste."));
                        break;
                    default:
                        problems.Add(new(file, line, "entrée de « nav » incomprise : écrivez « - Titre: chemin/page.md » ou « - chemin/page.md »."));
                        break;
                }
            }
            return items;
        }

        static NavItem Leaf(string? title, string target, int line) =>
            target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)
                ? new NavItem(title, null, target, [], line)
                : new NavItem(title, target.Trim().TrimStart('/'), null, [], line);
    }

    private static string? PrimaryColour(YamlNode? theme)
    {
        if (theme is not YamlMappingNode t) return null;
        var palette = Node(t, "palette");
        if (palette is YamlSequenceNode list) palette = list.Children.FirstOrDefault();
        return palette is YamlMappingNode p ? Scalar(p, "primary") : null;
    }

    private static void Flatten(YamlMappingNode map, string prefix, Dictionary<string, string> into)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || into.Count > 500) continue;
            if (value is YamlScalarNode s) into[prefix + name] = s.Value ?? "";
            else if (value is YamlMappingNode m && prefix.Count(c => c == '.') < 5) Flatten(m, prefix + name + ".", into);
        }
    }

    private static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Node(map, key) as YamlScalarNode)?.Value;
}
