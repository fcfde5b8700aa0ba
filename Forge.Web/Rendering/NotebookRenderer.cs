using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Forge.Web.Rendering;

/// <summary>A notebook rendered to safe HTML, or the reason it could not be (in French, for the page).</summary>
public sealed record RenderedNotebook(string Html, string? Problem)
{
    public bool HasMath => MarkdownRenderer.ContainsMath(Html);
}

/// <summary>
/// Renders Jupyter notebooks (nbformat 4) on the server: Markdown cells through <see cref="MarkdownRenderer"/>, code
/// cells through <see cref="SyntaxHighlighter"/>, outputs as text, sanitised HTML or data-URI images. The JSON is
/// untrusted: bounded size, depth and cell count, and every piece of HTML goes through the sanitiser's allow-list.
/// </summary>
public sealed partial class NotebookRenderer(MarkdownRenderer markdown, SyntaxHighlighter highlighter)
{
    public const long MaxBytes = 20L * 1024 * 1024;
    public const int MaxCells = 5_000;
    private const int MaxDepth = 64;
    private const int MaxTextOutputChars = 200_000;

    private static readonly Dictionary<string, string> LanguageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = ".py", ["python3"] = ".py", ["ipython"] = ".py", ["r"] = ".r", ["julia"] = ".jl", ["javascript"] = ".js",
        ["typescript"] = ".ts", ["ocaml"] = ".ml", ["sql"] = ".sql", ["bash"] = ".sh", ["sh"] = ".sh", ["c"] = ".c", ["c++"] = ".cpp",
        ["cpp"] = ".cpp", ["java"] = ".java", ["scala"] = ".scala", ["haskell"] = ".hs", ["lua"] = ".lua", ["rust"] = ".rs", ["go"] = ".go",
    };

    // CSI sequences (colours, cursor moves) and OSC sequences (titles, links) that IPython puts in tracebacks.
    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^[A-Za-z0-9+/=\s]*$")]
    private static partial Regex Base64();

    private sealed class NotebookException(string message) : Exception(message);

    public static RenderedNotebook TooBig(long size) =>
        new("", $"Ce notebook pèse {Formatting.Size(size)} : au-delà de {MaxBytes / 1024 / 1024} Mo, il n’est pas affiché ici. Téléchargez le fichier brut pour l’ouvrir dans Jupyter.");

    public RenderedNotebook Render(byte[] bytes, MarkdownContext? context)
    {
        if (bytes.LongLength > MaxBytes) return TooBig(bytes.LongLength);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false });
            return new RenderedNotebook(RenderDocument(document.RootElement, context), null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (ligne {line + 1}, position {(e.BytePositionInLine ?? 0) + 1})" : "";
            // REVIEW: System.Text.Json has no error codes; its (English, unlocalised) messages are matched to explain in French.
            var why = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? $"le JSON est imbriqué sur plus de {MaxDepth} niveaux"
                : e.Message.Contains("Expected depth to be zero", StringComparison.OrdinalIgnoreCase)
                    ? "le JSON est incomplet (un objet ou une liste n’est pas refermé, le fichier a peut-être été coupé)"
                    : "ce n’est pas du JSON valide";
            return Invalid(bytes, $"Ce fichier n’est pas un notebook Jupyter lisible : {why}{where}. Il est affiché tel quel ci-dessous.");
        }
        catch (NotebookException e)
        {
            return Invalid(bytes, $"Ce fichier n’est pas un notebook Jupyter lisible : {e.Message}. Il est affiché tel quel ci-dessous.");
        }
    }

    private RenderedNotebook Invalid(byte[] bytes, string problem)
    {
        var lines = highlighter.Highlight("notebook.json", Encoding.UTF8.GetString(bytes));
        var html = new StringBuilder("<pre class=\"code\"><code>");
        for (var i = 0; i < lines.Count; i++)
            html.Append("<span id=\"L").Append(i + 1).Append("\"><a href=\"#L").Append(i + 1).Append("\">").Append(i + 1).Append("</a>").Append(lines[i]).Append('\n').Append("</span>");
        html.Append("</code></pre>");
        return new RenderedNotebook(html.ToString(), problem);
    }

    private string RenderDocument(JsonElement root, MarkdownContext? context)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new NotebookException("le document n’est pas un objet JSON");
        if (root.TryGetProperty("nbformat", out var format) && format.ValueKind == JsonValueKind.Number && format.TryGetInt32(out var major) && major < 4)
            throw new NotebookException($"il utilise l’ancien format nbformat {major} (seul le format 4, celui de Jupyter depuis 2015, est pris en charge)");
        if (!root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            throw new NotebookException("la liste des cellules (« cells ») est absente");
        if (cells.GetArrayLength() > MaxCells)
            throw new NotebookException($"il contient {cells.GetArrayLength()} cellules, au-delà de la limite de {MaxCells}");

        var extension = LanguageExtensions.GetValueOrDefault(Language(root) ?? "python", ".py");
        var html = new StringBuilder("<div class=\"notebook\">\n");
        var index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            index++;
            if (cell.ValueKind != JsonValueKind.Object) throw new NotebookException($"la cellule {index} n’est pas un objet JSON");
            var type = String(cell, "cell_type");
            var source = Text(cell, "source");
            switch (type)
            {
                case "markdown":
                    html.Append("<div class=\"cell markdown-cell\"><div class=\"prompt\"></div><div class=\"body markdown\">")
                        .Append(markdown.Render(source, context)).Append("</div></div>\n");
                    break;
                case "code":
                    var count = cell.TryGetProperty("execution_count", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var c) ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
                    html.Append("<div class=\"cell code-cell\"><div class=\"prompt\">[").Append(count).Append("]:</div><div class=\"body\">");
                    html.Append("<div class=\"input\"><pre class=\"highlight\"><code>")
                        .AppendJoin('\n', highlighter.Highlight("cellule" + extension, source)).Append("</code></pre></div>");
                    if (cell.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
                        foreach (var output in outputs.EnumerateArray()) RenderOutput(html, output, context);
                    html.Append("</div></div>\n");
                    break;
                case "raw":
                    html.Append("<div class=\"cell raw-cell\"><div class=\"prompt\"></div><div class=\"body\"><pre>").Append(Html.Encode(source)).Append("</pre></div></div>\n");
                    break;
                default:
                    throw new NotebookException($"la cellule {index} a un type inconnu (« {Truncate(type ?? "aucun", 40)} »)");
            }
        }
        return html.Append("</div>").ToString();
    }

    private void RenderOutput(StringBuilder html, JsonElement output, MarkdownContext? context)
    {
        if (output.ValueKind != JsonValueKind.Object) return;
        switch (String(output, "output_type"))
        {
            case "stream":
                var stream = String(output, "name") == "stderr" ? "stderr" : "stdout";
                html.Append("<div class=\"output ").Append(stream).Append("\"><pre>").Append(Html.Encode(Truncate(StripAnsi(Text(output, "text")), MaxTextOutputChars))).Append("</pre></div>");
                break;
            case "error":
                var traceback = output.TryGetProperty("traceback", out var tb) && tb.ValueKind == JsonValueKind.Array
                    ? string.Join('\n', tb.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()))
                    : $"{String(output, "ename")}: {String(output, "evalue")}";
                html.Append("<div class=\"output error\"><pre>").Append(Html.Encode(Truncate(StripAnsi(traceback), MaxTextOutputChars))).Append("</pre></div>");
                break;
            case "execute_result" or "display_data":
                if (output.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object) RenderData(html, data, context);
                break;
        }
    }

    /// <summary>One representation of a rich output, the richest Forge can show safely.</summary>
    private void RenderData(StringBuilder html, JsonElement data, MarkdownContext? context)
    {
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif", "image/svg+xml" })
        {
            if (!data.TryGetProperty(mime, out var image)) continue;
            var text = Text(image);
            // SVG is stored as text; an <img> never runs the scripts an SVG may hold.
            var base64 = mime == "image/svg+xml" ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : string.Concat(text.Where(ch => !char.IsWhiteSpace(ch)));
            if (!Base64().IsMatch(base64)) continue;
            html.Append("<div class=\"output image\"><img alt=\"Figure produite par la cellule\" src=\"data:").Append(mime).Append(";base64,").Append(base64).Append("\"></div>");
            return;
        }
        if (data.TryGetProperty("text/html", out var h))
        {
            html.Append("<div class=\"output html\">").Append(markdown.Sanitize(Text(h))).Append("</div>");
            return;
        }
        if (data.TryGetProperty("text/markdown", out var md))
        {
            html.Append("<div class=\"output markdown\">").Append(markdown.Render(Text(md), context)).Append("</div>");
            return;
        }
        if (data.TryGetProperty("text/latex", out var latex))
        {
            html.Append("<div class=\"output markdown\"><div class=\"math\">").Append(Html.Encode(Text(latex))).Append("</div></div>");
            return;
        }
        if (data.TryGetProperty("text/plain", out var plain))
            html.Append("<div class=\"output text\"><pre>").Append(Html.Encode(Truncate(StripAnsi(Text(plain)), MaxTextOutputChars))).Append("</pre></div>");
    }

    private static string? Language(JsonElement root)
    {
        if (!root.TryGetProperty("metadata", out var meta) || meta.ValueKind != JsonValueKind.Object) return null;
        if (meta.TryGetProperty("language_info", out var info) && info.ValueKind == JsonValueKind.Object && String(info, "name") is { } name) return name;
        if (meta.TryGetProperty("kernelspec", out var kernel) && kernel.ValueKind == JsonValueKind.Object && String(kernel, "language") is { } language) return language;
        return null;
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>nbformat stores multi-line text either as one string or as a list of lines.</summary>
    private static string Text(JsonElement element, string property) => element.TryGetProperty(property, out var value) ? Text(value) : "";

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString())),
        _ => "",
    };

    private static string StripAnsi(string text) => text.Contains('\x1B') ? Ansi().Replace(text, "") : text;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "\n[…] (sortie tronquée)";
}
