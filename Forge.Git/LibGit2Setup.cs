using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Process-wide settings of libgit2, applied once before Forge opens any repository (from the constructors of the
/// classes that do).
/// </summary>
internal static class LibGit2Setup
{
    private static readonly object Gate = new();
    private static bool _applied;

    public static void Apply()
    {
        lock (Gate)
        {
            if (_applied) return;
            // Only a repository's own config applies, as for the git processes Forge starts (GIT_CONFIG_NOSYSTEM and a
            // HOME of Forge's own): the server account's ~/.gitconfig, XDG and system files are never read — nor
            // looked for, on every repository opened.
            foreach (var level in new[] { ConfigurationLevel.Global, ConfigurationLevel.Xdg, ConfigurationLevel.System, ConfigurationLevel.ProgramData })
                GlobalSettings.SetConfigSearchPaths(level, []);
            // Objects are checked once, when they arrive (index-pack hashes every object of a push and fsck checks them);
            // like git itself, reads then trust the object store instead of hashing every object again on each read.
            GlobalSettings.SetStrictHashVerification(false);
            _applied = true;
        }
    }
}
