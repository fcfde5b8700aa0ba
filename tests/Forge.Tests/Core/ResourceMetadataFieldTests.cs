using Forge.Core.Resources;
using Xunit;

namespace Forge.Tests.Core;

/// <summary>Each field of the full description, valid and invalid: the valid part is kept, each problem names its field in French.</summary>
public sealed class ResourceMetadataFieldTests
{
    private static ResourceMetadataResult Parse(string yaml) => ResourceMetadataParser.Parse(yaml);

    private static MetadataProblem Problem(ResourceMetadataResult result, string field) => Assert.Single(result.Problems, p => p.Field == field);

    [Fact]
    public void The_full_description_is_read_with_every_new_field()
    {
        var result = Parse("""
            title: Les listes chaînées
            disciplines: [nsi]
            grades: [tle]
            usage: [classe, maison]
            autonomy: [autonome]
            audience: [élèves, enseignant]
            type: [cours, tp]
            personalisation: adaptative
            has_exercises: oui
            teacher_sees_results: false
            duration_minutes: 110
            focus_minutes: 20
            accessibility: [alt-text, captions, transcript, dyslexia]
            language: [fr, en]
            programme: [nsi-tle.structures-donnees.listes-piles-files]
            authors:
              - Jeanne Dupont
              - Karim Benali <karim.benali@ac-lyon.fr>
            based_on: alice/nsi-terminale
            licence: CC-BY-SA-4.0
            """);
        Assert.Empty(result.Problems);
        var m = result.Metadata;
        Assert.Equal(["classe", "maison"], m.Usage);
        Assert.Equal(["autonome"], m.Autonomy);
        Assert.Equal(["eleve", "enseignant"], m.Audience);
        Assert.Equal(["cours", "tp"], m.Types);
        Assert.Equal("adaptative", m.Personalisation);
        Assert.True(m.HasExercises);
        Assert.False(m.TeacherSeesResults);
        Assert.Equal(110, m.DurationMinutes);
        Assert.Equal(20, m.FocusMinutes);
        Assert.Equal(["texte-alternatif", "sous-titres", "transcription", "police-dys"], m.Accessibility);
        Assert.Equal(["fr", "en"], m.Languages);
        Assert.Equal(["nsi-tle.structures-donnees.listes-piles-files"], m.Programme);
        Assert.Equal(["Jeanne Dupont", "Karim Benali <karim.benali@ac-lyon.fr>"], m.Authors);
        Assert.Equal("alice/nsi-terminale", m.BasedOn);
    }

    [Theory]
    [InlineData("usage: [classe, autonomie]", new[] { "classe" }, new[] { "autonome" })]
    [InlineData("usage: [maison, accompagne]", new[] { "maison" }, new[] { "accompagne" })]
    [InlineData("usage: [classe, autonomie]\nautonomy: [accompagne]", new[] { "classe" }, new[] { "autonome", "accompagne" })]
    [InlineData("autonomy: [En autonomie, accompagnement]", new string[0], new[] { "autonome", "accompagne" })]
    [InlineData("usage: à la maison", new[] { "maison" }, new string[0])]
    public void Version_1_autonomy_under_usage_still_reads_as_autonomy(string yaml, string[] usage, string[] autonomy)
    {
        var result = Parse(yaml);
        Assert.Empty(result.Problems);
        Assert.Equal(usage, result.Metadata.Usage);
        Assert.Equal(autonomy, result.Metadata.Autonomy);
    }

    [Fact]
    public void An_unknown_autonomy_is_reported_with_the_allowed_values()
    {
        var result = Parse("autonomy: [seul]");
        var p = Problem(result, "autonomy");
        Assert.Equal("seul", p.Value);
        Assert.Contains("autonome, accompagne", p.Message);
    }

    [Theory]
    [InlineData("aucune", "aucune")]
    [InlineData("none", "aucune")]
    [InlineData("Adaptive", "adaptative")]
    [InlineData("adaptatif", "adaptative")]
    [InlineData("différenciée", "differenciee")]
    [InlineData("differentiated", "differenciee")]
    public void Personalisation_is_understood_in_french_and_english(string written, string code)
    {
        Assert.Equal(code, Parse($"personalisation: {written}").Metadata.Personalisation);
        Assert.Equal(code, Parse($"personnalisation: {written}").Metadata.Personalisation); // the French spelling of the key
    }

    [Fact]
    public void An_unknown_personalisation_or_a_list_is_refused()
    {
        var p = Problem(Parse("personalisation: magique"), "personalisation");
        Assert.Contains("aucune, adaptative", p.Message);
        Assert.Contains("none, adaptive, differentiated", p.Message);
        Assert.Contains("pas une liste", Problem(Parse("personalisation: [aucune]"), "personalisation").Message);
    }

