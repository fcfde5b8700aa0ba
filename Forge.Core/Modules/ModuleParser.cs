using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forge.Core.Modules;

/// <summary>
/// Reads a <c>module.yml</c> and the files it names (pages, resources, quizzes) through <c>readFile</c> (repository path →
/// text, or null when there is no such file; any non-null text, e.g. empty, for a binary file that exists). Never throws on
/// user input: every problem is reported in French with its file and line, and what can be used is kept (a missing page or
/// an invalid question is left out). Only <c>title</c> and at least one section are needed for a module at all.
/// </summary>
public static class ModuleParser
{
    public const string FileName = "module.yml";
    public const int DefaultPassMark = 50;
    public const int MaxBytes = 64 * 1024;
    public const int MaxSections = 100;
    public const int MaxPagesPerSection = 200;
    public const int MaxResourcesPerSection = 100;
    public const int MaxTextLength = 2000;

    private static readonly string[] RootKeys = ["title", "description", "objectives", "duration", "audience", "sections", "pass_mark"];
    private static readonly string[] SectionKeys = ["id", "title", "pages", "resources", "quiz"];
    private static readonly string[] PageKeys = ["path", "title"];
    private static readonly string[] ResourceKeys = ["title", "file", "path", "url", "kind"];

    public static ModuleParseResult Parse(string moduleYml, Func<string, string?> readFile) => Parse(moduleYml, readFile, null);

    /// <param name="hidden">Whether a path is teacher-only (<c>teacher_only:</c> of <c>resource.yml</c>): such files are never part of a module.</param>
    public static ModuleParseResult Parse(string moduleYml, Func<string, string?> readFile, Func<string, bool>? hidden)
    {
        var errors = new List<ModuleError>();
        if (Encoding.UTF8.GetByteCount(moduleYml) > MaxBytes)
        {
            errors.Add(new(FileName, null, $"le fichier dépasse {MaxBytes / 1024} Kio."));
            return new(null, errors);
        }
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(moduleYml);
            stream.Load(new Parser(new Scanner(reader, skipComments: true)));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Trim();
            if (message.Length > 200) message = message[..200] + "…";
            errors.Add(new(FileName, (int)e.Start.Line, $"erreur de syntaxe YAML ({message}). Vérifiez l’indentation (des espaces, jamais de tabulation) et les deux-points après chaque clé."));
            return new(null, errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed input (an unclosed « [ » before a « - »).
            errors.Add(new(FileName, null, "erreur de syntaxe YAML (une liste « [ » ou un texte entre guillemets n’est pas fermé ?). Vérifiez l’indentation (des espaces, jamais de tabulation) et les deux-points après chaque clé."));
            return new(null, errors);
        }
        if (root is not YamlMappingNode map)
        {
            errors.Add(new(FileName, root is null ? null : Line(root), "le fichier doit être une liste de réglages « clé: valeur » (title, sections…)."));
            return new(null, errors);
        }
        var context = new Context(readFile, hidden ?? (_ => false), errors);
        UnknownKeys(map, RootKeys, "du module", errors);

        var title = Text(map, "title", errors);
        if (title is null) errors.Add(new(FileName, Line(map), "« title: » manque : donnez un titre au module."));
        var description = Text(map, "description", errors);
        var audience = Text(map, "audience", errors);
        var objectives = Node(map, "objectives") switch
        {
            null => [],
            YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [Cut(s.Value!)],
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(n => n.Value?.Trim() ?? "").Where(v => v.Length > 0).Select(Cut).Take(50).ToList(),
            var other => Error<List<string>>(other, "« objectives » attend une liste : [objectif 1, objectif 2].", errors, []),
        };
        int? duration = null;
        if (Node(map, "duration") is { } d)
        {
            duration = d is YamlScalarNode { Value: { } dv } ? ModuleText.ParseDuration(dv) : null;
            if (duration is null)
                errors.Add(new(FileName, Line(d), $"durée « {(d as YamlScalarNode)?.Value} » incomprise : écrivez par exemple « 3h », « 1h30 », « 90min » ou un nombre de minutes."));
        }
        var passMark = DefaultPassMark;
        if (Node(map, "pass_mark") is { } p)
        {
            var raw = (p as YamlScalarNode)?.Value?.Trim().TrimEnd('%').Trim();
            if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var pm) && pm is >= 0 and <= 100) passMark = pm;
            else errors.Add(new(FileName, Line(p), $"« pass_mark » attend un pourcentage entre 0 et 100 (par exemple « pass_mark: 70 »), pas « {(p as YamlScalarNode)?.Value} »."));
        }

