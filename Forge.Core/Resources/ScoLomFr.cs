namespace Forge.Core.Resources;

/// <summary>The ScoLOMFR concepts a resource maps to, by vocabulary, as concept URIs.</summary>
public sealed record ScoLomFrConcepts(
    IReadOnlyList<string> EducationalLevels,
    IReadOnlyList<string> ResourceTypes,
    IReadOnlyList<string> Places,
    IReadOnlyList<string> EducationalMethods)
{
    public bool IsEmpty => EducationalLevels.Count + ResourceTypes.Count + Places.Count + EducationalMethods.Count == 0;
}

/// <summary>
/// The one place where Forge's vocabulary codes map to ScoLOMFR concepts (the French LOM application profile kept by
/// Réseau Canopé), so exports and the API can speak ScoLOMFR. A grade is not filed under its cycle in ScoLOMFR's
/// level vocabulary, so Forge derives the cycle itself (<see cref="ResourceMetadataParser"/>) and emits both.
///
/// Source of every concept below: the official ScoLOMFR 3.1 vocabulary files (Réseau Canopé, 12/2016, version
/// « ScoLOMFR V3.1.0 12/2016 », licence CC BY-SA 3.0 FR), as kept in the public repository jdpro/scolomfr-recette under
/// <c>doc/scolomfr/scolomfr-v-3-1/</c>: <c>VDEX/scolomfrSkosXl_n_22.vdex</c> (voc-022), <c>VDEX/scolomfrSkosXl_n_17.vdex</c>
/// (voc-017), <c>VDEX/scolomfrSkosXl_n_18.vdex</c> (voc-018) and <c>SKOS-XL/SKOS-XL version n - n-1/scolomfrSkosXl_n_n-1_10.rdf</c>
/// (voc-010); the label quoted after each concept is its French caption (prefLabel) there. Every voc-022 URI listed also
/// appears in the enumeration of the official ScoLOMFR 3.2.1 XSD (<c>scolomfr/vocab/voc_022.xsd</c>, April 2017, as vendored by
/// freddyb2/scolomfr-ruby). Where no concept of the vocabulary says the same thing, the code is left unmapped and the
/// comment says so, rather than guessing.
/// </summary>
public static class ScoLomFr
{
    public const string ConceptBase = "http://data.education.fr/voc/scolomfr/concept/";
    public const string LevelVocabulary = "scolomfr-voc-022";
    public const string TypeVocabulary = "scolomfr-voc-010";
    public const string PlaceVocabulary = "scolomfr-voc-017";
    public const string MethodVocabulary = "scolomfr-voc-018";

    /// <summary>Grades → voc-022 « Niveau éducatif détaillé ».</summary>
    public static readonly IReadOnlyDictionary<string, string> Grades = new Dictionary<string, string>
    {
        ["ps"] = Concept("scolomfr-voc-022-num-005"),   // « petite section »
        ["ms"] = Concept("scolomfr-voc-022-num-006"),   // « moyenne section »
        ["gs"] = Concept("scolomfr-voc-022-num-007"),   // « grande section »
        ["cp"] = Concept("scolomfr-voc-022-num-010"),   // « CP »
        ["ce1"] = Concept("scolomfr-voc-022-num-011"),  // « CE1 »
        ["ce2"] = Concept("scolomfr-voc-022-num-013"),  // « CE2 »
        ["cm1"] = Concept("scolomfr-voc-022-num-014"),  // « CM1 »
        ["cm2"] = Concept("scolomfr-voc-022-num-015"),  // « CM2 »
        ["6e"] = Concept("scolomfr-voc-022-num-018"),   // « 6e »
        ["5e"] = Concept("scolomfr-voc-022-num-020"),   // « 5e »
        ["4e"] = Concept("scolomfr-voc-022-num-021"),   // « 4e »
        ["3e"] = Concept("scolomfr-voc-022-num-023"),   // « 3e »
        ["2nde"] = Concept("scolomfr-voc-022-num-136"), // « 2de générale et technologique » (common to both tracks)
        // Forge's 1re and tle are the general track (the NSI and SNT programmes shipped are general-track texts);
        // technological classes have concepts of their own (« 1re technologique » num-237, …) that Forge does not model.
        ["1re"] = Concept("scolomfr-voc-022-num-146"),  // « 1re générale »
        ["tle"] = Concept("scolomfr-voc-022-num-201"),  // « terminale générale »
    };

