namespace Forge.Git;

/// <summary>
/// Deleting a folder that something may still be writing into (a site being built, an export, derived data, the last
/// processes of a sandboxed check): a recursive delete fails with "directory not empty" when a file appears meanwhile.
/// Tried a few times, then left as it is: for a later pass where there is one (the trash of <see cref="RepositoryStore"/>,
/// the leftovers job run after builds are over), in the temporary folder for a check's run.
/// </summary>
public static class FolderRemoval
{
    /// <summary>True when <paramref name="folder"/> is gone (or was never there); never throws for a busy folder.</summary>
    public static bool TryDelete(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 2) return !Directory.Exists(folder);
                Thread.Sleep(20 * (attempt + 1));
            }
        }
    }
}
