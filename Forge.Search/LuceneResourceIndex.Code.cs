using System.Text;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Forge.Search;

public sealed partial class LuceneResourceIndex
{
    private const int MaxLinesPerHit = 5;
    private const int MaxLinesScanned = 20_000;

    public CodeSearchResults SearchCode(CodeSearchRequest request) => WithSearcher(searcher =>
    {
        var pageSize = Math.Clamp(request.PageSize, 1, 100);
        var page = Math.Clamp(request.Page, 1, 1000);
        var words = Identifiers(request.Text ?? "");
        if (words.Count == 0) return new CodeSearchResults(0, []);

        var query = new BooleanQuery { { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.KindFile)) { Boost = 0f }, Occur.MUST } };
        var wanted = new List<WordTerms>();
        foreach (var word in words)
        {
            var terms = WordTermsOf(word);
            var perWord = new BooleanQuery { { new TermQuery(new Term(IndexSchema.Code, terms.Whole)) { Boost = 2f }, Occur.SHOULD } };
            if (terms.Parts.Count > 1)
            {
                var parts = new BooleanQuery();
                foreach (var p in terms.Parts) parts.Add(new TermQuery(new Term(IndexSchema.Code, p)), Occur.MUST);
                perWord.Add(parts, Occur.SHOULD);
            }
            query.Add(perWord, Occur.MUST);
            wanted.Add(terms);
        }
        if (wanted.Count > 1)
        {
            // Words in the order typed, close together (`def tri_fusion`), rank first.
            var phrase = new PhraseQuery { Slop = 2, Boost = 3f };
            foreach (var w in wanted) phrase.Add(new Term(IndexSchema.Code, w.Whole));
            query.Add(phrase, Occur.SHOULD);
        }
        if (!string.IsNullOrWhiteSpace(request.Owner))
            query.Add(new TermQuery(new Term(IndexSchema.Owner, request.Owner.Trim().ToLowerInvariant())) { Boost = 0f }, Occur.MUST);
        if (request.RepositoryId is { } repo)
            query.Add(new TermQuery(new Term(IndexSchema.Repo, repo.ToString())) { Boost = 0f }, Occur.MUST);
        if (!string.IsNullOrWhiteSpace(request.Language))
            query.Add(new TermQuery(new Term(IndexSchema.Language, request.Language.Trim().ToLowerInvariant())) { Boost = 0f }, Occur.MUST);
        if (!string.IsNullOrWhiteSpace(request.PathPrefix))
            query.Add(new PrefixQuery(new Term(IndexSchema.Path, request.PathPrefix.Trim().TrimStart('/'))) { Boost = 0f }, Occur.MUST);

        var top = searcher.Search(new FilteredQuery(query, new ReadableFilter(request.ReadableRepositoryIds)), page * pageSize);
        var hits = new List<CodeHit>();
        foreach (var sd in top.ScoreDocs.Skip((page - 1) * pageSize))
        {
            var doc = searcher.Doc(sd.Doc);
            var repositoryId = long.Parse(doc.Get(IndexSchema.Repo));
            var resource = ResourceNames(searcher, repositoryId);
            var language = doc.Get(IndexSchema.Language);
            hits.Add(new CodeHit(repositoryId, resource.Owner, resource.Name, doc.Get(IndexSchema.Path), language,
                MatchingLines(doc.Get(IndexSchema.Text) ?? "", wanted), sd.Score));
        }
        return new CodeSearchResults(top.TotalHits, hits);
    });

    /// <summary>A query word: the whole identifier and its parts.</summary>
    private sealed record WordTerms(string Whole, IReadOnlyList<string> Parts);

    private static WordTerms WordTermsOf(string word)
    {
        var all = Analyzers.Terms(Analyzers.Code, IndexSchema.Code, word, 16);
        var whole = all.Count > 0 ? all[0] : word.ToLowerInvariant();
        var parts = all.Skip(1).Distinct().ToList();
        return new WordTerms(whole, parts);
    }

    /// <summary>The identifiers of a code query, as typed (case kept for camelCase splitting), at most 16.</summary>
    private static List<string> Identifiers(string text)
    {
        if (text.Length > 500) text = text[..500];
        var result = new List<string>();
        using var tokenizer = new IdentifierTokenizer(new StringReader(text));
        var term = tokenizer.AddAttribute<ICharTermAttribute>();
        tokenizer.Reset();
        while (tokenizer.IncrementToken() && result.Count < 16) result.Add(term.ToString());
        tokenizer.End();
        return result;
    }

    /// <summary>Owner and repository names of a repository, from any of its resource documents.</summary>
    private static (string Owner, string Name) ResourceNames(IndexSearcher searcher, long repositoryId)
    {
        var query = new BooleanQuery
        {
            { new TermQuery(new Term(IndexSchema.Kind, IndexSchema.KindResource)), Occur.MUST },
            { new TermQuery(new Term(IndexSchema.Repo, repositoryId.ToString())), Occur.MUST },
        };
        var top = searcher.Search(query, 1);
        if (top.TotalHits == 0) return ("", "");
        var doc = searcher.Doc(top.ScoreDocs[0].Doc);
        return (doc.Get(IndexSchema.OwnerDisplay), doc.Get(IndexSchema.NameDisplay));
    }

    /// <summary>
    /// Lines holding the most query words (an identifier whole, or all its parts), at most five, in file order,
    /// HTML-encoded with the matching tokens in <c>&lt;mark&gt;</c>.
    /// </summary>
    private static IReadOnlyList<CodeLine> MatchingLines(string text, IReadOnlyList<WordTerms> words)
    {
        var scored = new List<(int Number, int Score, string Html)>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            if (++number > MaxLinesScanned) break;
            if (line.Length == 0) continue;
            var tokens = Analyzers.TokensWithOffsets(Analyzers.Code, IndexSchema.Code, line);
            var present = tokens.Select(t => t.Term).ToHashSet(StringComparer.Ordinal);
            var score = 0;
            var marked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var w in words)
            {
                if (present.Contains(w.Whole)) { score++; marked.Add(w.Whole); }
                else if (w.Parts.Count > 1 && w.Parts.All(present.Contains)) { score++; marked.UnionWith(w.Parts); }
            }
            if (score == 0) continue;
            var ranges = tokens.Where(t => marked.Contains(t.Term)).Select(t => (t.Start, t.End)).OrderBy(r => r.Start).ToList();
            scored.Add((number, score, Mark(line.TrimEnd('\r'), ranges)));
        }
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Number).Take(MaxLinesPerHit).OrderBy(s => s.Number)
            .Select(s => new CodeLine(s.Number, s.Html)).ToList();
    }

    private static string Mark(string line, List<(int Start, int End)> ranges)
    {
        const int MaxChars = 400;
        var sb = new StringBuilder();
        var at = 0;
        foreach (var (start, end) in ranges)
        {
            if (start < at || end > line.Length || start >= MaxChars) continue;
            sb.Append(Snippets.Encode(line[at..start])).Append("<mark>").Append(Snippets.Encode(line[start..end])).Append("</mark>");
            at = end;
        }
        var rest = line[at..];
        if (at + rest.Length > MaxChars) rest = rest[..Math.Max(0, MaxChars - at)] + "…";
        sb.Append(Snippets.Encode(rest));
        return sb.ToString();
    }
}
