using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forge.Git;
using Forge.Jobs;
using Forge.Web.Rendering;

namespace Forge.Web.Sites;

/// <summary>
/// Builds a branch's course site from git (no work tree, no MkDocs): reads the configuration (<see cref="SiteConfig"/>),
/// renders every page of the docs folder through the Markdown pipeline shared with the rest of Forge, copies images and
/// attachments, resolves the navigation, writes a search index, and switches <c>CURRENT</c> to the new build only when all
/// of it is written. A build with errors leaves the previous site online; its log says what to fix, file and line.
/// </summary>
public sealed partial class SiteBuilder(IRepositoryDirectory directory, RepositoryStore store, GitReader reader, MarkdownRenderer markdown,
    NotebookRenderer notebooks, SiteStore sites, ILogger<SiteBuilder> log) : ISiteBuilder
{
    public const int MaxFiles = 5_000;
    public const int MaxPages = 2_000;
    public const long MaxFileBytes = 50L * 1024 * 1024;
    public const long MaxSiteBytes = 500L * 1024 * 1024;
    public const long MaxPageBytes = 2L * 1024 * 1024;

    public void BranchDeleted(long repositoryId, string branch) => sites.DeleteBranch(repositoryId, branch);

    public async Task BuildAsync(long repositoryId, string branch, CancellationToken ct)
    {
        try
        {
            await BuildBranchAsync(repositoryId, branch, ct);
        }
        finally
        {
            // Deleted while this build ran: what it wrote goes too (RepositoryLeftoversJob sweeps again later).
            if (!store.Exists(repositoryId)) sites.DeleteRepository(repositoryId);
        }
    }

    private async Task BuildBranchAsync(long repositoryId, string branch, CancellationToken ct)
    {
        var repo = await directory.FindAsync(repositoryId, ct);
        if (repo is null || !store.Exists(repositoryId)) return;
        var gitPath = store.PathOf(repositoryId);
        var tip = reader.BranchTip(gitPath, branch);
        if (tip is null) return;
        if (sites.Records(repositoryId, branch).FirstOrDefault() is { } last && last.Commit == tip && last.Status != SiteBuildRecord.Running) return;
        if (sites.Current(repositoryId, branch)?.Manifest.Commit == tip) return;

        var problems = new List<SiteProblem>();
        var config = ReadConfig(gitPath, tip, problems);
        if (config is null && problems.Count == 0) return; // no site in this repository

        var started = DateTimeOffset.UtcNow;
        var id = $"b-{started:yyyyMMddHHmmssfff}-{tip[..7]}";
        var record = new SiteBuildRecord(id, branch, tip, started, null, SiteBuildRecord.Running, [], []);
        sites.Record(repositoryId, record);
        var notices = new List<string>();
        var folder = Path.Combine(sites.BranchFolder(repositoryId, branch), id);
        try
        {
            var (pages, bytes) = config is null ? (0, 0L) : Build(repo, gitPath, branch, tip, config, folder, problems, notices, ct);
            if (problems.Count > 0)
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                sites.Record(repositoryId, record with
                {
                    FinishedAt = DateTimeOffset.UtcNow, Status = SiteBuildRecord.Failed,
                    Errors = problems.Select(p => p.ToString()).ToList(), Notices = notices,
                });
                log.LogInformation("Site of repository {Id}, branch {Branch}: build {Build} failed ({Count} errors)", repositoryId, branch, id, problems.Count);
                return;
            }
            sites.Switch(repositoryId, branch, id);
            sites.Prune(repositoryId, branch, id);
            sites.Record(repositoryId, record with { FinishedAt = DateTimeOffset.UtcNow, Status = SiteBuildRecord.Succeeded, Notices = notices, Pages = pages, Bytes = bytes });
            log.LogInformation("Site of repository {Id}, branch {Branch}: build {Build}, {Pages} pages, {Bytes} bytes, {Ms} ms",
                repositoryId, branch, id, pages, bytes, (DateTimeOffset.UtcNow - started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            sites.Record(repositoryId, record with
            {
                FinishedAt = DateTimeOffset.UtcNow, Status = SiteBuildRecord.Failed,
                Errors = ["Erreur interne de Forge pendant la construction ; le site précédent reste en ligne. Signalez-la à l’administrateur."],
                Notices = notices,
            });
            log.LogError(e, "Site build {Build} of repository {Id} crashed", id, repositoryId);
        }
    }

    /// <summary>
    /// The site's configuration: <c>mkdocs.yml</c>, else the <c>site:</c> section of <c>resource.yml</c>, else a <c>docs/</c>
    /// folder of Markdown, else the whole repository when it has Markdown pages in folders; null without any, or when
    /// <c>resource.yml</c> says <c>site: false</c>.
    /// </summary>
    private SiteConfig? ReadConfig(string gitPath, string tip, List<SiteProblem> problems)
    {
        foreach (var name in new[] { "mkdocs.yml", "mkdocs.yaml" })
        {
            if (ReadText(gitPath, tip, name, SiteConfig.MaxBytes) is not { } text) continue;
            return SiteConfig.ParseMkDocs(text, name, problems);
        }
        if (ReadText(gitPath, tip, "resource.yml", SiteConfig.MaxBytes) is { } resource)
        {
            if (SiteConfig.ParseResourceSection(resource, problems) is { } section) return section;
            if (SiteConfig.DeclinesSite(resource)) return null;
        }
        if (problems.Count > 0) return null;
        var docs = reader.ListTree(gitPath, tip, "docs");
        if (docs is not null && docs.Any(e => e.Name.EndsWith(".md", StringComparison.OrdinalIgnoreCase))) return new SiteConfig { Source = "docs/" };
        // « Simply Markdown folders »: a page in a folder (not a dot folder) makes the repository's root a site; a README alone does not.
        return reader.FileEntries(gitPath, tip, 0, long.MaxValue).Any(e => e.Path.Contains('/') && !e.Path.Split('/').Any(s => s.StartsWith('.'))
                && e.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            ? new SiteConfig { Source = "dossiers Markdown", DocsDir = "" }
            : null;
    }

    private string? ReadText(string gitPath, string tip, string path, long max)
    {
        var blob = reader.ReadBlob(gitPath, tip, path, max + 1);
        if (blob is null || blob.IsBinary || blob.Size > max) return null;
        return Encoding.UTF8.GetString(blob.Bytes).TrimStart('\uFEFF');
    }

    private (int Pages, long Bytes) Build(RepositorySnapshot repo, string gitPath, string branch, string tip, SiteConfig config, string folder,
        List<SiteProblem> problems, List<string> notices, CancellationToken ct)
    {
        var docsPrefix = config.DocsDir.Length == 0 ? "" : config.DocsDir + "/";
        var teacherOnly = Repos.TeacherOnlyFilter.Read(reader, gitPath, tip);
        var excluded = new PathPatterns(config.ExcludeDocs);
        var entries = reader.FileEntries(gitPath, tip, 0, long.MaxValue)
            .Where(e => e.Path.StartsWith(docsPrefix, StringComparison.Ordinal))
            .Select(e => (Entry: e, Rel: e.Path[docsPrefix.Length..].Normalize(NormalizationForm.FormC)))
            .OrderBy(e => e.Rel, StringComparer.Ordinal)
            .ToList();
        if (config.DocsDir.Length > 0 && entries.Count == 0)
        {
            problems.Add(new(config.Source, null, $"le dossier des pages « {config.DocsDir} » (docs_dir) est absent ou vide sur cette branche."));
            return (0, 0);
        }
        var kept = new List<(TreeEntryInfo Entry, string Rel)>();
        var hiddenTeacher = 0;
        foreach (var e in entries)
        {
            if (teacherOnly.Matches(e.Entry.Path)) { hiddenTeacher++; continue; }
            if (excluded.Matches(e.Rel)) continue;
            // Like MkDocs: dot files and folders are not published (.pages files are read below).
            if (e.Rel.Split('/').Any(s => s.StartsWith('.'))) continue;
            // When the docs folder is the whole repository, its configuration is not a page.
            if (docsPrefix.Length == 0 && e.Rel is "mkdocs.yml" or "mkdocs.yaml" or "resource.yml") continue;
            kept.Add(e);
        }
        if (hiddenTeacher > 0) notices.Add($"{hiddenTeacher} fichier(s) réservé(s) aux enseignants (teacher_only de resource.yml) non publiés.");
        if (kept.Count > MaxFiles)
        {
            notices.Add($"Le site compte {kept.Count} fichiers : seuls les {MaxFiles} premiers sont publiés.");
            kept = kept.Take(MaxFiles).ToList();
        }

        var sources = kept.Where(k => IsPage(k.Rel)).Take(MaxPages).ToList();
        var pageUrls = sources.ToDictionary(s => s.Rel, s => PageUrl(s.Rel), StringComparer.Ordinal);
        var assets = kept.Where(k => !IsPage(k.Rel)).ToDictionary(k => k.Rel, k => k.Entry, StringComparer.Ordinal);
        var textCache = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? ReadDoc(string rel)
        {
            if (textCache.TryGetValue(rel, out var cached)) return cached;
            return textCache[rel] = GitReader.IsSafePath(rel) ? ReadText(gitPath, tip, docsPrefix + rel, MaxPageBytes) : null;
        }

        Directory.CreateDirectory(Path.Combine(folder, "pages"));
        var pages = new List<SitePageEntry>();
        var search = new List<SiteSearchDocument>();
        long bytes = 0;
        foreach (var (entry, rel) in sources)
        {
            ct.ThrowIfCancellationRequested();
            var url = pageUrls[rel];
            var repoDir = entry.Path.Contains('/') ? entry.Path[..entry.Path.LastIndexOf('/')] : "";
            var context = new MarkdownContext(repo.Owner, repo.Name, branch, repoDir)
            {
                SiteLink = (target, isImage) => LinkFrom(url, target, docsPrefix, pageUrls, assets, notices, rel),
            };
            string html; string? title; IReadOnlyList<TocEntry> toc = [];
            var notebook = rel.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
            if (notebook)
            {
                var blob = reader.ReadBlob(gitPath, tip, entry.Path, NotebookRenderer.MaxBytes + 1);
                var rendered = blob is null || blob.Size > NotebookRenderer.MaxBytes ? NotebookRenderer.TooBig(entry.Size) : notebooks.Render(blob.Bytes, context);
                if (rendered.Problem is { } problem) notices.Add($"{rel} : {problem}");
                html = rendered.Html;
                title = FirstHeading(html);
            }
            else
            {
                if (ReadDoc(rel) is not { } text)
                {
                    notices.Add($"{rel} : page trop grande (plus de {MaxPageBytes / 1024 / 1024} Mio) ou illisible, non publiée.");
                    continue;
                }
                text = SiteMacros.Expand(FrontMatter(text, out var metaTitle), rel, config, ReadDoc, notices);
                var page = markdown.RenderPage(text, context);
                (html, title, toc) = (page.Html, metaTitle ?? page.Title, page.Toc);
            }
            var file = $"pages/{pages.Count}.html";
            File.WriteAllText(Path.Combine(folder, file), html);
            bytes += Encoding.UTF8.GetByteCount(html);
            title ??= Prettify(rel);
            pages.Add(new SitePageEntry(url, rel, title, file, toc, MarkdownRenderer.ContainsMath(html), MarkdownRenderer.ContainsDiagram(html),
                html.Contains("class=\"exercise\"", StringComparison.Ordinal), notebook));
            search.Add(new SiteSearchDocument(url, title, PlainText(html)));
        }
        if (pages.Count == 0) problems.Add(new(config.Source, null, $"aucune page Markdown (.md) dans « {(config.DocsDir.Length == 0 ? "la racine du dépôt" : config.DocsDir)} »."));

        foreach (var (rel, entry) in assets)
        {
            ct.ThrowIfCancellationRequested();
            if (!GitReader.IsSafePath(rel) || rel.EndsWith(".pages", StringComparison.Ordinal)) continue;
            if (entry.Size > MaxFileBytes || bytes + entry.Size > MaxSiteBytes)
            {
                notices.Add($"{rel} : fichier de {entry.Size / 1024 / 1024} Mio non publié (limite {MaxFileBytes / 1024 / 1024} Mio par fichier, {MaxSiteBytes / 1024 / 1024} Mio par site).");
                continue;
            }
            if (rel.EndsWith(".py", StringComparison.OrdinalIgnoreCase) && ReadDoc(rel) is { } py && SiteMacros.HasExerciseSections(py))
                continue; // an exercise's file holds its solution (PYODIDE:corr): only its code and tests reach the page
            using var blob = reader.OpenBlob(gitPath, tip, entry.Path);
            if (blob is null) continue;
            var target = Path.Combine(folder, "files", rel.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (var output = File.Create(target)) blob.Content.CopyTo(output);
            bytes += entry.Size;
        }

        var byRel = pages.ToDictionary(p => p.Source, StringComparer.Ordinal);
        var nav = config.Nav is { } configured ? ResolveNav(configured, byRel, config.Source, problems) : AutoNav("", byRel, kept, gitPath, tip, docsPrefix, problems);
        var order = new List<string>();
        Flatten(nav, order);
        var manifest = new SiteManifest(config.SiteName ?? repo.Name, Accents.Map(config.Palette), branch, tip, DateTimeOffset.UtcNow, pages, nav, order);
        SiteStore.WriteManifest(folder, manifest);
        File.WriteAllBytes(Path.Combine(folder, "search.json"), JsonSerializer.SerializeToUtf8Bytes(search, SiteSearch.Json));
        return (pages.Count, bytes);
    }

    private static bool IsPage(string rel) =>
        rel.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || rel.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL of a page within the site, MkDocs' « directory URLs »: <c>chap1/cours.md</c> → <c>chap1/cours/</c>, <c>chap1/index.md</c> → <c>chap1/</c>.</summary>
    public static string PageUrl(string rel)
    {
        var withoutExtension = rel[..rel.LastIndexOf('.')];
        var slash = withoutExtension.LastIndexOf('/');
        var name = withoutExtension[(slash + 1)..];
        var dir = slash < 0 ? "" : withoutExtension[..(slash + 1)];
        return name.Equals("index", StringComparison.OrdinalIgnoreCase) || name.Equals("readme", StringComparison.OrdinalIgnoreCase) ? dir : withoutExtension + "/";
    }

    /// <summary>A link from the page at <paramref name="fromUrl"/> to a URL of the site, relative (so the site works under any address: published or preview).</summary>
    public static string Relative(string fromUrl, string toUrl)
    {
        var from = fromUrl.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var to = toUrl.Split('/');
        var common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common]) common++;
        var relative = string.Concat(Enumerable.Repeat("../", from.Length - common)) + MarkdownRenderer.EncodePath(string.Join('/', to.Skip(common)));
        return relative.Length == 0 ? "./" : relative;
    }

    private static string? LinkFrom(string fromUrl, string target, string docsPrefix, Dictionary<string, string> pageUrls,
        Dictionary<string, TreeEntryInfo> assets, List<string> notices, string page)
    {
        if (!target.StartsWith(docsPrefix, StringComparison.Ordinal)) return null;
        var rel = target[docsPrefix.Length..].Normalize(NormalizationForm.FormC);
        if (pageUrls.TryGetValue(rel, out var url)) return Relative(fromUrl, url);
        if (assets.ContainsKey(rel)) return Relative(fromUrl, rel);
        if (rel.Length == 0 || pageUrls.ContainsKey(rel.TrimEnd('/') + "/index.md") || pageUrls.Values.Contains(rel.TrimEnd('/') + "/"))
            return Relative(fromUrl, rel.Length == 0 ? "" : rel.TrimEnd('/') + "/");
        notices.Add($"{page} : le lien vers « {rel} » ne mène à aucun fichier publié.");
        return Relative(fromUrl, rel);
    }

    private List<SiteNavNode> ResolveNav(IReadOnlyList<NavItem> items, Dictionary<string, SitePageEntry> pages, string file, List<SiteProblem> problems)
    {
        var nodes = new List<SiteNavNode>();
        foreach (var item in items)
        {
            if (item.Url is { } external) nodes.Add(new SiteNavNode(item.Title ?? external, null, external, []));
            else if (item.Page is { } target)
            {
                var rel = target.Normalize(NormalizationForm.FormC);
                if (pages.TryGetValue(rel, out var page)) nodes.Add(new SiteNavNode(item.Title ?? page.Title, page.Url, null, []));
                else problems.Add(new(file, item.Line, $"« nav » renvoie à « {target} », qui n’est pas une page publiée du dossier des pages (fichier absent, mal orthographié, exclu ou réservé aux enseignants)."));
            }
            else nodes.Add(new SiteNavNode(item.Title ?? "Section", null, null, ResolveNav(item.Children, pages, file, problems)));
        }
        return nodes;
    }

    /// <summary>The navigation of a folder without <c>nav:</c>: its <c>.pages</c> (awesome-pages) if any, else its index then its pages and folders in name order.</summary>
    private List<SiteNavNode> AutoNav(string dir, Dictionary<string, SitePageEntry> pages, List<(TreeEntryInfo Entry, string Rel)> files,
        string gitPath, string tip, string docsPrefix, List<SiteProblem> problems, int depth = 0)
    {
        var prefix = dir.Length == 0 ? "" : dir + "/";
        var children = new SortedDictionary<string, (bool Folder, string Rel)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, rel) in files)
        {
            if (!rel.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = rel[prefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash >= 0) children.TryAdd(rest[..slash], (true, prefix + rest[..slash]));
            else if (pages.ContainsKey(rel)) children.TryAdd(rest, (false, rel));
        }
        var index = children.Values.FirstOrDefault(c => !c.Folder && pages[c.Rel].Url == prefix);

        SiteNavNode? NodeOf(string name, (bool Folder, string Rel) child)
        {
            if (!child.Folder) return new SiteNavNode(pages[child.Rel].Title, pages[child.Rel].Url, null, []);
            if (depth > 8) return null;
            var (title, sub, hide) = PagesFile(child.Rel);
            if (hide) return null;
            var nested = AutoNav(child.Rel, pages, files, gitPath, tip, docsPrefix, problems, depth + 1);
            return nested.Count == 0 ? null : new SiteNavNode(title ?? Prettify(name), null, null, nested);
        }

        var (_, arranged, _) = PagesFile(dir);
        var result = new List<SiteNavNode>();
        if (arranged is not null)
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var restAt = -1;
            foreach (var item in arranged)
            {
                if (item.Url is { } url) { result.Add(new SiteNavNode(item.Title ?? url, null, url, [])); continue; }
                if (item.Page == "...") { restAt = result.Count; continue; }
                if (item.Page is { } name && children.TryGetValue(name.TrimEnd('/'), out var child))
                {
                    used.Add(name.TrimEnd('/'));
                    if (NodeOf(name, child) is { } node) result.Add(item.Title is { } t ? node with { Title = t } : node);
                }
                else if (item.Page is { } missing)
                    problems.Add(new(prefix + ".pages", item.Line, $"« {missing} » n’est ni une page ni un dossier de « {(dir.Length == 0 ? "docs" : dir)} »."));
            }
            if (restAt >= 0)
                result.InsertRange(restAt, children.Where(c => !used.Contains(c.Key)).Select(c => NodeOf(c.Key, c.Value)).OfType<SiteNavNode>());
            return result;
        }
        if (index.Rel is not null) result.Add(NodeOf("", index)!);
        result.AddRange(children.Where(c => c.Value.Rel != index.Rel).Select(c => NodeOf(c.Key, c.Value)).OfType<SiteNavNode>());
        return result;

        (string? Title, IReadOnlyList<NavItem>? Nav, bool Hide) PagesFile(string folder)
        {
            var path = docsPrefix + (folder.Length == 0 ? "" : folder + "/") + ".pages";
            return ReadText(gitPath, tip, path, SiteConfig.MaxBytes) is { } yaml
                ? SiteConfig.ParsePagesFile(yaml, (folder.Length == 0 ? "" : folder + "/") + ".pages", problems) : (null, null, false);
        }
    }

    private static void Flatten(IEnumerable<SiteNavNode> nodes, List<string> order)
    {
        foreach (var node in nodes)
        {
            if (node.Url is { } url && !order.Contains(url)) order.Add(url);
            Flatten(node.Children, order);
        }
    }

    /// <summary>A front matter (<c>---</c> … <c>---</c>) is not shown; its <c>title:</c> names the page.</summary>
    internal static string FrontMatter(string text, out string? title)
    {
        title = null;
        if (!text.StartsWith("---\n", StringComparison.Ordinal) && !text.StartsWith("---\r\n", StringComparison.Ordinal)) return text;
        var end = text.IndexOf("\n---", 4, StringComparison.Ordinal);
        if (end < 0) return text;
        foreach (var line in text[4..end].Split('\n'))
            if (line.StartsWith("title:", StringComparison.Ordinal)) title = line[6..].Trim().Trim('"', '\'');
        var after = text.IndexOf('\n', end + 4);
        return after < 0 ? "" : text[(after + 1)..];
    }

    public static string Prettify(string rel)
    {
        var name = rel.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.Contains('.')) name = name[..name.LastIndexOf('.')];
        name = name.Replace('_', ' ').Replace('-', ' ').Trim();
        return name.Length == 0 ? "Accueil" : char.ToUpper(name[0], CultureInfo.GetCultureInfo("fr-FR")) + name[1..];
    }

    [GeneratedRegex(@"<h1[^>]*>(?<t>.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string? FirstHeading(string html) => H1().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(Tag().Replace(m.Groups["t"].Value, "")).Trim() : null;

    public static string PlainText(string html)
    {
        var text = Spaces().Replace(WebUtility.HtmlDecode(Tag().Replace(html, " ")), " ").Trim();
        return text.Length > 100_000 ? text[..100_000] : text;
    }
}