    [Theory]
    [InlineData("oui", true)]
    [InlineData("Non", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("vrai", true)]
    [InlineData("faux", false)]
    public void Booleans_accept_yaml_and_french_words(string written, bool value)
    {
        var m = Parse($"has_exercises: {written}\nteacher_sees_results: {written}").Metadata;
        Assert.Equal(value, m.HasExercises);
        Assert.Equal(value, m.TeacherSeesResults);
    }

    [Fact]
    public void A_boolean_that_is_not_yes_or_no_is_reported()
    {
        var result = Parse("has_exercises: parfois\nteacher_sees_results: [oui]");
        Assert.Null(result.Metadata.HasExercises);
        Assert.Contains("oui ou non", Problem(result, "has_exercises").Message);
        Assert.Equal("parfois", Problem(result, "has_exercises").Value);
        Assert.Contains("pas une liste", Problem(result, "teacher_sees_results").Message);
    }

    [Theory]
    [InlineData("focus_minutes: quinze", "nombre entier")]
    [InlineData("focus_minutes: -5", "nombre entier")]
    [InlineData("focus_minutes: 0", "nombre entier")]
    [InlineData("focus_minutes: 2.5", "nombre entier")]
    [InlineData("focus_minutes: 999999", "nombre entier")]
    [InlineData("duration_minutes: 30\nfocus_minutes: 45", "dépasse la durée totale")]
    public void Focus_time_must_be_a_positive_whole_number_within_the_duration(string yaml, string expected)
    {
        var p = Problem(Parse(yaml), "focus_minutes");
        Assert.Contains(expected, p.Message);
        Assert.Equal(25, Parse("focus_minutes: 25").Metadata.FocusMinutes);
    }

    [Theory]
    [InlineData("alt-text", "texte-alternatif")]
    [InlineData("Texte alternatif", "texte-alternatif")]
    [InlineData("captions", "sous-titres")]
    [InlineData("sous-titrage", "sous-titres")]
    [InlineData("transcript", "transcription")]
    [InlineData("dyslexia", "police-dys")]
    [InlineData("dyslexie", "police-dys")]
    [InlineData("audio-description", "audiodescription")]
    [InlineData("high contrast", "contraste-eleve")]
    [InlineData("keyboard", "navigation-clavier")]
    [InlineData("lecteur d’écran", "lecteur-ecran")]
    public void Accessibility_features_have_friendly_aliases(string written, string code) =>
        Assert.Equal([code], Parse($"accessibility: [{written}]").Metadata.Accessibility);

    [Fact]
    public void An_unknown_accessibility_feature_lists_the_codes()
    {
        var result = Parse("accessibility: [captions, braille-magique]");
        Assert.Equal(["sous-titres"], result.Metadata.Accessibility);
        var p = Problem(result, "accessibility");
        Assert.Equal("braille-magique", p.Value);
        Assert.Contains("texte-alternatif, sous-titres", p.Message);
    }

    [Theory]
    [InlineData("language: fr", new[] { "fr" })]
    [InlineData("language: [fr, en]", new[] { "fr" , "en" })]
    [InlineData("languages: [FR, oc]", new[] { "fr", "oc" })]
    [InlineData("language: fr-FR", new[] { "fr" })]
    [InlineData("language: français", new[] { "fr" })]
    [InlineData("language: [ru, ja]", new[] { "ru", "ja" })]
    public void Languages_are_iso_639_1_codes_given_alone_or_as_a_list(string yaml, string[] codes) =>
        Assert.Equal(codes, Parse(yaml).Metadata.Languages);

    [Fact]
    public void An_unknown_language_code_is_reported()
    {
        var result = Parse("language: [fr, xx, klingon]");
        Assert.Equal(["fr"], result.Metadata.Languages);
        Assert.Equal(2, result.Problems.Count(p => p.Field == "language"));
        Assert.All(result.Problems, p => Assert.Contains("ISO 639-1", p.Message));
    }

    [Fact]
    public void Authors_are_names_optionally_with_an_address_in_angle_brackets()
    {
        Assert.Equal(["Dupont, Jeanne"], Parse("authors: Dupont, Jeanne").Metadata.Authors); // one text is one author
        var result = Parse("""
            authors:
              - Jeanne Dupont <jeanne@ac-lyon.fr>
              - jeanne@ac-lyon.fr
              - Karim <pas une adresse>
              - <nobody@example.org>
              - Léa Martin
            """);
        Assert.Equal(["Jeanne Dupont <jeanne@ac-lyon.fr>", "Léa Martin"], result.Metadata.Authors);
        Assert.Equal(3, result.Problems.Count(p => p.Field == "authors"));
        Assert.All(result.Problems, p => Assert.Contains("Nom <adresse@exemple.fr>", p.Message));
    }

    [Fact]
    public void Too_long_an_author_is_refused()
    {
        var p = Problem(Parse("authors: [" + new string('a', 300) + "]"), "authors");
        Assert.Contains("trop long", p.Message);
    }

    [Theory]
    [InlineData("alice/nsi-terminale")]
    [InlineData("bob-martin/cours_snt.v2")]
    [InlineData("https://forge.apps.education.fr/alice/nsi")]
    [InlineData("http://exemple.fr/ressource?id=3")]
    public void Based_on_is_a_repository_of_this_forge_or_a_web_address(string value) =>
        Assert.Equal(value, Parse($"based_on: \"{value}\"").Metadata.BasedOn);

    [Theory]
    [InlineData("nsi-terminale")]
    [InlineData("alice/nsi/terminale")]
    [InlineData("ftp://exemple.fr/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("alice/ nsi")]
    [InlineData("https://user:secret@exemple.fr/x")]
    [InlineData("/alice/nsi")]
    public void Based_on_of_any_other_shape_is_refused(string value)
    {
        var result = Parse($"based_on: \"{value}\"");
        Assert.Null(result.Metadata.BasedOn);
        Assert.Contains("propriétaire/dépôt", Problem(result, "based_on").Message);
    }

    [Theory]
    [InlineData("élève", "eleve")]
    [InlineData("Élèves", "eleve")]
    [InlineData("students", "eleve")]
    [InlineData("professeur", "enseignant")]
    [InlineData("Professeurs", "enseignant")]
    [InlineData("enseignants", "enseignant")]
    [InlineData("formatrice", "formateur")]
    public void Audience_understands_common_words(string written, string code) =>
        Assert.Equal([code], Parse($"audience: [{written}]").Metadata.Audience);

    [Fact]
    public void An_unknown_audience_is_reported()
    {
        var p = Problem(Parse("audience: [parents]"), "audience");
        Assert.Contains("eleve, enseignant, formateur", p.Message);
    }

    [Fact]
    public void Programme_items_are_checked_against_the_official_programmes()
    {
        var result = Parse("""
            programme:
              - nsi-1re.types-base.booleens
              - NSI-1RE.TYPES-BASE.BOOLEENS
              - "Dictionnaires par clés et valeurs"
            """);
        Assert.Empty(result.Problems);
        Assert.Equal(["nsi-1re.types-base.booleens", "nsi-1re.types-construits.dictionnaires"], result.Metadata.Programme);
    }

    [Fact]
    public void An_unknown_programme_item_suggests_the_closest_ids()
    {
        var result = Parse("programme: [nsi-1re.types-base.boolens, nsi-1re.types-base.booleens]");
        Assert.Equal(["nsi-1re.types-base.booleens"], result.Metadata.Programme);
        var p = Problem(result, "programme");
        Assert.Equal("nsi-1re.types-base.boolens", p.Value);
        Assert.Contains("Éléments les plus proches : nsi-1re.types-base.booleens", p.Message);
        Assert.Contains("/programmes", p.Message);
    }

    [Fact]
    public void Apostrophes_do_not_matter_when_naming_an_item_by_its_text()
    {
        // The BO text uses the typographic apostrophe; a teacher's keyboard gives the straight one.
        var item = Assert.Single(Parse("programme: [\"Représentation d'un texte en machine. Exemples des encodages ASCII, ISO-8859-1, Unicode\"]").Metadata.Programme);
        Assert.Equal("nsi-1re.types-base.texte", item);
    }

    [Fact]
    public void Hostile_values_in_new_fields_never_throw_and_stay_bounded()
    {
        var many = string.Join(", ", Enumerable.Range(0, 5000).Select(i => "fr"));
        var result = Parse($"language: [{many}]\nauthors: [{many}]\nprogramme: [{string.Join(", ", Enumerable.Range(0, 500).Select(i => "x" + i))}]\nbased_on: {new string('a', 3000)}");
        Assert.Equal(["fr"], result.Metadata.Languages);
        Assert.True(result.Problems.Count(p => p.Field == "programme") <= ResourceMetadataParser.MaxListItems);
        Assert.Null(result.Metadata.BasedOn);
        var nested = Parse("accessibility: [[[[x]]]]\nhas_exercises: {a: b}");
        Assert.Contains(nested.Problems, p => p.Field == "accessibility" && p.Message.Contains("valeurs simples"));
        Assert.Contains(nested.Problems, p => p.Field == "has_exercises" && p.Message.Contains("forme inattendue"));
    }

    [Fact]
    public void Unknown_fields_are_found_with_their_text_so_a_rewrite_can_keep_them()
    {
        const string yaml = """
            title: Cours
            niveau_de_difficulte: 3
            extra:
              - un
              - deux
            keywords: [a]
            alias: &x [b]
            """;
        var unknown = ResourceMetadataParser.UnknownFields(yaml);
        Assert.Equal(["niveau_de_difficulte", "extra", "alias"], unknown.Select(u => u.Key));
        Assert.Equal("niveau_de_difficulte: 3", unknown[0].Source);
        Assert.Equal("extra:\n  - un\n  - deux", unknown[1].Source);
        Assert.Null(unknown[2].Source); // an anchor cannot be carried over safely
        Assert.True(ResourceMetadataParser.HasComments("title: x # commentaire"));
        Assert.False(ResourceMetadataParser.HasComments("title: \"pas # un commentaire\""));
    }
}