    /// <summary>Cycles → voc-022 (the 2016 cycles, decree n° 2015-1023).</summary>
    public static readonly IReadOnlyDictionary<string, string> Cycles = new Dictionary<string, string>
    {
        ["1"] = Concept("scolomfr-voc-022-num-617"),    // « cycle 1 (2016) »
        ["2"] = Concept("scolomfr-voc-022-num-619"),    // « cycle 2 (2016) »
        ["3"] = Concept("scolomfr-voc-022-num-620"),    // « cycle 3 (2016) »
        ["4"] = Concept("scolomfr-voc-022-num-621"),    // « cycle 4 (2016) »
        // The lycée is not a cycle in ScoLOMFR; the closest level concept is the school type.
        ["lycee"] = Concept("scolomfr-voc-022-num-142"), // « lycée général et technologique »
    };

    /// <summary>Resource types → voc-010 « Type pédagogique ».</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>
    {
        ["cours"] = Concept("lecture"),                      // « cours / présentation »
        ["activite"] = Concept("scolomfr-voc-010-num-027"),  // « activité pédagogique »
        ["exercice"] = Concept("exercise"),                  // « exercice »
        // « expérience »: « support d'une activité réalisée par l'apprenant en général dans des espaces spécialisés du
        // type laboratoires ou ateliers » — the vocabulary's closest concept to travaux pratiques (it has no « TP »).
        ["tp"] = Concept("experiment"),
        ["evaluation"] = Concept("scolomfr-voc-010-num-007"), // « évaluation »
        // « scénario pédagogique » (alt. « séquence pédagogique »): a structured training action with its sequences,
        // the closest concept to a training module; voc-010 has no « module ».
        ["module"] = Concept("scolomfr-voc-010-num-020"),
        ["outil"] = Concept("scolomfr-voc-010-num-017"),     // « outil »
        // "projet": voc-010 has no project type (the project method, « en activité de projet », is in voc-018); unmapped.
    };

    /// <summary>Place of use → voc-017 « Lieu d'utilisation de la ressource ».</summary>
    public static readonly IReadOnlyDictionary<string, string> Usages = new Dictionary<string, string>
    {
        ["classe"] = Concept("scolomfr-voc-017-num-005"),  // « en salle de classe »
        ["maison"] = Concept("scolomfr-voc-017-num-0016"), // « en milieu familial » (alt. « à la maison », « à domicile »)
    };

    /// <summary>Educational method → voc-018 « Modalité pédagogique ».</summary>
    public static readonly IReadOnlyDictionary<string, string> Autonomies = new Dictionary<string, string>
    {
        ["autonome"] = Concept("scolomfr-voc-018-num-003"),   // « en autonomie »
        ["accompagne"] = Concept("scolomfr-voc-018-num-004"), // « en classe entière »
    };

    /// <summary>Every ScoLOMFR concept a description maps to; codes with no concept are left out.</summary>
    public static ScoLomFrConcepts Of(ResourceMetadata m) => new(
        [.. Map(m.Grades, Grades), .. Map(m.Cycles, Cycles)],
        Map(m.Types, Types),
        Map(m.Usage, Usages),
        Map(m.Autonomy, Autonomies));

    /// <summary>The short id of a concept URI (<c>scolomfr-voc-022-num-621</c>, <c>lecture</c>).</summary>
    public static string ShortId(string conceptUri) =>
        conceptUri.StartsWith(ConceptBase, StringComparison.Ordinal) ? conceptUri[ConceptBase.Length..] : conceptUri;

    private static string Concept(string id) => ConceptBase + id;

    private static List<string> Map(IEnumerable<string> codes, IReadOnlyDictionary<string, string> concepts) =>
        codes.Select(c => concepts.GetValueOrDefault(c)).OfType<string>().Distinct().ToList();
}
