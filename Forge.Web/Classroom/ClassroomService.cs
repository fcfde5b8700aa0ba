using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Forge.Core.Naming;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Web.Data;
using Forge.Web.Forks;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Forge.Web.Classroom;

/// <summary>Where a student is in an assignment, as the dashboard and the API show it.</summary>
public enum SubmissionStatus { NotStarted, InProgress, Submitted }

/// <summary>One row of the teacher's dashboard (and of <c>GET /api/v1/assignments/{id}/submissions</c>).</summary>
/// <remarks>For team work, one row per team: <see cref="Student"/> made the team, <see cref="Members"/> are all its pupils.</remarks>
public sealed record SubmissionRow(ForgeUser Student, AssignmentCopy? Copy, SubmissionStatus Status, DateTime? LastPushAt, int Commits, int ChangedFiles,
    string? TipSha, CheckSummary? Checks, DateTime? Deadline)
{
    public IReadOnlyList<ForgeUser> Members { get; init; } = [Student];
    public string? Team => Copy?.TeamName;
}

/// <summary>A pupil account made in bulk: the password is shown once, on the printable page, and never stored in clear.</summary>
public sealed record PupilAccount(string DisplayName, string UserName, string Password);

/// <summary>
/// Classes (groups flagged <see cref="ForgeUser.IsClass"/>), their join codes and pupil accounts, assignments, the students'
/// private copies, deadlines, submissions and feedback. Pages and the API both call this.
/// </summary>
public sealed class ClassroomService(ForgeDbContext db, GroupService groups, RepositoryService repositories, ForkService forks, RepositoryStore store,
    GitReader reader, GitWriter writer, MergeRequests.MergeRequestService mergeRequests, IAssignmentChecks checks, IPasswordHasher<ForgeUser> hasher,
    TimeProvider clock, ILogger<ClassroomService> log, IMemoryCache cache)
{
    /// <summary>No I, O, 0 or 1: a code read aloud or copied from the board is typed right.</summary>
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const string LowerAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    public const int CodeLength = 8;
    public const int MaxPupilsAtOnce = 60;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string StatusLabel(SubmissionStatus s) => s switch
    {
        SubmissionStatus.Submitted => "rendu",
        SubmissionStatus.InProgress => "en cours",
        _ => "non commencé",
    };

    public static string ApiStatus(SubmissionStatus s) => s switch
    {
        SubmissionStatus.Submitted => "submitted",
        SubmissionStatus.InProgress => "in_progress",
        _ => "not_started",
    };

    public static string CompetencyLabel(Competency c) => c switch
    {
        Competency.NotAcquired => "non acquis",
        Competency.InProgress => "en cours d’acquisition",
        Competency.Acquired => "acquis",
        Competency.Exceeded => "dépassé",
        _ => "non évalué",
    };

    public static Competency? ParseCompetency(string? value) => value?.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        null or "" or "none" => Competency.None,
        "not_acquired" or "notacquired" => Competency.NotAcquired,
        "in_progress" or "inprogress" => Competency.InProgress,
        "acquired" => Competency.Acquired,
        "exceeded" => Competency.Exceeded,
        _ => null,
    };

    public static string ApiCompetency(Competency c) => c switch
    {
        Competency.NotAcquired => "not_acquired",
        Competency.InProgress => "in_progress",
        Competency.Acquired => "acquired",
        Competency.Exceeded => "exceeded",
        _ => "none",
    };

    /// <summary>Teachers of a class: its maintainers and owners (directly or through an enclosing group), and admins.</summary>
    public static bool IsTeacherOf(ForgeUser classGroup, Viewer viewer) => GroupService.CanManage(classGroup, viewer);

    /// <summary>Teachers and administrators create classes (in a group they maintain).</summary>
    public static bool MayCreateClasses(ForgeUser user) => !user.IsGroup && user.EffectiveRole is InstanceRole.Teacher or InstanceRole.Administrator;

    // ───────────── Classes ─────────────

    public async Task<(ForgeUser? Class, SchoolClass? Room)> FindClassAsync(string? name, Viewer viewer, CancellationToken ct = default)
    {
        var group = await groups.FindVisibleAsync(name, viewer, ct);
        if (group is not { IsClass: true }) return (null, null);
        return (group, await RoomAsync(group, ct));
    }

    /// <summary>The join code and settings of a class.</summary>
    public Task<SchoolClass?> RoomAsync(ForgeUser classGroup, CancellationToken ct = default) =>
        db.Classrooms.FirstOrDefaultAsync(c => c.GroupId == classGroup.Id, ct);

    /// <summary>Creates a private class inside <paramref name="parentName"/> (a group the teacher maintains), with a join code.</summary>
    public async Task<(ForgeUser? Class, RepositoryError? Error)> CreateClassAsync(ForgeUser me, Viewer viewer, string? parentName, string? name,
        string? fullName, CancellationToken ct = default)
    {
        if (!MayCreateClasses(me)) return (null, new RepositoryError("Parent", "Seuls les enseignants et les administrateurs créent des classes."));
        if (string.IsNullOrWhiteSpace(parentName))
            return (null, new RepositoryError("Parent", "Choisissez le groupe (établissement, équipe) où créer la classe."));
        var (group, error) = await groups.CreateAsync(viewer, name, fullName, null, AccountVisibility.Private, parentName, ct);
        if (error is not null) return (null, error);
        group!.IsClass = true;
        db.Classrooms.Add(new SchoolClass { GroupId = group.Id, JoinCode = NewCode() });
        await db.SaveChangesAsync(ct);
        return (group, null);
    }

    private static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);

    public static string NormalizeCode(string? code) =>
        new((code ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).Take(32).ToArray());

    public async Task<string> RegenerateCodeAsync(SchoolClass room, CancellationToken ct = default)
    {
        room.JoinCode = NewCode();
        await db.SaveChangesAsync(ct);
        return room.JoinCode;
    }

    public async Task SetJoinEnabledAsync(SchoolClass room, bool enabled, CancellationToken ct = default)
    {
        room.JoinEnabled = enabled;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The signed-in <paramref name="user"/> joins the class of <paramref name="code"/> as a student (reader of the class).</summary>
    public async Task<(ForgeUser? Class, string? Error)> JoinAsync(string? code, ForgeUser user, CancellationToken ct = default)
    {
        var normalized = NormalizeCode(code);
        if (normalized.Length == 0) return (null, "Saisissez le code de la classe donné par votre enseignant (8 caractères).");
        var room = await db.Classrooms.Include(c => c.Group).FirstOrDefaultAsync(c => c.JoinCode == normalized, ct);
        if (room is null) return (null, $"Aucune classe n’a le code « {normalized} ». Vérifiez-le auprès de votre enseignant.");
        if (!room.JoinEnabled) return (null, "Cette classe n’accepte plus de nouveaux élèves par code. Demandez à votre enseignant.");
        if (user.IsGroup) return (null, "Un groupe ne peut pas rejoindre une classe.");
        if (!await db.GroupMembers.AnyAsync(m => m.GroupId == room.GroupId && m.UserId == user.Id, ct))
        {
            db.GroupMembers.Add(new GroupMember { GroupId = room.GroupId, UserId = user.Id, Role = GroupRole.Reader });
            await db.SaveChangesAsync(ct);
        }
        return (room.Group, null);
    }

    /// <summary>The class's students: its direct members with the reader role.</summary>
    public Task<List<ForgeUser>> StudentsAsync(long classId, CancellationToken ct = default) =>
        db.GroupMembers.Where(m => m.GroupId == classId && m.Role == GroupRole.Reader).Select(m => m.User)
            .OrderBy(u => u.UserName).ToListAsync(ct);

    /// <summary>
    /// Pseudonymous pupil accounts, one per display name: a generated user name (<c>prenom-x7k2</c>), a one-time password to
    /// change at first sign-in, the student role (private repositories only), no e-mail; each joins the class.
    /// </summary>
    public async Task<(IReadOnlyList<PupilAccount> Accounts, string? Error)> CreatePupilsAsync(ForgeUser classGroup, string? names, CancellationToken ct = default)
    {
        var list = (names ?? "").Split('\n').Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        if (list.Count == 0) return ([], "Indiquez au moins un prénom ou pseudonyme, un par ligne.");
        if (list.Count > MaxPupilsAtOnce) return ([], $"{MaxPupilsAtOnce} élèves au plus à la fois ({list.Count} lignes reçues).");
        if (list.FirstOrDefault(n => n.Length > 100) is { } tooLong) return ([], $"« {tooLong[..40]}… » est trop long (100 caractères au plus).");
        var made = new List<PupilAccount>();
        foreach (var displayName in list)
        {
            var stem = Slug(displayName, 20);
            if (stem.Length == 0) stem = "eleve";
            string userName;
            do userName = $"{stem}-{RandomNumberGenerator.GetString(LowerAlphabet, 4)}";
            while (NameRules.ValidateUserName(userName) is not null || await db.Users.AnyAsync(u => u.NormalizedUserName == userName.ToUpperInvariant(), ct));
            var password = string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString(LowerAlphabet, 4)));
            var user = new ForgeUser
            {
                UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), FullName = displayName, Role = InstanceRole.Student,
                MustChangePassword = true, LockoutEnabled = true, SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
            };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
            db.GroupMembers.Add(new GroupMember { Group = classGroup, User = user, Role = GroupRole.Reader });
            made.Add(new PupilAccount(displayName, userName, password));
        }
        await db.SaveChangesAsync(ct);
        return (made, null);
    }

    /// <summary>
    /// Lower-case ASCII slug (<see cref="Forge.Core.Text.TextFolding.Slug"/>). Names made from it are stored when made
    /// (pupils' user names, copies' repository names, the assignment's slug), so spelling out ligatures since only changes new names.
    /// </summary>
    public static string Slug(string text, int max) => Forge.Core.Text.TextFolding.Slug(text, max);

    // ───────────── Assignments ─────────────

    public Task<List<Assignment>> AssignmentsAsync(long classId, CancellationToken ct = default) =>
        db.Assignments.Where(a => a.ClassId == classId).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);

    public Task<Assignment?> FindAssignmentAsync(long id, CancellationToken ct = default) =>
        db.Assignments.Include(a => a.Class).Include(a => a.Template).ThenInclude(t => t!.Owner).FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>
    /// Creates an assignment from <paramref name="template"/> (<c>owner/repo</c>, readable by the teacher, not empty). The warning
    /// says when the template's <c>resource.yml</c> does not call it an exercice, tp or projet (allowed all the same).
    /// </summary>
    public async Task<(Assignment? Assignment, string? Warning, RepositoryError? Error)> CreateAssignmentAsync(ForgeUser classGroup, Viewer viewer,
        string? title, string? template, string? instructions, DateTime? opensAt, DateTime? closesAt, int teamSize = 1, CancellationToken ct = default)
    {
        if (!IsTeacherOf(classGroup, viewer)) return (null, null, new RepositoryError("", "Seuls les enseignants de la classe créent des devoirs."));
        title = title?.Trim();
        if (string.IsNullOrEmpty(title)) return (null, null, new RepositoryError("Title", "Donnez un titre au devoir."));
        if (title.Length > Assignment.MaxTitle) return (null, null, new RepositoryError("Title", $"Le titre ne peut pas dépasser {Assignment.MaxTitle} caractères."));
        var slug = Slug(title, 40);
        if (slug.Length == 0) return (null, null, new RepositoryError("Title", "Le titre doit contenir au moins une lettre ou un chiffre."));
        if (teamSize is < 1 or > Assignment.MaxTeamSize) return (null, null, new RepositoryError("TeamSize", TeamSizeError));
        instructions = string.IsNullOrWhiteSpace(instructions) ? null : instructions.Trim();
        if (instructions is { Length: > Assignment.MaxInstructions }) return (null, null, new RepositoryError("Instructions", "Les consignes sont trop longues (64 Kio au plus)."));
        var parts = (template ?? "").Trim().Trim('/').Split('/');
        var repo = parts.Length == 2 ? await repositories.FindAsync(parts[0], parts[1], ct) : null;
        if (repo is null || !RepositoryService.CanRead(repo, viewer))
            return (null, null, new RepositoryError("Template", "Indiquez le dépôt d’exercice sous la forme propriétaire/dépôt (un dépôt que vous pouvez lire)."));
        if (repo.IsAssignmentCopy) return (null, null, new RepositoryError("Template", "Ce dépôt est la copie d’un élève : choisissez le dépôt d’exercice d’origine."));
        var tip = reader.BranchTip(store.PathOf(repo.Id), repo.DefaultBranch);
        if (tip is null) return (null, null, new RepositoryError("Template", "Ce dépôt est vide : ajoutez-y le code de départ avant d’en faire un devoir."));
        if (opensAt is { } o && closesAt is { } c && c <= o)
            return (null, null, new RepositoryError("ClosesAt", "La date de fin doit être après la date d’ouverture."));
        if (await db.Assignments.AnyAsync(a => a.ClassId == classGroup.Id && a.Slug == slug, ct))
            return (null, null, new RepositoryError("Title", $"La classe a déjà un devoir nommé « {title} » : choisissez un autre titre.", IsConflict: true));
        var assignment = new Assignment
        {
            ClassId = classGroup.Id, Title = title, Slug = slug, Instructions = instructions, TemplateId = repo.Id, TemplateSha = tip, TeamSize = teamSize,
            OpensAt = opensAt, ClosesAt = closesAt, CreatedById = viewer.UserId!.Value,
        };
        db.Assignments.Add(assignment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(assignment).State = EntityState.Detached;
            return (null, null, new RepositoryError("Title", $"La classe a déjà un devoir nommé « {title} » : choisissez un autre titre.", IsConflict: true));
        }
        return (assignment, TypeWarning(repo.Id, tip), null);
    }

    private string? TypeWarning(long repositoryId, string tip)
    {
        var yml = reader.ReadBlob(store.PathOf(repositoryId), tip, ResourceMetadataParser.FileName, ResourceMetadataParser.MaxBytes);
        var types = yml is { IsBinary: false } ? ResourceMetadataParser.Parse(Encoding.UTF8.GetString(yml.Bytes)).Metadata.Types : [];
        return types.Any(t => t is "exercice" or "tp" or "projet") ? null
            : "Attention : le fichier resource.yml de ce dépôt ne le décrit pas comme un exercice, un TP ou un projet (type « exercice », « tp » ou « projet »). Le devoir est créé quand même.";
    }

    /// <summary>New opening and closing dates (a deadline in the past closes the assignment at once, except for extended students).</summary>
    public async Task<RepositoryError?> SetDatesAsync(Assignment a, DateTime? opensAt, DateTime? closesAt, CancellationToken ct = default)
    {
        if (opensAt is { } o && closesAt is { } c && c <= o) return new RepositoryError("ClosesAt", "La date de fin doit être après la date d’ouverture.");
        a.OpensAt = opensAt;
        a.ClosesAt = closesAt;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The pupil's copy: their own, or their team's.</summary>
    public Task<AssignmentCopy?> CopyOfAsync(long assignmentId, long studentId, CancellationToken ct = default) =>
        db.AssignmentCopies.Include(c => c.Repository).ThenInclude(r => r.Owner).Include(c => c.Members).ThenInclude(m => m.Student)
            .FirstOrDefaultAsync(c => c.AssignmentId == assignmentId && (c.StudentId == studentId || c.Members.Any(m => m.StudentId == studentId)), ct);

    /// <summary>The teams of a team assignment, by name, with their members.</summary>
    public Task<List<AssignmentCopy>> TeamsAsync(long assignmentId, CancellationToken ct = default) =>
        db.AssignmentCopies.AsNoTracking().Include(c => c.Members).ThenInclude(m => m.Student)
            .Where(c => c.AssignmentId == assignmentId && c.TeamName != null).OrderBy(c => c.TeamName).ToListAsync(ct);

    /// <summary>
    /// A student of the class: one of its direct members (who joined with the code or was given an account). Members of an
    /// enclosing group inherit a role in the class but are not its pupils: they accept no assignment.
    /// </summary>
    public Task<bool> IsMemberOfClassAsync(long classId, long userId, CancellationToken ct = default) =>
        db.GroupMembers.AnyAsync(m => m.GroupId == classId && m.UserId == userId, ct);

    /// <summary>
    /// The account <paramref name="userName"/> if it is a pupil of the assignment's class or has a copy of it (one who left the
    /// class keeps their row on the dashboard), else null.
    /// </summary>
    public async Task<ForgeUser?> PupilAsync(Assignment a, string userName, CancellationToken ct = default)
    {
        var normalized = userName.Trim().ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null) return null;
        return await IsMemberOfClassAsync(a.ClassId, user.Id, ct) || await CopyOfAsync(a.Id, user.Id, ct) is not null ? user : null;
    }

    /// <summary>Whether the assignment takes work now: opened, and before the deadline (the student's extension counts).</summary>
    public string? ClosedReason(Assignment a, AssignmentCopy? copy) => ClosedReasonWith(a, copy?.ExtendedUntil);

    private string? ClosedReasonWith(Assignment a, DateTime? extendedUntil)
    {
        if (a.OpensAt is { } opens && opens > Now) return $"Ce devoir ouvre le {Paris(opens)}.";
        var deadline = extendedUntil is { } ext && (a.ClosesAt is null || ext > a.ClosesAt) ? ext : a.ClosesAt;
        return deadline is { } d && d <= Now ? $"Ce devoir est fermé depuis le {Paris(d)} : les modifications ne sont plus acceptées." : null;
    }

    public static DateTime? DeadlineOf(Assignment a, AssignmentCopy? copy) =>
        copy?.ExtendedUntil is { } ext && (a.ClosesAt is null || ext > a.ClosesAt) ? ext : a.ClosesAt;

    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>A UTC date as teachers and pupils read it: « 14/03/2027 à 18:00 » (Paris time).</summary>
    public static string Paris(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), ParisZone).ToString("dd/MM/yyyy 'à' HH:mm", CultureInfo.GetCultureInfo("fr-FR"));

    /// <summary>The value of a <c>datetime-local</c> field (Paris time) as UTC.</summary>
    public static DateTime? FromParis(DateTime? local) =>
        local is { } l ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(l, DateTimeKind.Unspecified), ParisZone) : null;

    /// <summary>A UTC date as a <c>datetime-local</c> field's value (Paris time).</summary>
    public static string? ToParisInput(DateTime? utc) =>
        utc is { } u ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(u, DateTimeKind.Utc), ParisZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// « Accepter le devoir »: a private copy of the template owned by the class, named <c>{slug}-{username}</c>, written by the
    /// student (a writer collaborator) and read by the class's teachers only; its <c>feedback</c> branch stays at the starter code.
    /// Accepting twice gives the same copy. For team work, <paramref name="team"/> names the team to join (while it has room)
    /// or to create: one copy per team, <c>{slug}-equipe-{team}</c>, written by each of its members.
    /// </summary>
    public async Task<(AssignmentCopy? Copy, string? Error)> AcceptAsync(Assignment a, ForgeUser student, Viewer viewer, string? team = null,
        CancellationToken ct = default)
    {
        if (!viewer.IsAdmin && !await IsMemberOfClassAsync(a.ClassId, student.Id, ct))
            return (null, "Rejoignez d’abord la classe avec le code donné par votre enseignant.");
        if (await CopyOfAsync(a.Id, student.Id, ct) is { } existing) return (existing, null);
        if (!a.IsTeamWork) return await NewCopyAsync(a, student, CopyName(a, student), null, ct);
        team = team?.Trim();
        if (string.IsNullOrEmpty(team))
            return (null, $"Ce devoir se fait en équipe ({a.TeamSize} élèves au plus) : donnez le nom d’une équipe à créer, ou rejoignez une équipe qui a encore de la place.");
        if (team.Length > AssignmentCopy.MaxTeamName) return (null, $"Le nom de l’équipe ne peut pas dépasser {AssignmentCopy.MaxTeamName} caractères.");
        var teamSlug = Slug(team, 30);
        if (teamSlug.Length == 0) return (null, "Le nom de l’équipe doit contenir au moins une lettre ou un chiffre.");
        var lower = team.ToLowerInvariant();
        var joined = await db.AssignmentCopies.Include(c => c.Repository).ThenInclude(r => r.Owner).Include(c => c.Members)
            .FirstOrDefaultAsync(c => c.AssignmentId == a.Id && c.TeamName != null && c.TeamName.ToLower() == lower, ct);
        if (joined is null) return await NewCopyAsync(a, student, TeamCopyName(a, teamSlug), team, ct);
        return await JoinTeamAsync(a, joined, student, ct);
    }

    /// <summary>The repository name of a pupil's copy, and of a team's (by the team name's slug).</summary>
    private static string CopyName(Assignment a, ForgeUser student) => $"{a.Slug}-{student.UserName!.ToLowerInvariant()}";

    private static string TeamCopyName(Assignment a, string teamSlug) => $"{a.Slug}-equipe-{teamSlug}";

    private static string Full(Assignment a, AssignmentCopy team) =>
        $"L’équipe « {team.TeamName} » est complète ({a.TeamSize} élèves au plus) : rejoignez-en une autre ou créez la vôtre.";

    private async Task<(AssignmentCopy? Copy, string? Error)> JoinTeamAsync(Assignment a, AssignmentCopy team, ForgeUser student, CancellationToken ct)
    {
        if (team.Members.Count >= a.TeamSize) return (null, Full(a, team));
        if (ClosedReason(a, team) is { } closed) return (null, closed);
        var member = new AssignmentTeamMember { CopyId = team.Id, AssignmentId = a.Id, StudentId = student.Id };
        var collaborator = new Collaborator { RepositoryId = team.RepositoryId, UserId = student.Id, Role = CollaboratorRole.Writer };
        db.Add(member);
        db.Add(collaborator);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Already in a team (accepted twice at once): that team stands.
            log.LogInformation(e, "Pupil {Student} joined two teams of assignment {Id} at once", student.Id, a.Id);
            db.Entry(member).State = EntityState.Detached;
            db.Entry(collaborator).State = EntityState.Detached;
            return (await CopyOfAsync(a.Id, student.Id, ct), null);
        }
        // Two pupils taking the last place at once: the later one leaves again.
        var members = await db.Set<AssignmentTeamMember>().Where(m => m.CopyId == team.Id).OrderBy(m => m.JoinedAt).ThenBy(m => m.StudentId)
            .Select(m => m.StudentId).ToListAsync(ct);
        if (members.IndexOf(student.Id) >= a.TeamSize)
        {
            db.Remove(member);
            db.Remove(collaborator);
            await db.SaveChangesAsync(ct);
            return (null, Full(a, team));
        }
        return (await CopyOfAsync(a.Id, student.Id, ct), null);
    }

    /// <summary>
    /// The teacher takes a pupil out of their team, so that the pupil may join or create another: the pupil loses access to
    /// the team's copy (their commits stay in its history) and, if they created it, the member who joined first after them
    /// holds it from now on. A team never stays without members: its only member cannot be taken out. Null when done, else why not.
    /// </summary>
    public async Task<string?> RemoveFromTeamAsync(Assignment a, string userName, CancellationToken ct = default)
    {
        var normalized = userName.Trim().ToUpperInvariant();
        var student = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (student is null || await CopyOfAsync(a.Id, student.Id, ct) is not { TeamName: { } team } copy)
            return $"« {userName} » n’est dans aucune équipe de ce devoir.";
        var others = copy.Members.Where(m => m.StudentId != student.Id).OrderBy(m => m.JoinedAt).ThenBy(m => m.StudentId).ToList();
        if (others.Count == 0)
            return $"{student.UserName} est le seul membre de l’équipe « {team} » : une équipe ne peut pas rester sans membre.";
        db.RemoveRange(copy.Members.Where(m => m.StudentId == student.Id));
        db.RemoveRange(await db.Collaborators.Where(c => c.RepositoryId == copy.RepositoryId && c.UserId == student.Id).ToListAsync(ct));
        if (copy.StudentId == student.Id) copy.StudentId = others[0].StudentId;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Makes the copy <paramref name="name"/> (a pupil's, or a new team's with its first member); <paramref name="extendedUntil"/>:
    /// the teacher reopens for a pupil who had not accepted, so the copy is made with its own later deadline.
    /// </summary>
    private async Task<(AssignmentCopy? Copy, string? Error)> NewCopyAsync(Assignment a, ForgeUser student, string name, string? team, CancellationToken ct,
        DateTime? extendedUntil = null)
    {
        if (ClosedReasonWith(a, extendedUntil) is { } closed) return (null, closed);
        if (a.TemplateId is null || await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).FirstOrDefaultAsync(r => r.Id == a.TemplateId, ct) is not { } template)
            return (null, "Le dépôt d’exercice de ce devoir a été supprimé : prévenez votre enseignant.");
        var starter = reader.BranchTip(store.PathOf(template.Id), template.DefaultBranch);
        if (starter is null) return (null, "Le dépôt d’exercice de ce devoir est vide : prévenez votre enseignant.");
        if (name.Length > 100) name = name[..100].TrimEnd('-', '.');
        // Forge itself makes the copy (the student may neither read the template's group nor create repositories in the class).
        var system = new Viewer(student.Id, IsAdmin: true);
        var (fork, error) = await forks.ForkAsync(template, system, a.ClassId, name, makePrivate: true, ct);
        if (error is not null)
            return (null, team is not null && error.IsConflict ? $"Une équipe au nom proche de « {team} » existe déjà : choisissez un autre nom." : error.Message);
        fork!.IsAssignmentCopy = true;
        fork.Collaborators.Add(new Collaborator { RepositoryId = fork.Id, UserId = student.Id, Role = CollaboratorRole.Writer });
        var copy = new AssignmentCopy
        {
            AssignmentId = a.Id, StudentId = student.Id, RepositoryId = fork.Id, StarterSha = starter, TeamName = team, ExtendedUntil = extendedUntil,
        };
        if (team is not null) copy.Members.Add(new AssignmentTeamMember { AssignmentId = a.Id, StudentId = student.Id });
        db.AssignmentCopies.Add(copy);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Accepted twice at once (or the same team created twice at once): the other request's copy stands.
            log.LogInformation(e, "Assignment {Id} accepted twice by {Student}", a.Id, student.Id);
            db.Entry(copy).State = EntityState.Detached;
            foreach (var m in copy.Members) db.Entry(m).State = EntityState.Detached;
            await repositories.DeleteAsync(fork, CancellationToken.None);
            if (await CopyOfAsync(a.Id, student.Id, ct) is { } mine) return (mine, null);
            return team is null ? (null, "Votre copie n’a pas pu être créée : réessayez.")
                : await AcceptAsync(a, student, new Viewer(student.Id, IsAdmin: true), team, ct);
        }
        await writer.CreateBranchAsync(store.PathOf(fork.Id), FeedbackBranch, starter, ct);
        await checks.EnableForAsync(fork, ct);
        copy.Repository = fork;
        return (copy, null);
    }

    public const string FeedbackBranch = "feedback";

    public const string TeamSizeError = "La taille des équipes est un nombre de 1 (travail individuel) à 10 élèves.";

    /// <summary>« Rendre le devoir »: marks the copy submitted (before the deadline only).</summary>
    public async Task<string?> SubmitAsync(Assignment a, AssignmentCopy copy, CancellationToken ct = default)
    {
        if (ClosedReason(a, copy) is { } closed) return closed;
        copy.SubmittedAt = Now;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// The teacher's « Rouvrir » for one pupil of the class: a later deadline for their copy (their team's) only. A pupil who had
    /// not accepted yet gets their copy now, with that deadline (for team work, a team named after them that classmates may join
    /// until then), so that they can work after the class's deadline. Null when done, else why not.
    /// </summary>
    public async Task<string?> ReopenAsync(Assignment a, ForgeUser student, DateTime? until, CancellationToken ct = default)
    {
        if (until is not { } u || u <= Now) return UntilError;
        if (await CopyOfAsync(a.Id, student.Id, ct) is { } copy) return await ExtendAsync(copy, u, ct);
        if (!await IsMemberOfClassAsync(a.ClassId, student.Id, ct)) return $"{student.UserName} n’est pas élève de cette classe.";
        var name = a.IsTeamWork ? TeamCopyName(a, Slug(student.UserName!, 30)) : CopyName(a, student);
        var (_, error) = await NewCopyAsync(a, student, name, a.IsTeamWork ? student.UserName : null, ct, u);
        return error;
    }

    private const string UntilError = "Choisissez une nouvelle date limite dans le futur.";

    /// <summary>A later deadline for this copy only.</summary>
    private async Task<string?> ExtendAsync(AssignmentCopy copy, DateTime? until, CancellationToken ct = default)
    {
        if (until is not { } u || u <= Now) return UntilError;
        copy.ExtendedUntil = u;
        copy.SubmittedAt = null;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<string?> GradeAsync(AssignmentCopy copy, string? grade, Competency competency, CancellationToken ct = default)
    {
        grade = string.IsNullOrWhiteSpace(grade) ? null : grade.Trim();
        if (grade is { Length: > AssignmentCopy.MaxGrade }) return $"La note ne peut pas dépasser {AssignmentCopy.MaxGrade} caractères (par exemple « 15/20 »).";
        if (!Enum.IsDefined(competency)) return "Choisissez un niveau de compétence de la liste.";
        copy.Grade = grade;
        copy.Competency = competency;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// The feedback merge request of a copy (its default branch into <c>feedback</c>, the starter code), opened by the teacher the
    /// first time it is asked for, once the student has sent something.
    /// </summary>
    public async Task<(int? Number, string? Error)> FeedbackAsync(Assignment a, AssignmentCopy copy, ForgeUser student, Viewer teacher, CancellationToken ct = default)
    {
        if (copy.FeedbackNumber is { } n) return (n, null);
        var repo = await db.Repositories.Include(r => r.Owner).Include(r => r.Collaborators).FirstAsync(r => r.Id == copy.RepositoryId, ct);
        var context = new RepoContext(repo, teacher, store.PathOf(repo.Id));
        var (mr, error) = await mergeRequests.CreateAsync(context, repo.Id, repo.DefaultBranch, FeedbackBranch, $"Retour : {a.Title} ({(copy.TeamName is { } team ? "équipe " + team : student.UserName)})",
            "Retour de l’enseignant sur le travail rendu : commentaires sur les lignes modifiées depuis le code de départ. Cette demande ne sera pas fusionnée.", ct);
        if (error is not null)
            return (null, error.Field == "SourceBranch" && error.Message.StartsWith("Rien", StringComparison.Ordinal)
                ? "L’élève n’a encore rien envoyé : il n’y a rien à commenter." : error.Message);
        copy.FeedbackNumber = mr!.Number;
        await db.SaveChangesAsync(ct);
        return (mr.Number, null);
    }

    // ───────────── Dashboard ─────────────

    public static SubmissionStatus StatusOf(AssignmentCopy? copy, int commits) =>
        copy is null ? SubmissionStatus.NotStarted : copy.SubmittedAt is not null ? SubmissionStatus.Submitted
            : commits > 0 ? SubmissionStatus.InProgress : SubmissionStatus.NotStarted;

    /// <summary>
    /// One row per student of the class (and per copy of someone who left it), by user name; for team work, one row per team
    /// (by name) and then one per pupil in no team. A constant number of queries whatever the class's size (students, copies
    /// with their teams, the checks of every tip), and git facts per copy cached by its tip commit.
    /// </summary>
    public async Task<List<SubmissionRow>> SubmissionsAsync(Assignment a, CancellationToken ct = default)
    {
        var students = await StudentsAsync(a.ClassId, ct);
        var copies = await db.AssignmentCopies.Include(c => c.Repository).ThenInclude(r => r.Owner).Include(c => c.Student)
            .Include(c => c.Members).ThenInclude(m => m.Student).AsSplitQuery()
            .Where(c => c.AssignmentId == a.Id).ToListAsync(ct);
        var entries = new List<(ForgeUser, AssignmentCopy?)>();
        if (a.IsTeamWork)
        {
            var inTeams = copies.SelectMany(c => c.Members.Select(m => m.StudentId).Append(c.StudentId)).ToHashSet();
            entries.AddRange(copies.OrderBy(c => c.TeamName ?? c.Student.UserName, StringComparer.OrdinalIgnoreCase).Select(c => (c.Student, (AssignmentCopy?)c)));
            entries.AddRange(students.Where(s => !inTeams.Contains(s.Id)).OrderBy(s => s.UserName, StringComparer.OrdinalIgnoreCase).Select(s => (s, (AssignmentCopy?)null)));
        }
        else
        {
            foreach (var c in copies.Where(c => students.All(s => s.Id != c.StudentId))) students.Add(c.Student);
            entries.AddRange(students.OrderBy(s => s.UserName, StringComparer.OrdinalIgnoreCase)
                .Select(s => (s, copies.FirstOrDefault(c => c.StudentId == s.Id))));
        }
        return await RowsAsync(a, entries, ct);
    }

    public async Task<SubmissionRow> RowAsync(Assignment a, ForgeUser student, AssignmentCopy? copy, CancellationToken ct = default) =>
        (await RowsAsync(a, [(student, copy)], ct))[0];

    /// <summary>The rows of these students' copies: git facts per copy (cached by tip), every tip's checks in one go.</summary>
    private async Task<List<SubmissionRow>> RowsAsync(Assignment a, IReadOnlyList<(ForgeUser Student, AssignmentCopy? Copy)> entries, CancellationToken ct)
    {
        var facts = entries.Select(e => e.Copy is { } c ? FactsOf(c) : default).ToList();
        var tips = entries.Zip(facts).Where(x => x.First.Copy is not null && x.Second.Tip is not null)
            .Select(x => (x.First.Copy!.RepositoryId, x.Second.Tip!)).ToList();
        var verdicts = await checks.ForCommitsAsync(tips, ct);
        var rows = new List<SubmissionRow>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (student, copy) = entries[i];
            var members = copy is { TeamName: not null } ? copy.Members.OrderBy(m => m.JoinedAt).Select(m => m.Student).ToList() : [student];
            if (copy is null)
            {
                rows.Add(new(student, null, SubmissionStatus.NotStarted, null, 0, 0, null, null, a.ClosesAt) { Members = members });
                continue;
            }
            var (tip, commits, files) = facts[i];
            var verdict = tip is null ? null : verdicts.GetValueOrDefault((copy.RepositoryId, tip));
            var lastPush = commits > 0 ? copy.Repository.PushedAt : null;
            rows.Add(new(student, copy, StatusOf(copy, commits), lastPush, commits, files, tip, verdict, DeadlineOf(a, copy)) { Members = members });
        }
        return rows;
    }

    /// <summary>
    /// A copy's tip (read from its refs) and its commits and changed files since the starter code — a history walk and a diff,
    /// cached by (starter, tip): commit ids name their content, so the answer never goes stale.
    /// </summary>
    private (string? Tip, int Commits, int Files) FactsOf(AssignmentCopy copy)
    {
        var path = store.PathOf(copy.RepositoryId);
        var tip = reader.BranchTip(path, copy.Repository.DefaultBranch);
        if (tip is null) return (null, 0, 0);
        var key = $"copy-progress:{copy.StarterSha}:{tip}";
        if (!cache.TryGetValue(key, out (int, int) progress))
        {
            progress = reader.Progress(path, copy.StarterSha, tip) ?? (0, 0);
            cache.Set(key, progress, new MemoryCacheEntryOptions { Size = 200, SlidingExpiration = TimeSpan.FromDays(1) });
        }
        return (tip, progress.Item1, progress.Item2);
    }
}
