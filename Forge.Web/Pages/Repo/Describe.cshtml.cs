using System.Text;
using Forge.Core.Programmes;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Search;
using Forge.Web.Pages.Repo.Edit;
using Forge.Web.Rendering;
using Forge.Web.Repos;
using Forge.Web.Resources;
using Microsoft.AspNetCore.Mvc;

namespace Forge.Web.Pages.Repo;

/// <summary>
/// « Décrire cette ressource »: edits resource.yml with proper controls and commits it for the teacher. What was typed
/// becomes a YAML document that <see cref="ResourceMetadataParser"/> judges — the same rules as a hand-written file —
/// and each problem is shown at its field. Fields the form does not know are carried over verbatim.
/// </summary>
public sealed class DescribeModel(GitReader reader, ContentService content, ResourceFiles files, SimilarResources similar) : RepoPageModel
{
    public const string DefaultMessage = "Décrire la ressource";

    public sealed class DescribeForm : CommitForm
    {
        public string? Title { get; set; }
        public string? Description { get; set; }
        public List<string> Disciplines { get; set; } = [];
        public List<string> Grades { get; set; } = [];
        public List<string> Cycles { get; set; } = [];
        public List<string> Usage { get; set; } = [];
        public List<string> Autonomy { get; set; } = [];
        public List<string> Audience { get; set; } = [];
        public List<string> Types { get; set; } = [];
        public string? Personalisation { get; set; }
        public string? HasExercises { get; set; }
        public string? TeacherSeesResults { get; set; }
        public string? DurationMinutes { get; set; }
        public string? FocusMinutes { get; set; }
        public List<string> Accessibility { get; set; } = [];
        public List<string> Languages { get; set; } = [];
        public string? OtherLanguages { get; set; }
        public List<string> Programme { get; set; } = [];
        public string? Authors { get; set; }
        public string? BasedOn { get; set; }
        public string? Licence { get; set; }
        public string? LicenceOther { get; set; }
        public string? Keywords { get; set; }
    }

    /// <summary>The licences offered in the list (SPDX identifiers); anything else is typed under « Autre ».</summary>
    public static readonly IReadOnlyList<(string Id, string Label)> Licences =
    [
        ("CC-BY-4.0", "CC BY 4.0 — attribution"),
        ("CC-BY-SA-4.0", "CC BY-SA 4.0 — attribution, partage dans les mêmes conditions"),
        ("CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0 — attribution, pas d’usage commercial, partage dans les mêmes conditions"),
        ("CC0-1.0", "CC0 1.0 — domaine public"),
        ("etalab-2.0", "Licence Ouverte / Etalab 2.0"),
        ("MIT", "MIT (logiciel)"),
        ("GPL-3.0-or-later", "GNU GPL 3.0 ou ultérieure (logiciel)"),
        ("EUPL-1.2", "EUPL 1.2"),
    ];

    public const string OtherLicence = "autre";

    /// <summary>Form field of each resource.yml field, for errors.</summary>
    private static readonly Dictionary<string, string> FieldKeys = new()
    {
        ["title"] = "Title", ["description"] = "Description", ["disciplines"] = "Disciplines", ["grades"] = "Grades", ["cycles"] = "Cycles",
        ["usage"] = "Usage", ["autonomy"] = "Autonomy", ["audience"] = "Audience", ["type"] = "Types", ["personalisation"] = "Personalisation",
        ["has_exercises"] = "HasExercises", ["teacher_sees_results"] = "TeacherSeesResults", ["duration_minutes"] = "DurationMinutes",
        ["focus_minutes"] = "FocusMinutes", ["accessibility"] = "Accessibility", ["language"] = "Languages", ["programme"] = "Programme",
        ["authors"] = "Authors", ["based_on"] = "BasedOn", ["licence"] = "Licence", ["keywords"] = "Keywords",
    };

    [BindProperty] public DescribeForm Form { get; set; } = new();

    public ResolvedPath At { get; private set; } = null!;
    public string Folder { get; private set; } = "";
    public ResourceFile? Existing { get; private set; }
    public IReadOnlyList<UnknownField> Unknown { get; private set; } = [];
    public bool ExistingHasComments { get; private set; }
    public IReadOnlyList<SearchHit> Similar { get; private set; } = [];

    public string FilePath => ResourceFiles.PathOf(Folder);
    public string BackUrl => Folder.Length == 0 ? Repo.BaseUrl : $"{Repo.BaseUrl}/tree/{MarkdownRenderer.EncodePath(At.Ref)}/{MarkdownRenderer.EncodePath(Folder)}";

