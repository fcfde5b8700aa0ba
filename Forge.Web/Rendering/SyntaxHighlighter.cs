using System.Text;
using TextMateSharp.Grammars;
using TextMateSharp.Registry;

namespace Forge.Web.Rendering;

/// <summary>
/// Server-side syntax highlighting with TextMate grammars (the grammars VS Code uses, through TextMateSharp):
/// each line becomes HTML-encoded text with <c>&lt;span class="hl-…"&gt;</c> around tokens. No JavaScript needed.
/// Budgets keep hostile files cheap: long lines and big files are shown plain, and tokenizing has a time limit.
/// </summary>
public sealed class SyntaxHighlighter
{
    /// <summary>Changes whenever the HTML this class writes does, so that stored renderings (<see cref="RenderingStore"/>) are redone.</summary>
    public const string Version = "1";

    private const int MaxLines = 20_000;
    private const int MaxLineLength = 3_000;
    private static readonly TimeSpan LineTimeLimit = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// TextMate grammars are slow (around half a millisecond a line for Python): during a page view, past this budget the
    /// rest of the file is shown plain. Big files are highlighted whole after pushes instead (<see cref="RenderingStore"/>).
    /// </summary>
    public static readonly TimeSpan PageTimeLimit = TimeSpan.FromMilliseconds(100);

    private readonly RegistryOptions _options = new(ThemeName.LightPlus);
    private readonly Registry _registry;
    private readonly Dictionary<string, (IGrammar? Grammar, Lock Gate)> _grammars = new(StringComparer.Ordinal);
    private readonly Lock _load = new();

