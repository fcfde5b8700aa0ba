using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Forge.Web.Rendering;

/// <summary>
/// URLs of theme files under <c>/assets</c> fingerprinted with a hash of their content (<c>?v=…</c>), so they can be
/// cached for a year and still change the moment the file does.
/// </summary>
public static class Assets
{
    public const string RequestPath = "/assets";
    private static readonly string DefaultRoot = Path.Combine(AppContext.BaseDirectory, "themes", "default");

    private static string ThemeRoot(string theme) => Path.Combine(AppContext.BaseDirectory, "themes", theme);
    private static readonly ConcurrentDictionary<string, string> Urls = new(StringComparer.Ordinal);

    public static string KatexCss => Url("vendor/katex/katex.min.css");
    public static string KatexJs => Url("vendor/katex/katex.min.js");
    public static string MathJs => Url("math.js");
    public static string DiagramsJs => Url("diagrams.js");
    public static string DiagramFrame => Url("diagram-frame.html");
    public const string DiagramFramePath = RequestPath + "/diagram-frame.html";

    /// <summary>True when the chosen theme itself has <paramref name="path"/> (for files only themes add, such as theme.css).</summary>
    public static bool ThemeHas(string theme, string path) => File.Exists(Path.Combine(ThemeRoot(theme), path));

    /// <summary><c>/assets/{path}?v={hash}</c>; without the query string when the file is missing.</summary>
    public static string Url(string path) => Url(path, "default");

    /// <summary>Like <see cref="Url(string)"/>, for the file the given theme serves (its own, else the default's).</summary>
    public static string Url(string path, string theme) => Urls.GetOrAdd(theme + "/" + path, _ =>
    {
        var p = path;
        var file = Path.Combine(ThemeRoot(theme), p);
        if (!File.Exists(file)) file = Path.Combine(DefaultRoot, p);
        if (!File.Exists(file)) return $"{RequestPath}/{p}";
        using var stream = File.OpenRead(file);
        return $"{RequestPath}/{p}?v={Convert.ToHexStringLower(SHA256.HashData(stream))[..12]}";
    });

    /// <summary>Fingerprinted URLs never change content; vendored files (fonts named by KaTeX's CSS) change only on upgrade.</summary>
    public static string CacheControlFor(HttpContext context) =>
        context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable"
        : context.Request.Path.StartsWithSegments(RequestPath + "/vendor") ? "public, max-age=2592000"
        : "public, max-age=3600";
}
