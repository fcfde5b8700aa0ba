using System.Text.Json.Serialization;

namespace Forge.Core.Privacy;

/// <summary>How sure the scanner is that a file holds pupils' personal data.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PrivacyConfidence>))]
public enum PrivacyConfidence { Medium, High }

/// <summary>
/// Likely personal data found in one file: its kind (stable code), how sure, where (first line or row), how many
/// occurrences, a masked excerpt (never the data itself) and a French explanation.
/// </summary>
public sealed record PrivacyFinding(string Kind, PrivacyConfidence Confidence, int? Line, int Count, string Excerpt, string Message)
{
    public const string ClassList = "class-list", Email = "email", Phone = "phone", Ine = "ine", BirthDate = "birth-date";

    public static string Label(string kind) => kind switch
    {
        ClassList => "Liste d’élèves (noms avec notes ou classes)",
        Email => "Adresses électroniques",
        Phone => "Numéros de téléphone",
        Ine => "Numéros INE (identifiant national élève)",
        BirthDate => "Dates de naissance",
        _ => kind,
    };
}
