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
            return Resources.GetString(french, CultureInfo.CurrentUICulture) ?? french;
        }
        catch (MissingManifestResourceException)
        {
            // A culture with no resource file at all (a background thread, a test host in the invariant culture):
            // there is no neutral .resx, French is the text.
            return french;
        }
    }

    /// <summary>A message that carries values: the French format (its own key, as in <c>L["… {0} …", value]</c>) translated, then filled in.</summary>
    public static string T(string frenchFormat, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, T(frenchFormat), args);
}
