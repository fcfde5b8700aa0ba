using Forge.Core.Programmes;
using Xunit;

namespace Forge.Tests.Core;

/// <summary>The official programmes shipped with Forge: counts as in their README, unique ids, lookups, load-time checks.</summary>
public sealed class ProgrammeCatalogueTests
{
    private static readonly ProgrammeCatalogue Catalogue = ProgrammeCatalogue.Default;

    [Theory]
    // The table of Forge.Core/Programmes/data/README.md.
    [InlineData("nsi-premiere", "1re", 8, 31, 51)]
    [InlineData("nsi-terminale", "tle", 6, 24, 48)]
    [InlineData("snt-seconde", "2nde", 8, 37, 54)]
    public void Counts_match_the_readme(string id, string level, int themes, int items, int capacities)
    {
        var programme = Catalogue.Programme(id)!;
        Assert.Equal(level, programme.Level);
        Assert.Equal(themes, programme.Themes.Count);
        Assert.Equal(items, programme.Items.Count());
        Assert.Equal(capacities, programme.Items.Sum(i => i.Capacities.Count));
        Assert.StartsWith("BO ", programme.Source);
        Assert.StartsWith("https://", programme.SourceUrl);
    }

    [Fact]
    public void Terminale_flags_fourteen_exam_items_and_no_other_programme_has_the_flag()
    {
        var terminale = Catalogue.Programme("nsi-terminale")!;
        Assert.Equal(14, terminale.Items.Count(i => i.Exam == true));
        Assert.All(terminale.Items, i => Assert.NotNull(i.Exam));
        Assert.StartsWith("https://www.education.gouv.fr/bo/22/Hebdo36/", terminale.ExamSourceUrl);
        Assert.All(Catalogue.Programmes.Where(p => p.Id != "nsi-terminale").SelectMany(p => p.Items), i => Assert.Null(i.Exam));
    }

    [Fact]
    public void Ids_are_unique_and_lookups_work()
    {
        var ids = Catalogue.Items.Select(i => i.Id).ToList();
        Assert.Equal(31 + 24 + 37, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(["snt-seconde", "nsi-premiere", "nsi-terminale"], Catalogue.Programmes.Select(p => p.Id));

        var item = Catalogue.Item("nsi-tle.structures-donnees.listes-piles-files")!;
        Assert.Equal("nsi-terminale", item.ProgrammeId);
        Assert.Equal("nsi-tle.structures-donnees", item.ThemeId);
        Assert.Equal("Structures de données", Catalogue.Theme(item.ThemeId)!.Title);
        Assert.Same(Catalogue.Programme("nsi-terminale"), Catalogue.ProgrammeOf(item));
        Assert.True(item.Exam);
        Assert.Null(Catalogue.Item("nsi-tle.inexistant"));
        var uncertain = Assert.Single(Catalogue.Items, i => i.Uncertain);
        Assert.Equal("nsi-tle.histoire.evenements-cles", uncertain.Id);
        Assert.NotNull(uncertain.Note);
    }

    [Fact]
    public void Text_matching_ignores_case_accents_and_the_kind_of_apostrophe()
    {
        Assert.Equal(ProgrammeCatalogue.NormaliseText("L’histoire  de l'INFORMATIQUE"), ProgrammeCatalogue.NormaliseText("l'histoire de l’informatique"));
        Assert.Equal("nsi-1re.types-base.texte", Catalogue.Find("représentation d'un texte en machine. Exemples des encodages ASCII, ISO-8859-1, Unicode")!.Id);
        Assert.Null(Catalogue.Find("Événements clés de l'histoire de l'informatique")); // in première and terminale: ambiguous
        Assert.Null(Catalogue.Find("événements")); // only a whole contents text names an item
        Assert.Equal("nsi-1re.types-base.booleens", Catalogue.Closest("nsi-1re.types-base.boolean")[0]);
    }

    [Theory]
    [InlineData("programme: x\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes: []", "differs from the file name")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes: []", "themes is not a non-empty list")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nextra: 1\nthemes: []", "unexpected key extra")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes:\n  - id: nsi-1re.a\n    title: A\n    items:\n      - id: nsi-1re.b.c\n        content: c\n        capacities: [x]", "does not start with its theme id")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes:\n  - id: nsi-1re.a\n    title: A\n    items:\n      - id: nsi-1re.a.c\n        content: c\n        capacities: [x]\n        exam: true", "unexpected key exam")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes:\n  - id: nsi-1re.a\n    title: A\n    items:\n      - id: nsi-1re.a.C\n        content: c\n        capacities: [x]", "id pattern")]
    [InlineData("programme: p\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes:\n  - id: nsi-1re.a\n    title: A\n    items:\n      - id: nsi-1re.a.c\n        content: c\n        capacities: [x]\n        uncertain: true", "without a note")]
    public void A_data_file_breaking_a_field_rule_is_refused_at_load(string yaml, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => ProgrammeCatalogue.Load([("p", yaml)]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_same_id_in_two_files_is_refused()
    {
        const string file = "programme: {0}\ntitle: t\nlevel: 1re\nsource: s\nsource_url: https://a\nversion: 2019\nthemes:\n  - id: nsi-1re.a\n    title: A\n    items:\n      - id: nsi-1re.a.c\n        content: c\n        capacities: [x]";
        var e = Assert.Throws<InvalidDataException>(() => ProgrammeCatalogue.Load([("p", string.Format(file, "p")), ("q", string.Format(file, "q"))]));
        Assert.Contains("not unique", e.Message);
    }
}
