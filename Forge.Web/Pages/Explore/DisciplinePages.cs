namespace Forge.Web.Pages.Explore;

/// <summary>What a discipline's landing page says about it, and the official programmes with a coverage page.</summary>
public static class DisciplinePages
{
    public sealed record Programme(string Id, string Title);

    private static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["nsi"] = "Spécialité du lycée général en première et terminale : représentation des données, algorithmique, programmation en Python, bases de données, réseaux et architectures.",
        ["snt"] = "Enseignement commun de seconde : internet, le web, les réseaux sociaux, les données structurées, la localisation, l’informatique embarquée et la photographie numérique, avec une initiation à la programmation.",
        ["mathematiques"] = "Nombres et calculs, géométrie, grandeurs et mesures, fonctions, probabilités et statistiques, algorithmique, de l’école au lycée.",
        ["physique-chimie"] = "Matière et ses transformations, mouvements et interactions, énergie, ondes et signaux, démarche expérimentale.",
        ["svt"] = "Le vivant et son évolution, le corps humain et la santé, la planète Terre, l’environnement et l’action humaine.",
        ["technologie"] = "Objets et systèmes techniques, conception, modélisation et programmation au collège.",
        ["francais"] = "Lecture, écriture, oral, étude de la langue et culture littéraire, du cycle 2 au lycée.",
        ["histoire-geographie"] = "Repères chronologiques et spatiaux, analyse de documents, raisonnement historique et géographique.",
        ["emc"] = "Respect d’autrui, valeurs de la République, jugement et engagement, de l’école au lycée.",
        ["ses"] = "Économie, sociologie et science politique au lycée : marchés, croissance, socialisation, action publique.",
        ["philosophie"] = "Notions et repères du programme de terminale, lecture de textes et dissertation.",
        ["langues-vivantes"] = "Compréhension et expression orales et écrites, interaction, cultures des pays dont on apprend la langue.",
        ["anglais"] = "Activités langagières et culture des pays anglophones, de l’école au lycée.",
        ["allemand"] = "Activités langagières et culture des pays germanophones.",
        ["espagnol"] = "Activités langagières et culture des pays hispanophones.",
        ["italien"] = "Activités langagières et culture italienne.",
        ["langues-anciennes"] = "Latin et grec : langue, textes et civilisations de l’Antiquité.",
        ["arts-plastiques"] = "Pratique plastique, culture artistique, regard critique sur les œuvres.",
        ["education-musicale"] = "Écoute, chant, pratique musicale et culture des œuvres.",
        ["eps"] = "Activités physiques, sportives et artistiques, santé et savoir-vivre ensemble.",
        ["sciences"] = "Sciences et technologie à l’école et en sixième : matière, vivant, objets techniques, la planète Terre.",
        ["si"] = "Sciences de l’ingénieur au lycée : analyse, modélisation et conception de systèmes.",
        ["enseignement-scientifique"] = "Enseignement commun de première et terminale : science, climat, énergie, vivant et son évolution.",
        ["emi"] = "Éducation aux médias et à l’information : chercher, vérifier et publier l’information de façon responsable.",
        ["pluridisciplinaire"] = "Projets et ressources qui croisent plusieurs disciplines.",
    };

    /// <summary>Official programmes whose coverage page (<c>/programmes/{id}</c>) exists, by discipline.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Programme>> Programmes = new Dictionary<string, IReadOnlyList<Programme>>
    {
        ["nsi"] = [new("nsi-premiere", "Programme de NSI en première"), new("nsi-terminale", "Programme de NSI en terminale")],
        ["snt"] = [new("snt-seconde", "Programme de SNT en seconde")],
    };

    public static string? DescriptionOf(string discipline) => Descriptions.GetValueOrDefault(discipline);

    public static IReadOnlyList<Programme> ProgrammesOf(string discipline) => Programmes.GetValueOrDefault(discipline, []);
}
