using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bogus;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Admin;

/// <summary>One topic a generated resource is about: what the judged queries of the benchmark are judged against.</summary>
public sealed record SeedTopic(string Id, string Discipline, string[] Grades, string Title, string[] Words, string[] Identifiers, string? ProgrammeItem);

public sealed record SeedReport(int Users, int Repositories, int Files, TimeSpan Elapsed);

/// <summary>
/// <c>forge admin seed --resources N</c>: a realistic French catalogue for benchmarks and demonstrations, generated
/// with Bogus (French locale) from a deterministic seed. Each resource is a real bare repository (created in-process)
/// with a <c>resource.yml</c>, a README and about ten content files (Markdown lessons and exercises, Python for NSI and
/// SNT, sometimes a notebook), owned by generated teachers, one in ten private; rows are written to the database in
/// batches. Indexing is then done by the real path (<see cref="Forge.Jobs.IndexRebuilder"/>), reading git.
/// With <c>--export FILE</c>, every resource is also written as one JSON line (same text, same facets, its topic),
/// for the PostgreSQL side of the benchmark.
/// </summary>
public sealed class CatalogueSeeder(ForgeDbContext db, RepositoryStore store)
{
    private const int Batch = 500;

    /// <summary>Time spent writing database rows, and creating git repositories.</summary>
    public TimeSpan DatabaseTime { get; private set; }
    public TimeSpan GitTime { get; private set; }

    private static readonly string[] GenericSentences =
    [
        "Les élèves travaillent d’abord seuls, puis comparent leurs réponses en binôme.",
        "Une fiche de synthèse reprend les notions essentielles à retenir.",
        "La séance commence par un rappel des connaissances de la séance précédente.",
        "Chaque exercice est accompagné d’une correction détaillée.",
        "Le professeur circule dans la classe et aide les élèves en difficulté.",
        "Une évaluation formative permet de vérifier les acquis en fin de séquence.",
        "Des pistes de différenciation sont proposées pour les élèves les plus rapides.",
        "Les documents sont adaptés aux élèves dyslexiques (police et interlignage).",
        "Cette activité peut être menée en salle informatique ou à la maison.",
        "On attend des élèves qu’ils justifient chacune de leurs réponses.",
        "Un questionnaire en ligne permet au professeur de suivre les résultats.",
        "La trace écrite est construite collectivement au tableau.",
        "Les erreurs fréquentes sont analysées avec la classe.",
        "Le travail se prolonge par un mini-projet en groupe.",
        "Une grille d’évaluation par compétences accompagne le sujet.",
    ];