    private static readonly Dictionary<string, string> ExtraExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pyw"] = ".py", [".mjs"] = ".js", [".cjs"] = ".js", [".yml"] = ".yaml", [".htm"] = ".html", [".bash"] = ".sh",
        [".ipynb"] = ".json", [".markdown"] = ".md", [".h"] = ".c",
    };

    public SyntaxHighlighter() => _registry = new Registry(_options);

    /// <summary>
    /// Lines of <paramref name="text"/> as safe HTML, highlighted when the file's language is known, within
    /// <paramref name="budget"/> (<see cref="PageTimeLimit"/> by default); lines past it are shown plain.
    /// </summary>
    public IReadOnlyList<string> Highlight(string fileName, string text, TimeSpan? budget = null)
    {
        var lines = SplitLines(text);
        var grammar = GrammarFor(fileName);
        if (grammar.Grammar is null || lines.Count > MaxLines) return lines.Select(Html.Encode).ToList();
        var limit = budget ?? PageTimeLimit;
        var html = new List<string>(lines.Count);
        var cutShort = false;
        lock (grammar.Gate)
        {
            TextMateSharp.Grammars.IStateStack? state = null;
            // The clock starts after the first line: the first use of a grammar compiles its expressions (tens of
            // milliseconds, more on a busy machine), which must not cost a short file its colours. A line is itself
            // limited to LineTimeLimit, so a hostile first line costs no more than that.
            System.Diagnostics.Stopwatch? clock = null;
            foreach (var line in lines)
            {
                if (line.Length > MaxLineLength || clock?.Elapsed > limit)
                {
                    cutShort |= line.Length <= MaxLineLength;
                    html.Add(Html.Encode(line));
                    state = null;
                    continue;
                }
                var result = grammar.Grammar.TokenizeLine(line, state, LineTimeLimit);
                state = result.RuleStack;
                var sb = new StringBuilder(line.Length + 32);
                var pos = 0;
                string? openClass = null;
                foreach (var token in result.Tokens)
                {
                    var start = Math.Max(pos, Math.Min(token.StartIndex, line.Length));
                    var end = Math.Min(token.EndIndex, line.Length);
                    if (end <= start) continue;
                    if (start > pos) sb.Append(Html.Encode(line[pos..start]));
                    pos = end;
                    var cls = ClassOf(token.Scopes);
                    // Adjacent tokens of one colour share one span: pages stay small.
                    if (cls != openClass)
                    {
                        if (openClass is not null) sb.Append("</span>");
                        if (cls is not null) sb.Append("<span class=\"hl-").Append(cls).Append("\">");
                        openClass = cls;
                    }
                    sb.Append(Html.Encode(line[start..end]));
                }
                if (openClass is not null) sb.Append("</span>");
                // A tokenizer stopped by its time limit leaves the end of the line: never lose text.
                if (pos < line.Length) sb.Append(Html.Encode(line[pos..]));
                html.Add(sb.ToString());
                clock ??= System.Diagnostics.Stopwatch.StartNew();
            }
        }
        return cutShort ? new CutShortLines(html) : html;
    }

    /// <summary>Lines whose highlighting was cut short by the time budget: worth keeping a minute, not for hours.</summary>
    public sealed class CutShortLines(IEnumerable<string> lines) : List<string>(lines);

    /// <summary>The TextMate scope of the grammar that highlights <paramref name="fileName"/> (e.g. <c>source.python</c>), or null.</summary>
    public string? GrammarScope(string fileName) => GrammarFor(fileName).Grammar?.GetScopeName();

    public static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private (IGrammar? Grammar, Lock Gate) GrammarFor(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        if (ExtraExtensions.TryGetValue(ext, out var mapped)) ext = mapped;
        if (fileName.Equals("Makefile", StringComparison.OrdinalIgnoreCase)) ext = ".mk";
        if (fileName.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)) ext = ".dockerfile";
        lock (_load)
        {
            if (_grammars.TryGetValue(ext, out var cached)) return cached;
            IGrammar? grammar = null;
            try
            {
                var scope = ext.Length > 0 ? _options.GetScopeByExtension(ext) : null;
                if (scope is not null) grammar = _registry.LoadGrammar(scope);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
            {
                grammar = null;
            }
            var entry = (grammar, new Lock());
            _grammars[ext] = entry;
            return entry;
        }
    }

    /// <summary>Maps TextMate scopes (most specific last) to a few CSS classes the themes colour.</summary>
    private static string? ClassOf(IList<string> scopes)
    {
        for (var i = scopes.Count - 1; i >= 0; i--)
        {
            var s = scopes[i];
            if (s.StartsWith("comment", StringComparison.Ordinal)) return "c";
            if (s.StartsWith("constant.character.escape", StringComparison.Ordinal)) return "e";
            if (s.StartsWith("string", StringComparison.Ordinal) || s.StartsWith("markup.inline.raw", StringComparison.Ordinal)) return "s";
            if (s.StartsWith("constant.numeric", StringComparison.Ordinal)) return "n";
            if (s.StartsWith("constant.language", StringComparison.Ordinal) || s.StartsWith("variable.language", StringComparison.Ordinal)) return "kc";
            // Operators stay plain; punctuation takes the colour of what encloses it (quotes of a string, # of a comment).
            if (s.StartsWith("keyword.operator", StringComparison.Ordinal)) return null;
            if (s.StartsWith("punctuation", StringComparison.Ordinal)) continue;
            if (s.StartsWith("keyword", StringComparison.Ordinal) || s.StartsWith("storage", StringComparison.Ordinal)) return "k";
            if (s.StartsWith("entity.name.function", StringComparison.Ordinal) || s.StartsWith("support.function", StringComparison.Ordinal)
                || s.StartsWith("meta.function-call.generic", StringComparison.Ordinal)) return "f";
            if (s.StartsWith("entity.name.tag", StringComparison.Ordinal)) return "tag";
            if (s.StartsWith("entity.other.attribute-name", StringComparison.Ordinal) || s.StartsWith("support.type.property-name", StringComparison.Ordinal)) return "a";
            if (s.StartsWith("entity.name", StringComparison.Ordinal) || s.StartsWith("support.class", StringComparison.Ordinal)
                || s.StartsWith("support.type", StringComparison.Ordinal)) return "t";
            if (s.StartsWith("variable.parameter", StringComparison.Ordinal)) return "v";
            if (s.StartsWith("markup.heading", StringComparison.Ordinal)) return "h";
            if (s.StartsWith("markup.bold", StringComparison.Ordinal)) return "b";
            if (s.StartsWith("markup.italic", StringComparison.Ordinal)) return "i";
            if (s.StartsWith("meta.decorator", StringComparison.Ordinal) || s.StartsWith("entity.name.function.decorator", StringComparison.Ordinal)) return "d";
        }
        return null;
    }
}
