using Bogus;
using Forge.Core.Programmes;
using Forge.Core.Resources;
using Xunit;

namespace Forge.Tests.Core;

/// <summary>resource.yml written back from a description: clean, stable, and read back to the same description.</summary>
public sealed class ResourceMetadataWriterTests
{
    [Fact]
    public void A_description_is_written_clean_in_a_fixed_order_with_only_the_fields_set()
    {
        var yaml = ResourceMetadataWriter.Write(new ResourceMetadata
        {
            Keywords = ["tri", "python"],
            Title = "Algorithmes de tri",
            Grades = ["tle"],
            Cycles = ["lycee"],
            CyclesDerived = true,
            Usage = ["maison"],
            HasExercises = true,
            DurationMinutes = 110,
            Authors = ["Jeanne Dupont <jeanne@ac-lyon.fr>"],
            Programme = ["nsi-tle.algorithmique.diviser-regner"],
            Licence = "CC-BY-SA-4.0",
        });
        Assert.Equal("""
            title: Algorithmes de tri
            grades: [tle]
            usage: [maison]
            has_exercises: true
            duration_minutes: 110
            programme:
              - nsi-tle.algorithmique.diviser-regner
            authors:
              - Jeanne Dupont <jeanne@ac-lyon.fr>
            licence: CC-BY-SA-4.0
            keywords: [tri, python]

            """.Replace("\r\n", "\n"), yaml);
        Assert.Equal("", ResourceMetadataWriter.Write(ResourceMetadata.Empty));
    }

    [Theory]
    [InlineData("oui")]
    [InlineData("123")]
    [InlineData("null")]
    [InlineData("- tiret")]
    [InlineData("# pas un commentaire")]
    [InlineData("clé: valeur")]
    [InlineData("[crochets], {accolades}")]
    [InlineData("« guillemets » et \"doubles\" et 'simples'")]
    [InlineData("2024-09-01")]
    [InlineData("*étoile &esperluette !point")]
    [InlineData("ligne 1\nligne 2\n\n  indentée")]
    [InlineData("tabulation\tici")]
    public void Any_text_survives_the_round_trip(string text)
    {
        var m = new ResourceMetadata { Title = text.Split('\n')[0].Trim(), Description = text, Keywords = [text.Split('\n')[0].Replace('\t', ' ').Trim()] };
        var back = ResourceMetadataParser.Parse(ResourceMetadataWriter.Write(m));
        Assert.Empty(back.Problems);
        Assert.Equal(m.Title, back.Metadata.Title);
        Assert.Equal(m.Description, back.Metadata.Description);
        Assert.Equal(m.Keywords, back.Metadata.Keywords);
    }

    [Fact]
    public void Generated_descriptions_read_back_identical()
    {
        var faker = new Faker("fr") { Random = new Randomizer(4242) };
        for (var i = 0; i < 300; i++)
        {
            var m = Generate(faker);
            var yaml = ResourceMetadataWriter.Write(m);
            var back = ResourceMetadataParser.Parse(yaml);
            Assert.True(back.Problems.Count == 0, $"#{i}: {string.Join("; ", back.Problems.Select(p => $"{p.Field}={p.Value}: {p.Message}"))}\n{yaml}");
            AssertSame(m, back.Metadata, yaml);
            Assert.Equal(yaml, ResourceMetadataWriter.Write(back.Metadata)); // stable
        }
    }

    [Fact]
    public void Unknown_fields_of_a_hand_written_file_are_carried_over()
    {
        const string original = "title: Ancien titre\nniveau_de_difficulte: 3\nextra:\n  - un\n  - deux\n";
        var parsed = ResourceMetadataParser.Parse(original).Metadata with { Title = "Nouveau titre" };
        var yaml = ResourceMetadataWriter.Write(parsed, ResourceMetadataParser.UnknownFields(original));
        Assert.Equal("title: Nouveau titre\nniveau_de_difficulte: 3\nextra:\n  - un\n  - deux\n", yaml);
        Assert.Equal(["niveau_de_difficulte", "extra"], ResourceMetadataParser.UnknownFields(yaml).Select(u => u.Key));
    }

