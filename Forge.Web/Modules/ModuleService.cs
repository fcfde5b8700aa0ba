using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forge.Core.Modules;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Forge.Web.Sites;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Modules;

/// <summary>A repository's module read at a ref: the ref as asked (branch, tag or commit), its commit, and what the parser made of it.</summary>
public sealed record LoadedModule(string Ref, string Commit, bool IsDefaultBranch, ModuleParseResult Parsed)
{
    public ModuleDefinition? Definition => Parsed.Module;

    /// <summary><c>?ref=…</c> to keep on links, empty on the default branch.</summary>
    public string RefQuery => IsDefaultBranch ? "" : "?ref=" + Uri.EscapeDataString(Ref);
}

/// <summary>A module page rendered with the course sites' Markdown pipeline (or the notebook renderer).</summary>
public sealed record ModulePageContent(string Html, bool HasMath, bool HasDiagram, bool HasExercise, string? Problem);

/// <summary>Where a learner is in one section.</summary>
public sealed record SectionProgress(ModuleSection Section, int PagesSeen, int? QuizPercent, bool QuizPassed, bool Complete);

/// <summary>A learner's progress in a module (empty for someone who has not started, or is not signed in).</summary>
public sealed record LearnerProgress(IReadOnlySet<string> Seen, IReadOnlyDictionary<string, int> Quizzes, IReadOnlyList<SectionProgress> Sections,
    ModuleProgress? Entity)
{
    public int PagesSeen => Sections.Sum(s => s.PagesSeen);
    public int PagesTotal => Sections.Sum(s => s.Section.Pages.Count);
    public bool Complete => Sections.Count > 0 && Sections.All(s => s.Complete);
}

/// <summary>What a teacher sees of the learners of a module: counts and averages, never names.</summary>
public sealed record ModuleAggregate(int Learners, int Completed, IReadOnlyList<(ModuleSection Section, int Complete, int QuizTakers, int? AverageQuiz)> Sections);

