namespace Forge.Core.Resources;

/// <summary>
/// What a <c>resource.yml</c> says about an educational resource, after validation. Every list holds vocabulary
/// codes from <see cref="ResourceVocabulary"/> (or programme item ids from the programme catalogue), never free text,
/// except <see cref="Keywords"/>, <see cref="Authors"/> and <see cref="Accessibility"/>'s known codes.
/// </summary>
public sealed record ResourceMetadata
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Disciplines { get; init; } = [];
    public IReadOnlyList<string> Grades { get; init; } = [];
    /// <summary>Cycles as declared, or derived from <see cref="Grades"/> when the file gives none.</summary>
    public IReadOnlyList<string> Cycles { get; init; } = [];
    public bool CyclesDerived { get; init; }
    /// <summary>Place of use (ScoLOMFR voc-017): <c>classe</c>, <c>maison</c>.</summary>
    public IReadOnlyList<string> Usage { get; init; } = [];
    /// <summary>Educational method (ScoLOMFR voc-018): <c>autonome</c>, <c>accompagne</c>.</summary>
    public IReadOnlyList<string> Autonomy { get; init; } = [];
    /// <summary><c>aucune</c>, <c>adaptative</c> or <c>differenciee</c>; null when not said.</summary>
    public string? Personalisation { get; init; }
    public bool? HasExercises { get; init; }
    public bool? TeacherSeesResults { get; init; }
    /// <summary>Resource types (ScoLOMFR voc-010).</summary>
    public IReadOnlyList<string> Types { get; init; } = [];
    /// <summary>Total duration of the activity, minutes.</summary>
    public int? DurationMinutes { get; init; }
    /// <summary>Sustained attention the resource asks of a pupil at a stretch, minutes.</summary>
    public int? FocusMinutes { get; init; }
    public IReadOnlyList<string> Accessibility { get; init; } = [];
    /// <summary>ISO 639-1 codes (<c>fr</c>, <c>en</c>, ...).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];
    public IReadOnlyList<string> Authors { get; init; } = [];
    /// <summary>The resource this one adapts: <c>owner/repo</c> on this forge, or an http(s) URL elsewhere.</summary>
    public string? BasedOn { get; init; }
    /// <summary><c>eleve</c>, <c>enseignant</c>, <c>formateur</c>.</summary>
    public IReadOnlyList<string> Audience { get; init; } = [];
    /// <summary>Items of the official programmes (ids of the programme catalogue, e.g. <c>nsi-1re.types-base.booleens</c>).</summary>
    public IReadOnlyList<string> Programme { get; init; } = [];
    public string? Licence { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];

    public static readonly ResourceMetadata Empty = new();
}

/// <summary>One problem found in a <c>resource.yml</c>: which field, which value, and what is allowed (French).</summary>
public sealed record MetadataProblem(string Field, string? Value, string Message);

/// <summary>The outcome of reading a <c>resource.yml</c>: the valid part of it, and every problem found.</summary>
public sealed record ResourceMetadataResult(ResourceMetadata Metadata, IReadOnlyList<MetadataProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
