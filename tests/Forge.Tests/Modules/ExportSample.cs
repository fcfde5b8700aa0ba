using System.Text;
using Forge.Core.Modules;
using Forge.Web.Modules.Exports;
using Forge.Web.Rendering;

namespace Forge.Tests.Modules;

/// <summary>
/// A real-shaped training module for the export tests: two sections (pages in Markdown and a notebook, an image with an
/// accented name, a PDF, a video link, a web link, a quiz with single, multiple and short answers), a teacher-only
/// correction a page links to, and <c>resource.yml</c> declaring it.
/// </summary>
public static class ExportSample
{
    public const string ModuleYml = """
        title: Débuter en Python
        description: Un parcours pour écrire ses premiers programmes.
        objectives: [Écrire un programme, Utiliser des variables]
        duration: 90
        audience: enseignants de SNT
        sections:
          - title: Premiers pas
            pages: [cours/intro.md, cours/carnet.ipynb]
            resources:
              - {title: Fiche de synthèse, file: docs/fiche.pdf}
              - {title: Vidéo de présentation, url: "https://tube.example.fr/w/python"}
            quiz: cours/quiz.md
          - title: Aller plus loin
            pages: [cours/suite.md]
            resources:
              - {title: Documentation Python, url: "https://docs.python.org/fr/3/"}
        """;

    public const string Quiz = """
        # Quiz : premiers pas

        ## Que vaut `2 + 3` ?
        - [ ] 23
          > Les nombres sont additionnés, pas collés.
        - [x] 5

        ## Quels types sont des nombres ?
        - [x] int
        - [x] float
        - [ ] str

        ## Quel mot-clé définit une fonction ?
        = def
        > On écrit `def nom():`.
        """;

    /// <summary>A real PNG (1×1).</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");

    public static readonly IReadOnlyDictionary<string, byte[]> Files = new Dictionary<string, byte[]>
    {
        ["module.yml"] = Encoding.UTF8.GetBytes(ModuleYml),
        ["resource.yml"] = Encoding.UTF8.GetBytes("title: Débuter en Python\nteacher_only:\n  - profs/\n"),
        ["cours/intro.md"] = Encoding.UTF8.GetBytes("# Bienvenue\n\nPython se lit comme de l’anglais.\n\n![Schéma de la boucle](images/sch%C3%A9ma%20boucle.png)\n\nVoir la [suite](suite.md) et le [corrigé](../profs/corrigé.md).\n"),
        ["cours/carnet.ipynb"] = Encoding.UTF8.GetBytes("""{"cells":[{"cell_type":"markdown","metadata":{},"source":["# Carnet : variables\n","Une variable nomme une valeur."]},{"cell_type":"code","metadata":{},"execution_count":1,"outputs":[],"source":["x = 3"]}],"metadata":{},"nbformat":4,"nbformat_minor":5}"""),
        ["cours/images/schéma boucle.png"] = Png,
        ["cours/suite.md"] = Encoding.UTF8.GetBytes("# Les fonctions\n\nUne fonction se définit avec `def`.\n"),
        ["cours/quiz.md"] = Encoding.UTF8.GetBytes(Quiz),
        ["docs/fiche.pdf"] = Encoding.ASCII.GetBytes("%PDF-1.4 fiche"),
        ["profs/corrigé.md"] = Encoding.UTF8.GetBytes("# Corrigé\n\nRÉPONSE_DU_PROF\n"),
    };

    public static bool IsTeacherOnly(string path) => path.StartsWith("profs/", StringComparison.Ordinal);

    /// <summary>The package of <paramref name="format"/> built in process (the same code the job runs), without a server.</summary>
    public static ModulePackage Package(string format, long maxBytes = 50L * 1024 * 1024)
    {
        var parsed = ModuleParser.Parse(ModuleYml, p => Files.TryGetValue(p, out var b) ? Encoding.UTF8.GetString(b) : null, IsTeacherOnly);
        if (!parsed.IsValid) throw new InvalidOperationException(string.Join("\n", parsed.Errors));
        var markdown = new MarkdownRenderer();
        var builder = new ModulePackageBuilder(markdown, new NotebookRenderer(markdown, new SyntaxHighlighter()));
        var package = builder.Build(parsed.Module!, new ModuleOrigin("alice", "python", new string('a', 40), "v1.0"),
            new ModuleFiles(p => Files.GetValueOrDefault(p), IsTeacherOnly), maxBytes, navigation: format == Forge.Jobs.ModuleExportFormats.Html);
        PackageWriter.AddFormatFiles(package, format, maxBytes);
        return package;
    }
}
