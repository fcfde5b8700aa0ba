namespace Forge.Core.Resources;

/// <summary>
/// Controlled vocabularies of <c>resource.yml</c>. Kept in one place so the parser, the search facets
/// and the forms agree. Labels are the French words shown to users.
/// </summary>
public static class ResourceVocabulary
{
    public static readonly IReadOnlyDictionary<string, string> Disciplines = new Dictionary<string, string>
    {
        ["nsi"] = "Numérique et sciences informatiques",
        ["snt"] = "Sciences numériques et technologie",
        ["mathematiques"] = "Mathématiques",
        ["physique-chimie"] = "Physique-chimie",
        ["svt"] = "Sciences de la vie et de la Terre",
        ["technologie"] = "Technologie",
        ["francais"] = "Français",
        ["histoire-geographie"] = "Histoire-géographie",
        ["emc"] = "Enseignement moral et civique",
        ["ses"] = "Sciences économiques et sociales",
        ["philosophie"] = "Philosophie",
        ["langues-vivantes"] = "Langues vivantes",
        ["anglais"] = "Anglais",
        ["allemand"] = "Allemand",
        ["espagnol"] = "Espagnol",
        ["italien"] = "Italien",
        ["langues-anciennes"] = "Langues et cultures de l’Antiquité",
        ["arts-plastiques"] = "Arts plastiques",
        ["education-musicale"] = "Éducation musicale",
        ["eps"] = "Éducation physique et sportive",
        ["sciences"] = "Sciences et technologie",
        ["si"] = "Sciences de l’ingénieur",
        ["enseignement-scientifique"] = "Enseignement scientifique",
        ["emi"] = "Éducation aux médias et à l’information",
        ["pluridisciplinaire"] = "Pluridisciplinaire",
    };

    /// <summary>Grades in school order, with the cycle each belongs to (cycle 1 is the école maternelle).</summary>
    public static readonly IReadOnlyList<(string Code, string Label, string Cycle)> Grades =
    [
        ("ps", "Petite section", "1"), ("ms", "Moyenne section", "1"), ("gs", "Grande section", "1"),
        ("cp", "CP", "2"), ("ce1", "CE1", "2"), ("ce2", "CE2", "2"),
        ("cm1", "CM1", "3"), ("cm2", "CM2", "3"), ("6e", "Sixième", "3"),
        ("5e", "Cinquième", "4"), ("4e", "Quatrième", "4"), ("3e", "Troisième", "4"),
        ("2nde", "Seconde", "lycee"), ("1re", "Première", "lycee"), ("tle", "Terminale", "lycee"),
    ];

    public static readonly IReadOnlyDictionary<string, string> Cycles = new Dictionary<string, string>
    {
        ["1"] = "Cycle 1 (maternelle)",
        ["2"] = "Cycle 2 (CP–CE2)",
        ["3"] = "Cycle 3 (CM1–6e)",
        ["4"] = "Cycle 4 (5e–3e)",
        ["lycee"] = "Lycée",
    };

    /// <summary>Place of use (ScoLOMFR voc-017).</summary>
    public static readonly IReadOnlyDictionary<string, string> Usages = new Dictionary<string, string>
    {
        ["classe"] = "En classe",
        ["maison"] = "À la maison",
    };

    /// <summary>Educational method (ScoLOMFR voc-018): the pupil works alone, or guided by the teacher.</summary>
    public static readonly IReadOnlyDictionary<string, string> Autonomies = new Dictionary<string, string>
    {
        ["autonome"] = "En autonomie",
        ["accompagne"] = "Accompagné",
    };

    public static readonly IReadOnlyDictionary<string, string> Personalisations = new Dictionary<string, string>
    {
        ["aucune"] = "Aucune",
        ["adaptative"] = "Adaptative (le parcours s’ajuste aux réponses)",
        ["differenciee"] = "Différenciée (versions selon les élèves)",
    };

    public static readonly IReadOnlyDictionary<string, string> Audiences = new Dictionary<string, string>
    {
        ["eleve"] = "Élèves",
        ["enseignant"] = "Enseignants",
        ["formateur"] = "Formateurs",
    };

    public static readonly IReadOnlyDictionary<string, string> AccessibilityFeatures = new Dictionary<string, string>
    {
        ["texte-alternatif"] = "Texte alternatif des images",
        ["sous-titres"] = "Sous-titres des vidéos",
        ["transcription"] = "Transcription des contenus audio et vidéo",
        ["police-dys"] = "Mise en page adaptée à la dyslexie",
        ["audiodescription"] = "Audiodescription",
        ["contraste-eleve"] = "Contraste élevé",
        ["navigation-clavier"] = "Utilisable au clavier",
        ["lecteur-ecran"] = "Compatible lecteur d’écran",
    };

    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["fr"] = "Français", ["en"] = "Anglais", ["de"] = "Allemand", ["es"] = "Espagnol", ["it"] = "Italien",
        ["pt"] = "Portugais", ["ar"] = "Arabe", ["zh"] = "Chinois", ["la"] = "Latin", ["el"] = "Grec",
        ["oc"] = "Occitan", ["br"] = "Breton", ["co"] = "Corse", ["eu"] = "Basque", ["ca"] = "Catalan",
    };

    /// <summary>Duration ranges of the search facet, in minutes: code, label, lower bound (inclusive), upper bound (exclusive).</summary>
    public static readonly IReadOnlyList<(string Code, string Label, int Min, int Max)> DurationRanges =
    [
        ("lt30", "Moins de 30 min", 0, 30), ("30-60", "30 min à 1 h", 30, 60),
        ("60-120", "1 h à 2 h", 60, 120), ("gt120", "Plus de 2 h", 120, int.MaxValue),
    ];

    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>
    {
        ["cours"] = "Cours",
        ["activite"] = "Activité",
        ["exercice"] = "Exercice",
        ["tp"] = "Travaux pratiques",
        ["projet"] = "Projet",
        ["evaluation"] = "Évaluation",
        ["module"] = "Module de formation",
        ["outil"] = "Outil",
    };

    public static readonly IReadOnlyDictionary<string, string> GradeLabels =
        Grades.ToDictionary(g => g.Code, g => g.Label);

    /// <summary>The cycle a grade belongs to, or null for an unknown grade.</summary>
    public static string? CycleOf(string grade) =>
        Grades.FirstOrDefault(g => g.Code == grade).Cycle;

    /// <summary>Position of a grade in school order (for sorting); unknown grades sort last.</summary>
    public static int GradeOrder(string grade)
    {
        for (var i = 0; i < Grades.Count; i++)
            if (Grades[i].Code == grade) return i;
        return int.MaxValue;
    }
}
