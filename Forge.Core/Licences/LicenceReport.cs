using System.Text.Json.Serialization;

namespace Forge.Core.Licences;

/// <summary>The licence badge of a repository: text first, colour only as a complement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LicenceStatus>))]
public enum LicenceStatus
{
    /// <summary>« Licence ouverte »: an open licence, nothing to fix.</summary>
    Open,
    /// <summary>« À vérifier »: a licence, but something to check (restrictions, contradictions, files without licence).</summary>
    ToCheck,
    /// <summary>« Non réutilisable »: no licence, or the repository breaks the licence of what it adapts.</summary>
    NotReusable,
}

[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity { Info, Warning, Error }

/// <summary>A safe change Forge can commit for the user: a new licence file with a vendored licence text.</summary>
public sealed record LicenceFix(string Licence, string Path)
{
    public string Label => $"Ajouter un fichier {Path} ({Licence})";
}

/// <summary>One problem (or piece of advice) with a stable code, the file concerned, and a French explanation.</summary>
public sealed record LicenceFinding(string Code, FindingSeverity Severity, string? Path, string Message, LicenceFix? Fix = null);

/// <summary>A licence stated in words by the repository: resource.yml, a REUSE annotation.</summary>
public sealed record DeclaredLicence(string Id, string Path, bool Known);

/// <summary>A licence recognised in a file, with the confidence of the match.</summary>
public sealed record DetectedLicence(string Id, string Path, double Confidence, MatchMethod Method);

/// <summary>How many files carry licence information, for the report's summary.</summary>
public sealed record FileCoverage(int Total, int Covered, int WithoutLicence, int WithoutCopyright, bool Reuse)
{
    /// <summary>Files read by the check that made the report: all of them the first time, then only those changed since.</summary>
    public int Read { get; init; }
}

/// <summary>The resource a repository adapts (<c>based_on</c>, or the parent of a fork) and what Forge found about it.</summary>
public sealed record SourceCheck(string Kind, string Reference, string State, IReadOnlyList<string> Licences)
{
    public const string Found = "found", NotFound = "not-found", External = "external";
    /// <summary>Kinds of source: the <c>based_on</c> of resource.yml, or the repository a fork was made from.</summary>
    public const string BasedOn = "based_on", Fork = "fork";
}

/// <summary>Everything Forge found about a repository's licences at one commit of its default branch.</summary>
public sealed record LicenceReport
{
    /// <summary>Bumped whenever the rules change, so stored reports are recomputed.</summary>
    public const int RulesVersion = 1;

    public required string CommitSha { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
    public LicenceStatus Status { get; init; }
    public IReadOnlyList<DeclaredLicence> Declared { get; init; } = [];
    public IReadOnlyList<DetectedLicence> Detected { get; init; } = [];
    public IReadOnlyList<LicenceFinding> Findings { get; init; } = [];
    public required FileCoverage Files { get; init; }
    /// <summary>The resources this one adapts (<c>based_on</c>, a fork's parent), each with its licences.</summary>
    public IReadOnlyList<SourceCheck> Sources { get; init; } = [];
    /// <summary>The licences that apply to the repository as a whole.</summary>
    public IReadOnlyList<string> Licences { get; init; } = [];

    public static string Label(LicenceStatus status) => status switch
    {
        LicenceStatus.Open => "Licence ouverte",
        LicenceStatus.ToCheck => "À vérifier",
        _ => "Non réutilisable",
    };
}