    /// <summary>Topics of disciplines without a programme file here, written by hand.</summary>
    private static readonly SeedTopic[] HandTopics =
    [
        new("maths-fonctions-affines", "mathematiques", ["3e", "2nde"], "Fonctions affines", ["fonction affine", "coefficient directeur", "ordonnée à l’origine", "représentation graphique", "droite"], ["fonction_affine"], null),
        new("maths-pythagore", "mathematiques", ["4e"], "Théorème de Pythagore", ["théorème de Pythagore", "triangle rectangle", "hypoténuse", "réciproque", "carré"], [], null),
        new("maths-probabilites", "mathematiques", ["3e", "2nde"], "Probabilités", ["probabilité", "expérience aléatoire", "événement", "arbre pondéré", "fréquence"], ["simuler_lancer"], null),
        new("maths-derivation", "mathematiques", ["1re"], "Dérivation", ["nombre dérivé", "fonction dérivée", "tangente", "variations", "extremum"], [], null),
        new("maths-suites", "mathematiques", ["1re", "tle"], "Suites numériques", ["suite arithmétique", "suite géométrique", "raison", "terme général", "limite"], ["terme_suivant"], null),
        new("maths-fractions", "mathematiques", ["cm1", "cm2", "6e"], "Fractions", ["fraction", "numérateur", "dénominateur", "partage", "droite graduée"], [], null),
        new("pc-circuits", "physique-chimie", ["4e"], "Circuits électriques", ["circuit électrique", "intensité", "tension", "loi d’Ohm", "résistance"], [], null),
        new("pc-ondes", "physique-chimie", ["2nde", "tle"], "Ondes mécaniques", ["onde mécanique", "célérité", "longueur d’onde", "période", "son"], [], null),
        new("pc-reactions", "physique-chimie", ["5e", "2nde"], "Transformations chimiques", ["réaction chimique", "réactif", "produit", "équation de réaction", "conservation de la masse"], [], null),
        new("svt-photosynthese", "svt", ["5e", "2nde"], "Photosynthèse", ["photosynthèse", "chlorophylle", "lumière", "dioxyde de carbone", "glucose"], [], null),
        new("svt-genetique", "svt", ["3e", "1re"], "Génétique et ADN", ["ADN", "gène", "allèle", "chromosome", "mutation"], [], null),
        new("svt-volcans", "svt", ["4e"], "Volcans et séismes", ["volcan", "séisme", "plaque tectonique", "magma", "éruption"], [], null),
        new("fr-poesie", "francais", ["4e", "2nde"], "La poésie", ["poème", "vers", "rime", "strophe", "figure de style"], [], null),
        new("fr-argumentation", "francais", ["3e", "1re"], "L’argumentation", ["argument", "thèse", "exemple", "connecteur logique", "dissertation"], [], null),
        new("fr-conte", "francais", ["6e", "cm2"], "Le conte merveilleux", ["conte", "schéma narratif", "personnage", "merveilleux", "récit"], [], null),
        new("hg-revolution", "histoire-geographie", ["4e", "2nde"], "La Révolution française", ["Révolution française", "Déclaration des droits", "monarchie", "république", "1789"], [], null),
        new("hg-mondialisation", "histoire-geographie", ["3e", "tle"], "La mondialisation", ["mondialisation", "échanges", "conteneur", "métropole", "flux"], [], null),
        new("techno-objets", "technologie", ["5e", "4e"], "Objets techniques", ["objet technique", "cahier des charges", "fonction d’usage", "matériau", "prototype"], [], null),
        new("anglais-present", "anglais", ["6e", "5e"], "Present simple and continuous", ["present simple", "present continuous", "daily routine", "verb", "time markers"], [], null),
        new("ses-marche", "ses", ["2nde", "1re"], "Le marché", ["marché", "offre", "demande", "prix d’équilibre", "concurrence"], [], null),
    ];

    private static readonly string[] Licences = ["CC-BY-SA-4.0", "CC-BY-4.0", "CC-BY-NC-SA-4.0", "etalab-2.0", "CC0-1.0"];
    private static readonly string[] Types = ["cours", "activite", "exercice", "tp", "projet", "evaluation"];

