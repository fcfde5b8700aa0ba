using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace Forge.Search;

/// <summary>
/// The facet values of every document of one segment, read once from the sorted-set doc values and kept as two
/// flat arrays (documents' start offsets, then (facet, ordinal) pairs), so counting a large result set is a loop over
/// plain arrays rather than doc-values iterator calls. Segments never change (only their numeric doc values are
/// updated in place, and facets are not among those), so the arrays are cached per segment core and dropped with it.
/// </summary>
internal sealed class FacetOrdinals
{
    private static readonly ConditionalWeakTable<object, FacetOrdinals> Cache = new();

    private FacetOrdinals(int[] starts, int[] entries, long[] valueCounts)
    {
        Starts = starts;
        Entries = entries;
        ValueCounts = valueCounts;
    }

    /// <summary>Entries of document d are <c>Entries[2*Starts[d] .. 2*Starts[d+1]]</c>, pairs of (facet index in <see cref="Facets.All"/>, ordinal).</summary>
    public int[] Starts { get; }
    public int[] Entries { get; }
    /// <summary>Number of distinct values of each facet in the segment.</summary>
    public long[] ValueCounts { get; }

    public static FacetOrdinals For(AtomicReader reader) =>
        Cache.GetValue(reader.CoreCacheKey, _ => Build(reader));

    private static FacetOrdinals Build(AtomicReader reader)
    {
        var facets = Facets.All;
        var values = facets.Select(f => reader.GetSortedSetDocValues(IndexSchema.FacetField(f))).ToArray();
        var starts = new int[reader.MaxDoc + 1];
        var entries = new List<int>();
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            starts[doc] = entries.Count / 2;
            for (var f = 0; f < values.Length; f++)
            {
                var dv = values[f];
                if (dv is null) continue;
                dv.SetDocument(doc);
                long ord;
                while ((ord = dv.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                {
                    entries.Add(f);
                    entries.Add((int)ord);
                }
            }
        }
        starts[reader.MaxDoc] = entries.Count / 2;
        return new FacetOrdinals(starts, [.. entries], values.Select(v => v?.ValueCount ?? 0).ToArray());
    }
}