    private static readonly string[] Licences = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0", "etalab-2.0", "MIT", "GPL-3.0-or-later", "EUPL-1.2"];
    private static readonly string[] Tricky = ["oui", "non", "42", "null", "- a", "a: b", "#x", "« b »", "d'accord", "x, y", "[z]", "~"];

    private static ResourceMetadata Generate(Faker f)
    {
        T? Maybe<T>(Func<T> make) where T : class => f.Random.Bool(0.7f) ? make() : null;
        List<string> Subset(IEnumerable<string> all, int max = 4) => f.Random.Bool(0.3f) ? [] : f.PickRandom(all.ToList(), f.Random.Int(1, max)).ToList();
        string Text(string generated) => (f.Random.Bool(0.15f) ? f.PickRandom(Tricky) + " " + generated : generated).Trim();

        var grades = Subset(ResourceVocabulary.GradeLabels.Keys, 3).OrderBy(ResourceVocabulary.GradeOrder).ToList();
        var derive = f.Random.Bool();
        var cycles = derive ? grades.Select(g => ResourceVocabulary.CycleOf(g)!).Distinct().ToList() : Subset(ResourceVocabulary.Cycles.Keys, 2);
        int? duration = f.Random.Bool(0.6f) ? f.Random.Int(1, 600) : null;
        int? focus = f.Random.Bool(0.5f) ? f.Random.Int(1, duration ?? 120) : null;
        var catalogue = ProgrammeCatalogue.Default;
        return new ResourceMetadata
        {
            Title = Maybe(() => Text(f.Lorem.Sentence(f.Random.Int(2, 8)))),
            Description = Maybe(() => Text(f.Lorem.Paragraphs(f.Random.Int(1, 3), "\n"))),
            Disciplines = Subset(ResourceVocabulary.Disciplines.Keys),
            Grades = grades,
            Cycles = cycles,
            CyclesDerived = derive && grades.Count > 0,
            Usage = Subset(ResourceVocabulary.Usages.Keys, 2),
            Autonomy = Subset(ResourceVocabulary.Autonomies.Keys, 2),
            Audience = Subset(ResourceVocabulary.Audiences.Keys, 3),
            Types = Subset(ResourceVocabulary.Types.Keys, 3),
            Personalisation = f.Random.Bool(0.4f) ? f.PickRandom(ResourceVocabulary.Personalisations.Keys.ToList()) : null,
            HasExercises = f.Random.Bool(0.5f) ? f.Random.Bool() : null,
            TeacherSeesResults = f.Random.Bool(0.5f) ? f.Random.Bool() : null,
            DurationMinutes = duration,
            FocusMinutes = focus,
            Accessibility = Subset(ResourceVocabulary.AccessibilityFeatures.Keys, 4),
            Languages = Subset(ResourceMetadataParser.IsoLanguages, 3),
            Programme = Subset(catalogue.Items.Select(i => i.Id), 5),
            Authors = f.Random.Bool(0.3f) ? [] : Enumerable.Range(0, f.Random.Int(1, 3))
                .Select(_ => f.Random.Bool() ? f.Name.FullName() : $"{f.Name.FullName()} <{f.Internet.Email()}>").Distinct().ToList(),
            BasedOn = f.Random.Int(0, 2) switch
            {
                0 => null,
                1 => $"{f.Random.String2(f.Random.Int(2, 12), "abcdefghijklmnopqrstuvwxyz0123456789")}/{f.Lorem.Word()}-{f.Random.Int(1, 99)}",
                _ => f.Internet.UrlWithPath(f.PickRandom("http", "https")),
            },
            Licence = f.Random.Bool(0.7f) ? f.PickRandom(Licences) : null,
            Keywords = Subset(f.Lorem.Words(8).Select(Text), 6).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    private static void AssertSame(ResourceMetadata expected, ResourceMetadata actual, string yaml)
    {
        foreach (var property in typeof(ResourceMetadata).GetProperties())
        {
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            if (e is IEnumerable<string> list) Assert.True(list.SequenceEqual((IEnumerable<string>)a!), $"{property.Name} differs:\n{yaml}");
            else Assert.True(Equals(e, a), $"{property.Name}: {e} ≠ {a}\n{yaml}");
        }
    }
}
