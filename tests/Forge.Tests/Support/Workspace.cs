namespace Forge.Tests.Support;

/// <summary>A working copy on the teacher's (or pupil's) computer, driven with the real git client.</summary>
public sealed class Workspace(GitClient git, string dir, (string User, string Secret)? credentials)
{
    public string Dir { get; } = dir;

    public static async Task<Workspace> InitAsync(GitClient git, string dir, (string User, string Secret)? credentials, string readme = "# Cours\n")
    {
        var ws = new Workspace(git, dir, credentials);
        File.WriteAllText(Path.Combine(dir, "README.md"), readme);
        await git.MustAsync(dir, null, "init", "-q", "-b", "main");
        await git.MustAsync(dir, null, "add", ".");
        await git.MustAsync(dir, null, "commit", "-q", "-m", "Première version");
        return ws;
    }

    public static async Task<Workspace> CloneAsync(GitClient git, string parent, string url, (string User, string Secret)? credentials)
    {
        var dir = Path.Combine(parent, "clone-" + Guid.NewGuid().ToString("N")[..8]);
        await git.MustAsync(parent, credentials, "clone", "-q", url, dir);
        return new Workspace(git, dir, credentials);
    }

    public async Task CommitAsync(string file, string content, string message = "Modification")
    {
        var path = Path.Combine(Dir, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        await git.MustAsync(Dir, null, "add", ".");
        await git.MustAsync(Dir, null, "commit", "-q", "-m", message);
    }

    public async Task CommitBytesAsync(string file, byte[] content, string message = "Fichier")
    {
        File.WriteAllBytes(Path.Combine(Dir, file), content);
        await git.MustAsync(Dir, null, "add", ".");
        await git.MustAsync(Dir, null, "commit", "-q", "-m", message);
    }

    public Task<(int ExitCode, string Output)> GitAsync(params string[] args) => git.RunAsync(Dir, credentials, args);

    public Task<string> MustAsync(params string[] args) => git.MustAsync(Dir, credentials, args);

    public async Task<string> HeadAsync() => (await git.MustAsync(Dir, null, "rev-parse", "HEAD")).Trim();
}
