using System.Text.RegularExpressions;

namespace Forge.Core.Naming;

/// <summary>
/// Rules for user, group and repository names. Users and repositories share URL space with
/// the site's own pages (<c>/search</c>, <c>/api</c>, ...), so every first route segment is reserved.
/// </summary>
public static partial class NameRules
{
    /// <summary>First URL segments used by Forge itself; no user, group or repository may take them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "-", "_", ".well-known", "about", "account", "admin", "api", "apps", "assets", "attachments", "avatars",
        "assignments", "classes", "classroom", "classrooms", "connect", "error", "explore", "favicon.ico", "git", "group", "groups", "health", "healthz",
        "help", "issues", "login", "logout", "metrics", "modules", "new", "notifications", "oauth", "org", "orgs",
        "programme", "programmes", "pulls", "register", "repo", "repos", "robots.txt", "search", "settings", "sign_up", "signin-oidc", "site", "static",
        "swagger", "themes", "user", "users",
    };

    private const int MaxRepositoryName = 100;
    private const int MaxUserName = 39;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryNamePattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();

    /// <summary>Returns null when <paramref name="name"/> is a valid repository name, else a French explanation.</summary>
    public static string? ValidateRepositoryName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "Le nom du dépôt est obligatoire.";
        if (name.Length > MaxRepositoryName) return $"Le nom du dépôt ne peut pas dépasser {MaxRepositoryName} caractères.";
        if (name.StartsWith('-') || name.StartsWith('.'))
            return "Le nom du dépôt ne peut pas commencer par « - » ni par « . ».";
        if (name.Contains("..")) return "Le nom du dépôt ne peut pas contenir « .. ».";
        if (!RepositoryNamePattern().IsMatch(name))
            return "Le nom du dépôt ne peut contenir que des lettres non accentuées, des chiffres, « - », « _ » et « . » (pas d’espace ni de « / »).";
        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".rss", StringComparison.OrdinalIgnoreCase))
            return "Le nom du dépôt ne peut pas se terminer par « .git », « .atom » ni « .rss ».";
        if (Reserved.Contains(name)) return $"« {name} » est un nom réservé par Forge ; choisissez-en un autre.";
        return null;
    }

    /// <summary>Groups share the user namespace and its rules; the explanation speaks of a group.</summary>
    public static string? ValidateGroupName(string? name) =>
        ValidateUserName(name)?.Replace("Le nom d’utilisateur", "Le nom du groupe", StringComparison.Ordinal);

    /// <summary>Returns null when <paramref name="name"/> is a valid user name, else a French explanation.</summary>
    public static string? ValidateUserName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "Le nom d’utilisateur est obligatoire.";
        if (name.Length > MaxUserName) return $"Le nom d’utilisateur ne peut pas dépasser {MaxUserName} caractères.";
        if (!UserNamePattern().IsMatch(name))
            return "Le nom d’utilisateur ne peut contenir que des lettres non accentuées, des chiffres, « - » et « _ », et doit commencer et finir par une lettre ou un chiffre.";
        if (Reserved.Contains(name)) return $"« {name} » est un nom réservé par Forge ; choisissez-en un autre.";
        return null;
    }
}
