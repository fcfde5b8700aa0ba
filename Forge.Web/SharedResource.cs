using System.Globalization;
using System.Resources;

namespace Forge.Web;

/// <summary>
/// The one resource class of the interface. French is the source language: a French sentence is its own key and
/// needs no resource file; other languages live in <c>Resources/SharedResource.{culture}.resx</c>
/// (read by <see cref="Microsoft.Extensions.Localization.IStringLocalizer{T}"/> in views).
/// </summary>
public sealed class SharedResource
{
    public const string CookieName = "forge_culture";

    /// <summary>The languages a visitor can choose: culture name and the language's own name.</summary>
    public static readonly IReadOnlyList<(string Culture, string Name)> Languages = [("fr-FR", "Français"), ("en", "English")];

    /// <summary>"fr" or "en": the language of the current request (for <c>lang</c> attributes and cache keys).</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    private static readonly ResourceManager Resources = new("Forge.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    /// <summary>The text in the current UI culture (for static helpers that cannot take a localizer); the French key when untranslated.</summary>
    public static string T(string french)
    {
        if (Language == "fr") return french;
        try
        {
            return Find(french) ?? french;
        }
        catch (MissingManifestResourceException)
        {
            // A culture with no resource file at all (a background thread, a test host in the invariant culture):
            // there is no neutral .resx, French is the text.
            return french;
        }
    }

    /// <summary>
    /// The translation of <paramref name="french"/>, or null. Resource names are unique regardless of case (the resource
    /// compiler drops « fichier » when « Fichier » exists), so a key found only with its first letter's case changed is
    /// used with the first letter of its translation changed the same way: « fichier » → "file", « Fichier » → "File".
    /// </summary>
    private static string? Find(string french)
    {
        var culture = CultureInfo.CurrentUICulture;
        if (Lookup(french, culture) is { } exact) return exact;
        if (french.Length == 0 || !char.IsLetter(french[0])) return null;
        var lower = char.IsLower(french[0]);
        var other = (lower ? char.ToUpper(french[0], culture) : char.ToLower(french[0], culture)) + french[1..];
        if (Lookup(other, culture) is not { Length: > 0 } found) return null;
        return (lower ? char.ToLower(found[0], culture) : char.ToUpper(found[0], culture)) + found[1..];
    }

    /// <summary>
    /// The text of <paramref name="key"/> in the resource file of <paramref name="culture"/> or of a parent culture ("en-GB", then
    /// "en"). Read set by set: <see cref="ResourceManager.GetString(string, CultureInfo)"/> would end its search in the neutral
    /// resources, which do not exist (French is the source), and throw instead of answering "not found".
    /// </summary>
    private static string? Lookup(string key, CultureInfo culture)
    {
        for (var c = culture; !Equals(c, CultureInfo.InvariantCulture); c = c.Parent)
            if (Resources.GetResourceSet(c, createIfNotExists: true, tryParents: false)?.GetString(key) is { } value) return value;
        return null;
    }

    /// <summary>Whether <paramref name="french"/> has a translation in the current UI culture (French always has).</summary>
    public static bool IsTranslated(string french)
    {
        if (Language == "fr") return true;
        try { return Find(french) is not null; }
        catch (MissingManifestResourceException) { return false; }
    }

    /// <summary>A message that carries values: the French format (its own key, as in <c>L["… {0} …", value]</c>) translated, then filled in.</summary>
    public static string T(string frenchFormat, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, T(frenchFormat), args);
}

/// <summary>
/// The views' <c>L["…"]</c>: the same lookup as <see cref="SharedResource.T(string)"/> (a French sentence is its own key,
/// the first letter's case follows the key), so a page and a static helper never translate the same words differently.
/// </summary>
public sealed class SharedLocalizer : Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>
{
    public Microsoft.Extensions.Localization.LocalizedString this[string name] =>
        new(name, SharedResource.T(name), resourceNotFound: !SharedResource.IsTranslated(name));

    public Microsoft.Extensions.Localization.LocalizedString this[string name, params object[] arguments] =>
        new(name, string.Format(CultureInfo.CurrentCulture, SharedResource.T(name), arguments), resourceNotFound: !SharedResource.IsTranslated(name));

    public IEnumerable<Microsoft.Extensions.Localization.LocalizedString> GetAllStrings(bool includeParentCultures) => [];
}
