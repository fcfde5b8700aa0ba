using System.Text;
using System.Text.RegularExpressions;
using Forge.Git;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Repos;

/// <summary>Branch patterns of protection rules: <c>main</c>, <c>release/*</c>, <c>cours/**</c>.</summary>
public static class BranchPattern
{
    /// <summary>
    /// True when <paramref name="branch"/> matches <paramref name="pattern"/>: <c>*</c> matches within one path segment,
    /// <c>**</c> across segments, <c>?</c> one character; everything else literally (case-sensitive, as git refs).
    /// </summary>
    public static bool IsMatch(string pattern, string branch) =>
        pattern == branch || (IsGlob(pattern) && Regex.IsMatch(branch, ToRegex(pattern), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));

    public static bool IsGlob(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*') { sb.Append(".*"); i++; }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append('$').ToString();
    }

    /// <summary>Null when <paramref name="pattern"/> is acceptable, else a French explanation.</summary>
    public static string? Validate(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "Indiquez une branche ou un motif, par exemple « main » ou « release/* ».";
        if (pattern.Length > 255) return "Le motif ne peut pas dépasser 255 caractères.";
        if (pattern.StartsWith('-') || pattern.StartsWith('/') || pattern.EndsWith('/') || pattern.Contains("..") || pattern.Contains("//")
            || pattern.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '[' or '\\'))
            return "Ce motif ne peut désigner aucune branche : pas d’espace, ni « .. », « ~ », « ^ », « : », « [ », « \\ », ni « - » ou « / » au début.";
        return null;
    }
}

/// <summary>
/// Turns a push's ref updates, the repository's protection rules, the pusher's role and the quotas into the
/// <see cref="ReceivePackPolicy"/> that Forge's pre-receive hook enforces.
/// </summary>
public sealed class PushPolicyService(ForgeDbContext db, ForgeSettings settings)
{
    public async Task<ReceivePackPolicy> ForPushAsync(RepositoryEntity repo, Viewer viewer, IReadOnlyList<RefUpdate> updates, CancellationToken ct)
    {
        var rules = await db.ProtectedBranches.AsNoTracking().Where(p => p.RepositoryId == repo.Id).ToListAsync(ct);
        var role = RepositoryService.RoleOf(repo, viewer);
        var rejections = new List<string>();
        var fastForwardOnly = new List<string>();
        foreach (var update in updates)
        {
            if (update.RefName.StartsWith(GitMerger.RefPrefix, StringComparison.Ordinal))
                rejections.Add("Refusé : les références refs/merge-requests/ sont tenues à jour par Forge ; envoyez vos modifications sur une branche.");
            if (!update.RefName.StartsWith("refs/heads/", StringComparison.Ordinal)) continue;
            var branch = update.RefName["refs/heads/".Length..];
            // Several rules may match: the strictest answer of each wins.
            var matching = rules.Where(r => BranchPattern.IsMatch(r.Pattern, branch)).ToList();
            if (matching.Count == 0) continue;
            var level = matching.Min(r => r.PushLevel);
            if (level == PushLevel.Nobody)
                rejections.Add($"Refusé : la branche « {branch} » est protégée et gelée ; personne ne peut y envoyer de modifications.");
            else if (level == PushLevel.Maintainers && role < CollaboratorRole.Maintainer)
                rejections.Add($"Refusé : la branche « {branch} » est protégée ; seuls les mainteneurs du dépôt peuvent y envoyer des modifications. Proposez vos changements sur une autre branche.");
            else if (update.IsDelete && matching.Any(r => !r.AllowDeletion))
                rejections.Add($"Refusé : la branche « {branch} » est protégée ; elle ne peut pas être supprimée.");
            else if (!update.IsCreate && !update.IsDelete && matching.Any(r => !r.AllowForcePush))
                fastForwardOnly.Add(update.RefName);
        }
        rejections.AddRange(await Classroom.ClassroomRules.PushRefusalsAsync(db, repo, role, updates, ct));
        return new ReceivePackPolicy(rejections, fastForwardOnly,
            settings.MaxFileBytes > 0 ? settings.MaxFileBytes : null,
            settings.MaxRepositoryBytes > 0 ? settings.MaxRepositoryBytes : null);
    }
}
