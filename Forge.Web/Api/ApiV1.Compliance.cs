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

    private static void MapCompliance(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/licences", GetLicences)
            .WithName("forgeGetLicences").WithSummary("Forge's own: the licence report of the default branch (status, declared and detected licences, findings with stable codes).");
        api.MapPost("/repos/{owner}/{repo}/licences/fix", FixLicence)
            .WithName("forgeFixLicence").WithSummary("Forge's own: commits a LICENSE file with the SPDX text of `licence` on the default branch (writers; no licence file yet).");
        api.MapGet("/repos/{owner}/{repo}/privacy", GetPrivacy)
            .WithName("forgeGetPrivacy").WithSummary("Forge's own: likely personal data of pupils found in the repository (maintainers only; 404 for others).");
        api.MapPost("/repos/{owner}/{repo}/privacy/dismissals", DismissPrivacy)
            .WithName("forgeDismissPrivacy").WithSummary("Forge's own: marks the findings of `path` (at its current version) as not personal data → 204.");
        api.MapGet("/admin/compliance", GetComplianceOverview)
            .WithName("forgeComplianceOverview").WithSummary("Forge's own: repositories whose licences or personal data need attention (administrators).");
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
            return Results.Json(new { status = "pending", label = "Vérification en cours", commit = (string?)null, current = false, licences = Array.Empty<string>(),
                declared = Array.Empty<object>(), detected = Array.Empty<object>(), findings = Array.Empty<object>() }, ApiModels.Json);
        return Results.Json(new
        {
            status = StatusCode(report.Status),
            label = LicenceReport.Label(report.Status),
            commit = report.CommitSha,
            current = report.CommitSha == tip,
            checked_at = report.CheckedAt,
            licences = report.Licences,
            declared = report.Declared.Select(d => new { licence = d.Id, path = d.Path, known = d.Known }),
            detected = report.Detected.Select(d => new { licence = d.Id, path = d.Path, confidence = d.Confidence, method = d.Method switch
            {
                MatchMethod.Text => "text",
                MatchMethod.ModifiedText => "modified_text",
                _ => "mention",
            } }),
            findings = report.Findings.Select(f => new
            {
                code = f.Code,
                severity = f.Severity.ToString().ToLowerInvariant(),
                path = f.Path,
                message = f.Message,
                fix = f.Fix is null ? null : new { licence = f.Fix.Licence, path = f.Fix.Path, label = f.Fix.Label },
            }),
            files = new { total = report.Files.Total, covered = report.Files.Covered, without_licence = report.Files.WithoutLicence,
                without_copyright = report.Files.WithoutCopyright, reuse = report.Files.Reuse, read = report.Files.Read },
            sources = report.Sources.Select(s => new { kind = s.Kind, reference = s.Reference, state = s.State, licences = s.Licences }),
            spdx_list = LicenceCatalogue.SourceVersion,
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
        return Results.Json(new { commit = new { sha = result.CommitSha }, path = LicenceFixService.FileName, licence = LicenceCatalogue.Canonical(body.Licence) },
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
        return Results.Json(new
        {
            scanned = scanned.Select(s => new { branch = s.Key, commit = s.Value }),
            held = hold is null ? null : new { since = hold.Since, reason = hold.Reason },
            findings = findings.Select(f => new
            {
                path = f.Path,
                branch = f.RefName,
                blob_sha = f.BlobId,
                kind = f.Kind,
                label = Forge.Core.Privacy.PrivacyFinding.Label(f.Kind),
                confidence = f.Confidence == Forge.Core.Privacy.PrivacyConfidence.High ? "high" : "medium",
                line = f.Line,
                count = f.Count,
                excerpt = f.Excerpt,
                message = f.Message,
                dismissed = f.Dismissed,
            }),
        }, ApiModels.Json);
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
        return Results.Json(problems.Select(p => new
        {
            full_name = $"{p.Owner}/{p.Name}",
            @private = p.IsPrivate,
            status = p.Status is { } s ? StatusCode(s) : null,
            licences = p.Licences.Split(',', StringSplitOptions.RemoveEmptyEntries),
            errors = p.Errors,
            warnings = p.Warnings,
            privacy_findings = p.PrivacyFindings,
            held = p.Held,
            checked_at = p.CheckedAt,
        }), ApiModels.Json);
    }
}
