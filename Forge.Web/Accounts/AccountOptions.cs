using System.Text.RegularExpressions;
using Forge.Web.Data;

namespace Forge.Web.Accounts;

public enum RegistrationMode
{
    Open,
    Closed,
    /// <summary>Only e-mail addresses whose domain matches <see cref="AccountOptions.AllowedDomains"/>.</summary>
    Domains,
}

/// <summary>
/// <c>Forge:Registration:Mode</c> (open | closed | domains), <c>Forge:Registration:AllowedDomains</c> (comma-separated,
/// <c>*</c> stands for any part of one label: <c>ac-*.fr</c>), <c>Forge:Registration:DefaultRole</c> (teacher | student).
/// </summary>
public sealed record AccountOptions
{
    public RegistrationMode Mode { get; init; } = RegistrationMode.Open;
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];
    public InstanceRole DefaultRole { get; init; } = InstanceRole.Teacher;

    public static AccountOptions From(IConfiguration config)
    {
        var s = config.GetSection("Forge:Registration");
        var domains = (s["AllowedDomains"] ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.TrimStart('@').ToLowerInvariant()).ToList();
        // Array form too (Forge:Registration:AllowedDomains:0 …), as appsettings.json would write it.
        domains.AddRange(s.GetSection("AllowedDomains").GetChildren().Select(c => c.Value).OfType<string>().Select(d => d.Trim().TrimStart('@').ToLowerInvariant()));
        return new AccountOptions
        {
            Mode = (s["Mode"] ?? "open").Trim().ToLowerInvariant() switch
            {
                "closed" or "fermé" or "ferme" => RegistrationMode.Closed,
                "domains" or "domaines" => RegistrationMode.Domains,
                _ => RegistrationMode.Open,
            },
            AllowedDomains = domains.Where(d => d.Length > 0).Distinct().ToList(),
            DefaultRole = (s["DefaultRole"] ?? "teacher").Trim().ToLowerInvariant() is "student" or "eleve" or "élève" ? InstanceRole.Student : InstanceRole.Teacher,
        };
    }

    /// <summary>Why this address may not register (in French), or null.</summary>
    public string? RefusalFor(string email)
    {
        if (Mode == RegistrationMode.Closed) return "Les inscriptions sont fermées sur cette instance.";
        if (Mode != RegistrationMode.Domains) return null;
        var at = email.LastIndexOf('@');
        var domain = at < 0 ? "" : email[(at + 1)..].Trim().ToLowerInvariant();
        if (AllowedDomains.Any(p => DomainMatches(p, domain))) return null;
        return $"Seules les adresses de ces domaines peuvent s’inscrire : {string.Join(", ", AllowedDomains)}. « {domain} » n’en fait pas partie.";
    }

    public static bool DomainMatches(string pattern, string domain) =>
        domain.Length > 0 && Regex.IsMatch(domain, "^" + Regex.Escape(pattern).Replace(@"\*", "[a-z0-9-]*") + "$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
