using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Forge.Search;

/// <summary>
/// The shape of the index. One Lucene index holds three kinds of documents, told apart by <see cref="Kind"/>:
/// <list type="bullet">
/// <item><c>resource</c>: a repository (Path "") or a granule (a folder with its own <c>resource.yml</c>);</item>
/// <item><c>file</c>: one content file (code, Markdown, notebook cells) for code search;</item>
/// <item><c>cursor</c>: per repository, the commit and inputs its documents were built from.</item>
/// </list>
/// Why one index rather than two: a repository's resource documents, file documents and cursor change together and
/// must be committed together, so that a crash never leaves a cursor claiming documents the index does not hold (or
/// the reverse). Lucene commits one index atomically; two indexes would need a two-phase protocol. Field statistics
/// are per field, so file texts never skew the scoring of resources, and each query names its kind.
/// </summary>
public static class IndexSchema
{
    /// <summary>Bump when documents change shape: the reconciliation then rebuilds every repository.</summary>
    public const int Version = 5; // 5: teacher-only files (teacher_only: of resource.yml) are no longer indexed

    public const string Kind = "kind";
    public const string KindResource = "resource";
    public const string KindFile = "file";
    public const string KindCursor = "cursor";

    /// <summary>Unique key of a document: <c>r:ID:path</c>, <c>f:ID:path</c>, <c>c:ID</c>.</summary>
    public const string Key = "key";
    /// <summary>Repository id as a term, on every document (delete, filter by repository).</summary>
    public const string Repo = "repo";
    /// <summary>Repository id as a number (permission filter).</summary>
    public const string RepoNumber = "repo_n";
    /// <summary>1 for public, 0 for private; a numeric doc value so it can be flipped in place (<see cref="IResourceIndex.Conceal"/>).</summary>
    public const string Public = "public";
    /// <summary>Repository id on resource and cursor documents only: target of in-place updates of stars and dates.</summary>
    public const string Soft = "soft";
    public const string Stars = "stars";
    public const string Updated = "updated";
    public const string Rating = "rating";
    public const string Reviews = "reviews";

    public const string Owner = "owner";
    public const string OwnerDisplay = "owner_display";
    public const string NameDisplay = "name_display";
    public const string Name = "name";
    public const string Path = "path";
    public const string Title = "title";
    public const string Description = "description";
    /// <summary>The beginning of a resource's text, stored for snippets.</summary>
    public const string Body = "body";
    /// <summary>The rest of the text, indexed only.</summary>
    public const string BodyRest = "body_rest";
    public const string Keywords = "keywords";
    public const string TitleEn = "title_en";
    public const string DescriptionEn = "description_en";
    public const string BodyEn = "body_en";
    public const string Spell = "spell";
    public const string BasedOn = "based_on";
    public const string Duration = "duration";
    public const string Commit = "commit";
    public const string Fingerprint = "fingerprint";
    public const string SchemaField = "schema";

    public const string Language = "lang";
    public const string Code = "code";
    public const string Text = "text";

    /// <summary>Characters at the beginning of a resource's body kept for snippets (<see cref="Body"/>).</summary>
    public const int StoredBodyChars = 8_000;

    /// <summary>Characters of a resource's body indexed.</summary>
    public const int IndexedBodyChars = 1_000_000;
    /// <summary>Characters of the beginning of a resource's body whose words feed the spelling dictionary.</summary>
    public const int SpellBodyChars = 2_000;
    /// <summary>Characters of a file indexed and kept (for matching lines).</summary>
    public const int FileChars = 256 * 1024;

    /// <summary>Doc-values field of a facet.</summary>
    public static string FacetField(string facet) => "f_" + facet;

    public static string ResourceKey(long repositoryId, string path) => $"r:{repositoryId}:{path}";
    public static string FileKey(long repositoryId, string path) => $"f:{repositoryId}:{path}";
    public static string CursorKey(long repositoryId) => $"c:{repositoryId}";

    /// <summary>Range code of a duration (<see cref="Facets.Duration"/>), or null.</summary>
    public static string? DurationRange(int? minutes)
    {
        if (minutes is not { } m) return null;
        foreach (var (code, min, max) in Facets.DurationRanges)
            if (m >= min && m < max) return code;
        return null;
    }

    /// <summary>A programme item id and every prefix of it: <c>nsi-1re.types-base.booleens</c> → 3 values.</summary>
    public static IEnumerable<string> ProgrammePrefixes(string id)
    {
        var dot = -1;
        while ((dot = id.IndexOf('.', dot + 1)) > 0) yield return id[..dot];
        yield return id;
    }

    [ThreadStatic] private static Dictionary<(string, bool), StringField>? _strings;

