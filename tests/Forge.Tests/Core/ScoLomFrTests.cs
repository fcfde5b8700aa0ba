using Forge.Core.Resources;
using Xunit;

namespace Forge.Tests.Core;

public sealed class ScoLomFrTests
{
    [Fact]
    public void A_description_maps_to_scolomfr_concepts_with_the_cycle_forge_derived()
    {
        var m = ResourceMetadataParser.Parse("grades: [3e, tle]\ntype: [cours, projet]\nusage: [classe, maison]\nautonomy: [autonome]").Metadata;
        var concepts = ScoLomFr.Of(m);
        Assert.Equal(["scolomfr-voc-022-num-023", "scolomfr-voc-022-num-201", "scolomfr-voc-022-num-621", "scolomfr-voc-022-num-142"],
            concepts.EducationalLevels.Select(ScoLomFr.ShortId));
        Assert.Equal([ScoLomFr.ConceptBase + "lecture"], concepts.ResourceTypes); // "projet" has no voc-010 concept
        Assert.Equal(["scolomfr-voc-017-num-005", "scolomfr-voc-017-num-0016"], concepts.Places.Select(ScoLomFr.ShortId));
        Assert.Equal(["scolomfr-voc-018-num-003"], concepts.EducationalMethods.Select(ScoLomFr.ShortId));
    }

    [Fact]
    public void Every_grade_and_cycle_has_a_level_concept_and_all_concepts_are_distinct()
    {
        Assert.All(ResourceVocabulary.Grades, g => Assert.True(ScoLomFr.Grades.ContainsKey(g.Code), g.Code));
        Assert.All(ResourceVocabulary.Cycles.Keys, c => Assert.True(ScoLomFr.Cycles.ContainsKey(c), c));
        var all = ScoLomFr.Grades.Values.Concat(ScoLomFr.Cycles.Values).Concat(ScoLomFr.Types.Values).Concat(ScoLomFr.Usages.Values).Concat(ScoLomFr.Autonomies.Values).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, uri => Assert.StartsWith("http://data.education.fr/voc/scolomfr/concept/", uri));
    }
}
