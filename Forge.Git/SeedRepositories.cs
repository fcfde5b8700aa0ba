using LibGit2Sharp;

namespace Forge.Git;

/// <summary>
/// Creates a bare repository holding one commit of given files, in-process (no git process per repository), for
/// <c>forge admin seed</c>: generating a large realistic catalogue for benchmarks must take minutes, not hours.
/// The repositories are ordinary ones that every other part of Forge reads as usual.
/// </summary>
public static class SeedRepositories
{
    public static string Create(string path, string branch, IEnumerable<(string Path, byte[] Content)> files, string authorName, string authorEmail,
        DateTimeOffset when, string message)
    {
        if (Directory.Exists(path)) throw new InvalidOperationException($"{path} already exists");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Repository.Init(path, isBare: true);
        using var repo = new Repository(path);
        repo.Config.Set("receive.fsckObjects", true);
        repo.Config.Set("core.logAllRefUpdates", false);
        repo.Config.Set("uploadpack.allowFilter", true);
        var tree = new TreeDefinition();
        foreach (var (filePath, content) in files)
        {
            using var stream = new MemoryStream(content, writable: false);
            tree.Add(filePath, repo.ObjectDatabase.CreateBlob(stream), Mode.NonExecutableFile);
        }
        var signature = new Signature(authorName, authorEmail, when);
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message, repo.ObjectDatabase.CreateTree(tree), [], prettifyMessage: true);
        repo.Refs.Add("refs/heads/" + branch, commit.Id);
        repo.Refs.UpdateTarget(repo.Refs.Head, "refs/heads/" + branch);
        return commit.Sha;
    }
}
