using System.Text.RegularExpressions;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Issues;

/// <summary>
/// References in the Markdown of issues and merge requests, found in the syntax tree's plain text only (never in code
/// spans, code blocks, links or raw HTML): <c>#12</c> (an issue of the repository, or else a merge request with that
/// number), <c>!3</c> (a merge request), <c>owner/repo#12</c> (only when the viewer may read that repository; otherwise
/// left as plain text, so nothing about it shows), commit ids of 7 to 40 hexadecimal digits that exist in the repository,
/// and <c>@alice</c> (a person's page). Each becomes a link; anything unknown stays as written.
/// </summary>
public sealed partial class ReferenceLinker(ForgeDbContext db, RepositoryService repositories, RepositoryStore store, GitReader reader, MarkdownRenderer markdown)
{
    /// <summary>At most this many commit ids and cross-repository references are looked up per text.</summary>
    private const int MaxLookups = 20;

    [GeneratedRegex(@"(?<![\w/.\-])(?<owner>[A-Za-z0-9][A-Za-z0-9_.\-]{0,99})/(?<repo>[A-Za-z0-9_.\-]{1,100})#(?<cn>\d{1,9})(?!\w)"
        + @"|(?<![\w&#/])#(?<issue>\d{1,9})(?!\w)"
        + @"|(?<![\w!])!(?<mr>\d{1,9})(?!\w)"
        + @"|(?<![\w.@/+\-])@(?<user>[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,38}[A-Za-z0-9])?)(?![\w@])"
        + @"|(?<![\w/])(?<sha>[0-9a-f]{7,40})(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex(@"\b(?:fermée?s?|ferme|clos|closes?|closed|fix(?:es|ed)?|corrigée?|corrige|résout|resolves?|resolved)\s*:?\s+#(?<n>\d{1,9})(?!\w)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Closing();

    /// <summary>A run of plain text in the tree: consecutive literals of one container, outside any link.</summary>
    private sealed record TextRun(List<LiteralInline> Literals, string Text);

    /// <summary>Renders <paramref name="text"/> as <see cref="MarkdownRenderer.Render"/> does, references turned into links for <paramref name="repo"/>'s viewer.</summary>
    public async Task<string> RenderAsync(string text, MarkdownContext context, RepoContext repo, CancellationToken ct = default)
    {
        if (markdown.Parse(text, context) is not { } document) return MarkdownRenderer.TooDeep(text);
        await LinkAsync(document, repo, ct);
        return markdown.ToSafeHtml(document);
    }

    /// <summary>The names written as <c>@name</c> in the plain text of <paramref name="text"/> (not in code or links), lower-cased.</summary>
    public IReadOnlySet<string> Mentions(string? text)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(text) || markdown.Parse(text, null) is not { } document) return names;
        foreach (var run in Runs(document))
            foreach (Match m in Token().Matches(run.Text))
                if (m.Groups["user"].Success) names.Add(m.Groups["user"].Value.ToLowerInvariant());
        return names;
    }

    /// <summary>Numbers of the issues a merge request says it closes (« Ferme #12 », « Closes #12 », « Fixes #12 »), outside code and links.</summary>
    public IReadOnlySet<int> ClosedIssues(string? text)
    {
        var numbers = new HashSet<int>();
        if (string.IsNullOrEmpty(text) || markdown.Parse(text, null) is not { } document) return numbers;
        foreach (var run in Runs(document))
            foreach (Match m in Closing().Matches(run.Text))
                if (int.TryParse(m.Groups["n"].Value, out var n)) numbers.Add(n);
        return numbers;
    }

    private static List<TextRun> Runs(MarkdownDocument document)
    {
        var runs = new List<TextRun>();
        // A leaf block's root inline is not among the document's descendants: start from the blocks (code blocks have no inlines).
        var containers = document.Descendants<LeafBlock>().Where(b => b.Inline is not null)
            .SelectMany(b => b.Inline!.Descendants<ContainerInline>().Prepend(b.Inline!)).ToList();
        foreach (var container in containers)
        {
            if (container is LinkInline || IsInsideLink(container)) continue;
            List<LiteralInline>? current = null;
            for (var child = container.FirstChild; child is not null; child = child.NextSibling)
            {
                if (child is LiteralInline literal)
                {
                    (current ??= []).Add(literal);
                    continue;
                }
                Flush();
            }
            Flush();

            void Flush()
            {
                if (current is null) return;
                runs.Add(new TextRun(current, string.Concat(current.Select(l => l.Content.ToString()))));
                current = null;
            }
        }
        return runs;
    }

    private static bool IsInsideLink(Inline inline)
    {
        for (var p = inline.Parent; p is not null; p = p.Parent)
            if (p is LinkInline) return true;
        return false;
    }