    /// <summary>Errors of one form field (key without the <c>Form.</c> prefix).</summary>
    public IReadOnlyList<string> ErrorsOf(string field) =>
        ModelState.TryGetValue("Form." + field, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : [];

    public async Task<IActionResult> OnGetAsync(string? path, string? @ref)
    {
        if (Locate(path, @ref) is { } stop) return stop;
        Form = Existing is { } file ? FromMetadata(file.Result.Metadata) : new DescribeForm();
        Form.ExpectedTip = At.CommitSha;
        await FindSimilarAsync(Existing?.Result.Metadata);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? path, string? @ref)
    {
        ModelState.Clear();
        if (Locate(path, @ref, Form.ExpectedTip) is { } stop) return stop;
        if (string.IsNullOrEmpty(Form.ExpectedTip))
        {
            ModelState.AddModelError("", "Le formulaire est incomplet ; rechargez la page.");
            return Page();
        }
        string? newBranch = null;
        if (Form.Target == "new")
        {
            newBranch = Form.NewBranch?.Trim() ?? "";
            if (!GitWriter.IsValidBranchName(newBranch))
                ModelState.AddModelError("Form.NewBranch", "Indiquez un nom de branche valide (lettres, chiffres, « - », « _ », « / » ; sans espace).");
        }

        var typed = TypedFields().ToList();
        var result = ResourceMetadataParser.Parse(ResourceMetadataWriter.WriteFields(typed));
        if (typed.Count == 0) ModelState.AddModelError("Form.Title", "Remplissez au moins un champ : le titre, par exemple.");
        else foreach (var problem in result.Problems) AddProblem(problem);
        if (!ModelState.IsValid)
        {
            // Like the other forms: the page again, with its errors (200), what was typed kept.
            await FindSimilarAsync(result.Metadata);
            return Page();
        }

        var yaml = ResourceMetadataWriter.Write(result.Metadata, Unknown);
        var bytes = Encoding.UTF8.GetBytes(yaml);
        var message = string.IsNullOrWhiteSpace(Form.Message) ? DefaultMessage : Form.Message.Trim();
        var write = await content.CommitAsync(Repo, At.Ref, Form.ExpectedTip, newBranch, [new FileChange.Put(FilePath, bytes)], message, HttpContext.RequestAborted);
        if (!write.Ok)
        {
            if (write.Status is WriteStatus.BranchExists or WriteStatus.InvalidBranch) ModelState.AddModelError("Form.NewBranch", write.Message!);
            else ModelState.AddModelError("", write.Message!);
            Response.StatusCode = write.Status switch
            {
                WriteStatus.BranchMoved => StatusCodes.Status409Conflict,
                WriteStatus.Protected => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status200OK,
            };
            await FindSimilarAsync(result.Metadata);
            return Page();
        }
        var branch = newBranch ?? At.Ref;
        return Redirect(Folder.Length == 0 && branch == Repo.Repository.DefaultBranch
            ? Repo.BaseUrl
            : $"{Repo.BaseUrl}/tree/{MarkdownRenderer.EncodePath(branch)}{(Folder.Length > 0 ? "/" + MarkdownRenderer.EncodePath(Folder) : "")}");
    }

    /// <summary>
    /// Resolves the branch and folder, checks write access, and reads the current description — on a POST, the version the
    /// user saw (<paramref name="seenCommit"/>), so fields unknown to the form are carried over from what she had in front of her.
    /// </summary>
    private IActionResult? Locate(string? path, string? refName, string? seenCommit = null)
    {
        if (!Repo.Viewer.IsSignedIn) return Challenge();
        if (!Repo.CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var branch = string.IsNullOrEmpty(refName) ? reader.HeadBranch(Repo.GitPath) ?? Repo.Repository.DefaultBranch : refName;
        var at = reader.Resolve(Repo.GitPath, branch.Split('/'));
        if (at is null || !at.IsBranch || at.Path.Length > 0) return NotFound();
        if (ResourceFiles.CleanFolder(path) is not { } folder) return NotFound();
        if (folder.Length > 0 && reader.KindAt(Repo.GitPath, at.CommitSha, folder) != TreeEntryKind.Directory) return NotFound();
        At = at;
        Folder = folder;
        var commit = seenCommit is { Length: 40 } seen && seen.All(Uri.IsHexDigit) && reader.GetCommit(Repo.GitPath, seen) is not null ? seen : at.CommitSha;
        Existing = files.Read(Repo.GitPath, commit, folder);
        Unknown = Existing is null ? [] : ResourceMetadataParser.UnknownFields(Existing.Text);
        ExistingHasComments = Existing is not null && ResourceMetadataParser.HasComments(Existing.Text);
        return null;
    }

    private void AddProblem(MetadataProblem problem)
    {
        var field = FieldKeys.GetValueOrDefault(problem.Field);
        if (field == "Licence" && Form.Licence == OtherLicence) field = "LicenceOther";
        var text = problem.Value is { Length: > 0 } value ? $"« {value} » : {problem.Message}" : problem.Message;
        ModelState.AddModelError(field is null ? "" : "Form." + field, text);
    }

    /// <summary>What was typed, as resource.yml fields (unvalidated: the parser judges them).</summary>
    private IEnumerable<(string Field, object Value)> TypedFields()
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Replace("\r\n", "\n").Trim();
        static List<string> Picked(List<string> values) => values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToList();

        if (Clean(Form.Title) is { } title) yield return ("title", title);
        if (Clean(Form.Description) is { } description) yield return ("description", description);
        if (Picked(Form.Disciplines) is { Count: > 0 } disciplines) yield return ("disciplines", disciplines);
        if (Picked(Form.Grades) is { Count: > 0 } grades) yield return ("grades", grades);
        if (Picked(Form.Cycles) is { Count: > 0 } cycles) yield return ("cycles", cycles);
        if (Picked(Form.Usage) is { Count: > 0 } usage) yield return ("usage", usage);
        if (Picked(Form.Autonomy) is { Count: > 0 } autonomy) yield return ("autonomy", autonomy);
        if (Picked(Form.Audience) is { Count: > 0 } audience) yield return ("audience", audience);
        if (Picked(Form.Types) is { Count: > 0 } types) yield return ("type", types);
        if (Clean(Form.Personalisation) is { } personalisation) yield return ("personalisation", personalisation);
        if (Clean(Form.HasExercises) is { } exercises) yield return ("has_exercises", exercises);
        if (Clean(Form.TeacherSeesResults) is { } results) yield return ("teacher_sees_results", results);
        if (Clean(Form.DurationMinutes) is { } duration) yield return ("duration_minutes", duration);
        if (Clean(Form.FocusMinutes) is { } focus) yield return ("focus_minutes", focus);
        if (Picked(Form.Accessibility) is { Count: > 0 } accessibility) yield return ("accessibility", accessibility);
        var languages = Picked([.. Form.Languages, .. (Form.OtherLanguages ?? "").Split(',', ';', ' ')]);
        if (languages.Count > 0) yield return ("language", languages);
        if (Picked(Form.Programme) is { Count: > 0 } programme) yield return ("programme", programme);
        var authors = (Form.Authors ?? "").Replace("\r\n", "\n").Split('\n').Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        if (authors.Count > 0) yield return ("authors", authors);
        if (Clean(Form.BasedOn) is { } basedOn) yield return ("based_on", basedOn);
        var licence = Form.Licence == OtherLicence ? Clean(Form.LicenceOther) : Clean(Form.Licence);
        if (licence is not null) yield return ("licence", licence);
        var keywords = (Form.Keywords ?? "").Split(',').Select(k => k.Trim()).Where(k => k.Length > 0).ToList();
        if (keywords.Count > 0) yield return ("keywords", keywords);
    }

    private static DescribeForm FromMetadata(ResourceMetadata m)
    {
        var known = ResourceVocabulary.Languages.Keys.ToHashSet();
        return new DescribeForm
        {
            Title = m.Title,
            Description = m.Description,
            Disciplines = [.. m.Disciplines],
            Grades = [.. m.Grades],
            Cycles = m.CyclesDerived ? [] : [.. m.Cycles],
            Usage = [.. m.Usage],
            Autonomy = [.. m.Autonomy],
            Audience = [.. m.Audience],
            Types = [.. m.Types],
            Personalisation = m.Personalisation,
            HasExercises = m.HasExercises is { } e ? (e ? "true" : "false") : null,
            TeacherSeesResults = m.TeacherSeesResults is { } r ? (r ? "true" : "false") : null,
            DurationMinutes = m.DurationMinutes?.ToString(),
            FocusMinutes = m.FocusMinutes?.ToString(),
            Accessibility = [.. m.Accessibility],
            Languages = m.Languages.Where(known.Contains).ToList(),
            OtherLanguages = string.Join(", ", m.Languages.Where(l => !known.Contains(l))),
            Programme = [.. m.Programme],
            Authors = string.Join("\n", m.Authors),
            BasedOn = m.BasedOn,
            Licence = m.Licence is null ? null : Licences.Any(l => l.Id == m.Licence) ? m.Licence : OtherLicence,
            LicenceOther = m.Licence is not null && Licences.All(l => l.Id != m.Licence) ? m.Licence : null,
            Keywords = string.Join(", ", m.Keywords),
        };
    }

    private async Task FindSimilarAsync(ResourceMetadata? m)
    {
        var title = m?.Title ?? Form.Title;
        var description = m?.Description ?? Form.Description;
        if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(description)) return;
        Similar = await similar.FindAsync(Repo.Viewer, title, description, m?.Disciplines ?? [], m?.Grades ?? [], Repo.Repository.Id,
            ct: HttpContext.RequestAborted);
    }

    /// <summary>The programmes in the order the form shows them; the programme of a grade already ticked first.</summary>
    public IEnumerable<Programme> ProgrammesInOrder()
    {
        var catalogue = ProgrammeCatalogue.Default;
        return catalogue.Programmes.OrderBy(p => Form.Grades.Contains(p.Level) || p.Items.Any(i => Form.Programme.Contains(i.Id)) ? 0 : 1);
    }
}
