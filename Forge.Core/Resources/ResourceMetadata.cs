namespace Forge.Core.Resources;

/// <summary>What a <c>resource.yml</c> says about an educational resource, after validation.</summary>
public sealed record ResourceMetadata
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Disciplines { get; init; } = [];
    public IReadOnlyList<string> Grades { get; init; } = [];
    /// <summary>Cycles as declared, or derived from <see cref="Grades"/> when the file gives none.</summary>
    public IReadOnlyList<string> Cycles { get; init; } = [];
    public bool CyclesDerived { get; init; }
    public IReadOnlyList<string> Usage { get; init; } = [];
    public IReadOnlyList<string> Types { get; init; } = [];
    public int? DurationMinutes { get; init; }
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