    /// <summary>Topics: the items of the programme files found in <paramref name="programmesDir"/> (NSI, SNT), plus the hand-written ones.</summary>
    public static List<SeedTopic> Topics(string? programmesDir)
    {
        var topics = new List<SeedTopic>(HandTopics);
        if (programmesDir is null || !Directory.Exists(programmesDir)) return topics;
        var item = new Regex(@"^\s*- id: (?<id>[a-z0-9.\-]+)\s*\n\s*content: ""(?<content>[^""]+)""", RegexOptions.Multiline);
        foreach (var file in Directory.EnumerateFiles(programmesDir, "*.yml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var level = Regex.Match(text, @"^level: (\S+)", RegexOptions.Multiline).Groups[1].Value;
            var discipline = Path.GetFileName(file).StartsWith("snt", StringComparison.Ordinal) ? "snt" : "nsi";
            foreach (Match m in item.Matches(text))
            {
                var content = m.Groups["content"].Value;
                var words = Regex.Split(content, @"[,.:;()«»]").Select(w => w.Trim()).Where(w => w.Length > 3).Take(6).ToArray();
                if (words.Length == 0) words = [content];
                var identifiers = words.Take(2).Select(w => ResourceMetadataParser.Slug(w).Replace('-', '_')).Where(w => Regex.IsMatch(w, "^[a-z_]{3,30}$")).ToArray();
                var grade = ResourceVocabulary.GradeLabels.ContainsKey(level) ? level : discipline == "snt" ? "2nde" : "1re";
                topics.Add(new SeedTopic(m.Groups["id"].Value, discipline, [grade], content, words, identifiers, m.Groups["id"].Value));
            }
        }
        return topics;
    }

    public async Task<SeedReport> SeedAsync(int count, int filesPerResource, int seed, string? programmesDir, string? exportPath,
        Action<int, int, TimeSpan>? progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var topics = Topics(programmesDir);
        var faker = new Faker("fr") { Random = new Randomizer(seed) };
        var run = $"s{seed}";

        // Teachers: one for about 25 resources. They have no password (they cannot sign in): the seed is for searching.
        var userCount = Math.Max(1, count / 25);
        var users = new List<ForgeUser>();
        for (var i = 0; i < userCount; i++)
        {
            var name = $"prof-{run}-{i:00000}";
            users.Add(new ForgeUser
            {
                UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = $"{name}@ac-seed.fr", NormalizedEmail = $"{name}@AC-SEED.FR",
                EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"), FullName = faker.Name.FullName(),
            });
        }
        foreach (var chunk in users.Chunk(Batch))
        {
            db.Users.AddRange(chunk);
            await db.SaveChangesAsync(ct);
        }
        db.ChangeTracker.Clear();

        await using var export = exportPath is null ? null : new StreamWriter(exportPath, append: false, new UTF8Encoding(false));
        var files = 0;
        var done = 0;
        for (var start = 0; start < count; start += Batch)
        {
            var generated = Enumerable.Range(start, Math.Min(Batch, count - start)).Select(i => Generate(faker, topics, users[i % users.Count], i, filesPerResource)).ToList();
            var entities = generated.Select(g => g.Entity).ToList();
            var dbClock = System.Diagnostics.Stopwatch.StartNew();
            db.Repositories.AddRange(entities);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            DatabaseTime += dbClock.Elapsed;
            var gitClock = System.Diagnostics.Stopwatch.StartNew();
            await Parallel.ForEachAsync(generated, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, (g, _) =>
            {
                SeedRepositories.Create(store.PathOf(g.Entity.Id), "main", g.Files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Text))),
                    g.Author, g.Author.Replace(' ', '.').ToLowerInvariant() + "@ac-seed.fr", g.Entity.UpdatedAt, "Première version");
                return ValueTask.CompletedTask;
            });
            GitTime += gitClock.Elapsed;
            foreach (var g in generated)
            {
                files += g.Files.Count;
                export?.WriteLine(JsonSerializer.Serialize(g.Export(g.Entity.Id)));
            }
            done += generated.Count;
            progress?.Invoke(done, count, clock.Elapsed);
        }
        return new SeedReport(users.Count, done, files, clock.Elapsed);
    }

    private sealed record Generated(RepositoryEntity Entity, string Author, List<(string Path, string Text)> Files, Func<long, object> Export);

    private static Generated Generate(Faker f, List<SeedTopic> topics, ForgeUser owner, int index, int filesPerResource)
    {
        var topic = topics[f.Random.Int(0, topics.Count - 1)];
        var type = f.PickRandom(Types);
        var grades = topic.Grades.OrderBy(_ => f.Random.Int()).Take(f.Random.Int(1, topic.Grades.Length)).ToArray();
        var usage = f.Random.Bool(0.7f) ? new[] { "classe" } : f.Random.Bool() ? ["maison"] : ["classe", "maison"];
        var duration = f.PickRandom(15, 20, 30, 45, 55, 60, 90, 110, 120, 180);
        var licence = f.PickRandom(Licences);
        var typeLabel = ResourceVocabulary.Types[type];
        var title = f.PickRandom($"{topic.Title}", $"{typeLabel} : {topic.Title}", $"{topic.Title} — {ResourceVocabulary.GradeLabels[grades[0]].ToLowerInvariant()}",
            $"{topic.Title} ({typeLabel.ToLowerInvariant()})");
        var description = $"{typeLabel} sur {Lower(topic.Title)} pour les élèves de {string.Join(" et ", grades.Select(g => ResourceVocabulary.GradeLabels[g].ToLowerInvariant()))}. "
            + $"Notions : {string.Join(", ", topic.Words.Take(3).Select(Lower))}. {f.PickRandom(GenericSentences)}";
        var author = owner.FullName ?? owner.UserName!;
        var keywords = topic.Words.Take(4).Select(Lower).ToArray();

        var yaml = new StringBuilder()
            .AppendLine($"title: \"{title.Replace("\"", "'")}\"")
            .AppendLine($"description: \"{description.Replace("\"", "'")}\"")
            .AppendLine($"disciplines: [{topic.Discipline}]")
            .AppendLine($"grades: [{string.Join(", ", grades)}]")
            .AppendLine($"usage: [{string.Join(", ", usage)}]")
            .AppendLine($"type: {type}")
            .AppendLine($"duration_minutes: {duration}")
            .AppendLine($"licence: {licence}")
            .AppendLine($"keywords: [{string.Join(", ", keywords.Select(k => $"\"{k}\""))}]")
            .AppendLine($"has_exercises: {(type is "exercice" or "evaluation" || f.Random.Bool() ? "true" : "false")}")
            .AppendLine($"authors: [\"{author}\"]");
        if (topic.ProgrammeItem is { } item) yaml.AppendLine($"programme: [{item}]");

        var fileList = new List<(string Path, string Text)>
        {
            ("resource.yml", yaml.ToString()),
            ("README.md", $"# {title}\n\n{description}\n\n{Paragraph(f, topic)}\n"),
        };
        string[] pages = ["cours.md", "exercices.md", "corrige.md", "activite.md", "fiche-eleve.md", "evaluation.md", "prolongements.md", "notes-professeur.md"];
        var code = topic.Discipline is "nsi" or "snt";
        for (var k = 0; fileList.Count < filesPerResource; k++)
        {
            if (code && k % 3 == 1)
                fileList.Add(($"code/programme_{k}.py", Python(f, topic)));
            else if (code && k == 5 && f.Random.Bool(0.3f))
                fileList.Add(("activite.ipynb", Notebook(f, topic)));
            else
                fileList.Add(($"{(k < pages.Length ? pages[k] : $"annexe-{k}.md")}", $"# {f.PickRandom(topic.Words)}\n\n{Paragraph(f, topic)}\n\n{Paragraph(f, topic)}\n"));
        }

        var name = $"{Slug(topic.Title)}-{index}";
        var updated = f.Date.Past(3, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)).ToUniversalTime();
        updated = new DateTime(updated.Ticks - updated.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var entity = new RepositoryEntity
        {
            OwnerId = owner.Id, Name = name, LowerName = name.ToLowerInvariant(), Description = description.Length > 250 ? description[..250] : description,
            IsPrivate = f.Random.Bool(0.1f), DefaultBranch = "main", CreatedAt = updated, UpdatedAt = updated, PushedAt = updated,
        };
        var body = string.Join("\n\n", fileList.Where(x => x.Path.EndsWith(".md", StringComparison.Ordinal)).Select(x => x.Text));
        return new Generated(entity, author, fileList, id => new
        {
            id, owner = owner.UserName, name, @private = entity.IsPrivate, title, description, body, topic = topic.Id,
            disciplines = new[] { topic.Discipline }, grades, cycles = grades.Select(g => ResourceVocabulary.CycleOf(g)).Distinct().ToArray(),
            usage, types = new[] { type }, licence, duration, updated = new DateTimeOffset(updated).ToUnixTimeSeconds(),
        });
    }

    private static string Paragraph(Faker f, SeedTopic topic)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 4; i++)
        {
            var word = Lower(f.PickRandom(topic.Words));
            sb.Append(f.PickRandom(
                $"Cette partie présente la notion de {word} à partir d’exemples concrets. ",
                $"On étudie {word} avec {f.Name.FirstName()}, qui prépare un exposé. ",
                $"Les élèves définissent {word} puis l’appliquent à un exercice. ",
                $"Question {i + 1} : expliquer le rôle de {word} dans {Lower(topic.Title)}. "));
            sb.Append(f.PickRandom(GenericSentences)).Append(' ');
        }
        return sb.ToString();
    }

    private static string Python(Faker f, SeedTopic topic)
    {
        var name = topic.Identifiers.Length > 0 ? f.PickRandom(topic.Identifiers) : "traitement";
        return $"\"\"\"{topic.Title}\"\"\"\n\n\ndef {name}(donnees):\n    \"\"\"{f.PickRandom(topic.Words)}\"\"\"\n    resultat = []\n"
            + $"    for element in donnees:\n        resultat.append(element)\n    return resultat\n\n\ndef test_{name}():\n    assert {name}([{f.Random.Int(0, 9)}, {f.Random.Int(0, 9)}]) is not None\n";
    }

    private static string Notebook(Faker f, SeedTopic topic) => JsonSerializer.Serialize(new
    {
        nbformat = 4, nbformat_minor = 5, metadata = new { },
        cells = new object[]
        {
            new { cell_type = "markdown", metadata = new { }, source = new[] { $"# {topic.Title}\n", Paragraph(f, topic) } },
            new { cell_type = "code", metadata = new { }, execution_count = (int?)null, outputs = Array.Empty<object>(), source = new[] { Python(f, topic) } },
        },
    });

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static string Slug(string s) => Forge.Core.Text.TextFolding.Slug(s, 40);
}