    /// <summary>
    /// An untokenised field, reused by this thread from one document to the next (Lucene's advice for bulk indexing): a new
    /// <see cref="StringField"/> builds its token stream through a reflection lookup under a global lock, which was a tenth of a
    /// rebuild's time with two workers waiting on each other. So a document built here is valid until the next one is built
    /// on the same thread — <see cref="Write"/> hands each to the writer at once.
    /// </summary>
    private static StringField Str(string name, string value, Field.Store store)
    {
        var cache = _strings ??= [];
        var key = (name, store == Field.Store.YES);
        if (cache.TryGetValue(key, out var field)) field.SetStringValue(value);
        else cache[key] = field = new StringField(name, value, store);
        return field;
    }

    private static void Common(Document doc, string kind, string key, long repositoryId, bool isPublic)
    {
        doc.Add(Str(Kind, kind, Field.Store.NO));
        doc.Add(Str(Key, key, Field.Store.NO));
        doc.Add(Str(Repo, repositoryId.ToString(), Field.Store.YES));
        doc.Add(new NumericDocValuesField(RepoNumber, repositoryId));
        doc.Add(new NumericDocValuesField(Public, isPublic ? 1 : 0));
    }

    internal static Document Resource(ResourceDocument d, bool english)
    {
        var doc = new Document();
        Common(doc, KindResource, ResourceKey(d.RepositoryId, d.Path), d.RepositoryId, d.IsPublic);
        doc.Add(Str(Soft, d.RepositoryId.ToString(), Field.Store.NO));
        doc.Add(new NumericDocValuesField(Stars, d.Stars));
        doc.Add(new NumericDocValuesField(Rating, d.RatingTenths));
        doc.Add(new NumericDocValuesField(Reviews, d.ReviewCount));
        doc.Add(new NumericDocValuesField(Updated, d.UpdatedAt.ToUnixTimeSeconds()));
        doc.Add(Str(Owner, d.Owner.ToLowerInvariant(), Field.Store.NO));
        doc.Add(new StoredField(OwnerDisplay, d.Owner));
        doc.Add(new StoredField(NameDisplay, d.Name));
        doc.Add(Str(Path, d.Path, Field.Store.YES));
        var name = d.Name.Replace('-', ' ').Replace('_', ' ') + (d.Path.Length > 0 ? " " + d.Path.Replace('/', ' ').Replace('-', ' ').Replace('_', ' ') : "");
        doc.Add(new TextField(Name, name, Field.Store.NO));
        doc.Add(new TextField(Title, d.Title, Field.Store.YES));
        doc.Add(new TextField(Description, d.Description ?? "", Field.Store.YES));
        var body = d.Body.Length > IndexedBodyChars ? d.Body[..IndexedBodyChars] : d.Body;
        var cut = body.Length <= StoredBodyChars ? body.Length : CutAt(body, StoredBodyChars);
        doc.Add(new TextField(Body, body[..cut], Field.Store.YES));
        if (cut < body.Length) doc.Add(new TextField(BodyRest, body[cut..], Field.Store.NO));
        var keywords = string.Join(" ; ", d.Keywords);
        doc.Add(new TextField(Keywords, keywords, Field.Store.NO));
        if (english)
        {
            doc.Add(new TextField(TitleEn, d.Title, Field.Store.NO));
            doc.Add(new TextField(DescriptionEn, d.Description ?? "", Field.Store.NO));
            doc.Add(new TextField(BodyEn, body, Field.Store.NO));
        }
        // The spelling dictionary: words of titles, descriptions, keywords and the beginning of the text (where a
        // resource says what it is about), so that analysing the whole text twice is not the price of typo tolerance.
        doc.Add(new TextField(Spell, $"{d.Title}\n{d.Description}\n{keywords}\n{name}\n{(body.Length > SpellBodyChars ? body[..SpellBodyChars] : body)}", Field.Store.NO));
        if (d.BasedOn is { Length: > 0 } basedOn) doc.Add(Str(BasedOn, basedOn.ToLowerInvariant(), Field.Store.YES));

        Facet(doc, Facets.Discipline, d.Disciplines);
        Facet(doc, Facets.Grade, d.Grades);
        Facet(doc, Facets.Cycle, d.Cycles);
        Facet(doc, Facets.Usage, d.Usage);
        Facet(doc, Facets.Autonomy, d.Autonomy);
        Facet(doc, Facets.Type, d.Types);
        Facet(doc, Facets.Audience, d.Audience);
        Facet(doc, Facets.Programme, d.Programme.SelectMany(ProgrammePrefixes));
        if (d.Licence is { Length: > 0 } licence) Facet(doc, Facets.Licence, [licence]);
        if (DurationRange(d.DurationMinutes) is { } range) Facet(doc, Facets.Duration, [range]);
        if (d.HasExercises is { } ex) Facet(doc, Facets.Exercises, [ex ? "oui" : "non"]);
        if (d.DurationMinutes is { } m) doc.Add(new StoredField(Duration, m));

        // Stored for hits and for tools reading documents back.
        StoreAll(doc, "s_discipline", d.Disciplines);
        StoreAll(doc, "s_grade", d.Grades);
        StoreAll(doc, "s_cycle", d.Cycles);
        StoreAll(doc, "s_usage", d.Usage);
        StoreAll(doc, "s_type", d.Types);
        StoreAll(doc, "s_programme", d.Programme);
        if (d.Licence is { Length: > 0 }) doc.Add(new StoredField("s_licence", d.Licence));
        return doc;
    }

