using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// The permission filter of every query: public documents, plus those of the private repositories the caller may
/// read. It reads the <see cref="IndexSchema.Public"/> doc value, which <see cref="IResourceIndex.Conceal"/> flips in
/// place as soon as a repository becomes private, so hits, totals, facet counts and spelling suggestions all obey it.
/// </summary>
internal sealed class ReadableFilter(IReadOnlyCollection<long> readable) : Filter
{
    private readonly HashSet<long> _readable = readable as HashSet<long> ?? [.. readable];

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        var reader = context.AtomicReader;
        var isPublic = reader.GetNumericDocValues(IndexSchema.Public);
        if (isPublic is null) return null;
        var repo = _readable.Count > 0 ? reader.GetNumericDocValues(IndexSchema.RepoNumber) : null;
        return new Matching(reader.MaxDoc, acceptDocs, doc => isPublic.Get(doc) == 1 || (repo is not null && _readable.Contains(repo.Get(doc))));
    }

    private sealed class Matching(int maxDoc, IBits? acceptDocs, Func<int, bool> match) : FieldCacheDocIdSet(maxDoc, acceptDocs)
    {
        protected override bool MatchDoc(int doc) => match(doc);
    }
}
