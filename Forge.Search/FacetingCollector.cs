using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// Collects the readable matches of a query in one pass, applying the facet filters itself so it can count facets
/// the "drill sideways" way: a document passing every filter is a hit and counts for every facet; a document failing
/// exactly one facet's filter counts for that facet only (what its count would be if the user added a value to it).
/// Counts come from sorted-set doc values; the inner collector ranks the hits.
/// </summary>
internal sealed class FacetingCollector : ICollector
{
    private readonly ICollector _inner;
    private readonly string[] _counted;
    private readonly string[] _filtered;
    private readonly HashSet<string>[] _filterValues;
    private readonly Dictionary<string, int>[] _counts;

    private SortedSetDocValues?[] _countedValues = [];
    private int[][] _segmentCounts = [];
    private SortedSetDocValues?[] _filteredValues = [];
    private OpenBitSet?[] _selectedOrds = [];
    private int[] _countedIndexOfFiltered = [];

    public FacetingCollector(ICollector inner, IReadOnlyCollection<string> counted, IReadOnlyDictionary<string, HashSet<string>> filters)
    {
        _inner = inner;
        _counted = [.. counted];
        _filtered = [.. filters.Keys];
        _filterValues = [.. filters.Values];
        _counts = [.. _counted.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
    }

    public int Total { get; private set; }

    public bool AcceptsDocsOutOfOrder => false;

    public void SetScorer(Scorer scorer) => _inner.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        FlushSegment();
        var reader = context.AtomicReader;
        _countedValues = [.. _counted.Select(f => reader.GetSortedSetDocValues(IndexSchema.FacetField(f)))];
        _segmentCounts = [.. _countedValues.Select(v => v is null ? [] : new int[v.ValueCount])];
        _filteredValues = [.. _filtered.Select(f => reader.GetSortedSetDocValues(IndexSchema.FacetField(f)))];
        _selectedOrds = new OpenBitSet?[_filtered.Length];
        for (var i = 0; i < _filtered.Length; i++)
        {
            var dv = _filteredValues[i];
            if (dv is null) continue;
            var bits = new OpenBitSet(dv.ValueCount);
            foreach (var value in _filterValues[i])
            {
                var ord = dv.LookupTerm(new BytesRef(value));
                if (ord >= 0) bits.Set(ord);
            }
            _selectedOrds[i] = bits;
        }
        _countedIndexOfFiltered = [.. _filtered.Select(f => Array.IndexOf(_counted, f))];
        _inner.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        var failed = -1;
        for (var i = 0; i < _filtered.Length; i++)
        {
            if (Matches(i, doc)) continue;
            if (failed >= 0) return; // fails two facets: neither a hit nor counted anywhere
            failed = i;
        }
        if (failed < 0)
        {
            Total++;
            _inner.Collect(doc);
            for (var j = 0; j < _counted.Length; j++) Count(j, doc);
        }
        else if (_countedIndexOfFiltered[failed] is var j and >= 0)
        {
            Count(j, doc);
        }
    }

    private bool Matches(int i, int doc)
    {
        var dv = _filteredValues[i];
        var selected = _selectedOrds[i];
        if (dv is null || selected is null) return false;
        dv.SetDocument(doc);
        long ord;
        while ((ord = dv.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            if (selected.Get(ord)) return true;
        return false;
    }

    private void Count(int j, int doc)
    {
        var dv = _countedValues[j];
        if (dv is null) return;
        dv.SetDocument(doc);
        var counts = _segmentCounts[j];
        long ord;
        while ((ord = dv.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS) counts[ord]++;
    }

    private void FlushSegment()
    {
        var scratch = new BytesRef();
        for (var j = 0; j < _countedValues.Length; j++)
        {
            var dv = _countedValues[j];
            if (dv is null) continue;
            var counts = _segmentCounts[j];
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0) continue;
                dv.LookupOrd(ord, scratch);
                var value = scratch.Utf8ToString();
                _counts[j][value] = _counts[j].GetValueOrDefault(value) + counts[ord];
            }
        }
        _countedValues = [];
        _segmentCounts = [];
    }

    /// <summary>Counts per facet, most frequent first (then by value).</summary>
    public Dictionary<string, IReadOnlyList<FacetCount>> Facets()
    {
        FlushSegment();
        var result = new Dictionary<string, IReadOnlyList<FacetCount>>();
        for (var j = 0; j < _counted.Length; j++)
            result[_counted[j]] = _counts[j].OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new FacetCount(kv.Key, kv.Value)).ToList();
        return result;
    }
}
