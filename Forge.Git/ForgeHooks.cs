using System.Text;

namespace Forge.Git;

/// <summary>
/// What a push may do, decided by the application before <c>git receive-pack</c> runs and enforced by Forge's
/// <c>pre-receive</c> hook. When the hook refuses, git refuses the whole push: no ref moves and the objects received
/// stay in git's quarantine, which git deletes.
/// </summary>
/// <param name="Rejections">Messages (one line each, in French) that refuse the push outright, shown as <c>remote:</c> lines.</param>
/// <param name="FastForwardOnly">Full ref names (<c>refs/heads/main</c>) that may only move forward.</param>
/// <param name="MaxFileBytes">Largest blob a push may add, or null for no limit.</param>
/// <param name="MaxRepositoryBytes">Largest size of the object store after the push, or null for no limit.</param>
public sealed record ReceivePackPolicy(
    IReadOnlyList<string> Rejections,
    IReadOnlyList<string> FastForwardOnly,
    long? MaxFileBytes,
    long? MaxRepositoryBytes)
{
    public static readonly ReceivePackPolicy None = new([], [], null, null);

    /// <summary>
    /// Sets up <paramref name="command"/> (a receive-pack) to run Forge's hook with this policy. With a size limit, returns
    /// the <see cref="PushSizeCheck"/> that reads the pack on its way to git (the caller passes the body through it and
    /// disposes it after git exits); else null.
    /// </summary>
    internal PushSizeCheck? Apply(GitCommand command, string repoPath, string scratchFolder)
    {
        command.WithForgeHooks();
        // Messages are joined with the ASCII unit separator, which the hook turns back into lines.
        var reject = string.Join('\u001f', Rejections.Select(r => r.Replace('\u001f', ' ').ReplaceLineEndings(" ").TrimStart('-')));
        if (reject.Length > 0) command.Env("FORGE_REJECT", reject);
        var refs = FastForwardOnly.Where(r => r.StartsWith("refs/", StringComparison.Ordinal) && !r.Any(char.IsWhiteSpace)).ToList();
        if (refs.Count > 0) command.Env("FORGE_FF_ONLY", string.Join(' ', refs));
        if (MaxFileBytes is { } file) command.Env("FORGE_MAX_FILE_BYTES", Math.Max(0, file).ToString(System.Globalization.CultureInfo.InvariantCulture));
        long? repoBytes = null;
        if (MaxRepositoryBytes is { } repo)
        {
            command.Env("FORGE_MAX_REPO_BYTES", Math.Max(0, repo).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The size of the object store before the push, measured here rather than by a du process in the hook.
            repoBytes = ObjectStoreBytes(repoPath);
            command.Env("FORGE_REPO_BYTES", repoBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (MaxFileBytes is null && MaxRepositoryBytes is null) return null;
        var check = new PushSizeCheck(Path.Combine(scratchFolder, $"pack-fits-{Guid.NewGuid():N}"), MaxFileBytes, MaxRepositoryBytes, repoBytes);
        command.Env("FORGE_PACK_FITS", check.VerdictPath);
        return check;
    }

    /// <summary>Bytes of every file under the repository's <c>objects</c> folder (what its quota counts).</summary>
    public static long ObjectStoreBytes(string repoPath)
    {
        var objects = new DirectoryInfo(Path.Combine(repoPath, "objects"));
        return objects.Exists ? objects.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
    }
}

/// <summary>
/// Forge's own git hooks, written by Forge into its git home and enabled with <c>-c core.hooksPath</c> for
/// receive-pack only. A repository's own <c>hooks</c> folder and <c>core.hooksPath</c> setting are never used.
/// </summary>
public static class ForgeHooks
{
    /// <summary>
    /// The pre-receive hook. Reads <c>old new ref</c> lines; refuses when Forge said so (<c>FORGE_REJECT</c>), when a
    /// fast-forward-only ref (<c>FORGE_FF_ONLY</c>) would lose commits, when a new file is larger than
    /// <c>FORGE_MAX_FILE_BYTES</c>, or when the object store (<c>FORGE_REPO_BYTES</c> before the push, plus what the push
    /// brought) would exceed <c>FORGE_MAX_REPO_BYTES</c>.
    /// </summary>
    public const string PreReceive = """
        #!/bin/sh
        # Written by Forge (do not edit: it is rewritten at start-up). Runs only for receive-pack.
        zero=0000000000000000000000000000000000000000
        status=0
        if [ -n "$FORGE_REJECT" ]; then
          printf '%s\n' "$FORGE_REJECT" | tr '\037' '\n' >&2
          status=1
        fi
        human() {
          awk -v n="$1" 'BEGIN {
            if (n >= 1073741824) s = sprintf("%.1f Gio", n / 1073741824);
            else if (n >= 1048576) s = sprintf("%.1f Mio", n / 1048576);
            else if (n >= 1024) s = sprintf("%.1f Kio", n / 1024);
            else s = n " octets";
            sub(/\./, ",", s); print s }'
        }
        tips=""
        while read -r old new ref; do
          [ "$new" = "$zero" ] && continue
          tips="$tips $new"
          [ "$old" = "$zero" ] && continue
          case " $FORGE_FF_ONLY " in
            *" $ref "*)
              if ! git merge-base --is-ancestor "$old" "$new" 2>/dev/null; then
                echo "Refusé : la branche « ${ref#refs/heads/} » est protégée, on ne peut pas y réécrire l’historique (push forcé)." >&2
                echo "Récupérez d’abord les modifications (git pull), puis envoyez de nouveau." >&2
                status=1
              fi ;;
          esac
        done
        [ "$status" -ne 0 ] && exit 1
        [ -z "$tips" ] && exit 0
        # Forge read the pack on its way here and found it well within the limits (no object over the file limit, and even
        # counted generously the received objects fit the room left): no need to measure it again. The file exists only
        # then, and git runs this hook only after the whole pack, checksum included, went through Forge.
        [ -n "$FORGE_PACK_FITS" ] && [ -f "$FORGE_PACK_FITS" ] && exit 0
        # One look at what this push brought (git's quarantine, without the repository's own objects), whatever the length
        # of the history: the biggest file received and the room the received objects take.
        biggest=0 received=0
        if [ -n "$GIT_QUARANTINE_PATH" ] && [ -n "$FORGE_MAX_FILE_BYTES$FORGE_MAX_REPO_BYTES" ]; then
          # shellcheck disable=SC2046 # two numbers, split on purpose
          set -- $(GIT_ALTERNATE_OBJECT_DIRECTORIES= git cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize) %(objectsize:disk)' |
            awk '$1 == "blob" && $2 + 0 > big + 0 { big = $2 } { disk += $3 } END { printf "%.0f %.0f\n", big, disk }')
          biggest=${1:-0} received=${2:-0}
        fi
        if [ -n "$FORGE_MAX_FILE_BYTES" ] && { [ -z "$GIT_QUARANTINE_PATH" ] || [ "$biggest" -gt "$FORGE_MAX_FILE_BYTES" ]; }; then
          # Something big arrived: name the new files over the limit (a big blob may also be an old one the client
          # sent again, or the base of a delta, which the limit does not concern).
          # shellcheck disable=SC2086 # tips are object ids given by git, split on purpose
          big=$(git rev-list --objects $tips --not --all |
            git cat-file --batch-check='%(objecttype) %(objectsize) %(rest)' |
            awk -v max="$FORGE_MAX_FILE_BYTES" '$1 == "blob" && $2 + 0 > max + 0 { print; n++; if (n == 5) exit }')
          if [ -n "$big" ]; then
            echo "Refusé : ce push contient un fichier plus gros que la limite de $(human "$FORGE_MAX_FILE_BYTES") par fichier de cette forge." >&2
            printf '%s\n' "$big" | while read -r type size path; do
              echo "  « ${path:-?} » : $(human "$size")" >&2
            done
            echo "Retirez ces fichiers de l’historique (git rm --cached, puis git commit --amend ou git rebase) et envoyez de nouveau." >&2
            exit 1
          fi
        fi
        if [ -n "$FORGE_MAX_REPO_BYTES" ]; then
          if [ -n "$GIT_QUARANTINE_PATH" ] && [ -n "$FORGE_REPO_BYTES" ]; then
            # What the repository held when the push began (measured by Forge) and what this push brings.
            size=$((FORGE_REPO_BYTES + received))
          else
            # The quarantine lives inside the object folder, so this counts what exists and what this push adds.
            size=$(du -sb "${GIT_DIR:-.}/objects")
            size=${size%%[[:space:]]*}
          fi
          if [ "$size" -gt "$FORGE_MAX_REPO_BYTES" ]; then
            echo "Refusé : avec ce push, le dépôt occuperait $(human "$size"), au-delà de la limite de $(human "$FORGE_MAX_REPO_BYTES") de cette forge." >&2
            exit 1
          fi
        fi
        exit 0

        """;

    /// <summary>Writes the hooks into <paramref name="folder"/> (atomically, executable), replacing older versions.</summary>
    public static void Install(string folder)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, "pre-receive");
        if (File.Exists(target) && File.ReadAllText(target) == PreReceive) return;
        var temp = Path.Combine(folder, $".pre-receive.{Environment.ProcessId}.{Guid.NewGuid():N}");
        File.WriteAllText(temp, PreReceive, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Move(temp, target, overwrite: true);
    }
}
