using System.Text;
using Forge.Core.Text;
using Xunit;

namespace Forge.Tests.Core;

/// <summary>The one folding and slug helper, on French text, and the callers that keep their own contract on top of it.</summary>
public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("Élève", "eleve")]
    [InlineData("Cœur", "coeur")]
    [InlineData("ŒUVRE", "oeuvre")]
    [InlineData("Ex æquo", "ex aequo")]
    [InlineData("Straße", "strasse")]
    [InlineData("L’été", "l'ete")]
    [InlineData("ÇA", "ca")]
    [InlineData("  Première\t\n  NSI  ", "premiere nsi")]
    [InlineData("Exercice 12 : 3,5 points", "exercice 12 : 3,5 points")]
    [InlineData("Bravo 🎉", "bravo 🎉")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Fold_lowers_removes_diacritics_spells_out_ligatures_and_joins_spaces(string text, string folded) =>
        Assert.Equal(folded, TextFolding.Fold(text));

    [Fact]
    public void Fold_gives_the_same_text_for_composed_and_decomposed_input() =>
        Assert.Equal(TextFolding.Fold("Élève à l’école"), TextFolding.Fold("Élève à l’école".Normalize(NormalizationForm.FormD)));

    [Theory]
    [InlineData("Élève", "eleve")]
    [InlineData("Le cœur du sujet", "le-coeur-du-sujet")]
    [InlineData("L’été", "l-ete")]
    [InlineData("ÇA !", "ca")]
    [InlineData("Chapitre 2 — Les tris (1re)", "chapitre-2-les-tris-1re")]
    [InlineData("🎉 Fête 🎉", "fete")]
    [InlineData("--a__b--", "a-b")]
    [InlineData("🎉", "")]
    [InlineData("", "")]
    public void Slug_keeps_ascii_letters_and_digits_joined_by_single_dashes(string text, string slug) =>
        Assert.Equal(slug, TextFolding.Slug(text, 64));

    [Fact]
    public void Slug_is_cut_at_the_maximum_length_without_a_trailing_dash()
    {
        var slug = TextFolding.Slug(string.Concat(Enumerable.Repeat("Élève studieux ", 200)), 40);
        Assert.True(slug.Length <= 40, slug);
        Assert.StartsWith("eleve-studieux-eleve", slug);
        Assert.False(slug.EndsWith('-'));
        Assert.Equal("abcdefghij", TextFolding.Slug(new string('a', 1) + "bcdefghijklmnop", 10));
    }

    [Fact]
    public void Ids_computed_from_titles_before_ligatures_were_spelt_out_stay_the_same()
    {
        // A module's section id is computed from its title on every read: « nœud » must keep its old id (links, progress).
        Assert.Equal("arbres-n-uds-et-feuilles", Forge.Core.Modules.ModuleText.Slug("Arbres : nœuds et feuilles"));
        Assert.Equal("decouvrir-python", Forge.Core.Modules.ModuleText.Slug("Découvrir Python !"));
        Assert.Equal("arbres-noeuds-et-feuilles", TextFolding.Slug("Arbres : nœuds et feuilles", 64));
    }

    [Fact]
    public void Callers_keep_their_contracts()
    {
        // Quiz answers: case, accents, spaces and now ligatures ignored.
        Assert.Equal(Forge.Core.Modules.ModuleText.Fold("  Cœur "), Forge.Core.Modules.ModuleText.Fold("COEUR"));
        // Vocabulary codes keep their punctuation (an unknown value is reported, never turned into another).
        Assert.Equal("lecteur-d'ecran", Forge.Core.Resources.ResourceMetadataParser.Slug("Lecteur d’écran"));
        Assert.Equal("fr-fr", Forge.Core.Resources.ResourceMetadataParser.Slug("fr_FR"));
        Assert.Equal("physique-chimie", Forge.Core.Resources.ResourceMetadataParser.Slug("Physique Chimie"));
        // Pupils' and teams' names: 20 or 30 characters.
        Assert.Equal("zoe-lea", Forge.Web.Classroom.ClassroomService.Slug("Zoé Léa", 20));
        // The site search folds character by character, so that an extract is cut around the original words.
        Assert.Equal("c  ur coeur", Forge.Web.Sites.SiteSearch.Fold("c’ ur cœur"));
        Assert.Equal("eleve", Forge.Web.Sites.SiteSearch.Fold("Élève".Normalize(NormalizationForm.FormD)));
    }
}
