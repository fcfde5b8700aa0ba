using Forge.Web.OpenId;

namespace Forge.Tests.Support;

/// <summary>
/// The OpenID Connect certificates a new data folder would generate (two RSA 3072 keys, about a second of CPU each),
/// generated once per test run by Forge's own <see cref="SigningKeys"/> and copied into each new test server's folder.
/// </summary>
public static class TestKeys
{
    private static readonly Lazy<string> Cache = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "forge-test-keys-" + Environment.ProcessId);
        SigningKeys.Signing(folder).Dispose();
        SigningKeys.Encryption(folder).Dispose();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } };
        return folder;
    });

    /// <summary>Gives <paramref name="dataPath"/> the shared keys unless it already has some (a restart keeps its own).</summary>
    public static void Seed(string dataPath)
    {
        var keys = Path.Combine(dataPath, "keys");
        if (Directory.Exists(keys)) return;
        Directory.CreateDirectory(keys);
        foreach (var file in Directory.GetFiles(Cache.Value, "oidc-*.pfx"))
            File.Copy(file, Path.Combine(keys, Path.GetFileName(file)));
    }
}