    internal static Document File(long repositoryId, string owner, bool isPublic, FileDocument f)
    {
        var doc = new Document();
        Common(doc, KindFile, FileKey(repositoryId, f.Path), repositoryId, isPublic);
        doc.Add(Str(Owner, owner.ToLowerInvariant(), Field.Store.NO));
        doc.Add(Str(Path, f.Path, Field.Store.YES));
        if (f.Language is { } lang) doc.Add(Str(Language, lang, Field.Store.YES));
        var text = f.Text.Length > FileChars ? f.Text[..FileChars] : f.Text;
        // The path's words are searchable too (a file named tri_fusion.py is found by its name).
        doc.Add(new TextField(Code, f.Path + "\n" + text, Field.Store.NO));
        doc.Add(new StoredField(Text, text));
        return doc;
    }

    internal static Document Cursor(RepositoryUpdate u)
    {
        var doc = new Document();
        Common(doc, KindCursor, CursorKey(u.RepositoryId), u.RepositoryId, u.IsPublic);
        doc.Add(Str(Soft, u.RepositoryId.ToString(), Field.Store.NO));
        doc.Add(new NumericDocValuesField(Stars, u.Cursor.Stars));
        doc.Add(new NumericDocValuesField(Rating, u.Cursor.RatingTenths));
        doc.Add(new NumericDocValuesField(Reviews, u.Cursor.ReviewCount));
        doc.Add(new NumericDocValuesField(Updated, u.Cursor.UpdatedAt));
        doc.Add(new StoredField(Commit, u.Cursor.CommitSha));
        doc.Add(new StoredField(Fingerprint, u.Cursor.Fingerprint));
        doc.Add(new StoredField(SchemaField, u.Cursor.Schema));
        return doc;
    }

    /// <summary>Writes an update into a writer (not committed): deletions, documents, cursor, then stars and dates in place.</summary>
    internal static void Write(IndexWriter writer, RepositoryUpdate u, bool fresh = false)
    {
        bool english;
        if (u.ReplaceAll && !fresh) writer.DeleteDocuments(new Term(Repo, u.RepositoryId.ToString()));
        foreach (var path in u.RemovedResources) writer.DeleteDocuments(new Term(Key, ResourceKey(u.RepositoryId, path)));
        foreach (var path in u.RemovedFiles) writer.DeleteDocuments(new Term(Key, FileKey(u.RepositoryId, path)));
        foreach (var r in u.Resources)
        {
            english = r.Languages.Contains("en");
            var doc = Resource(r with { IsPublic = u.IsPublic, Stars = u.Cursor.Stars, RatingTenths = u.Cursor.RatingTenths, ReviewCount = u.Cursor.ReviewCount, UpdatedAt = DateTimeOffset.FromUnixTimeSeconds(u.Cursor.UpdatedAt) }, english);
            if (u.ReplaceAll || fresh) writer.AddDocument(doc);
            else writer.UpdateDocument(new Term(Key, ResourceKey(u.RepositoryId, r.Path)), doc);
        }
        foreach (var f in u.Files)
        {
            var doc = File(u.RepositoryId, u.Owner, u.IsPublic, f);
            if (u.ReplaceAll || fresh) writer.AddDocument(doc);
            else writer.UpdateDocument(new Term(Key, FileKey(u.RepositoryId, f.Path)), doc);
        }
        if (fresh) writer.AddDocument(Cursor(u));
        else writer.UpdateDocument(new Term(Key, CursorKey(u.RepositoryId)), Cursor(u));
        if (!u.ReplaceAll && !fresh)
        {
            // Documents kept from earlier runs get the current stars and date without being rewritten.
            var soft = new Term(Soft, u.RepositoryId.ToString());
            writer.UpdateNumericDocValue(soft, Stars, u.Cursor.Stars);
            writer.UpdateNumericDocValue(soft, Rating, u.Cursor.RatingTenths);
            writer.UpdateNumericDocValue(soft, Reviews, u.Cursor.ReviewCount);
            writer.UpdateNumericDocValue(soft, Updated, u.Cursor.UpdatedAt);
        }
    }

    /// <summary>A cut near <paramref name="at"/> that does not split a word.</summary>
    private static int CutAt(string text, int at)
    {
        var space = text.LastIndexOfAny([' ', '\n', '\t'], at, Math.Min(at, 200));
        return space > 0 ? space : at;
    }

    private static void Facet(Document doc, string facet, IEnumerable<string> values)
    {
        var field = FacetField(facet);
        foreach (var v in values.Distinct(StringComparer.Ordinal))
            if (v.Length is > 0 and < 200) doc.Add(new SortedSetDocValuesField(field, new BytesRef(v)));
    }

    private static void StoreAll(Document doc, string field, IEnumerable<string> values)
    {
        foreach (var v in values) doc.Add(new StoredField(field, v));
    }
}
