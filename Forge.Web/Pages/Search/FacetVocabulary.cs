using System.Text.RegularExpressions;
using Forge.Core.Resources;
using Forge.Search;

namespace Forge.Web.Pages.Search;

/// <summary>
/// What the search pages show for facets: the French legend of each facet, the label of each value, the order
/// values are listed in, and which values a URL may carry (anything else is ignored).
/// </summary>
public static partial class FacetVocabulary
{
    private static readonly IReadOnlyDictionary<string, string> Exercises = new Dictionary<string, string>
    {
        ["oui"] = "Avec exercices",
        ["non"] = "Sans exercices",
    };

    private static readonly IReadOnlyDictionary<string, string> Durations =
        ResourceVocabulary.DurationRanges.ToDictionary(r => r.Code, r => r.Label);

    private static readonly IReadOnlyDictionary<string, string> Legends = new Dictionary<string, string>
    {
        [Facets.Discipline] = "Discipline",
        [Facets.Cycle] = "Cycle",
        [Facets.Grade] = "Niveau",
        [Facets.Usage] = "Lieu d’utilisation",
        [Facets.Autonomy] = "Modalité de travail",
        [Facets.Type] = "Type de ressource",
        [Facets.Licence] = "Licence",
        [Facets.Programme] = "Programme officiel",
        [Facets.Audience] = "Public visé",
        [Facets.Duration] = "Durée",
        [Facets.Exercises] = "Exercices",
        [BasedOn] = "Adapté de",
    };

    /// <summary>Closed vocabularies; <c>licence</c> and <c>programme</c> are open and checked by shape only.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Closed =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [Facets.Discipline] = ResourceVocabulary.Disciplines,
            [Facets.Cycle] = ResourceVocabulary.Cycles,
            [Facets.Grade] = ResourceVocabulary.GradeLabels,
            [Facets.Usage] = ResourceVocabulary.Usages,
            [Facets.Autonomy] = ResourceVocabulary.Autonomies,
            [Facets.Type] = ResourceVocabulary.Types,
            [Facets.Audience] = ResourceVocabulary.Audiences,
            [Facets.Duration] = Durations,
            [Facets.Exercises] = Exercises,
        };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")]
    private static partial Regex LicenceShape();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*){0,5}$")]
    private static partial Regex ProgrammeShape();

    /// <summary>Not a facet (no counts) but a filter of links such as « adapted by »: <c>based_on=owner/repo</c>.</summary>
    public const string BasedOn = "based_on";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryShape();

    public static string Legend(string facet) => SharedResource.T(Legends.GetValueOrDefault(facet, facet));

    /// <summary>Whether <paramref name="value"/> may be a value of <paramref name="facet"/> (unknown facets: never).</summary>
    public static bool IsValid(string facet, string value) => facet switch
    {
        Facets.Licence => LicenceShape().IsMatch(value),
        Facets.Programme => value.Length <= 150 && ProgrammeShape().IsMatch(value),
        BasedOn => RepositoryShape().IsMatch(value),
        _ => Closed.TryGetValue(facet, out var known) && known.ContainsKey(value),
    };

    /// <summary>
    /// The label of a value in the visitor's language (the value itself when it has none: licences are SPDX
    /// identifiers); programme items keep the Bulletin officiel's French words.
    /// </summary>
    public static string Label(string facet, string value) => facet switch
    {
        Facets.Programme => ProgrammeItemLabel(value),
        _ => Closed.TryGetValue(facet, out var known) && known.TryGetValue(value, out var label) ? SharedResource.T(label) : value,
    };

    private static string ProgrammeItemLabel(string id) => ProgrammeLabels.Label(id);

    /// <summary>
    /// Values in the order a teacher expects: school order for grades and cycles, range order for durations,
    /// « oui » before « non », the Bulletin officiel's order for programmes, otherwise most frequent first then
    /// alphabetical by label.
    /// </summary>
    public static IEnumerable<FacetCount> Order(string facet, IEnumerable<FacetCount> values) => facet switch
    {
        Facets.Grade => values.OrderBy(v => ResourceVocabulary.GradeOrder(v.Value)),
        Facets.Cycle => values.OrderBy(v => IndexIn(ResourceVocabulary.Cycles.Keys, v.Value)),
        Facets.Duration => values.OrderBy(v => IndexIn(Durations.Keys, v.Value)),
        Facets.Exercises => values.OrderBy(v => IndexIn(Exercises.Keys, v.Value)),
        Facets.Programme => values.OrderBy(v => ProgrammeLabels.Position(v.Value)).ThenBy(v => v.Value, StringComparer.Ordinal),
        _ => values.OrderByDescending(v => v.Count).ThenBy(v => Label(facet, v.Value), StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"), true)),
    };

    private static int IndexIn(IEnumerable<string> keys, string value)
    {
        var i = 0;
        foreach (var k in keys)
        {
            if (k == value) return i;
            i++;
        }
        return int.MaxValue;
    }

    /// <summary>« 1 h 50 », « 45 min ».</summary>
    public static string Duration(int minutes) =>
        minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60:00}";
}
