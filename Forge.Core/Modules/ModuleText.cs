using System.Globalization;
using Forge.Core.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Modules;

/// <summary>Small text rules shared by the module and quiz parsers.</summary>
public static partial class ModuleText
{
    public const int MaxPathLength = 500;

    private static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase) { ".mp4", ".webm", ".ogv", ".m4v", ".mov" };

    /// <summary>For comparing typed answers (<see cref="TextFolding.Fold"/>): « Cœur » and « coeur » are the same answer.</summary>
    public static string Fold(string text) => TextFolding.Fold(text);

    /// <summary>
    /// A section id: « Découvrir Python ! » → « decouvrir-python », at most 64 characters. Ligatures stay separators
    /// (« nœud » → « n-ud ») as before <see cref="TextFolding"/> spelt them out: ids are computed from titles on every read,
    /// and section URLs and learners' stored progress must not change.
    /// </summary>
    public static string Slug(string text) => TextFolding.Slug(text, 64, expandLigatures: false);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex SectionId();

    [GeneratedRegex(@"^(?:(\d{1,4})(?:h|heures?|hours?))?(?:(\d{1,5})(?:min|mn|minutes?|m)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>« 3h », « 1h30 », « 90min », « 90 minutes », « 2 heures » or a number of minutes; null when not understood.</summary>
    public static int? ParseDuration(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        if (compact.Length == 0) return null;
        var m = DurationPattern().Match(compact);
        if (!m.Success || (!m.Groups[1].Success && !m.Groups[2].Success)) return null;
        var minutes = (m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60 : 0)
            + (m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
        return minutes is > 0 and <= 100_000 ? minutes : null;
    }

    /// <summary>« 3 h », « 1 h 30 », « 45 min ».</summary>
    public static string FormatDuration(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => $"{m} min",
        (var h, 0) => $"{h} h",
        (var h, var m) => $"{h} h {m:00}",
    };

    /// <summary>
    /// A repository-relative path as written in a module, cleaned (<c>\</c> as <c>/</c>, no leading <c>./</c>), or the reason
    /// it is refused (French): absolute, <c>..</c>, empty, control characters, too long.
    /// </summary>
    public static (string? Path, string? Problem) CleanPath(string raw)
    {
        var path = raw.Trim().Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        if (path.Length == 0) return (null, "chemin vide.");
        if (path.Length > MaxPathLength) return (null, $"chemin trop long (plus de {MaxPathLength} caractères).");
        if (path.StartsWith('/') || path.Contains(':')) return (null, $"« {raw.Trim()} » doit être un chemin relatif à la racine du dépôt (sans « / » au début).");
        if (path.Split('/').Any(s => s is ".." or "." ))
            return (null, $"« {raw.Trim()} » sort du dépôt ou contient « .. » : écrivez le chemin depuis la racine du dépôt.");
        if (path.Any(char.IsControl)) return (null, "le chemin contient des caractères de contrôle.");
        return (path.TrimEnd('/'), null);
    }

    public static bool IsVideo(string pathOrUrl)
    {
        var clean = pathOrUrl.Split('?', '#')[0];
        return VideoExtensions.Contains(System.IO.Path.GetExtension(clean));
    }

    /// <summary>An absolute http or https URL, else null.</summary>
    public static Uri? HttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host) ? uri : null;
}
