using Forge.Core.Modules;
using Forge.Web.Modules;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo.Module;

/// <summary>One stop of a module's path: a page or a section's quiz.</summary>
public sealed record ModuleStop(ModuleSection Section, string Title, string Url, ModulePage? Page);

/// <summary>
/// Base of the module pages (<c>/{owner}/{repo}/module/…</c>): the module at <c>?ref=</c> (default branch otherwise), the
/// signed-in learner's progress and links that keep the ref. Access is the repository's (<see cref="RepoContextFilter"/>).
/// </summary>
public abstract class ModulePageModel(ModuleService modules) : RepoPageModel
{
    public LoadedModule Loaded { get; private set; } = null!;
    public ModuleDefinition Definition => Loaded.Definition!;
    public LearnerProgress Progress { get; protected set; } = null!;
    protected ModuleService Modules => modules;

    /// <summary>Loads the module; false (then answer 404) when the ref or the module is missing, or it cannot be read at all.</summary>
    protected async Task<bool> LoadAsync(string? refName, bool needDefinition = true)
    {
        if (modules.Load(Repo, refName) is not { } loaded || (needDefinition && loaded.Definition is null)) return false;
        Loaded = loaded;
        if (loaded.Definition is { } d) Progress = await modules.ProgressAsync(Repo.Repository.Id, d, Repo.Viewer.UserId, HttpContext.RequestAborted);
        return true;
    }

    public string OutlineUrl => $"{Repo.BaseUrl}/module/{Loaded.RefQuery}";
    public string PageUrl(ModuleSection s, int index) => $"{Repo.BaseUrl}/module/{s.Id}/{index + 1}{Loaded.RefQuery}";
    public string QuizUrl(ModuleSection s) => $"{Repo.BaseUrl}/module/{s.Id}/quiz{Loaded.RefQuery}";
    public string? CaptionsUrl(string videoPath) => modules.CaptionsOf(Repo, Loaded, videoPath) is { } vtt ? RawUrl(vtt) : null;
    public string CertificateUrl => $"{Repo.BaseUrl}/module/-/certificate";
    public string RawUrl(string path) => $"{Repo.BaseUrl}/raw/{MarkdownRenderer.EncodePath(Loaded.Ref)}/{MarkdownRenderer.EncodePath(path)}";

    /// <summary>Every page and quiz in order, for « précédent / suivant ».</summary>
    public IReadOnlyList<ModuleStop> Stops() =>
        Definition.Sections.SelectMany(s => s.Pages.Select((p, i) => new ModuleStop(s, p.Title, PageUrl(s, i), p))
            .Concat(s.Quiz is { } q ? [new ModuleStop(s, q.Title, QuizUrl(s), null)] : [])).ToList();

    public (ModuleStop? Previous, ModuleStop? Next) Neighbours(string url)
    {
        var stops = Stops();
        var at = stops.ToList().FindIndex(s => s.Url == url);
        return at < 0 ? (null, null) : (at > 0 ? stops[at - 1] : null, at + 1 < stops.Count ? stops[at + 1] : null);
    }

    /// <summary>The key under which an anonymous learner's progress is kept in the browser.</summary>
    public string LocalKey => "forge-module:" + Repo.FullName;
}
