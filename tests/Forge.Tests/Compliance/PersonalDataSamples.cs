using System.IO.Compression;
using System.Security;
using System.Text;
using System.Text.Json;
using Bogus;

namespace Forge.Tests.Compliance;

/// <summary>Synthetic pupils (Bogus, French locale) in the files teachers really commit, and ordinary course material.</summary>
public static class PersonalDataSamples
{
    public sealed record Pupil(string FirstName, string LastName, string Class, double Mark, string Email, string Phone, string Ine, DateTime Born);

    public static IReadOnlyList<Pupil> Class(int seed, int count = 24)
    {
        var faker = new Faker("fr") { Random = new Randomizer(seed) };
        var group = faker.PickRandom("2nde3", "1G2", "Tle4", "3eB", "4e1");
        return Enumerable.Range(0, count).Select(_ =>
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            return new Pupil(first, last, group, Math.Round(faker.Random.Double(2, 19.5) * 4) / 4,
                faker.Internet.Email(first, last, faker.PickRandom("gmail.com", "laposte.net", "orange.fr", "ac-lyon.fr")),
                faker.Phone.PhoneNumber("06 ## ## ## ##"), faker.Random.Replace("#########") + faker.Random.String2(2, "ABCDEFGHJKLMNPRSTUVWXYZ"),
                faker.Date.Between(new DateTime(2009, 1, 1), new DateTime(2012, 12, 31)));
        }).ToList();
    }

    private static string Fr(double mark) => mark.ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));

    public static string MarksCsv(IReadOnlyList<Pupil> pupils) =>
        "Nom;Prénom;Classe;Moyenne T1\n" + string.Concat(pupils.Select(p => $"{p.LastName.ToUpperInvariant()};{p.FirstName};{p.Class};{Fr(p.Mark)}\n"));

    public static string ContactsTxt(IReadOnlyList<Pupil> pupils) =>
        "Contacts des familles\n\n" + string.Concat(pupils.Take(8).Select(p => $"{p.FirstName} {p.LastName} : {p.Email}, {p.Phone}\n"));

    public static string InesCsv(IReadOnlyList<Pupil> pupils) =>
        "INE,Élève\n" + string.Concat(pupils.Select(p => $"{p.Ine},{p.FirstName} {p.LastName}\n"));

    public static string BirthDatesMarkdown(IReadOnlyList<Pupil> pupils) =>
        "# Sortie au musée\n\n| Élève | Date de naissance |\n|---|---|\n" + string.Concat(pupils.Take(6).Select(p => $"| {p.FirstName} {p.LastName} | {p.Born:dd/MM/yyyy} |\n"));

    /// <summary>A notebook whose output is a pandas data frame of marks, as an HTML table and as text.</summary>
    public static string MarksNotebook(IReadOnlyList<Pupil> pupils)
    {
        var html = "<table border=\"1\" class=\"dataframe\"><thead><tr><th></th><th>nom</th><th>note</th></tr></thead><tbody>"
                   + string.Concat(pupils.Select((p, i) => $"<tr><th>{i}</th><td>{p.FirstName} {p.LastName}</td><td>{Fr(p.Mark)}</td></tr>")) + "</tbody></table>";
        var notebook = new
        {
            nbformat = 4, nbformat_minor = 5, metadata = new { },
            cells = new object[]
            {
                new { cell_type = "markdown", metadata = new { }, source = new[] { "# Analyse des résultats du DS 2\n" } },
                new { cell_type = "code", metadata = new { }, execution_count = 1, source = new[] { "import pandas as pd\n", "df = pd.read_csv('notes.csv')\n", "df" },
                    outputs = new object[] { new { output_type = "execute_result", execution_count = 1, metadata = new { },
                        data = new Dictionary<string, object> { ["text/html"] = new[] { html }, ["text/plain"] = new[] { "   nom  note" } } } } },
            },
        };
        return JsonSerializer.Serialize(notebook);
    }

    /// <summary>A minimal Office Open XML workbook: one sheet of marks with shared strings.</summary>
    public static byte[] MarksXlsx(IReadOnlyList<Pupil> pupils)
    {
        var strings = new List<string> { "Nom", "Prénom", "Classe", "Note" };
        int S(string s) { var i = strings.IndexOf(s); if (i < 0) { strings.Add(s); i = strings.Count - 1; } return i; }
        var rows = new StringBuilder("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>");
        for (var i = 0; i < pupils.Count; i++)
        {
            var p = pupils[i];
            var r = i + 2;
            rows.Append($"<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{S(p.LastName)}</v></c><c r=\"B{r}\" t=\"s\"><v>{S(p.FirstName)}</v></c>"
                        + $"<c r=\"C{r}\" t=\"s\"><v>{S(p.Class)}</v></c><c r=\"D{r}\"><v>{p.Mark.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c></row>");
        }
        return Zip(new()
        {
            ["[Content_Types].xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>",
            ["_rels/.rels"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
            ["xl/workbook.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            ["xl/_rels/workbook.xml.rels"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
            ["xl/worksheets/sheet1.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + rows + "</sheetData></worksheet>",
            ["xl/sharedStrings.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\""
                + strings.Count + "\">" + string.Concat(strings.Select(s => $"<si><t>{SecurityElement.Escape(s)}</t></si>")) + "</sst>",
        });
    }

    /// <summary>A minimal OpenDocument spreadsheet: one table of marks.</summary>
    public static byte[] MarksOds(IReadOnlyList<Pupil> pupils)
    {
        string Cell(string v) => $"<table:table-cell office:value-type=\"string\"><text:p>{SecurityElement.Escape(v)}</text:p></table:table-cell>";
        string Number(double v) => $"<table:table-cell office:value-type=\"float\" office:value=\"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"><text:p>{Fr(v)}</text:p></table:table-cell>";
        var rows = "<table:table-row>" + Cell("Élève") + Cell("Classe") + Cell("Note") + "</table:table-row>"
                   + string.Concat(pupils.Select(p => "<table:table-row>" + Cell($"{p.FirstName} {p.LastName}") + Cell(p.Class) + Number(p.Mark)
                                                      + "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"))
                   + "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
        return Zip(new()
        {
            ["mimetype"] = "application/vnd.oasis.opendocument.spreadsheet",
            ["META-INF/manifest.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
                + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>"
                + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>",
            ["content.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                + "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                + "<office:body><office:spreadsheet><table:table table:name=\"Notes\">" + rows + "</table:table></office:spreadsheet></office:body></office:document-content>",
        });
    }

    private static byte[] Zip(Dictionary<string, string> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        return buffer.ToArray();
    }

    // ---- Ordinary course material: must not be flagged ----

    public const string Bibliography = """
        # Bibliographie

        - Knuth, Donald E. *The Art of Computer Programming*. Addison-Wesley, 1968.
        - Cormen, Thomas H., Leiserson, Charles E., Rivest, Ronald L. et Stein, Clifford. *Algorithmique*. Dunod, 2010.
        - Wirth, Niklaus. *Algorithms + Data Structures = Programs*. Prentice Hall, 1976.

        | Auteur | Titre | Année | Édition |
        |---|---|---|---|
        | Donald Knuth | The art of computer programming | 1968 | 3 |
        | Niklaus Wirth | Algorithms and data structures | 1976 | 1 |
        | Edsger Dijkstra | A discipline of programming | 1976 | 1 |
        | Gérard Berry | L’informatique du temps et des événements | 2013 | 2 |
        | Serge Abiteboul | Le temps des algorithmes | 2017 | 1 |
        """;

    public const string HistoryLesson = """
        # Histoire de l’informatique

        Ada Lovelace, née le 10 décembre 1815 à Londres, écrit en 1843 le premier programme destiné à la machine analytique
        de Charles Babbage. Alan Turing, né le 23 juin 1912, décrit en 1936 la machine qui porte son nom. Grace Hopper, née
        le 9 décembre 1906, conçoit le premier compilateur. John von Neumann, Claude Shannon et Margaret Hamilton suivent.

        | Personne | Naissance | Apport | Âge à la découverte |
        |---|---|---|---|
        | Ada Lovelace | 10/12/1815 | Premier programme | 17 |
        | Alan Turing | 23/06/1912 | Machine de Turing | 14 |
        | Grace Hopper | 09/12/1906 | Compilateur | 16 |
        | Margaret Hamilton | 17/08/1936 | Logiciel d’Apollo | 12 |
        | Claude Shannon | 30/04/1916 | Théorie de l’information | 19 |

        Pour toute question : alice.martin@ac-lyon.fr ou le secrétariat au 04 78 12 34 56.

        Exercice : écrire une expression régulière qui reconnaît les numéros 01 99 00 12 34, 06 39 98 45 67 et 01 99 00 98 76.
        """;

    public const string CitiesCsv = "Ville;Département;Population\nLyon;Rhône;522250\nVilleurbanne;Rhône;156928\nSaint-Étienne;Loire;172718\nGrenoble;Isère;156389\n";

    public const string ScientistsCsv = "Nom;Prénom;Année de naissance;Discipline\nCurie;Marie;1867;Physique\nPasteur;Louis;1822;Biologie\nLovelace;Ada;1815;Informatique\nGermain;Sophie;1776;Mathématiques\n";
}
