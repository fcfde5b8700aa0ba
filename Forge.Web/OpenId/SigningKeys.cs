using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forge.Web.OpenId;

/// <summary>
/// The OpenID Connect server's signing and encryption certificates: generated once (self-signed RSA 3072, valid 20
/// years) into <c>data/keys/oidc-*.pfx</c>, then loaded at every start, so tokens issued before a restart stay valid.
/// Two processes starting together (a server and <c>forge admin</c>) end up with the same file: the first to create it
/// wins, the other reads it.
/// </summary>
public static class SigningKeys
{
    public static X509Certificate2 Signing(string keysPath) =>
        LoadOrCreate(Path.Combine(keysPath, "oidc-signing.pfx"), "Forge OpenID Connect signing", X509KeyUsageFlags.DigitalSignature);

    public static X509Certificate2 Encryption(string keysPath) =>
        LoadOrCreate(Path.Combine(keysPath, "oidc-encryption.pfx"), "Forge OpenID Connect encryption", X509KeyUsageFlags.KeyEncipherment);

    private static X509Certificate2 LoadOrCreate(string path, string subject, X509KeyUsageFlags usage)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
            var bytes = certificate.Export(X509ContentType.Pfx);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process made it first: use theirs
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
