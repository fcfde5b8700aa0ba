using Forge.Web.Data;

namespace Forge.Web.Pages.Repo.Settings;

/// <summary>French words for roles and push levels, shared by the settings pages.</summary>
public static class Labels
{
    public static readonly CollaboratorRole[] Roles = [CollaboratorRole.Reader, CollaboratorRole.Writer, CollaboratorRole.Maintainer];
    public static readonly PushLevel[] PushLevels = [PushLevel.Maintainers, PushLevel.Writers, PushLevel.Nobody];

    public static string Role(CollaboratorRole role) => role switch
    {
        CollaboratorRole.Reader => "Lecteur",
        CollaboratorRole.Writer => "Rédacteur",
        CollaboratorRole.Maintainer => "Mainteneur",
        _ => role.ToString(),
    };

    public static string RoleHint(CollaboratorRole role) => role switch
    {
        CollaboratorRole.Reader => "voit et clone le dépôt, même privé",
        CollaboratorRole.Writer => "envoie aussi des modifications (git push)",
        CollaboratorRole.Maintainer => "gère aussi les paramètres, les collaborateurs et les branches protégées",
        _ => "",
    };

    public static string Push(PushLevel level) => level switch
    {
        PushLevel.Maintainers => "Les mainteneurs seulement",
        PushLevel.Writers => "Tous ceux qui peuvent écrire dans le dépôt",
        PushLevel.Nobody => "Personne (branche gelée)",
        _ => level.ToString(),
    };
}
