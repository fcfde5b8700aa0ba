using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Auth;

/// <summary>Identity's error messages, in French.</summary>
public sealed class FrenchIdentityErrors : IdentityErrorDescriber
{
    private static IdentityError E(string code, string text) => new() { Code = code, Description = text };

    public override IdentityError DuplicateUserName(string userName) => E(nameof(DuplicateUserName), $"Le nom d’utilisateur « {userName} » est déjà pris.");
    public override IdentityError DuplicateEmail(string email) => E(nameof(DuplicateEmail), $"L’adresse « {email} » est déjà utilisée par un autre compte.");
    public override IdentityError InvalidEmail(string? email) => E(nameof(InvalidEmail), $"L’adresse électronique « {email} » n’est pas valide.");
    public override IdentityError InvalidUserName(string? userName) => E(nameof(InvalidUserName), $"Le nom d’utilisateur « {userName} » n’est pas valide.");
    public override IdentityError PasswordTooShort(int length) => E(nameof(PasswordTooShort), $"Le mot de passe doit contenir au moins {length} caractères.");
    public override IdentityError PasswordRequiresDigit() => E(nameof(PasswordRequiresDigit), "Le mot de passe doit contenir au moins un chiffre.");
    public override IdentityError PasswordRequiresLower() => E(nameof(PasswordRequiresLower), "Le mot de passe doit contenir au moins une minuscule.");
    public override IdentityError PasswordRequiresUpper() => E(nameof(PasswordRequiresUpper), "Le mot de passe doit contenir au moins une majuscule.");
    public override IdentityError PasswordRequiresNonAlphanumeric() => E(nameof(PasswordRequiresNonAlphanumeric), "Le mot de passe doit contenir au moins un caractère spécial.");
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => E(nameof(PasswordRequiresUniqueChars), $"Le mot de passe doit contenir au moins {uniqueChars} caractères différents.");
    public override IdentityError PasswordMismatch() => E(nameof(PasswordMismatch), "Mot de passe incorrect.");
    public override IdentityError DefaultError() => E(nameof(DefaultError), "Une erreur s’est produite.");
    public override IdentityError ConcurrencyFailure() => E(nameof(ConcurrencyFailure), "Le compte a été modifié entre-temps ; recommencez.");
}
