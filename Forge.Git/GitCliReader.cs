using System.Globalization;
using System.Text;

namespace Forge.Git;

/// <summary>Reads that the git CLI does faster or better than libgit2: blame and archives (streamed).</summary>
public sealed class GitCliReader(GitCli git)
{
    /// <summary>Formats <c>git archive</c> may produce.</summary>
    public static readonly IReadOnlyDictionary<string, string> ArchiveFormats = new Dictionary<string, string>
    {
        [".zip"] = "zip", [".tar.gz"] = "tar.gz",
    };

    /// <summary>
    /// Streams an archive of commit <paramref name="commitSha"/> (a full 40-hex id, already resolved) to <paramref name="output"/>,
    /// with every path under <paramref name="prefix"/>/. Nothing is built in memory. <paramref name="excluded"/> paths (files or
    /// folders) are left out, given to git as literal exclude pathspecs after <c>--</c>, never read as options or patterns.
    /// </summary>
    public async Task ArchiveAsync(string repoPath, string commitSha, string format, string prefix, Stream output, CancellationToken ct,
        IReadOnlyCollection<string>? excluded = null)
    {
        if (commitSha.Length != 40 || !commitSha.All(Uri.IsHexDigit)) throw new ArgumentException("a full commit id is required", nameof(commitSha));
        if (!ArchiveFormats.Values.Contains(format)) throw new ArgumentException("unknown archive format", nameof(format));
        if (prefix.Contains('/') || prefix.Contains('\\') || prefix.StartsWith('-') || prefix.StartsWith('.')) throw new ArgumentException("bad prefix", nameof(prefix));
        var command = git.Command("archive").Option("--format", format).Option("--prefix", prefix + "/").Value(commitSha).In(repoPath);
        if (excluded is { Count: > 0 })
        {
            if (excluded.Any(p => !GitReader.IsSafePath(p) || p.Length == 0)) throw new ArgumentException("bad excluded path", nameof(excluded));
            command.Paths(excluded.Select(p => ":(exclude,literal)" + p));
        }
        var result = await command.StreamAsync(null, output, ct);
        result.EnsureSuccess();
    }

    /// <summary>Blame of <paramref name="path"/> at <paramref name="commitSha"/>, as runs of lines per commit.</summary>
    public async Task<IReadOnlyList<BlameHunk>> BlameAsync(string repoPath, string commitSha, string path, CancellationToken ct)
    {
        if (commitSha.Length != 40 || !commitSha.All(Uri.IsHexDigit)) throw new ArgumentException("a full commit id is required", nameof(commitSha));
        if (!GitReader.IsSafePath(path) || path.Length == 0) throw new ArgumentException("bad path", nameof(path));
        using var output = new MemoryStream();
        var result = await git.Command("blame").Option("--porcelain").Value(commitSha).Path(path).In(repoPath).StreamAsync(null, output, ct);
        result.EnsureSuccess();
        return ParsePorcelain(Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
    }

    internal static IReadOnlyList<BlameHunk> ParsePorcelain(string porcelain)
    {
        var commits = new Dictionary<string, Dictionary<string, string>>();
        var hunks = new List<BlameHunk>();
        string? currentSha = null;
        int currentLine = 0;
        List<string>? lines = null;
        string? hunkSha = null;
        var hunkStart = 0;

        void Flush()
        {
            if (lines is { Count: > 0 } && hunkSha is not null)
                hunks.Add(new BlameHunk(Info(hunkSha, commits[hunkSha]), hunkStart, lines));
        }

        foreach (var line in porcelain.Split('\n'))
        {
            if (line.StartsWith('\t'))
            {
                if (currentSha is null) continue;
                if (currentSha != hunkSha)
                {
                    Flush();
                    (hunkSha, hunkStart, lines) = (currentSha, currentLine, []);
                }
                lines!.Add(line[1..]);
                continue;
            }
            var space = line.IndexOf(' ');
            if (space == 40 && line[..40].All(Uri.IsHexDigit))
            {
                currentSha = line[..40];
                var parts = line.Split(' ');
                currentLine = int.Parse(parts[2], CultureInfo.InvariantCulture);
                if (!commits.ContainsKey(currentSha)) commits[currentSha] = [];
                continue;
            }
            if (currentSha is not null && space > 0) commits[currentSha][line[..space]] = line[(space + 1)..];
        }
        Flush();
        return hunks;
    }

    private static CommitInfo Info(string sha, Dictionary<string, string> f)
    {
        var time = long.TryParse(f.GetValueOrDefault("author-time"), out var t) ? DateTimeOffset.FromUnixTimeSeconds(t) : DateTimeOffset.UnixEpoch;
        var mail = f.GetValueOrDefault("author-mail", "").Trim('<', '>');
        return new CommitInfo(sha, f.GetValueOrDefault("summary", ""), f.GetValueOrDefault("author", ""), mail, time);
    }
}
