using Forge.Core.Licences;
using Forge.Git;
using Forge.Web.Compliance;
using Forge.Web.Repos;

namespace Forge.Web.Api;

/// <summary>
/// Forge's own compliance endpoints (Gitea has none): the licence report and its one-click fix, the personal-data
/// findings (maintainers only) and their dismissal, and the administrators' overview.
/// </summary>
public static partial class ApiV1
{
    /// <summary>Body of <c>POST …/licences/fix</c>: the licence whose text is committed as LICENSE, and optionally the expected branch tip.</summary>
    public sealed record LicenceFixOption(string? Licence, string? Sha);

    /// <summary>Body of <c>POST …/privacy/dismissals</c>: the file whose findings are not personal data.</summary>
    public sealed record PrivacyDismissOption(string? Path);

    public sealed record ApiDeclaredLicence(string Licence, string Path, bool Known);

    /// <summary><c>method</c>: <c>text</c>, <c>modified_text</c> or <c>mention</c>.</summary>
    public sealed record ApiDetectedLicence(string Licence, string Path, double Confidence, string Method);

    public sealed record ApiLicenceFix(string Licence, string Path, string Label);

    /// <summary>A finding with a stable <c>code</c>; <c>severity</c>: <c>info</c>, <c>warning</c> or <c>error</c>.</summary>
    public sealed record ApiLicenceFinding(string Code, string Severity, string? Path, string Message, ApiLicenceFix? Fix);

    public sealed record ApiFileCoverage(int Total, int Covered, int WithoutLicence, int WithoutCopyright, bool Reuse, int Read);

    public sealed record ApiLicenceSource(string Kind, string Reference, string State, IReadOnlyList<string> Licences);