        var sections = new List<ModuleSection>();
        switch (Node(map, "sections"))
        {
            case null:
                errors.Add(new(FileName, Line(map), "« sections: » manque : un module a au moins une section, avec ses pages."));
                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                {
                    if (sections.Count >= MaxSections)
                    {
                        errors.Add(new(FileName, Line(child), $"plus de {MaxSections} sections : les suivantes sont ignorées."));
                        break;
                    }
                    if (Section(child, sections.Count + 1, sections, context) is { } section) sections.Add(section);
                }
                if (seq.Children.Count == 0) errors.Add(new(FileName, Line(seq), "« sections » est vide : un module a au moins une section."));
                break;
            case var other:
                errors.Add(new(FileName, Line(other), "« sections » attend une liste : chaque section commence par « - title: … »."));
                break;
        }
        if (title is null || sections.Count == 0) return new(null, errors);
        return new(new ModuleDefinition(title, description, objectives, duration, audience, sections) { PassMarkPercent = passMark }, errors);
    }

    private sealed record Context(Func<string, string?> ReadFile, Func<string, bool> Hidden, List<ModuleError> Errors);

    private static ModuleSection? Section(YamlNode node, int index, List<ModuleSection> done, Context context)
    {
        var errors = context.Errors;
        if (node is not YamlMappingNode map)
        {
            errors.Add(new(FileName, Line(node), "une section s’écrit « - title: … » suivi de « pages: », « resources: », « quiz: »."));
            return null;
        }
        UnknownKeys(map, SectionKeys, "de section", errors);
        var title = Text(map, "title", errors);
        if (title is null)
        {
            errors.Add(new(FileName, Line(map), $"la section n° {index} n’a pas de titre (« title: »)."));
            return null;
        }
        string id;
        if (Node(map, "id") is { } idNode)
        {
            id = (idNode as YamlScalarNode)?.Value?.Trim() ?? "";
            if (!ModuleText.SectionId().IsMatch(id))
            {
                errors.Add(new(FileName, Line(idNode), $"« id: {id} » : un identifiant de section s’écrit en minuscules sans accents, chiffres et tirets (par exemple « decouvrir »)."));
                return null;
            }
            if (done.Any(s => s.Id == id))
            {
                errors.Add(new(FileName, Line(idNode), $"« id: {id} » est déjà l’identifiant d’une autre section."));
                return null;
            }
        }
        else
        {
            var slug = ModuleText.Slug(title);
            if (slug.Length == 0) slug = "section-" + index;
            id = slug;
            for (var n = 2; done.Any(s => s.Id == id); n++) id = $"{slug}-{n}";
        }

        var pages = new List<ModulePage>();
        foreach (var item in Items(Node(map, "pages"), "pages", errors))
        {
            if (pages.Count >= MaxPagesPerSection) { errors.Add(new(FileName, Line(item), $"plus de {MaxPagesPerSection} pages dans la section : les suivantes sont ignorées.")); break; }
            if (Page(item, context) is { } page)
            {
                if (pages.Any(pg => pg.Path == page.Path)) errors.Add(new(FileName, Line(item), $"la page « {page.Path} » est déjà dans cette section."));
                else pages.Add(page);
            }
        }
        var resources = new List<ModuleResourceLink>();
        foreach (var item in Items(Node(map, "resources"), "resources", errors))
        {
            if (resources.Count >= MaxResourcesPerSection) { errors.Add(new(FileName, Line(item), $"plus de {MaxResourcesPerSection} ressources dans la section : les suivantes sont ignorées.")); break; }
            if (Resource(item, context) is { } resource) resources.Add(resource);
        }
        Quiz? quiz = null;
        if (Node(map, "quiz") is { } quizNode)
        {
            if (quizNode is YamlScalarNode { Value: { } qv } && File(qv, quizNode, "quiz", context, [".md"]) is { } path)
            {
                var (q, quizErrors) = QuizParser.Parse(path.Path, path.Text);
                errors.AddRange(quizErrors);
                quiz = q;
            }
            else if (quizNode is not YamlScalarNode)
                errors.Add(new(FileName, Line(quizNode), "« quiz » attend le chemin d’un fichier Markdown, par exemple « quiz: 01-decouvrir/quiz.md »."));
        }
        if (Node(map, "pages") is null && Node(map, "resources") is null && Node(map, "quiz") is null)
            errors.Add(new(FileName, Line(map), $"la section « {title} » n’a ni page, ni ressource, ni quiz."));
        return new ModuleSection(id, title, pages, resources, quiz);
    }

    private static ModulePage? Page(YamlNode item, Context context)
    {
        string? raw = null, title = null;
        switch (item)
        {
            case YamlScalarNode s: raw = s.Value; break;
            case YamlMappingNode m:
                UnknownKeys(m, PageKeys, "de page", context.Errors);
                raw = (Node(m, "path") as YamlScalarNode)?.Value;
                title = Text(m, "title", context.Errors);
                if (raw is null) { context.Errors.Add(new(FileName, Line(m), "une page s’écrit « chemin/page.md » ou « {path: chemin/page.md, title: Titre} »." )); return null; }
                break;
            default:
                context.Errors.Add(new(FileName, Line(item), "une page s’écrit « chemin/page.md » ou « {path: chemin/page.md, title: Titre} »."));
                return null;
        }
        if (File(raw ?? "", item, "page", context, [".md", ".markdown", ".ipynb"]) is not { } file) return null;
        return new ModulePage(file.Path, title ?? TitleOf(file.Path, file.Text));
    }

    private static ModuleResourceLink? Resource(YamlNode item, Context context)
    {
        var errors = context.Errors;
        string? title = null, file = null, url = null, kind = null;
        YamlNode at = item;
        switch (item)
        {
            case YamlScalarNode { Value: { } v }:
                if (v.Contains("://", StringComparison.Ordinal) || v.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) url = v; else file = v;
                break;
            case YamlMappingNode m:
                UnknownKeys(m, ResourceKeys, "de ressource", errors);
                title = Text(m, "title", errors);
                file = (Node(m, "file") as YamlScalarNode)?.Value ?? (Node(m, "path") as YamlScalarNode)?.Value;
                url = (Node(m, "url") as YamlScalarNode)?.Value;
                kind = (Node(m, "kind") as YamlScalarNode)?.Value?.Trim().ToLowerInvariant();
                at = Node(m, "url") ?? Node(m, "file") ?? Node(m, "path") ?? m;
                break;
            default:
                errors.Add(new(FileName, Line(item), "une ressource s’écrit « {title: Titre, file: chemin} » ou « {title: Titre, url: https://…} »."));
                return null;
        }
        if ((file is null) == (url is null))
        {
            errors.Add(new(FileName, Line(item), "une ressource a soit « file: » (un fichier du dépôt), soit « url: » (un lien http ou https), pas les deux ni aucun."));
            return null;
        }
        ResourceLinkKind? explicitKind = kind switch
        {
            null => null,
            "video" or "vidéo" => ResourceLinkKind.Video,
            "file" or "fichier" => ResourceLinkKind.File,
            "link" or "lien" => ResourceLinkKind.Link,
            _ => Error<ResourceLinkKind?>(item, $"« kind: {kind} » inconnu : video, file ou link.", errors, null),
        };
        if (url is not null)
        {
            if (ModuleText.HttpUrl(url) is not { } uri)
            {
                errors.Add(new(FileName, Line(at), $"« {url.Trim()} » n’est pas un lien http ou https."));
                return null;
            }
            return new ModuleResourceLink(title ?? uri.Host, null, uri.AbsoluteUri,
                explicitKind ?? (ModuleText.IsVideo(uri.AbsolutePath) ? ResourceLinkKind.Video : ResourceLinkKind.Link));
        }
        if (File(file!, at, "ressource", context, null) is not { } found) return null;
        return new ModuleResourceLink(title ?? Path.GetFileName(found.Path), found.Path, null,
            explicitKind is ResourceLinkKind.Video or ResourceLinkKind.File ? explicitKind.Value
                : ModuleText.IsVideo(found.Path) ? ResourceLinkKind.Video : ResourceLinkKind.File);
    }

    /// <summary>A file named by the module: cleaned path, allowed extension, not teacher-only, present in the repository.</summary>
    private static (string Path, string Text)? File(string raw, YamlNode at, string what, Context context, string[]? extensions)
    {
        var (path, problem) = ModuleText.CleanPath(raw);
        if (path is null)
        {
            context.Errors.Add(new(FileName, Line(at), $"{what} : {problem}"));
            return null;
        }
        if (extensions is not null && !extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            context.Errors.Add(new(FileName, Line(at), $"{what} « {path} » : seuls les fichiers {string.Join(", ", extensions)} sont acceptés."));
            return null;
        }
        if (context.Hidden(path))
        {
            context.Errors.Add(new(FileName, Line(at), $"{what} « {path} » est réservé(e) aux enseignants (« teacher_only » de resource.yml) : il n’est jamais montré dans un module."));
            return null;
        }
        if (context.ReadFile(path) is not { } text)
        {
            context.Errors.Add(new(FileName, Line(at), $"{what} « {path} » : ce fichier n’existe pas dans le dépôt (vérifiez le nom, les accents et les majuscules)."));
            return null;
        }
        return (path, text);
    }

    /// <summary>The page's title: its front matter <c>title:</c>, its first <c># </c> heading (for a notebook: of a Markdown cell), else its file name.</summary>
    public static string TitleOf(string path, string text)
    {
        IEnumerable<string> lines = text.Replace("\r\n", "\n").Split('\n');
        if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) lines = NotebookMarkdown(text);
        else if (text.StartsWith("---\n", StringComparison.Ordinal) || text.StartsWith("---\r\n", StringComparison.Ordinal))
        {
            var front = text.Replace("\r\n", "\n").Split('\n').Skip(1).TakeWhile(l => l.TrimEnd() != "---").ToList();
            if (front.FirstOrDefault(l => l.StartsWith("title:", StringComparison.Ordinal)) is { } t && t[6..].Trim().Trim('"', '\'') is { Length: > 0 } ft)
                return Cut(ft);
        }
        var fence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) fence = !fence;
            if (!fence && line.StartsWith("# ", StringComparison.Ordinal) && line[2..].Trim().TrimEnd('#').Trim() is { Length: > 0 } h) return Cut(h);
        }
        return Path.GetFileNameWithoutExtension(path);
    }

    private static IEnumerable<string> NotebookMarkdown(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (!doc.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array) return [];
            var lines = new List<string>();
            foreach (var cell in cells.EnumerateArray())
            {
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("cell_type", out var type) || type.GetString() != "markdown") continue;
                if (!cell.TryGetProperty("source", out var source)) continue;
                var text = source.ValueKind == JsonValueKind.Array
                    ? string.Concat(source.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : ""))
                    : source.ValueKind == JsonValueKind.String ? source.GetString() ?? "" : "";
                lines.AddRange(text.Replace("\r\n", "\n").Split('\n'));
                if (lines.Count > 2000) break;
            }
            return lines;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IEnumerable<YamlNode> Items(YamlNode? node, string key, List<ModuleError> errors) => node switch
    {
        null => [],
        YamlSequenceNode seq => seq.Children,
        YamlScalarNode { Value: { Length: > 0 } } s => [s],
        _ => Error<YamlNode[]>(node, $"« {key} » attend une liste : [élément 1, élément 2] ou des lignes « - ».", errors, []),
    };

    private static void UnknownKeys(YamlMappingNode map, string[] known, string where, List<ModuleError> errors)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
                errors.Add(new(FileName, Line(key), $"clé inconnue « {name} » {where} (clés reconnues : {string.Join(", ", known)})."));
        }
    }

    private static string? Text(YamlMappingNode map, string key, List<ModuleError> errors)
    {
        switch (Node(map, key))
        {
            case null: return null;
            case YamlScalarNode s: return string.IsNullOrWhiteSpace(s.Value) ? null : Cut(s.Value.Trim());
            case var other:
                errors.Add(new(FileName, Line(other), $"« {key} » attend un texte."));
                return null;
        }
    }

    private static string Cut(string text) => text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text;

    private static T Error<T>(YamlNode node, string message, List<ModuleError> errors, T value)
    {
        errors.Add(new(FileName, Line(node), message));
        return value;
    }

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
}
