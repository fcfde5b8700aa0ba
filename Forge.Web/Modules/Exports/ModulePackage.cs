using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forge.Core.Modules;
using Forge.Web.Rendering;
using Forge.Web.Sites;

namespace Forge.Web.Modules.Exports;

/// <summary>The files of the module an export reads: their bytes (null when missing), and which ones are reserved to teachers.</summary>
public sealed record ModuleFiles(Func<string, byte[]?> Read, Func<string, bool> IsTeacherOnly);

/// <summary>Where the module comes from, for titles, identifiers and links (<c>owner/name</c> at a commit).</summary>
public sealed record ModuleOrigin(string Owner, string Name, string Commit, string Label);

/// <summary>One section of a packaged module: its page (a file of the package) and the web links it lists.</summary>
public sealed record PackagedSection(int Number, string Title, string File, bool HasQuiz, IReadOnlyList<PackagedLink> Links, IReadOnlyList<string> Uses);

/// <summary>A link to a page outside the package (a video or site given by its URL).</summary>
public sealed record PackagedLink(string Title, string Url);

/// <summary>The module exceeds the size limit of an export.</summary>
public sealed class ExportTooLargeException(string message) : Exception(message);

/// <summary>
/// A training module as a set of files every export format shares: one HTML page per section (its pages rendered with the
/// Markdown pipeline of the rest of Forge, its resources, its quiz), the module's stylesheet and script, and the files the
/// pages use, under <c>files/</c> at their repository path. Links between them are relative, nothing is requested from
/// outside, and teacher-only files are never included. The formats add their manifest (<see cref="PackageWriter"/>).
/// </summary>
public sealed class ModulePackage
{
    public const string Stylesheet = "assets/module.css", Script = "assets/module.js";

    public required ModuleDefinition Module { get; init; }
    public required ModuleOrigin Origin { get; init; }
    public List<PackagedSection> Sections { get; } = [];
    /// <summary>Package path → content, in a stable order.</summary>
    public SortedDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);
    public List<string> Notices { get; } = [];
    public long Bytes { get; private set; }

    public void Add(string path, byte[] content, long maxBytes)
    {
        if (Files.TryGetValue(path, out var previous)) Bytes -= previous.Length;
        Files[path] = content;
        Bytes += content.Length;
        if (Bytes > maxBytes)
            throw new ExportTooLargeException(
                $"L’export dépasse la taille maximale de {Size(maxBytes)} (au moins {Size(Bytes)} en ajoutant « {path} ») : allégez les fichiers du module (vidéos, images) ou donnez-les par un lien.");
    }

    /// <summary>« 200 Mio », « 12 Kio ».</summary>
    public static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} Mio" : $"{Math.Max(1, bytes / 1024)} Kio";

    public void Add(string path, string text, long maxBytes) => Add(path, Encoding.UTF8.GetBytes(text), maxBytes);
}

/// <summary>Renders a <see cref="ModuleDefinition"/> into a <see cref="ModulePackage"/>.</summary>
public sealed partial class ModulePackageBuilder(MarkdownRenderer markdown, NotebookRenderer notebooks)
{
    /// <summary>Builds the shared part of every export; <paramref name="navigation"/> adds the links between pages of the offline HTML export.</summary>
    public ModulePackage Build(ModuleDefinition module, ModuleOrigin origin, ModuleFiles files, long maxBytes, bool navigation)
    {
        var package = new ModulePackage { Module = module, Origin = origin };
        package.Add(ModulePackage.Stylesheet, ExportAssets.Read("module.css"), maxBytes);
        package.Add(ModulePackage.Script, ExportAssets.Read("module.js"), maxBytes);

        // Where each page of the module lands: links between pages become links between section files.
        var pageTargets = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < module.Sections.Count; s++)
            for (var p = 0; p < module.Sections[s].Pages.Count; p++)
                pageTargets.TryAdd(module.Sections[s].Pages[p].Path, $"{SectionFileName(s + 1)}#page-{p + 1}");

