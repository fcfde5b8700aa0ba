using System.Globalization;

namespace Forge.Web.Rendering;

/// <summary>
/// Small display helpers shared by pages. They follow the request's culture (French by default, English when
/// chosen); French text is the key and English comes from <c>Resources/SharedResource.en.resx</c>.
/// </summary>
public static class Formatting
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;
    private static bool IsFrench => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} {SharedResource.T("o")}",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", Culture) + " " + SharedResource.T("Kio"),
        < 1024L * 1024 * 1024 => (bytes / 1024d / 1024).ToString("0.#", Culture) + " " + SharedResource.T("Mio"),
        _ => (bytes / 1024d / 1024 / 1024).ToString("0.##", Culture) + " " + SharedResource.T("Gio"),
    };

    /// <summary>"3 décembre 2026" / "December 3, 2026".</summary>
    public static string Date(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString(SharedResource.T("d MMMM yyyy"), Culture);

    /// <summary>"3 décembre 2026 à 14:05" / "December 3, 2026 at 14:05".</summary>
    public static string Date(DateTimeOffset d) => d.ToString(SharedResource.T("d MMMM yyyy 'à' HH:mm"), Culture);

    /// <summary>"il y a 3 jours", "à l’instant" / "3 days ago", "just now"; the absolute date goes in a title or beside it.</summary>
    public static string Relative(DateTimeOffset when, DateTimeOffset? now = null)
    {
        var span = (now ?? DateTimeOffset.UtcNow) - when;
        if (span < TimeSpan.FromMinutes(1)) return SharedResource.T("à l’instant");
        var amount =
            span < TimeSpan.FromHours(1) ? Plural((int)span.TotalMinutes, SharedResource.T("minute"), SharedResource.T("minutes"))
            : span < TimeSpan.FromDays(1) ? Plural((int)span.TotalHours, SharedResource.T("heure"), SharedResource.T("heures"))
            : span < TimeSpan.FromDays(31) ? Plural((int)span.TotalDays, SharedResource.T("jour"), SharedResource.T("jours"))
            : span < TimeSpan.FromDays(365) ? Plural((int)(span.TotalDays / 30.4), SharedResource.T("mois"), IsFrench ? "mois" : SharedResource.T("mois (pluriel)"))
            : Plural((int)(span.TotalDays / 365.25), SharedResource.T("an"), SharedResource.T("ans"));
        return string.Format(Culture, SharedResource.T("il y a {0}"), amount);
    }

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>An average rating given in tenths: « 4,3 / 5 » (« 4.3 / 5 » in English).</summary>
    public static string Rating(int tenths) => $"{(tenths / 10.0).ToString("0.0", Culture)} / 5";

    /// <summary>« 1 avis », « 3 avis » (the French word does not change); "1 review", "3 reviews".</summary>
    public static string Reviews(int n) => IsFrench ? Plural(n, "avis", "avis") : Plural(n, "review", "reviews");

    /// <summary>"3 fichiers", "1 fichier", "0 fichier" in French; "0 files" in English (the words come already translated).</summary>
    public static string Plural(int n, string one, string many) => $"{n.ToString("N0", Culture)} {(IsMany(n) ? many : one)}";

    /// <summary>Like <see cref="Plural"/> with whole sentences: "{0} ajout" / "{0} ajouts" (the number goes in {0}).</summary>
    public static string Count(int n, string one, string many) => string.Format(Culture, IsMany(n) ? many : one, n.ToString("N0", Culture));

    /// <summary>"Dossier" from "dossier": one translated text serves at the start of a sentence and inside one.</summary>
    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpper(text[0], Culture) + text[1..];

    /// <summary>French puts 0 and 1 in the singular, English only 1.</summary>
    private static bool IsMany(int n) => IsFrench ? n > 1 : n != 1;
}
