using Forge.Core.Resources;
using Xunit;

namespace Forge.Tests.Core;

public sealed class ResourceMetadataParserTests
{
    [Fact]
    public void A_complete_description_is_read_and_cycles_are_derived_from_grades()
    {
        var result = ResourceMetadataParser.Parse("""
            title: Les réseaux en SNT
            description: Activité débranchée
            disciplines: [SNT, Mathématiques]
            grades: [2nde, 3e]
            usage: [classe, autonomie]
            type: activite
            duration_minutes: 55
            licence: CC-BY-4.0
            keywords: réseau, internet, protocole
            """);
        Assert.Empty(result.Problems);
        var m = result.Metadata;
        Assert.Equal("Les réseaux en SNT", m.Title);
        Assert.Equal(["snt", "mathematiques"], m.Disciplines);
        Assert.Equal(["3e", "2nde"], m.Grades); // school order
        Assert.Equal(["4", "lycee"], m.Cycles);
        Assert.True(m.CyclesDerived);
        Assert.Equal(["classe"], m.Usage);
        Assert.Equal(["autonome"], m.Autonomy); // version 1 put autonomie under usage
        Assert.Equal(["activite"], m.Types);
        Assert.Equal(55, m.DurationMinutes);
        Assert.Equal(["réseau", "internet", "protocole"], m.Keywords);
    }

    [Theory]
    [InlineData("première", "1re")]
    [InlineData("Terminale", "tle")]
    [InlineData("6ème", "6e")]
    [InlineData("CM2", "cm2")]
    public void Common_ways_of_writing_a_grade_are_understood(string written, string code) =>
        Assert.Equal([code], ResourceMetadataParser.Parse($"grades: [{written}]").Metadata.Grades);

    [Fact]
    public void The_course_site_fields_are_not_problems_of_the_sheet_and_are_carried_over()
    {
        const string yaml = "title: Cours\nsite:\n  name: NSI\nteacher_only:\n  - docs/corrections/\ncouleur: bleu\n";
        var result = ResourceMetadataParser.Parse(yaml);
        Assert.DoesNotContain(result.Problems, p => p.Field is "site" or "teacher_only");
        Assert.Contains(result.Problems, p => p.Field == "couleur");
        Assert.Equal(["site", "teacher_only", "couleur"], ResourceMetadataParser.UnknownFields(yaml).Select(f => f.Key));
    }

    [Fact]
    public void Each_invalid_value_is_reported_with_its_field_its_value_and_what_is_allowed()
    {
        var result = ResourceMetadataParser.Parse("""
            title: Cours
            grades: [tle, 7e]
            usage: partout
            duration_minutes: une heure
            licence: "CC BY SA"
            couleur: bleu
            """);
        Assert.Equal("Cours", result.Metadata.Title);
        Assert.Equal(["tle"], result.Metadata.Grades); // the valid part is kept
        var grade = Assert.Single(result.Problems, p => p.Field == "grades");
        Assert.Equal("7e", grade.Value);
        Assert.Contains("cp, ce1", grade.Message);
        Assert.Contains(result.Problems, p => p.Field == "usage" && p.Value == "partout" && p.Message.Contains("classe, maison")
            && p.Message.Contains("autonomy : autonome, accompagne"));
        Assert.Contains(result.Problems, p => p.Field == "duration_minutes" && p.Message.Contains("nombre entier de minutes"));
        Assert.Contains(result.Problems, p => p.Field == "licence" && p.Message.Contains("SPDX"));
        Assert.Contains(result.Problems, p => p.Field == "couleur" && p.Message.Contains("Champ inconnu"));
    }

    [Theory]
    [InlineData("title: [unclosed", "YAML valide")]
    [InlineData("- une\n- liste", "« nom: valeur »")]
    [InlineData("", "vide")]
    public void A_broken_file_gives_a_readable_problem_and_never_throws(string yaml, string expected)
    {
        var result = ResourceMetadataParser.Parse(yaml);
        Assert.Contains(result.Problems, p => p.Message.Contains(expected));
        Assert.Null(result.Metadata.Title);
    }

    [Fact]
    public void Hostile_nesting_and_alias_bombs_are_refused_without_harm()
    {
        var deep = "title: x\nextra: " + new string('[', 5000) + new string(']', 5000);
        Assert.Contains(ResourceMetadataParser.Parse(deep).Problems, p => p.Message.Contains("imbrication"));
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nkeywords: [*b, *b, *b, *b, *b, *b, *b, *b]";
        var result = ResourceMetadataParser.Parse(bomb);
        Assert.Empty(result.Metadata.Keywords);
        Assert.Contains(result.Problems, p => p.Field == "keywords");
        var huge = "title: " + new string('x', ResourceMetadataParser.MaxBytes + 10);
        Assert.Contains(ResourceMetadataParser.Parse(huge).Problems, p => p.Message.Contains("dépasse"));
    }

    [Fact]
    public void Yaml_that_makes_the_yaml_library_throw_outside_its_own_exceptions_is_a_readable_problem()
    {
        // An unclosed « [ » before a « - »: YamlDotNet throws InvalidOperationException here, not YamlException.
        const string broken = "title: Tri\nauthors:\n  - name: [Alice\n  - name: Bob\n";
        var result = ResourceMetadataParser.Parse(broken);
        Assert.Contains(result.Problems, p => p.Message.Contains("pas du YAML valide"));
        Assert.False(ResourceMetadataParser.HasComments(broken));
        Assert.Empty(Forge.Core.Resources.TeacherOnly.Parse(broken));
        var problems = new List<Forge.Web.Sites.SiteProblem>();
        Assert.Null(Forge.Web.Sites.SiteConfig.ParseMkDocs("site_name: Cours\nnav:\n  - Accueil: index.md\n  - Cours: [a.md\n  - Fin: b.md\n", "mkdocs.yml", problems));
        Assert.Contains("erreur de syntaxe YAML", Assert.Single(problems).Message);
    }
}
