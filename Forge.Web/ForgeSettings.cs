namespace Forge.Web;

/// <summary>
/// Where Forge keeps its data, resolved once at start-up: <c>--data DIR</c>, else <c>FORGE_DATA</c>, else <c>./data</c>;
/// the database from <c>--db</c> / <c>FORGE_DB</c> (a <c>postgres://</c> URL or an Npgsql connection string), else SQLite.
/// </summary>
public sealed record ForgeSettings
{
    public required string DataPath { get; init; }
    public string? PostgresConnectionString { get; init; }
    public int JobWorkers { get; init; } = 2;
    /// <summary>Folder of <c>themes/</c> whose assets override the default theme's (<c>--theme</c> / <c>FORGE_THEME</c>).</summary>
    public string Theme { get; init; } = "default";
    /// <summary>Largest object store a push may leave (<c>quota:max_repository_bytes</c>, default 1 Gio; 0 = no limit).</summary>
    public long MaxRepositoryBytes { get; init; } = DefaultMaxRepositoryBytes;
    /// <summary>Largest file a push may add (<c>quota:max_file_bytes</c>, default 100 Mio; 0 = no limit).</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>
    /// Make a public repository private as soon as a high-confidence personal-data finding appears, until its maintainers
    /// review it (<c>privacy:auto-private</c>, default false).
    /// </summary>
    public bool PrivacyAutoPrivate { get; init; }

    public const long DefaultMaxRepositoryBytes = 1L << 30;
    public const long DefaultMaxFileBytes = 100L << 20;

    public string RepositoriesPath => Path.Combine(DataPath, "repos");
    public string IndexPath => Path.Combine(DataPath, "index");
    public string ThumbnailsPath => Path.Combine(DataPath, "thumbs");
    public string SqlitePath => Path.Combine(DataPath, "forge.db");
    public string JobsSqlitePath => Path.Combine(DataPath, "jobs.db");
    public string KeysPath => Path.Combine(DataPath, "keys");
    public string GitHomePath => Path.Combine(DataPath, "git-home");
    public bool UsesPostgres => PostgresConnectionString is not null;

    public static ForgeSettings From(IConfiguration config)
    {
        var data = config["data"] ?? Environment.GetEnvironmentVariable("FORGE_DATA") ?? "data";
        var db = config["db"] ?? Environment.GetEnvironmentVariable("FORGE_DB");
        return new ForgeSettings
        {
            DataPath = Path.GetFullPath(data),
            PostgresConnectionString = string.IsNullOrWhiteSpace(db) || db.StartsWith("sqlite", StringComparison.OrdinalIgnoreCase)
                ? null : ToNpgsql(db),
            JobWorkers = int.TryParse(config["jobs:workers"], out var w) ? w : 2,
            Theme = ThemeName(config["theme"] ?? Environment.GetEnvironmentVariable("FORGE_THEME")),
            MaxRepositoryBytes = long.TryParse(config["quota:max_repository_bytes"], out var r) && r >= 0 ? r : DefaultMaxRepositoryBytes,
            MaxFileBytes = long.TryParse(config["quota:max_file_bytes"], out var f) && f >= 0 ? f : DefaultMaxFileBytes,
            PrivacyAutoPrivate = bool.TryParse(config["privacy:auto-private"], out var ap) && ap,
        };
    }

    /// <summary>A theme name is a folder name of <c>themes/</c>: lower-case letters, digits and dashes; else the default.</summary>
    private static string ThemeName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "default";
        var name = value.Trim().ToLowerInvariant();
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9-]{1,40}$")
            || !Directory.Exists(Path.Combine(AppContext.BaseDirectory, "themes", name)))
            throw new ArgumentException($"Thème inconnu : « {value} ». Les thèmes sont les dossiers de themes/ (par exemple default, republique).");
        return name;
    }

    /// <summary>Turns <c>postgres://user:pass@host:port/db?sslmode=...</c> into an Npgsql connection string.</summary>
    public static string ToNpgsql(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.Ordinal) && !value.StartsWith("postgresql://", StringComparison.Ordinal))
            return value;
        var uri = new Uri(value);
        var parts = new List<string> { $"Host={uri.Host}", $"Port={(uri.Port > 0 ? uri.Port : 5432)}", $"Database={uri.AbsolutePath.TrimStart('/')}" };
        if (uri.UserInfo.Length > 0)
        {
            var userInfo = uri.UserInfo.Split(':', 2);
            parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
            if (userInfo.Length > 1) parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv[0] == "sslmode" && kv.Length == 2) parts.Add($"SSL Mode={Uri.UnescapeDataString(kv[1])}");
        }
        return string.Join(';', parts);
    }
}
