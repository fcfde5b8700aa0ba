namespace Forge.Web.Federation;

/// <summary>
/// Why a sign-in with a provider did not end signed in: a closed set of codes carried in the error page's URL
/// (<c>/user/login/external/error?reason=…</c>), each with its French explanation. Nothing the provider sent is echoed.
/// </summary>
public static class FederationErrors
{
    public const string Denied = "refus";
    public const string State = "session";
    public const string Unreachable = "injoignable";
    public const string Provider = "fournisseur";
    public const string NoEmail = "sans-adresse";
    public const string EmailTaken = "adresse-prise";
    public const string LinkedElsewhere = "deja-lie";
    public const string LockedOut = "bloque";
    public const string Failed = "echec";

    /// <summary>The explanation for <paramref name="reason"/>; <paramref name="provider"/> is the provider's display name.</summary>
    public static string Message(string? reason, string provider) => reason switch
    {
        Denied => SharedResource.T("Vous avez refusé de transmettre votre identité à Forge depuis « {0} » (ou « {0} » a refusé la connexion). Vous n’êtes pas connecté ; vous pouvez recommencer quand vous voulez.", provider),
        State => SharedResource.T("La demande de connexion a expiré ou ne vient pas de ce navigateur (elle est valable quelques minutes et ne sert qu’une fois). Recommencez depuis la page de connexion."),
        Unreachable => SharedResource.T("« {0} » ne répond pas pour le moment : Forge n’a pas pu le joindre. Réessayez dans quelques minutes ; si cela dure, prévenez l’administrateur de Forge.", provider),
        NoEmail => SharedResource.T("« {0} » n’a pas transmis d’adresse électronique, dont Forge a besoin pour créer votre compte. Autorisez le partage de votre adresse, ou demandez à l’administrateur de vérifier la configuration (champ EmailClaim).", provider),
        EmailTaken => SharedResource.T("Un compte Forge utilise déjà l’adresse que « {0} » a transmise, mais « {0} » ne la garantit pas vérifiée : par sécurité, Forge ne les lie pas automatiquement. Connectez-vous avec votre mot de passe, puis liez « {0} » depuis « Comptes liés » dans vos paramètres.", provider),
        LinkedElsewhere => SharedResource.T("Ce compte « {0} » est déjà lié à un autre compte Forge. Déliez-le d’abord de cet autre compte.", provider),
        LockedOut => SharedResource.T("Ce compte Forge est bloqué pour quelques minutes après trop d’essais infructueux. Réessayez plus tard."),
        Failed => SharedResource.T("Forge n’a pas pu créer ou lier votre compte. Réessayez ; si cela se reproduit, prévenez l’administrateur de Forge."),
        _ => SharedResource.T("« {0} » a répondu par une erreur : la connexion n’a pas abouti. Réessayez ; si cela se reproduit, prévenez l’administrateur de Forge.", provider),
    };

    /// <summary>Maps an OAuth error of the provider's answer (or of OpenIddict's checks) to one of the codes.</summary>
    public static string FromOAuthError(string? error) => error switch
    {
        "access_denied" or "consent_required" or "login_required" or "interaction_required" => Denied,
        "invalid_request" or "invalid_token" or "missing_token" or "expired_token" => State,
        "temporarily_unavailable" or "server_error" => Unreachable,
        _ => Provider,
    };
}