        var included = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var s = 0; s < module.Sections.Count; s++)
        {
            var section = module.Sections[s];
            var uses = new List<string>();
            string? FileLink(string target)
            {
                target = target.Normalize(NormalizationForm.FormC);
                if (!included.TryGetValue(target, out var link))
                {
                    link = null;
                    if (files.IsTeacherOnly(target)) package.Notices.Add($"« {target} » est réservé aux enseignants (teacher_only de resource.yml) : il n’est pas exporté.");
                    else if (files.Read(target) is { } bytes)
                    {
                        package.Add("files/" + target, bytes, maxBytes);
                        link = "../files/" + MarkdownRenderer.EncodePath(target);
                    }
                    else package.Notices.Add($"« {target} » n’existe pas dans le dépôt : le lien qui y mène ne mène à rien dans l’export.");
                    included[target] = link;
                }
                if (link is not null && !uses.Contains("files/" + target)) uses.Add("files/" + target);
                return link;
            }
            var context = new MarkdownContext(origin.Owner, origin.Name, origin.Commit, "")
            {
                SiteLink = (target, _) => pageTargets.TryGetValue(target, out var page) ? page : FileLink(target) ?? "#",
            };

            var body = new StringBuilder();
            for (var p = 0; p < section.Pages.Count; p++)
            {
                var page = section.Pages[p];
                body.Append(CultureInfo.InvariantCulture, $"<article class=\"module-page\" id=\"page-{p + 1}\" aria-labelledby=\"page-{p + 1}-title\">\n");
                body.Append(CultureInfo.InvariantCulture, $"<h2 id=\"page-{p + 1}-title\">{Html.Encode(page.Title)}</h2>\n");
                body.Append(RenderPage(page, files, context with { Directory = Folder(page.Path) }, package));
                body.Append("</article>\n");
            }
            var links = new List<PackagedLink>();
            if (section.Resources.Count > 0) body.Append(Resources(section.Resources, FileLink, links, package));
            if (section.Quiz is { } quiz)
            {
                if (files.IsTeacherOnly(quiz.Path))
                    package.Notices.Add($"Le quiz « {quiz.Path} » est réservé aux enseignants (teacher_only de resource.yml) : il n’est pas exporté.");
                else body.Append(Quiz(quiz, s + 1, module.PassMarkPercent, context with { Directory = Folder(quiz.Path) }));
            }
            var hasQuiz = section.Quiz is not null && !files.IsTeacherOnly(section.Quiz.Path);
            var file = "sections/" + SectionFileName(s + 1);
            package.Add(file, Document(module, section.Title, body.ToString(), s + 1, module.Sections.Count, navigation, hasQuiz), maxBytes);
            package.Sections.Add(new PackagedSection(s + 1, section.Title, file, hasQuiz, links, uses));
        }
        if (navigation) package.Add("index.html", Index(module, package), maxBytes);
        return package;
    }

    public static string SectionFileName(int number) => $"section-{number}.html";

    private static string Folder(string path) => path.Contains('/') ? path[..path.LastIndexOf('/')] : "";

    private string RenderPage(ModulePage page, ModuleFiles files, MarkdownContext context, ModulePackage package)
    {
        if (files.IsTeacherOnly(page.Path))
        {
            package.Notices.Add($"La page « {page.Path} » est réservée aux enseignants (teacher_only de resource.yml) : elle n’est pas exportée.");
            return "";
        }
        if (files.Read(page.Path) is not { } bytes)
        {
            package.Notices.Add($"La page « {page.Path} » est introuvable.");
            return "";
        }
        var html = page.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
            ? notebooks.Render(bytes, context).Html
            : markdown.RenderPage(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), context).Html;
        // The page's title is already its heading in the section: its own first-level title is not repeated.
        if (FirstTitle().Match(html) is { Success: true } first && SiteBuilder.PlainText(first.Groups["t"].Value) == page.Title) html = html[first.Length..];
        return DemoteHeadings(html) + "\n";
    }

    [GeneratedRegex(@"^\s*<h1[^>]*>(?<t>.*?)</h1>\s*", RegexOptions.Singleline)]
    private static partial Regex FirstTitle();

    /// <summary>A page's headings go one level down: the section is the page's <c>h1</c>, each page's title its <c>h2</c>.</summary>
    private static string DemoteHeadings(string html) =>
        Heading().Replace(html, m => $"<{m.Groups["close"].Value}h{Math.Min(6, int.Parse(m.Groups["level"].Value, CultureInfo.InvariantCulture) + 2)}{m.Groups["rest"].Value}");

    [GeneratedRegex(@"<(?<close>/?)h(?<level>[1-6])(?<rest>[\s>])")]
    private static partial Regex Heading();

    private static string Resources(IReadOnlyList<ModuleResourceLink> resources, Func<string, string?> fileLink, List<PackagedLink> links, ModulePackage package)
    {
        var sb = new StringBuilder("<section class=\"module-resources\" aria-labelledby=\"resources-title\">\n<h2 id=\"resources-title\">Ressources</h2>\n<ul>\n");
        foreach (var resource in resources)
        {
            var title = Html.Encode(resource.Title);
            if (resource.Path is { } path)
            {
                if (fileLink(path) is not { } href) continue;
                sb.Append(resource.Kind == ResourceLinkKind.Video
                    ? $"<li><figure><video controls preload=\"none\" src=\"{href}\"></video><figcaption><a href=\"{href}\">{title}</a></figcaption></figure></li>\n"
                    : $"<li><a href=\"{href}\" download>{title}</a></li>\n");
            }
            else if (resource.Url is { } url && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
            {
                links.Add(new PackagedLink(resource.Title, url));
                var kind = resource.Kind == ResourceLinkKind.Video ? " (vidéo, en ligne)" : " (en ligne)";
                sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Html.Encode(url)}\" rel=\"noopener noreferrer\">{title}</a>{kind}</li>\n");
            }
            else package.Notices.Add($"La ressource « {resource.Title} » n’a ni fichier ni adresse http(s) : elle n’est pas exportée.");
        }
        return sb.Append("</ul>\n</section>\n").ToString();
    }

    /// <summary>
    /// A quiz as a form graded in the page by <c>module.js</c>: each question a fieldset, the expected answers in data
    /// attributes (a package read offline cannot hide them, as in any SCORM package), feedback shown after checking.
    /// </summary>
    private string Quiz(Quiz quiz, int section, int mastery, MarkdownContext context)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<section class=\"module-quiz\" aria-labelledby=\"quiz-{section}-title\">\n<h2 id=\"quiz-{section}-title\">{Html.Encode(quiz.Title)}</h2>\n");
        sb.Append("<noscript><p class=\"notice\">La correction du quiz demande JavaScript : les questions restent lisibles.</p></noscript>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<form class=\"quiz\" data-quiz data-mastery=\"{mastery}\">\n");
        for (var q = 0; q < quiz.Questions.Count; q++)
        {
            var question = quiz.Questions[q];
            var id = $"q{section}-{q + 1}";
            var kind = question.Kind switch { QuestionKind.SingleChoice => "single", QuestionKind.MultipleChoice => "multiple", _ => "short" };
            var accepted = question.Kind == QuestionKind.ShortAnswer ? $" data-accepted=\"{Html.Encode(JsonSerializer.Serialize(question.AcceptedAnswers))}\"" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<fieldset class=\"question\" id=\"{id}\" data-kind=\"{kind}\"{accepted} aria-describedby=\"{id}-prompt\">\n");
            sb.Append(CultureInfo.InvariantCulture, $"<legend>Question {q + 1} sur {quiz.Questions.Count}</legend>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"prompt\" id=\"{id}-prompt\">{markdown.RenderPage(question.PromptMarkdown, context).Html}</div>\n");
            if (question.Kind == QuestionKind.ShortAnswer)
                sb.Append(CultureInfo.InvariantCulture, $"<p><label for=\"{id}-answer\">Votre réponse</label> <input type=\"text\" id=\"{id}-answer\" name=\"{id}\" autocomplete=\"off\"></p>\n");
            else
            {
                var type = question.Kind == QuestionKind.SingleChoice ? "radio" : "checkbox";
                for (var c = 0; c < question.Choices.Count; c++)
                {
                    var choice = question.Choices[c];
                    var cid = $"{id}-c{c + 1}";
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<div class=\"choice\"><input type=\"{type}\" id=\"{cid}\" name=\"{id}\" value=\"{c + 1}\"{(choice.Correct ? " data-correct" : "")}> <label for=\"{cid}\">{Inline(choice.TextMarkdown, context)}</label>");
                    if (choice.FeedbackMarkdown is { Length: > 0 } cf)
                        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"feedback\" data-feedback-for=\"{cid}\" hidden>{markdown.RenderPage(cf, context).Html}</div>");
                    sb.Append("</div>\n");
                }
            }
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict\" data-verdict hidden></p>\n");
            if (question.FeedbackMarkdown is { Length: > 0 } feedback)
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"feedback\" data-feedback hidden>{markdown.RenderPage(feedback, context).Html}</div>\n");
            sb.Append("</fieldset>\n");
        }
        sb.Append("<p><button type=\"submit\">Vérifier mes réponses</button></p>\n<p class=\"score\" role=\"status\" data-score></p>\n</form>\n</section>\n");
        return sb.ToString();
    }

    /// <summary>A short Markdown text (a choice) as inline HTML, for a label: without its paragraph.</summary>
    private string Inline(string text, MarkdownContext context)
    {
        var html = markdown.RenderPage(text, context).Html.Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0
            ? html[3..^4] : html;
    }

    private static string Document(ModuleDefinition module, string title, string body, int number, int count, bool navigation, bool hasQuiz)
    {
        var nav = "";
        if (navigation)
        {
            var links = new List<string> { "<a href=\"../index.html\">Sommaire</a>" };
            if (number > 1) links.Add($"<a rel=\"prev\" href=\"{SectionFileName(number - 1)}\">Section précédente</a>");
            if (number < count) links.Add($"<a rel=\"next\" href=\"{SectionFileName(number + 1)}\">Section suivante</a>");
            nav = "<nav class=\"module-nav\" aria-label=\"Navigation du module\"><ul>" + string.Concat(links.Select(l => "<li>" + l + "</li>")) + "</ul></nav>\n";
        }
        var finish = hasQuiz
            ? "Quand vous avez répondu au quiz, terminez la section : votre résultat est transmis à la plateforme."
            : "Quand vous avez lu la section, terminez-la : elle est notée comme achevée sur la plateforme.";
        return $"""
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Encode(title)} · {Html.Encode(module.Title)}</title>
            <link rel="stylesheet" href="../{ModulePackage.Stylesheet}">
            <script src="../{ModulePackage.Script}" defer></script>
            </head>
            <body>
            <header class="module-header"><p>{Html.Encode(module.Title)} — section {number} sur {count}</p>
            {nav}</header>
            <main>
            <h1>{Html.Encode(title)}</h1>
            {body}
            <section class="module-finish" aria-labelledby="finish-title">
            <h2 id="finish-title">Fin de la section</h2>
            <p>{finish}</p>
            <p><button type="button" data-finish>Terminer</button></p>
            <p role="status" data-finish-status></p>
            </section>
            </main>
            </body>
            </html>

            """;
    }

    private static string Index(ModuleDefinition module, ModulePackage package)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Encode(module.Title)}</title>
            <link rel="stylesheet" href="{ModulePackage.Stylesheet}">
            </head>
            <body>
            <main>
            <h1>{Html.Encode(module.Title)}</h1>

            """);
        if (module.Description is { Length: > 0 } description) sb.Append(CultureInfo.InvariantCulture, $"<p>{Html.Encode(description)}</p>\n");
        var facts = new List<string>();
        if (module.DurationMinutes is { } minutes) facts.Add($"<dt>Durée</dt><dd>{Duration(minutes)}</dd>");
        if (module.Audience is { Length: > 0 } audience) facts.Add($"<dt>Public</dt><dd>{Html.Encode(audience)}</dd>");
        if (facts.Count > 0) sb.Append("<dl class=\"module-facts\">").AppendJoin("", facts).Append("</dl>\n");
        if (module.Objectives.Count > 0)
        {
            sb.Append("<h2>Objectifs</h2>\n<ul>\n");
            foreach (var objective in module.Objectives) sb.Append(CultureInfo.InvariantCulture, $"<li>{Html.Encode(objective)}</li>\n");
            sb.Append("</ul>\n");
        }
        sb.Append("<h2>Sommaire</h2>\n<ol class=\"module-outline\">\n");
        for (var s = 0; s < module.Sections.Count; s++)
        {
            var section = module.Sections[s];
            var file = package.Sections[s].File;
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{file}\">{Html.Encode(section.Title)}</a>");
            if (section.Pages.Count > 0 || section.Quiz is not null)
            {
                sb.Append("<ul>");
                for (var p = 0; p < section.Pages.Count; p++) sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{file}#page-{p + 1}\">{Html.Encode(section.Pages[p].Title)}</a></li>");
                if (package.Sections[s].HasQuiz) sb.Append(CultureInfo.InvariantCulture, $"<li>Quiz : {Html.Encode(section.Quiz!.Title)}</li>");
                sb.Append("</ul>");
            }
            sb.Append("</li>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"</ol>\n<p class=\"module-origin\">Exporté par Forge depuis {Html.Encode(package.Origin.Owner)}/{Html.Encode(package.Origin.Name)}, version {Html.Encode(package.Origin.Label)} (commit {package.Origin.Commit[..10]}).</p>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    public static string Duration(int minutes) =>
        minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60:00}";
}

/// <summary>The stylesheet, script and SCORM schema files Forge writes into packages (embedded in the assembly).</summary>
public static class ExportAssets
{
    public static byte[] Read(string name)
    {
        using var stream = typeof(ExportAssets).Assembly.GetManifestResourceStream("Forge.Web.Modules.Exports.Embedded." + name)
            ?? throw new InvalidOperationException($"missing embedded export asset {name}");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The SCORM 1.2 schema files a package's manifest names (at the root of the package).</summary>
    public static readonly IReadOnlyList<string> ScormSchemas = ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"];
}