    /// <summary>The licence report of the default branch; <c>status</c>: <c>open</c>, <c>to_check</c>, <c>not_reusable</c> or <c>pending</c>.</summary>
    public sealed record ApiLicenceReport
    {
        private const System.Text.Json.Serialization.JsonIgnoreCondition Pending = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        public string Status { get; init; } = "";
        public string Label { get; init; } = "";
        public string? Commit { get; init; }
        public bool Current { get; init; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = Pending)]
        public DateTimeOffset? CheckedAt { get; init; }
        public IReadOnlyList<string> Licences { get; init; } = [];
        public List<ApiDeclaredLicence> Declared { get; init; } = [];
        public List<ApiDetectedLicence> Detected { get; init; } = [];
        public List<ApiLicenceFinding> Findings { get; init; } = [];
        [System.Text.Json.Serialization.JsonIgnore(Condition = Pending)]
        public ApiFileCoverage? Files { get; init; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = Pending)]
        public List<ApiLicenceSource>? Sources { get; init; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = Pending)]
        public string? SpdxList { get; init; }
    }

    public sealed record ApiCommitId(string Sha);

    /// <summary>The licence file committed.</summary>
    public sealed record ApiLicenceFixed(ApiCommitId Commit, string Path, string? Licence);

    public sealed record ApiPrivacyScan(string Branch, string Commit);

    public sealed record ApiPrivacyHold(DateTime Since, string Reason);

    /// <summary>Likely personal data of a pupil; <c>confidence</c>: <c>high</c> or <c>medium</c>.</summary>
    public sealed record ApiPrivacyFinding(string Path, string Branch, string BlobSha, string Kind, string Label, string Confidence, int? Line, int Count,
        string Excerpt, string Message, bool Dismissed);

    /// <summary>The branches scanned (at which commit), the hold on publication if any, and the findings.</summary>
    public sealed record ApiPrivacyReport(List<ApiPrivacyScan> Scanned, ApiPrivacyHold? Held, List<ApiPrivacyFinding> Findings);

    /// <summary>A repository whose licences or personal data need attention.</summary>
    public sealed record ApiComplianceProblem(string FullName, bool Private, string? Status, string[] Licences, int Errors, int Warnings, int PrivacyFindings,
        bool Held, DateTime? CheckedAt);

    private static void MapCompliance(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/licences", GetLicences)
            .WithName("forgeGetLicences").WithSummary("Forge's own: the licence report of the default branch (status, declared and detected licences, findings with stable codes); `status` is `pending` (and `checked_at`, `files`, `sources`, `spdx_list` absent) until the first check.")
            .Produces<ApiLicenceReport>();
        api.MapPost("/repos/{owner}/{repo}/licences/fix", FixLicence)
            .WithName("forgeFixLicence").WithSummary("Forge's own: commits a LICENSE file with the SPDX text of `licence` on the default branch (writers; no licence file yet) → 201.")
            .RequestBody(typeof(LicenceFixOption)).Produces<ApiLicenceFixed>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapGet("/repos/{owner}/{repo}/privacy", GetPrivacy)
            .WithName("forgeGetPrivacy").WithSummary("Forge's own: likely personal data of pupils found in the repository (maintainers only; 404 for others).")
            .Produces<ApiPrivacyReport>();
        api.MapPost("/repos/{owner}/{repo}/privacy/dismissals", DismissPrivacy)
            .WithName("forgeDismissPrivacy").WithSummary("Forge's own: marks the findings of `path` (at its current version) as not personal data → 204.")
            .RequestBody(typeof(PrivacyDismissOption)).Produces(StatusCodes.Status204NoContent).Errors(422);
        api.MapGet("/admin/compliance", GetComplianceOverview)
            .WithName("forgeComplianceOverview").WithSummary("Forge's own: repositories whose licences or personal data need attention (administrators).")
            .Produces<List<ApiComplianceProblem>>().Errors(403);
    }

    private static string StatusCode(LicenceStatus s) => s switch
    {
        LicenceStatus.Open => "open",
        LicenceStatus.ToCheck => "to_check",
        _ => "not_reusable",
    };

    private static async Task<IResult> GetLicences(HttpContext context, string owner, string repo, RepositoryService repositories, ComplianceStore compliance,
        LicenceFixService fixer)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var report = await compliance.ReportAsync(r!.Repository.Id, context.RequestAborted);
        var tip = fixer.Tip(r);
        if (report is null)
            return Results.Json(new ApiLicenceReport { Status = "pending", Label = "Vérification en cours", Commit = null, Current = false }, ApiModels.Json);
        return Results.Json(new ApiLicenceReport
        {
            Status = StatusCode(report.Status),
            Label = LicenceReport.Label(report.Status),
            Commit = report.CommitSha,
            Current = report.CommitSha == tip,
            CheckedAt = report.CheckedAt,
            Licences = report.Licences,
            Declared = report.Declared.Select(d => new ApiDeclaredLicence(d.Id, d.Path, d.Known)).ToList(),
            Detected = report.Detected.Select(d => new ApiDetectedLicence(d.Id, d.Path, d.Confidence, d.Method switch
            {
                MatchMethod.Text => "text",
                MatchMethod.ModifiedText => "modified_text",
                _ => "mention",
            })).ToList(),
            Findings = report.Findings.Select(f => new ApiLicenceFinding(f.Code, f.Severity.ToString().ToLowerInvariant(), f.Path, f.Message,
                f.Fix is null ? null : new ApiLicenceFix(f.Fix.Licence, f.Fix.Path, f.Fix.Label))).ToList(),
            Files = new ApiFileCoverage(report.Files.Total, report.Files.Covered, report.Files.WithoutLicence, report.Files.WithoutCopyright,
                report.Files.Reuse, report.Files.Read),
            Sources = report.Sources.Select(s => new ApiLicenceSource(s.Kind, s.Reference, s.State, s.Licences)).ToList(),
            SpdxList = LicenceCatalogue.SourceVersion,
        }, ApiModels.Json);
    }

    private static async Task<IResult> FixLicence(HttpContext context, string owner, string repo, RepositoryService repositories, LicenceFixService fixer)
    {
        var (r, failure) = await WriteContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<LicenceFixOption>(context);
        if (bad is not null) return bad;
        if (string.IsNullOrWhiteSpace(body!.Licence))
            return Error(StatusCodes.Status422UnprocessableEntity, "Indiquez la licence : {\"licence\": \"CC-BY-SA-4.0\"}.", context.Request);
        var result = await fixer.AddLicenceFileAsync(r!, body.Licence, body.Sha, context.RequestAborted);
        if (!result.Ok) return WriteFailed(result, context);
        return Results.Json(new ApiLicenceFixed(new ApiCommitId(result.CommitSha!), LicenceFixService.FileName, LicenceCatalogue.Canonical(body.Licence)),
            ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The repository when the caller maintains it; 404 for everyone else (readers included), so nothing leaks.</summary>
    private static async Task<(RepoContext? Repo, IResult? Failure)> MaintainedContextAsync(HttpContext context, string owner, string repo,
        RepositoryService repositories)
    {
        var (r, failure) = await ReadContextAsync(context, owner, repo, repositories);
        if (failure is not null) return (null, failure);
        if (!r!.CanAdmin) return (null, Error(StatusCodes.Status404NotFound, "Point d’accès inconnu.", context.Request));
        return (r, null);
    }

    private static async Task<IResult> GetPrivacy(HttpContext context, string owner, string repo, RepositoryService repositories, ComplianceStore compliance)
    {
        var (r, failure) = await MaintainedContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var id = r!.Repository.Id;
        var findings = await compliance.PrivacyFindingsAsync(id, context.RequestAborted);
        var hold = await compliance.HoldAsync(id, context.RequestAborted);
        var scanned = await compliance.PrivacyScannedAsync(id, context.RequestAborted);
        return Results.Json(new ApiPrivacyReport(
            scanned.Select(s => new ApiPrivacyScan(s.Key, s.Value)).ToList(),
            hold is null ? null : new ApiPrivacyHold(hold.Since, hold.Reason),
            findings.Select(f => new ApiPrivacyFinding(f.Path, f.RefName, f.BlobId, f.Kind, Forge.Core.Privacy.PrivacyFinding.Label(f.Kind),
                f.Confidence == Forge.Core.Privacy.PrivacyConfidence.High ? "high" : "medium", f.Line, f.Count, f.Excerpt, f.Message, f.Dismissed)).ToList()),
            ApiModels.Json);
    }

    private static async Task<IResult> DismissPrivacy(HttpContext context, string owner, string repo, RepositoryService repositories, ComplianceStore compliance)
    {
        var (r, failure) = await MaintainedContextAsync(context, owner, repo, repositories);
        if (failure is not null) return failure;
        var (body, bad) = await BodyAsync<PrivacyDismissOption>(context);
        if (bad is not null) return bad;
        if (string.IsNullOrWhiteSpace(body!.Path) || !GitReader.IsSafePath(body.Path))
            return Error(StatusCodes.Status422UnprocessableEntity, "Indiquez le fichier : {\"path\": \"dossier/fichier.csv\"}.", context.Request);
        if (!await compliance.DismissAsync(r!.Repository.Id, body.Path, r.Viewer.UserId, context.RequestAborted))
            return Error(StatusCodes.Status404NotFound, $"Aucun constat ne concerne « {body.Path} ».", context.Request);
        return Results.NoContent();
    }

    private static async Task<IResult> GetComplianceOverview(HttpContext context, ComplianceStore compliance)
    {
        var (user, failure) = await AuthenticateAsync(context);
        if (failure is not null) return failure;
        if (user is null) return Unauthorized(context);
        if (!user.IsAdmin) return Error(StatusCodes.Status403Forbidden, "Réservé aux administrateurs.", context.Request);
        var problems = await compliance.ProblemsAsync(context.RequestAborted);
        return Results.Json(problems.Select(p => new ApiComplianceProblem($"{p.Owner}/{p.Name}", p.IsPrivate, p.Status is { } s ? StatusCode(s) : null,
            p.Licences.Split(',', StringSplitOptions.RemoveEmptyEntries), p.Errors, p.Warnings, p.PrivacyFindings, p.Held, p.CheckedAt)), ApiModels.Json);
    }
}
