using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// Collects the readable matches of a query in one pass, applying the facet filters itself so it can count facets
/// the "drill sideways" way: a document passing every filter is a hit and counts for every facet; a document failing
/// exactly one facet's filter counts for that facet only (what its count would be if the user added a value to it).
/// Values come from <see cref="FacetOrdinals"/>; the inner collector ranks the hits.
/// </summary>
internal sealed class FacetingCollector : ICollector
{
    private readonly ICollector _inner;
    private readonly bool _count;
    private readonly HashSet<string>[] _filterValues; // by facet index; null entries are unfiltered facets
    private readonly int[] _filtered;                 // facet indexes with a filter
    private readonly Dictionary<string, int>[] _counts;

    private AtomicReader? _reader;
    private FacetOrdinals? _ordinals;
    private int[][] _segmentCounts = [];
    private bool[][] _selected = [];
    private readonly bool[] _passes;

    public FacetingCollector(ICollector inner, bool count, IReadOnlyDictionary<string, HashSet<string>> filters)
    {
        _inner = inner;
        _count = count;
        _filterValues = Search.Facets.All.Select(f => filters.GetValueOrDefault(f)!).ToArray();
        _filtered = Enumerable.Range(0, Search.Facets.All.Count).Where(i => _filterValues[i] is not null).ToArray();
        _counts = Search.Facets.All.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        _passes = new bool[Search.Facets.All.Count];
    }

    public int Total { get; private set; }

    public bool AcceptsDocsOutOfOrder => false;

    public void SetScorer(Scorer scorer) => _inner.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        FlushSegment();
        _reader = context.AtomicReader;
        _ordinals = FacetOrdinals.For(_reader);
        _segmentCounts = _count ? _ordinals.ValueCounts.Select(n => new int[n]).ToArray() : [];
        _selected = new bool[Search.Facets.All.Count][];
        foreach (var f in _filtered)
        {
            var selected = new bool[_ordinals.ValueCounts[f]];
            var dv = _reader.GetSortedSetDocValues(IndexSchema.FacetField(Search.Facets.All[f]));
            if (dv is not null)
                foreach (var value in _filterValues[f])
                    if (dv.LookupTerm(new BytesRef(value)) is var ord and >= 0) selected[ord] = true;
            _selected[f] = selected;
        }
        _inner.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        var ordinals = _ordinals!;
        var from = ordinals.Starts[doc];
        var to = ordinals.Starts[doc + 1];
        var entries = ordinals.Entries;
        var failed = -1;
        if (_filtered.Length > 0)
        {
            foreach (var f in _filtered) _passes[f] = false;
            for (var e = from; e < to; e++)
            {
                var f = entries[2 * e];
                if (_selected[f] is { } selected && selected[entries[2 * e + 1]]) _passes[f] = true;
            }
            foreach (var f in _filtered)
            {
                if (_passes[f]) continue;
                if (failed >= 0) return; // fails two facets: neither a hit nor counted anywhere
                failed = f;
            }
        }
        if (failed < 0)
        {
            Total++;
            _inner.Collect(doc);
            if (_count)
                for (var e = from; e < to; e++) _segmentCounts[entries[2 * e]][entries[2 * e + 1]]++;
        }
        else if (_count)
        {
            for (var e = from; e < to; e++)
                if (entries[2 * e] == failed) _segmentCounts[failed][entries[2 * e + 1]]++;
        }
    }

    private void FlushSegment()
    {
        if (_reader is null || !_count) return;
        var scratch = new BytesRef();
        for (var f = 0; f < _segmentCounts.Length; f++)
        {
            var counts = _segmentCounts[f];
            SortedSetDocValues? dv = null;
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0) continue;
                dv ??= _reader.GetSortedSetDocValues(IndexSchema.FacetField(Search.Facets.All[f]));
                dv!.LookupOrd(ord, scratch);
                var value = scratch.Utf8ToString();
                _counts[f][value] = _counts[f].GetValueOrDefault(value) + counts[ord];
            }
        }
        _reader = null;
    }

    /// <summary>Counts per facet, most frequent first (then by value).</summary>
    public Dictionary<string, IReadOnlyList<FacetCount>> Counts()
    {
        FlushSegment();
        var result = new Dictionary<string, IReadOnlyList<FacetCount>>();
        if (!_count) return result;
        for (var f = 0; f < _counts.Length; f++)
            result[Search.Facets.All[f]] = _counts[f].OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new FacetCount(kv.Key, kv.Value)).ToList();
        return result;
    }
}