    private async Task LinkAsync(MarkdownDocument document, RepoContext repo, CancellationToken ct)
    {
        var runs = Runs(document).Select(r => (Run: r, Matches: Token().Matches(r.Text))).Where(x => x.Matches.Count > 0).ToList();
        if (runs.Count == 0) return;
        var matches = runs.SelectMany(r => r.Matches).ToList();
        var urls = await ResolveAsync(matches, repo, ct);
        foreach (var (run, found) in runs)
        {
            var first = run.Literals[0];
            var at = 0;
            var replaced = false;
            foreach (Match m in found)
            {
                if (!urls.TryGetValue(m.Value, out var url)) continue;
                if (m.Index > at) first.InsertBefore(new LiteralInline(run.Text[at..m.Index]));
                var link = new LinkInline(url, "") { IsClosed = true };
                link.GetAttributes().AddClass(m.Groups["user"].Success ? "mention" : "reference");
                link.AppendChild(new LiteralInline(m.Value));
                first.InsertBefore(link);
                at = m.Index + m.Length;
                replaced = true;
            }
            if (!replaced) continue;
            if (at < run.Text.Length) first.InsertBefore(new LiteralInline(run.Text[at..]));
            foreach (var literal in run.Literals) literal.Remove();
        }
    }

    /// <summary>Token as written → the URL it links to, for the tokens that name something the viewer may see.</summary>
    private async Task<Dictionary<string, string>> ResolveAsync(List<Match> matches, RepoContext repo, CancellationToken ct)
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        var here = repo.Repository;
        var numbers = matches.Where(m => m.Groups["issue"].Success || m.Groups["mr"].Success)
            .Select(m => int.TryParse(m.Groups["issue"].Success ? m.Groups["issue"].Value : m.Groups["mr"].Value, out var n) ? n : 0).Distinct().ToList();
        if (numbers.Count > 0)
        {
            var issues = (await db.Set<Issue>().Where(i => i.RepositoryId == here.Id && numbers.Contains(i.Number)).Select(i => i.Number).ToListAsync(ct)).ToHashSet();
            var requests = (await db.Set<MergeRequest>().Where(m => m.TargetRepositoryId == here.Id && numbers.Contains(m.Number)).Select(m => m.Number).ToListAsync(ct)).ToHashSet();
            foreach (var m in matches)
            {
                if (m.Groups["issue"].Success && int.TryParse(m.Groups["issue"].Value, out var n))
                {
                    if (issues.Contains(n)) urls[m.Value] = $"{repo.BaseUrl}/issues/{n}";
                    else if (requests.Contains(n)) urls[m.Value] = $"{repo.BaseUrl}/merge_requests/{n}";
                }
                else if (m.Groups["mr"].Success && int.TryParse(m.Groups["mr"].Value, out var r) && requests.Contains(r))
                    urls[m.Value] = $"{repo.BaseUrl}/merge_requests/{r}";
            }
        }
        foreach (var m in matches.Where(m => m.Groups["cn"].Success).DistinctBy(m => m.Value).Take(MaxLookups))
        {
            var other = await repositories.FindAsync(m.Groups["owner"].Value, m.Groups["repo"].Value, ct);
            // A repository the viewer may not read stays plain text: neither its existence nor a title leaks.
            if (other is null || !RepositoryService.CanRead(other, repo.Viewer) || !int.TryParse(m.Groups["cn"].Value, out var n)) continue;
            var baseUrl = $"/{other.Owner.UserName}/{other.Name}";
            if (await db.Set<Issue>().AnyAsync(i => i.RepositoryId == other.Id && i.Number == n, ct)) urls[m.Value] = $"{baseUrl}/issues/{n}";
            else if (await db.Set<MergeRequest>().AnyAsync(r => r.TargetRepositoryId == other.Id && r.Number == n, ct)) urls[m.Value] = $"{baseUrl}/merge_requests/{n}";
        }
        var names = matches.Where(m => m.Groups["user"].Success).Select(m => m.Groups["user"].Value.ToUpperInvariant()).Distinct().Take(100).ToList();
        if (names.Count > 0)
        {
            var people = await db.Users.Where(u => names.Contains(u.NormalizedUserName!) && u.Kind == AccountKind.Person).Select(u => u.UserName!).ToListAsync(ct);
            foreach (var person in people) urls["@" + person] = "/" + Uri.EscapeDataString(person);
            foreach (var m in matches.Where(m => m.Groups["user"].Success))
                if (people.FirstOrDefault(p => string.Equals(p, m.Groups["user"].Value, StringComparison.OrdinalIgnoreCase)) is { } p)
                    urls[m.Value] = "/" + Uri.EscapeDataString(p);
        }
        var path = store.PathOf(here.Id);
        foreach (var m in matches.Where(m => m.Groups["sha"].Success).DistinctBy(m => m.Value).Take(MaxLookups))
        {
            // An ambiguous short id, or an empty repository: not a reference.
            if (reader.FindCommit(path, m.Value) is { } commit) urls[m.Value] = $"{repo.BaseUrl}/commit/{commit.Sha}";
        }
        return urls;
    }
}
