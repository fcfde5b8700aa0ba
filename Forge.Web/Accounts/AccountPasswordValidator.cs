using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Accounts;

/// <summary>
/// Rules beyond the length: not the user name or the e-mail address (or its part before « @ »), and none of the most
/// common passwords (lists of leaked passwords, French ones included). Compared case-insensitively, spaces ignored.
/// </summary>
public sealed class AccountPasswordValidator : IPasswordValidator<ForgeUser>
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password123", "passw0rd", "motdepasse", "motdepasse1", "motdepasse123", "azertyuiop", "azerty123",
        "azertyui", "qwertyuiop", "qwerty123", "12345678", "123456789", "1234567890", "0123456789", "987654321", "11111111",
        "00000000", "88888888", "12341234", "abcd1234", "1q2w3e4r", "1qaz2wsx", "iloveyou", "jetaime1", "soleil123", "bonjour1",
        "bonjour123", "doudou123", "marseille", "football", "baseball", "princess", "sunshine", "superman", "trustno1",
        "letmein1", "welcome1", "bienvenue", "changeme", "administrateur", "administrator", "forge123", "enseignant",
        "professeur", "education", "aaaaaaaa", "abcdefgh", "chocolat", "loulou123", "nicolas1", "camille1", "123soleil",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<ForgeUser> manager, ForgeUser user, string? password)
    {
        if (string.IsNullOrEmpty(password)) return Task.FromResult(IdentityResult.Success);
        var p = password.Replace(" ", "").Trim();
        var email = user.Email ?? "";
        var local = email.Contains('@') ? email[..email.IndexOf('@')] : email;
        if (Same(p, user.UserName) || Same(p, email) || Same(p, local))
            return Fail("PasswordIsName", "Le mot de passe ne doit pas être votre nom d’utilisateur ni votre adresse électronique.");
        if (Common.Contains(p))
            return Fail("PasswordTooCommon", "Ce mot de passe fait partie des plus courants : choisissez-en un autre (une phrase de quelques mots, par exemple).");
        return Task.FromResult(IdentityResult.Success);
    }

    private static bool Same(string password, string? other) =>
        !string.IsNullOrEmpty(other) && string.Equals(password, other.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);

    private static Task<IdentityResult> Fail(string code, string text) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = text }));
}
