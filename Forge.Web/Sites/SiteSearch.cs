using System.Collections.Concurrent;
using Forge.Core.Text;
using System.Text;
using System.Text.Json;

namespace Forge.Web.Sites;

/// <summary>A page of a built site as its search sees it.</summary>
public sealed record SiteSearchDocument(string Url, string Title, string Text);

/// <summary>A hit: the page, and an extract around the first match.</summary>
public sealed record SiteSearchHit(string Url, string Title, string Extract);

/// <summary>
/// Search inside one built site, on the server (works without JavaScript). A course site is tens to a few hundred pages,
/// well under a megabyte of text: its <c>search.json</c>, written with the build and loaded once per build, is scanned in
/// memory with accents and case folded — a few milliseconds, no index to maintain, and it switches with the build
/// atomically. (Forge's Lucene index is for the whole catalogue; a per-build Lucene directory would add writer and
/// locking work for no gain at this size.)
/// </summary>
public sealed class SiteSearch
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, IReadOnlyList<(SiteSearchDocument Doc, string Title, string Text)>> _loaded = new(StringComparer.Ordinal);

    public IReadOnlyList<SiteSearchHit> Search(SiteBuild build, string query, int max = 50)
    {
        var words = Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1).Take(8).ToList();
        if (words.Count == 0) return [];
        var docs = _loaded.GetOrAdd(build.Folder, Load);
        if (_loaded.Count > 100) _loaded.Clear();
        return docs
            .Where(d => words.All(w => d.Text.Contains(w, StringComparison.Ordinal) || d.Title.Contains(w, StringComparison.Ordinal)))
            .Select(d => (d.Doc, Score: words.Sum(w => (d.Title.Contains(w, StringComparison.Ordinal) ? 10 : 0) + Count(d.Text, w)), d.Text))
            .OrderByDescending(d => d.Score).ThenBy(d => d.Doc.Url, StringComparer.Ordinal)
            .Take(max)
            .Select(d => new SiteSearchHit(d.Doc.Url, d.Doc.Title, Extract(d.Doc.Text, d.Text, words[0])))
            .ToList();
    }

    /// <summary>Forgets the texts loaded from the builds under <paramref name="folder"/> (a deleted repository's).</summary>
    public void Forget(string folder)
    {
        foreach (var key in _loaded.Keys.Where(k => k.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            _loaded.TryRemove(key, out _);
    }

    private static IReadOnlyList<(SiteSearchDocument, string, string)> Load(string folder)
    {
        try
        {
            var docs = JsonSerializer.Deserialize<List<SiteSearchDocument>>(File.ReadAllBytes(Path.Combine(folder, "search.json")), Json) ?? [];
            return docs.Select(d => (d, Fold(d.Title), Fold(d.Text))).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static int Count(string text, string word)
    {
        var n = 0;
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0 && n < 100; i = text.IndexOf(word, i + word.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>
    /// Each character folded (<see cref="TextFolding.FoldChar"/>: « Cœur » → « coeur »), anything but letters and digits as a
    /// space; <see cref="Original"/> maps a position back to the original text.
    /// </summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            foreach (var f in TextFolding.FoldChar(c))
                sb.Append(char.IsLetterOrDigit(f) ? f : ' ');
        return sb.ToString();
    }

    /// <summary>The position in <paramref name="original"/> of the character folded at <paramref name="folded"/> (a ligature folds to two).</summary>
    private static int Original(string original, int folded)
    {
        var length = 0;
        for (var i = 0; i < original.Length; i++)
        {
            length += TextFolding.FoldChar(original[i]).Length;
            if (length > folded) return i;
        }
        return original.Length;
    }

    private static string Extract(string original, string folded, string word)
    {
        var found = folded.IndexOf(word, StringComparison.Ordinal);
        if (found < 0) return original.Length > 200 ? original[..200] + "…" : original;
        var at = Original(original, found);
        var start = Math.Max(0, at - 80);
        var end = Math.Min(original.Length, at + word.Length + 120);
        return (start > 0 ? "…" : "") + original[start..end] + (end < original.Length ? "…" : "");
    }
}

/// <summary>
/// MkDocs Material's <c>theme.palette.primary</c> names mapped to accents of Forge's site CSS (<c>site-accent-…</c>), each
/// with at least 4.5:1 contrast on the page background in light and dark schemes. Unknown names keep Forge's accent.
/// </summary>
public static class Accents
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green", "light-green",
        "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey", "black", "white",
    };

    public static string? Map(string? primary)
    {
        var name = primary?.Trim().ToLowerInvariant().Replace(' ', '-');
        return name is not null && Known.Contains(name) ? name : null;
    }
}
