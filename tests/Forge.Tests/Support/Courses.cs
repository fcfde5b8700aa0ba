using Bogus;

namespace Forge.Tests.Support;

/// <summary>Realistic teacher material: a course folder with Markdown, Python, an image and a resource.yml.</summary>
public static class Courses
{
    /// <summary>A tiny valid PNG (1×1), enough to check images travel byte for byte.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>Writes an NSI course into <paramref name="dir"/>; same content for the same seed.</summary>
    public static void WriteNsiCourse(string dir, int seed = 42)
    {
        var faker = new Faker("fr") { Random = new Randomizer(seed) };
        Directory.CreateDirectory(Path.Combine(dir, "chapitres", "tris"));
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        File.WriteAllText(Path.Combine(dir, "README.md"), $"""
            # NSI terminale — algorithmes de tri

            Ce cours propose des exercices progressifs pour que chaque élève maîtrise les tris.
            {faker.Lorem.Paragraph()}

            - [Chapitre 1 : tri par insertion](chapitres/tris/insertion.md)
            - ![Schéma](images/schema.png)
            """);
        File.WriteAllText(Path.Combine(dir, "chapitres", "tris", "insertion.md"), $"""
            # Tri par insertion

            L'algorithme parcourt la liste et insère chaque valeur à sa place. Complexité quadratique.
            {faker.Lorem.Paragraphs(2)}
            """);
        File.WriteAllText(Path.Combine(dir, "chapitres", "tris", "insertion.py"), """
            def tri_insertion(t):
                for i in range(1, len(t)):
                    v = t[i]
                    j = i - 1
                    while j >= 0 and t[j] > v:
                        t[j + 1] = t[j]
                        j -= 1
                    t[j + 1] = v
                return t
            """);
        File.WriteAllBytes(Path.Combine(dir, "images", "schema.png"), Png);
        File.WriteAllText(Path.Combine(dir, "resource.yml"), """
            title: Algorithmes de tri en terminale
            description: Cours et exercices sur les tris, avec corrigés en Python.
            disciplines: [nsi]
            grades: [tle]
            usage: [classe, autonomie]
            type: cours
            duration_minutes: 110
            licence: CC-BY-SA-4.0
            keywords: [tri, algorithmique, python]
            """);
    }
}
