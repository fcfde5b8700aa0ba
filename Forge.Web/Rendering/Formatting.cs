using System.Globalization;

namespace Forge.Web.Rendering;

/// <summary>Small display helpers shared by pages (French formats).</summary>
public static class Formatting
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} o",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", French) + " Kio",
        < 1024L * 1024 * 1024 => (bytes / 1024d / 1024).ToString("0.#", French) + " Mio",
        _ => (bytes / 1024d / 1024 / 1024).ToString("0.##", French) + " Gio",
    };

    public static string Date(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("d MMMM yyyy", French);

    public static string Date(DateTimeOffset d) => d.ToString("d MMMM yyyy 'à' HH:mm", French);

    /// <summary>"il y a 3 jours", "à l’instant"; the absolute date goes in a title or beside it.</summary>
    public static string Relative(DateTimeOffset when, DateTimeOffset? now = null)
    {
        var span = (now ?? DateTimeOffset.UtcNow) - when;
        if (span < TimeSpan.FromMinutes(1)) return "à l’instant";
        if (span < TimeSpan.FromHours(1)) return $"il y a {Plural((int)span.TotalMinutes, "minute", "minutes")}";
        if (span < TimeSpan.FromDays(1)) return $"il y a {Plural((int)span.TotalHours, "heure", "heures")}";
        if (span < TimeSpan.FromDays(31)) return $"il y a {Plural((int)span.TotalDays, "jour", "jours")}";
        if (span < TimeSpan.FromDays(365)) return $"il y a {(int)(span.TotalDays / 30.4)} mois";
        return $"il y a {Plural((int)(span.TotalDays / 365.25), "an", "ans")}";
    }

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>"3 fichiers", "1 fichier".</summary>
    public static string Plural(int n, string one, string many) => $"{n.ToString("N0", French)} {(n > 1 ? many : one)}";
}