/// <summary>
/// Training modules (<c>module.yml</c> at the root of a repository): reading them from git at a ref (parsed once per commit),
/// rendering their pages, and the progress of signed-in learners (<see cref="ModuleProgress"/>). Teacher-only files
/// (<c>teacher_only:</c> of <c>resource.yml</c>) are never part of a module. Permission checks are the callers'
/// (<see cref="RepoContextFilter"/> for pages, the API's read context).
/// </summary>
public sealed class ModuleService(GitReader reader, MarkdownRenderer markdown, NotebookRenderer notebooks, ForgeDbContext db,
    TeacherOnlyFilter teacherOnly, RenderCache cache)
{
    public const long MaxTextBytes = 2L * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new();

    /// <summary>Whether the default branch has a <c>module.yml</c> (for the « Module » tab).</summary>
    public static bool HasModule(GitReader reader, RepoContext repo) =>
        reader.BranchTip(repo.GitPath, repo.Repository.DefaultBranch) is { } tip && reader.BlobHeader(repo.GitPath, tip, ModuleParser.FileName) is not null;

    /// <summary>The module at <paramref name="refName"/> (default branch when empty); null when that ref does not exist or has no <c>module.yml</c>.</summary>
    public LoadedModule? Load(RepoContext repo, string? refName)
    {
        string name, commit;
        var isDefault = string.IsNullOrEmpty(refName) || refName == repo.Repository.DefaultBranch;
        if (isDefault)
        {
            name = repo.Repository.DefaultBranch;
            if (reader.BranchTip(repo.GitPath, name) is not { } tip) return null;
            commit = tip;
        }
        else
        {
            if (refName!.Length > 250 || reader.Resolve(repo.GitPath, refName.Split('/')) is not { Path: "" } resolved) return null;
            (name, commit) = (resolved.Ref, resolved.CommitSha);
        }
        // Parsed once per commit (a commit never changes), in the shared render cache; « no module.yml » is cached too.
        var result = cache.GetOrAdd($"module:{repo.GitPath}:{commit}", () => Parse(repo.GitPath, commit), _ => 16 * 1024).Result;
        return result is null ? null : new LoadedModule(name, commit, isDefault, result);
    }

    private sealed record ParseEntry(ModuleParseResult? Result);

    private ParseEntry Parse(string gitPath, string commit)
    {
        if (ReadText(gitPath, commit, ModuleParser.FileName, ModuleParser.MaxBytes + 1) is not { } yml) return new(null);
        var hidden = teacherOnly.At(gitPath, commit);
        return new(ModuleParser.Parse(yml, path => ReadFile(gitPath, commit, path), hidden.IsHidden));
    }

    /// <summary>For the parser: a file's text; empty for a binary or big file that exists; null when there is none.</summary>
    private string? ReadFile(string gitPath, string commit, string path)
    {
        if (reader.BlobHeader(gitPath, commit, path) is not { } header) return null;
        if (header.Size > MaxTextBytes) return "";
        return ReadText(gitPath, commit, path, MaxTextBytes) ?? "";
    }

    private string? ReadText(string gitPath, string commit, string path, long max)
    {
        var blob = reader.ReadBlob(gitPath, commit, path, max);
        if (blob is null || blob.IsBinary || blob.Truncated) return null;
        return Encoding.UTF8.GetString(blob.Bytes).TrimStart('\uFEFF');
    }

    /// <summary>The captions of a video resource: a <c>.vtt</c> file of the same name beside it (as on the file page), or null.</summary>
    public string? CaptionsOf(RepoContext repo, LoadedModule module, string videoPath)
    {
        var vtt = Path.ChangeExtension(videoPath, ".vtt");
        return reader.BlobHeader(repo.GitPath, module.Commit, vtt) is null ? null : vtt;
    }

    public ModulePageContent Render(RepoContext repo, LoadedModule module, ModulePage page)
    {
        var dir = page.Path.Contains('/') ? page.Path[..page.Path.LastIndexOf('/')] : "";
        var context = new MarkdownContext(repo.Owner, repo.Name, module.Ref, dir);
        if (page.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            var blob = reader.ReadBlob(repo.GitPath, module.Commit, page.Path, NotebookRenderer.MaxBytes + 1);
            var notebook = blob is null || blob.Size > NotebookRenderer.MaxBytes ? NotebookRenderer.TooBig(blob?.Size ?? 0) : notebooks.Render(blob.Bytes, context);
            return new(notebook.Html, notebook.HasMath, MarkdownRenderer.ContainsDiagram(notebook.Html), false, notebook.Problem);
        }
        if (ReadText(repo.GitPath, module.Commit, page.Path, MaxTextBytes) is not { } text)
            return new("", false, false, false, $"La page « {page.Path} » est trop grande (plus de {MaxTextBytes / 1024 / 1024} Mio) pour être affichée ici.");
        var rendered = markdown.RenderPage(SiteBuilder.FrontMatter(text, out _), context);
        return new(rendered.Html, rendered.HasMath, rendered.HasDiagram, rendered.HasExercise, null);
    }

    private Task<ModuleProgress?> EntityAsync(long repositoryId, long userId, CancellationToken ct) =>
        db.Set<ModuleProgress>().FirstOrDefaultAsync(p => p.RepositoryId == repositoryId && p.UserId == userId, ct);

    public async Task<LearnerProgress> ProgressAsync(long repositoryId, ModuleDefinition module, long? userId, CancellationToken ct) =>
        Progress(module, userId is { } id ? await EntityAsync(repositoryId, id, ct) : null);

    public static LearnerProgress Progress(ModuleDefinition module, ModuleProgress? entity)
    {
        var seen = entity is null ? new HashSet<string>(StringComparer.Ordinal) : Seen(entity);
        var quizzes = entity is null ? new Dictionary<string, int>(StringComparer.Ordinal) : Quizzes(entity);
        var sections = module.Sections.Select(s =>
        {
            var pages = s.Pages.Count(p => seen.Contains(p.Path));
            int? quiz = quizzes.TryGetValue(s.Id, out var q) ? q : null;
            var passed = s.Quiz is null || quiz >= module.PassMarkPercent;
            return new SectionProgress(s, pages, quiz, passed, pages == s.Pages.Count && passed);
        }).ToList();
        return new LearnerProgress(seen, quizzes, sections, entity);
    }

    private static HashSet<string> Seen(ModuleProgress p) =>
        new(JsonSerializer.Deserialize<List<string>>(p.PagesSeen, Json) ?? [], StringComparer.Ordinal);

    private static Dictionary<string, int> Quizzes(ModuleProgress p) =>
        new(JsonSerializer.Deserialize<Dictionary<string, int>>(p.QuizScores, Json) ?? [], StringComparer.Ordinal);

    /// <summary>Records that a signed-in learner saw a page of the default branch's module (a page of another ref counts for nothing).</summary>
    public Task<LearnerProgress> MarkSeenAsync(RepoContext repo, LoadedModule module, long userId, ModulePage page, CancellationToken ct) =>
        UpdateAsync(repo, module, userId, p =>
        {
            var seen = Seen(p);
            if (seen.Count >= ModuleProgress.MaxPages || !seen.Add(page.Path)) return false;
            p.PagesSeen = JsonSerializer.Serialize(seen.Order(StringComparer.Ordinal), Json);
            return true;
        }, ct);

    /// <summary>Keeps the learner's best score of a section's quiz.</summary>
    public Task<LearnerProgress> RecordQuizAsync(RepoContext repo, LoadedModule module, long userId, ModuleSection section, int percent, CancellationToken ct) =>
        UpdateAsync(repo, module, userId, p =>
        {
            var quizzes = Quizzes(p);
            if (quizzes.TryGetValue(section.Id, out var best) && best >= percent) return false;
            quizzes[section.Id] = percent;
            p.QuizScores = JsonSerializer.Serialize(quizzes, Json);
            return true;
        }, ct);

    private async Task<LearnerProgress> UpdateAsync(RepoContext repo, LoadedModule module, long userId, Func<ModuleProgress, bool> change, CancellationToken ct)
    {
        var definition = module.Definition!;
        var entity = await EntityAsync(repo.Repository.Id, userId, ct);
        if (!module.IsDefaultBranch) return Progress(definition, entity);
        var isNew = entity is null;
        entity ??= new ModuleProgress { UserId = userId, RepositoryId = repo.Repository.Id };
        var changed = change(entity);
        var progress = Progress(definition, entity);
        if (progress.Complete && entity.CompletedAt is null)
        {
            entity.CompletedAt = DateTime.UtcNow;
            entity.CompletedCommit = module.Commit;
            entity.CompletedTitle = definition.Title;
            entity.CompletedMinutes = definition.DurationMinutes;
            entity.CertificateCode = RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 16);
            changed = true;
        }
        if (!changed) return progress;
        entity.UpdatedAt = DateTime.UtcNow;
        if (isNew) db.Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (isNew)
        {
            // The same learner's other request created the row meanwhile (two tabs): apply the change to it.
            db.ChangeTracker.Clear();
            return await UpdateAsync(repo, module, userId, change, ct);
        }
        return Progress(definition, entity);
    }

    /// <summary>The completion a verification code stands for, with its learner; null for an unknown code.</summary>
    public Task<ModuleProgress?> CertificateAsync(string code, CancellationToken ct) =>
        code.Length is 0 or > 32 ? Task.FromResult<ModuleProgress?>(null)
            : db.Set<ModuleProgress>().AsNoTracking().Include(p => p.User).Include(p => p.Repository).ThenInclude(r => r.Owner).FirstOrDefaultAsync(p => p.CertificateCode == code && p.CompletedAt != null, ct);

    /// <summary>Aggregate progress of the module's learners (for those who can write the repository): counts and averages only.</summary>
    public async Task<ModuleAggregate> AggregateAsync(long repositoryId, ModuleDefinition module, CancellationToken ct)
    {
        var rows = await db.Set<ModuleProgress>().AsNoTracking().Where(p => p.RepositoryId == repositoryId).Take(10_000).ToListAsync(ct);
        var progresses = rows.Select(r => Progress(module, r)).ToList();
        var sections = module.Sections.Select((s, i) =>
        {
            var scores = progresses.Select(p => p.Sections[i].QuizPercent).OfType<int>().ToList();
            return (s, progresses.Count(p => p.Sections[i].Complete), scores.Count, scores.Count == 0 ? (int?)null : (int)Math.Round(scores.Average()));
        }).ToList();
        return new ModuleAggregate(rows.Count, rows.Count(r => r.CompletedAt is not null), sections);
    }

    /// <summary>The learner's name on a certificate: the full name given in the profile, else the user name.</summary>
    public static string LearnerName(ForgeUser user) => string.IsNullOrWhiteSpace(user.FullName) ? user.UserName! : user.FullName!;
}
