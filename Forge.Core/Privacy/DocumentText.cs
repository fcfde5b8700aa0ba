using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;

namespace Forge.Core.Privacy;

/// <summary>A table found in a document (CSV, spreadsheet sheet, Markdown or HTML table), rows of cell texts.</summary>
public sealed record DocumentTable(string Where, IReadOnlyList<string[]> Rows, int FirstLine);

/// <summary>The text of a document and the tables in it, as the personal-data scanner reads them.</summary>
public sealed record DocumentText(string Text, IReadOnlyList<DocumentTable> Tables)
{
    public static readonly DocumentText Empty = new("", []);
}

/// <summary>
/// Turns the files teachers commit into text and tables: CSV/TSV, OpenDocument (.ods) and Office Open XML (.xlsx)
/// spreadsheets read by unzipping their XML (bounded: no zip bomb gets past the limits), Jupyter notebooks (cell
/// sources and outputs, including the HTML tables of data frames), Markdown and HTML tables, plain text.
/// </summary>
public static partial class DocumentReader
{
    public const int MaxRows = 5000;
    public const int MaxColumns = 60;
    private const long MaxXmlBytes = 32L * 1024 * 1024;
    private const int MaxZipEntries = 5000;

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".csv", ".tsv", ".txt", ".md", ".markdown", ".html", ".htm", ".json", ".yml", ".yaml", ".xml", ".tex", ".rst", ".adoc",
        ".py", ".js", ".sql", ".ipynb", ".ods", ".xlsx", ".vcf", ".ics",
    };

    /// <summary>True for the files worth scanning for personal data.</summary>
    public static bool IsCandidate(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot > 0 && TextExtensions.Contains(name[dot..]);
    }

    public static DocumentText Read(string path, byte[] bytes)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".csv" or ".tsv" => Csv(Decode(bytes), path),
                ".ods" => Ods(bytes),
                ".xlsx" => Xlsx(bytes),
                ".ipynb" => Notebook(Decode(bytes)),
                ".html" or ".htm" => Html(Decode(bytes)),
                _ => Plain(Decode(bytes)),
            };
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or JsonException or IOException or NotSupportedException or ArgumentException)
        {
            // A damaged file is scanned as plain text (bytes that are not text give nothing).
            return ext is ".ods" or ".xlsx" ? DocumentText.Empty : Plain(Decode(bytes));
        }
    }

    private static string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    // ---- CSV ----

    private static DocumentText Csv(string text, string path)
    {
        var delimiter = DetectDelimiter(text);
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && rows.Count < MaxRows; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"' && cell.Length == 0) quoted = true;
            else if (c == delimiter) { if (row.Count < MaxColumns) row.Add(cell.ToString().Trim()); cell.Clear(); }
            else if (c == '\n')
            {
                if (row.Count < MaxColumns) row.Add(cell.ToString().Trim());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else if (c != '\r') cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString().Trim()); rows.Add([.. row]); }
        return new DocumentText(text, [new DocumentTable(path[(path.LastIndexOf('/') + 1)..], rows, 1)]);
    }

    private static char DetectDelimiter(string text)
    {
        var sample = text.Length > 4000 ? text[..4000] : text;
        var lines = sample.Split('\n').Take(10).ToList();
        return new[] { ';', ',', '\t', '|' }
            .OrderByDescending(d => lines.Count(l => l.Contains(d)) * 10 + lines.Sum(l => l.Count(c => c == d)) / Math.Max(1, lines.Count))
            .First();
    }

    // ---- Spreadsheets (zip of XML) ----

    private static DocumentText Ods(byte[] bytes)
    {
        using var zip = OpenZip(bytes);
        var content = zip.GetEntry("content.xml") ?? throw new InvalidDataException("no content.xml");
        var tables = new List<DocumentTable>();
        using var xml = XmlReader.Create(Bounded(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        const string tableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
        List<string[]>? rows = null;
        List<string>? row = null;
        string sheet = "";
        var rowRepeat = 1;
        var cellRepeat = 1;
        StringBuilder? cell = null;
        var cellDepth = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.NamespaceURI == tableNs)
            {
                switch (xml.LocalName)
                {
                    case "table":
                        sheet = xml.GetAttribute("name", tableNs) ?? $"Feuille {tables.Count + 1}";
                        rows = [];
                        break;
                    case "table-row":
                        row = [];
                        rowRepeat = Math.Clamp(int.TryParse(xml.GetAttribute("number-rows-repeated", tableNs), out var r) ? r : 1, 1, 50);
                        if (xml.IsEmptyElement) row = null;
                        break;
                    case "table-cell" or "covered-table-cell":
                        cellRepeat = Math.Clamp(int.TryParse(xml.GetAttribute("number-columns-repeated", tableNs), out var n) ? n : 1, 1, MaxColumns);
                        if (xml.IsEmptyElement) { AddCells(row, "", cellRepeat); break; }
                        cell = new StringBuilder();
                        cellDepth = xml.Depth;
                        break;
                }
            }
            else if (xml.NodeType == XmlNodeType.Text && cell is not null && cell.Length < 2000) cell.Append(xml.Value);
            else if (xml.NodeType == XmlNodeType.Element && cell is not null && xml.LocalName == "p" && cell.Length > 0) cell.Append(' ');
            else if (xml.NodeType == XmlNodeType.EndElement && xml.NamespaceURI == tableNs)
            {
                if (xml.LocalName is "table-cell" or "covered-table-cell" && cell is not null && xml.Depth == cellDepth)
                {
                    AddCells(row, cell.ToString().Trim(), cellRepeat);
                    cell = null;
                }
                else if (xml.LocalName == "table-row" && row is not null && rows is not null)
                {
                    TrimTrailingEmpty(row);
                    if (row.Count > 0) for (var i = 0; i < rowRepeat && rows.Count < MaxRows; i++) rows.Add([.. row]);
                    row = null;
                }
                else if (xml.LocalName == "table" && rows is not null)
                {
                    tables.Add(new DocumentTable(sheet, rows, 1));
                    rows = null;
                }
            }
        }
        return FromTables(tables);
    }

    private static DocumentText Xlsx(byte[] bytes)
    {
        using var zip = OpenZip(bytes);
        var shared = new List<string>();
        if (zip.GetEntry("xl/sharedStrings.xml") is { } sst)
        {
            using var xml = XmlReader.Create(Bounded(sst), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            StringBuilder? item = null;
            // ReadElementContentAsString leaves the reader on the next node: it must not be skipped by another Read.
            var positioned = false;
            while (positioned || xml.Read())
            {
                positioned = false;
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si") item = new StringBuilder();
                else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t" && item is not null && item.Length < 2000)
                {
                    item.Append(xml.ReadElementContentAsString());
                    positioned = true;
                }
                else if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "si" && item is not null)
                {
                    shared.Add(item.ToString());
                    item = null;
                    if (shared.Count > 1_000_000) break;
                }
            }
        }
        var tables = new List<DocumentTable>();
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                     .OrderBy(e => e.FullName, StringComparer.Ordinal).Take(50))
        {
            var rows = new List<string[]>();
            using var xml = XmlReader.Create(Bounded(entry), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            string[]? row = null;
            string? type = null;
            var column = 0;
            var positioned = false;
            while ((positioned || xml.Read()) && rows.Count < MaxRows)
            {
                positioned = false;
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "row") row = new string[0];
                else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c" && row is not null)
                {
                    type = xml.GetAttribute("t");
                    column = ColumnOf(xml.GetAttribute("r"), row.Length);
                }
                else if (xml.NodeType == XmlNodeType.Element && xml.LocalName is "v" or "t" && row is not null && column < MaxColumns)
                {
                    var value = xml.ReadElementContentAsString();
                    positioned = true;
                    if (type == "s" && int.TryParse(value, out var index)) value = index >= 0 && index < shared.Count ? shared[index] : "";
                    if (row.Length <= column) Array.Resize(ref row, column + 1);
                    row[column] = (row[column] ?? "") + value;
                }
                else if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "row" && row is not null)
                {
                    for (var i = 0; i < row.Length; i++) row[i] ??= "";
                    if (row.Length > 0) rows.Add(row);
                    row = null;
                }
            }
            tables.Add(new DocumentTable(Path.GetFileNameWithoutExtension(entry.Name), rows, 1));
        }
        return FromTables(tables);
    }

    /// <summary>Zero-based column of a cell reference such as <c>C12</c>; <paramref name="fallback"/> without one.</summary>
    private static int ColumnOf(string? reference, int fallback)
    {
        if (string.IsNullOrEmpty(reference)) return fallback;
        var col = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            col = col * 26 + (c - 'A' + 1);
            if (col > MaxColumns) return MaxColumns;
        }
        return Math.Max(0, col - 1);
    }

    private static ZipArchive OpenZip(byte[] bytes)
    {
        var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        if (zip.Entries.Count > MaxZipEntries) throw new InvalidDataException("too many entries");
        return zip;
    }

    /// <summary>An entry's content, refused beyond <see cref="MaxXmlBytes"/> whatever its header claims.</summary>
    private static Stream Bounded(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxXmlBytes) throw new InvalidDataException("entry too large");
        var buffer = new MemoryStream();
        using var source = entry.Open();
        var chunk = new byte[81920];
        int n;
        while ((n = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxXmlBytes) throw new InvalidDataException("entry too large");
            buffer.Write(chunk, 0, n);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static void AddCells(List<string>? row, string value, int repeat)
    {
        if (row is null) return;
        for (var i = 0; i < repeat && row.Count < MaxColumns; i++) row.Add(value);
    }

    private static void TrimTrailingEmpty(List<string> row)
    {
        while (row.Count > 0 && row[^1].Length == 0) row.RemoveAt(row.Count - 1);
    }

    private static DocumentText FromTables(List<DocumentTable> tables) =>
        new(string.Join('\n', tables.SelectMany(t => t.Rows).Select(r => string.Join(" ; ", r))), tables);

    // ---- Notebooks, HTML, Markdown, text ----

    private static DocumentText Notebook(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        var text = new StringBuilder();
        var tables = new List<DocumentTable>();
        if (!doc.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array) return DocumentText.Empty;
        var index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            index++;
            if (cell.ValueKind != JsonValueKind.Object) continue;
            if (cell.TryGetProperty("source", out var source)) text.AppendLine(Joined(source));
            if (!cell.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array) continue;
            foreach (var output in outputs.EnumerateArray())
            {
                if (output.ValueKind != JsonValueKind.Object) continue;
                if (output.TryGetProperty("text", out var stream)) AddOutput(Joined(stream), $"cellule {index}");
                if (output.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
                {
                    if (data.TryGetProperty("text/html", out var html))
                    {
                        var h = Html(Joined(html));
                        text.AppendLine(h.Text);
                        tables.AddRange(h.Tables.Select(t => t with { Where = $"cellule {index}" }));
                    }
                    else if (data.TryGetProperty("text/plain", out var plain)) AddOutput(Joined(plain), $"cellule {index}");
                }
            }
        }
        return new DocumentText(text.ToString(), tables);

        void AddOutput(string output, string where)
        {
            text.AppendLine(output);
            // A data frame printed as text: columns separated by two spaces or more.
            var rows = output.Split('\n').Where(l => l.Trim().Length > 0)
                .Select(l => AlignedColumns().Split(l.Trim())).Where(r => r.Length >= 2).Take(MaxRows).ToList();
            if (rows.Count >= 3) tables.Add(new DocumentTable(where, rows, 1));
        }
    }

    private static string Joined(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
        _ => "",
    };

    [GeneratedRegex(@"\s{2,}|\t")]
    private static partial Regex AlignedColumns();

    [GeneratedRegex(@"<tr[^>]*>(.*?)</tr>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlRow();

    [GeneratedRegex(@"<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlCell();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<table\b.*?</table>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTable();

    private static DocumentText Html(string html)
    {
        var tables = new List<DocumentTable>();
        foreach (Match t in HtmlTable().Matches(html))
        {
            var rows = HtmlRow().Matches(t.Value).Take(MaxRows)
                .Select(r => HtmlCell().Matches(r.Groups[1].Value).Take(MaxColumns).Select(c => WebUtility.HtmlDecode(Tag().Replace(c.Groups[1].Value, " ")).Trim()).ToArray())
                .Where(r => r.Length > 0).ToList();
            if (rows.Count > 0) tables.Add(new DocumentTable("tableau HTML", rows, LineOf(html, t.Index)));
        }
        return new DocumentText(WebUtility.HtmlDecode(Tag().Replace(html, " ")), tables);
    }

    private static DocumentText Plain(string text)
    {
        var tables = new List<DocumentTable>();
        var lines = text.Split('\n');
        List<string[]>? rows = null;
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i].Trim() : "";
            if (line.StartsWith('|') && line.Count(c => c == '|') >= 2)
            {
                if (rows is null) { rows = []; start = i + 1; }
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                // The separator row of a Markdown table (| --- | :---: |) is not data.
                if (!cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':' or ' ')) && rows.Count < MaxRows) rows.Add(cells.Take(MaxColumns).ToArray());
            }
            else if (rows is not null)
            {
                tables.Add(new DocumentTable("tableau", rows, start));
                rows = null;
            }
        }
        return new DocumentText(text, tables);
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++) if (text[i] == '\n') line++;
        return line;
    }
}
