using System.Text.Json.Serialization;
using Forge.Web.Classroom;
using Forge.Web.Data;
using Forge.Web.Groups;
using Forge.Web.Repos;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Api;

/// <summary>
/// Classes and assignments (Forge's own paths: Gitea has no classroom): <c>/classes</c>, <c>/classes/join</c>, <c>/classes/{id}</c>
/// and its <c>join_code</c>, <c>/classes/{id}/assignments</c>, <c>/classes/{id}/students</c>, <c>/assignments/{id}</c> and its accept,
/// submit, submissions, grade, reopen, feedback and team. A class or an assignment the caller may not see answers 404.
/// </summary>
public static partial class ApiV1
{
    public sealed record CreateClassOption(string? Group, string? Name, [property: JsonPropertyName("full_name")] string? FullName);
    public sealed record JoinClassOption(string? Code);
    public sealed record CreateAssignmentOption(string? Title, string? Template, string? Instructions,
        [property: JsonPropertyName("opens_at")] DateTimeOffset? OpensAt, [property: JsonPropertyName("closes_at")] DateTimeOffset? ClosesAt,
        [property: JsonPropertyName("team_size")] int? TeamSize = null);
    public sealed record AcceptAssignmentOption(string? Team);
    public sealed record EditAssignmentOption([property: JsonPropertyName("opens_at")] DateTimeOffset? OpensAt,
        [property: JsonPropertyName("closes_at")] DateTimeOffset? ClosesAt);
    public sealed record CreatePupilsOption(List<string>? Names);
    public sealed record GradeOption(string? Grade, string? Competency);
    public sealed record ReopenOption([property: JsonPropertyName("until")] DateTimeOffset? Until);

    /// <summary>A class joined: its id and name.</summary>
    public sealed record ApiClass(long Id, string Name);

    /// <summary>A class created: its id, name and the code pupils join it with.</summary>
    public sealed record ApiCreatedClass(long Id, string Name, string? JoinCode);

    /// <summary>
    /// A class; its teachers also get <c>join_code</c>, <c>join_enabled</c> and the number of <c>students</c> (absent for pupils).
    /// </summary>
    public sealed record ApiClassDetails(long Id, string Name, [property: JsonPropertyName("full_name")] string? FullName,
        [property: JsonPropertyName("is_teacher")] bool IsTeacher,
        [property: JsonPropertyName("join_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JoinCode,
        [property: JsonPropertyName("join_enabled"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? JoinEnabled,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Students);

    /// <summary>A class's join code and whether pupils may join with it.</summary>
    public sealed record ApiJoinCode([property: JsonPropertyName("join_code")] string JoinCode, [property: JsonPropertyName("join_enabled")] bool JoinEnabled);

    /// <summary>The feedback merge request of a pupil's (or team's) copy: its number in the copy, the copy (<c>owner/name</c>) and its page.</summary>
    public sealed record ApiFeedbackRequest(int Number, string Repository, [property: JsonPropertyName("html_url")] string HtmlUrl);

    public sealed record ApiAssignmentSummary(long Id, string Title, DateTime? OpensAt, DateTime? ClosesAt);

    /// <summary>An assignment; <c>template</c> as <c>owner/repo</c>; <c>team_size</c> 1 for individual work.</summary>
    public sealed record ApiAssignment(long Id, string Title, string Instructions, string? Class, string? Template, DateTime? OpensAt, DateTime? ClosesAt,
        int TeamSize);

    /// <summary><c>warning</c> (French) when the template's resource.yml is not an exercice, tp or projet.</summary>
    public sealed record ApiAssignmentCreated(long Id, string? Warning);

    /// <summary>A pseudonymous pupil account and its one-time password (shown once).</summary>
    public sealed record ApiPupilAccount(string DisplayName, string Username, string Password);

    /// <summary>The caller's copy of an assignment; <c>status</c>: not_started, in_progress or submitted; <c>feedback</c>: the number of the feedback merge request.</summary>
    public sealed record ApiAssignmentCopy(string Repository, string Status, int Commits, DateTime? Deadline, string? Grade, string Competency, int? Feedback,
        CheckSummary? Checks, string? Team, List<string>? Members);

    /// <summary>An assignment and the caller's copy (null until accepted).</summary>
    public sealed record ApiAssignmentView(ApiAssignment Assignment, ApiAssignmentCopy? Mine);

    /// <summary>The caller's copy (<c>owner/name</c>) and team.</summary>
    public sealed record ApiAcceptedAssignment(string Repository, string? Team);

    /// <summary>A student's (or a team's) work on an assignment, as the teachers see it.</summary>
    public sealed record ApiSubmission
    {
        public string Student { get; init; } = "";
        public string? DisplayName { get; init; }
        /// <summary><c>not_started</c>, <c>in_progress</c> or <c>submitted</c>.</summary>
        public string Status { get; init; } = "";
        public DateTime? LastPushAt { get; init; }
        public int Commits { get; init; }
        public int ChangedFiles { get; init; }
        public string? Repository { get; init; }
        public DateTime? Deadline { get; init; }
        public DateTime? SubmittedAt { get; init; }
        public string? Grade { get; init; }
        public string? Competency { get; init; }
        public CheckSummary? Checks { get; init; }
        public string? Team { get; init; }
        public List<string>? Members { get; init; }
    }

    private static void MapClasses(RouteGroupBuilder api)
    {
        api.MapPost("/classes", CreateClass).Accepts<CreateClassOption>("application/json").WithName("classCreate")
            .WithSummary("Forge's own: creates a private class (`name`, optional `full_name`) inside the group `group` (teachers and admins who maintain it) → 201 `{id, name, join_code}`.")
            .Produces<ApiCreatedClass>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapPost("/classes/join", JoinClass).Accepts<JoinClassOption>("application/json").WithName("classJoin")
            .WithSummary("Forge's own: joins the class of `code` as a student → `{id, name}`; 404 for an unknown code, 422 when joining by code is off.")
            .Produces<ApiClass>().Errors(422);
        api.MapGet("/classes/{id:long}", GetClass).WithName("classGet")
            .WithSummary("Forge's own: a class (its members) → `{id, name, full_name, is_teacher}`; its teachers also get `join_code`, `join_enabled` and the number of `students`.")
            .Produces<ApiClassDetails>();
        api.MapPost("/classes/{id:long}/join_code", RegenerateJoinCode).WithName("classRegenerateJoinCode")
            .WithSummary("Forge's own (the class's teachers): « Nouveau code »: a new join code, the old one stops working (joining stays on or off as it was) → `{join_code, join_enabled}`.")
            .Produces<ApiJoinCode>();
        api.MapPut("/classes/{id:long}/join_code", EnableJoinCode).WithName("classEnableJoinCode")
            .WithSummary("Forge's own (the class's teachers): « Réactiver le code »: pupils may join with the current code again → `{join_code, join_enabled}`.")
            .Produces<ApiJoinCode>();
        api.MapDelete("/classes/{id:long}/join_code", DisableJoinCode).WithName("classDisableJoinCode")
            .WithSummary("Forge's own (the class's teachers): « Désactiver le code »: nobody joins with the code any more (`POST /classes/join` answers 422) → 204.")
            .Produces(StatusCodes.Status204NoContent);
        api.MapGet("/classes/{id:long}/assignments", ListAssignments).WithName("classListAssignments")
            .WithSummary("Forge's own: the class's assignments (members of the class).")
            .Produces<List<ApiAssignmentSummary>>();
        api.MapPost("/classes/{id:long}/assignments", CreateAssignment).Accepts<CreateAssignmentOption>("application/json").WithName("assignmentCreate")
            .WithSummary("Forge's own: creates an assignment (`title`, `template` as `owner/repo`, `instructions` in Markdown, `opens_at`, `closes_at`, `team_size`: 1 for individual work (default), 2–10 for teams; the class's teachers) → 201 `{id, warning}` (`warning` when the template's resource.yml is not an exercice, tp or projet).")
            .Produces<ApiAssignmentCreated>(StatusCodes.Status201Created).Errors(409, 422);
        api.MapPost("/classes/{id:long}/students", CreatePupils).Accepts<CreatePupilsOption>("application/json").WithName("classCreatePupils")
            .WithSummary("Forge's own: pseudonymous pupil accounts from display `names` (60 at most; the class's teachers) → 201 `[{display_name, username, password}]`, one-time passwords shown once, changed at first sign-in.")
            .Produces<List<ApiPupilAccount>>(StatusCodes.Status201Created).Errors(422);
        api.MapGet("/assignments/{id:long}", GetAssignment).WithName("assignmentGet")
            .WithSummary("Forge's own: an assignment, with the caller's own copy (`repository`, `status`, `grade`, `competency`, `feedback`) if accepted.")
            .Produces<ApiAssignmentView>();
        api.MapPatch("/assignments/{id:long}", EditAssignment).Accepts<EditAssignmentOption>("application/json").WithName("assignmentEdit")
            .WithSummary("Forge's own (teachers): new `opens_at` and/or `closes_at` (a past `closes_at` closes the assignment now; extensions given to students still count) → the assignment.")
            .Produces<ApiAssignment>().Errors(409, 422);
        api.MapPost("/assignments/{id:long}/accept", AcceptAssignment).WithName("assignmentAccept")
            .WithSummary("Forge's own: « Accepter le devoir » → `{repository: \"owner/name\", team}`, the caller's private copy (the same one when accepted before); for team work, `team` (optional body `{team}`) is the name of the team to join while it has room, or to create (one copy per team, written by its members); 422 before opening, after closing, without a team name for team work, or when the team is full.")
            .RequestBody(typeof(AcceptAssignmentOption)).Produces<ApiAcceptedAssignment>().Errors(422);
        api.MapPost("/assignments/{id:long}/submit", SubmitAssignment).WithName("assignmentSubmit")
            .WithSummary("Forge's own: « Rendre le devoir »: marks the caller's copy submitted → 204; 422 after the deadline.")
            .Produces(StatusCodes.Status204NoContent).Errors(422);
        api.MapGet("/assignments/{id:long}/submissions", ListSubmissions).WithName("assignmentSubmissions")
            .WithSummary("Forge's own (the class's teachers): one entry per student (for team work: one per team, with `team` and `members`, then one per pupil in no team): `student`, `status` (not_started, in_progress, submitted), `last_push_at`, `commits`, `changed_files`, `repository`, `deadline`, `grade`, `competency`, `checks`.")
            .Produces<List<ApiSubmission>>();
        api.MapPut("/assignments/{id:long}/submissions/{username}/grade", GradeSubmission).Accepts<GradeOption>("application/json").WithName("assignmentGrade")
            .WithSummary("Forge's own (teachers): `grade` (free text, e.g. \"15/20\") and `competency` (none, not_acquired, in_progress, acquired, exceeded) → 204.")
            .Produces(StatusCodes.Status204NoContent).Errors(422);
        api.MapPost("/assignments/{id:long}/submissions/{username}/reopen", ReopenSubmission).Accepts<ReopenOption>("application/json").WithName("assignmentReopen")
            .WithSummary("Forge's own (teachers): a later deadline `until` for this pupil's copy (their team's) only → 204; a pupil of the class who has not accepted gets their copy now, with that deadline (for team work, a team named after them); 404 for someone who is not a pupil of the class, 422 for a date not in the future.")
            .Produces(StatusCodes.Status204NoContent).Errors(422);
        api.MapPost("/assignments/{id:long}/submissions/{username}/feedback", OpenFeedback).WithName("assignmentFeedback")
            .WithSummary("Forge's own (teachers): the feedback merge request of the pupil's copy (their team's), opened on first call, the same one afterwards (« Ouvrir la demande de retour ») → 201 then 200 `{number, repository, html_url}`; comment its lines with Gitea's `POST /repos/{owner}/{repo}/pulls/{index}/reviews`, the pupil sees the comments on the assignment page; 422 while the pupil has pushed nothing; 404 when the pupil has not accepted.")
            .Produces<ApiFeedbackRequest>().Produces<ApiFeedbackRequest>(StatusCodes.Status201Created).Errors(422);
        api.MapDelete("/assignments/{id:long}/submissions/{username}/team", RemoveFromTeam).WithName("assignmentRemoveFromTeam")
            .WithSummary("Forge's own (teachers): takes the pupil out of their team so that they may join or create another (« Retirer de l’équipe »): they lose access to the team's copy, their commits stay in its history → 204; 422 when the pupil is the team's only member; 404 when the pupil is in no team.")
            .Produces(StatusCodes.Status204NoContent).Errors(422);
    }

    /// <summary>The signed-in caller (401 otherwise) and their viewer, group roles included.</summary>
    private static async Task<(ForgeUser? Caller, Viewer Viewer, IResult? Failure)> SignedInCallerAsync(HttpContext context)
    {
        var (caller, failure) = await SignedInAsync(context);
        return failure is not null ? (null, Viewer.Anonymous, failure) : (caller, await context.ViewerAsync(Principal(caller)), null);
    }

    private static async Task<IResult> CreateClass(HttpContext context, ClassroomService classes)
    {
        var (caller, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<CreateClassOption>(context);
        if (bad is not null) return bad;
        var (group, error) = await classes.CreateClassAsync(caller!, viewer, option!.Group, option.Name, option.FullName, context.RequestAborted);
        if (error is not null)
            return GroupService.IsForbidden(error) || error.Message.StartsWith("Seuls", StringComparison.Ordinal)
                ? Error(StatusCodes.Status403Forbidden, error.Message, context.Request) : Failed(error, context);
        var (_, room) = await classes.FindClassAsync(group!.UserName, await context.ViewerAsync(Principal(caller)), context.RequestAborted);
        return Results.Json(new ApiCreatedClass(group.Id, group.UserName!, room?.JoinCode), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> JoinClass(HttpContext context, ClassroomService classes)
    {
        var (caller, _, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<JoinClassOption>(context);
        if (bad is not null) return bad;
        var (group, error) = await classes.JoinAsync(option!.Code, caller!, context.RequestAborted);
        if (error is not null) return Error(error.StartsWith("Aucune", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity,
            error, context.Request);
        return Results.Json(new ApiClass(group!.Id, group.UserName!), ApiModels.Json);
    }

    /// <summary>The class <paramref name="id"/> if the viewer sees it (404 otherwise), and whether they teach it.</summary>
    private static async Task<(ForgeUser? Class, IResult? Failure)> VisibleClassAsync(HttpContext context, long id, Viewer viewer, bool teachersOnly)
    {
        var db = context.RequestServices.GetRequiredService<ForgeDbContext>();
        var group = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.IsClass, context.RequestAborted);
        if (group is null || !GroupService.CanSee(group, viewer)) return (null, Error(StatusCodes.Status404NotFound, "Classe introuvable.", context.Request));
        if (teachersOnly && !ClassroomService.IsTeacherOf(group, viewer))
            return (null, Error(StatusCodes.Status403Forbidden, "Seuls les enseignants de la classe peuvent faire cela.", context.Request));
        return (group, null);
    }

    private static async Task<(Assignment? Assignment, IResult? Failure)> VisibleAssignmentAsync(HttpContext context, long id, Viewer viewer,
        ClassroomService classes, bool teachersOnly)
    {
        var a = await classes.FindAssignmentAsync(id, context.RequestAborted);
        if (a is null || !GroupService.CanSee(a.Class, viewer)) return (null, Error(StatusCodes.Status404NotFound, "Devoir introuvable.", context.Request));
        if (teachersOnly && !ClassroomService.IsTeacherOf(a.Class, viewer))
            return (null, Error(StatusCodes.Status403Forbidden, "Seuls les enseignants de la classe peuvent faire cela.", context.Request));
        return (a, null);
    }

    private static ApiAssignment AssignmentJson(Assignment a) => new(a.Id, a.Title, a.Instructions ?? "", a.Class?.UserName,
        a.Template is { } t ? $"{t.Owner.UserName}/{t.Name}" : null, a.OpensAt, a.ClosesAt, a.TeamSize);

    private static async Task<IResult> GetClass(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (group, missing) = await VisibleClassAsync(context, id, viewer, teachersOnly: false);
        if (missing is not null) return missing;
        if (!ClassroomService.IsTeacherOf(group!, viewer))
            return Results.Json(new ApiClassDetails(group!.Id, group.UserName!, group.FullName, false, null, null, null), ApiModels.Json);
        var room = await classes.RoomAsync(group!, context.RequestAborted);
        var students = (await classes.StudentsAsync(group!.Id, context.RequestAborted)).Count;
        return Results.Json(new ApiClassDetails(group.Id, group.UserName!, group.FullName, true, room?.JoinCode, room?.JoinEnabled, students), ApiModels.Json);
    }

    /// <summary>The class <paramref name="id"/>'s join code for its teachers (404 / 403 otherwise).</summary>
    private static async Task<(SchoolClass? Room, IResult? Failure)> TeacherRoomAsync(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return (null, failure);
        var (group, missing) = await VisibleClassAsync(context, id, viewer, teachersOnly: true);
        if (missing is not null) return (null, missing);
        var room = await classes.RoomAsync(group!, context.RequestAborted);
        return room is null ? (null, Error(StatusCodes.Status404NotFound, "Classe introuvable.", context.Request)) : (room, null);
    }

    private static async Task<IResult> RegenerateJoinCode(HttpContext context, long id, ClassroomService classes)
    {
        var (room, failure) = await TeacherRoomAsync(context, id, classes);
        if (failure is not null) return failure;
        await classes.RegenerateCodeAsync(room!, context.RequestAborted);
        return Results.Json(new ApiJoinCode(room!.JoinCode, room.JoinEnabled), ApiModels.Json);
    }

    private static async Task<IResult> EnableJoinCode(HttpContext context, long id, ClassroomService classes)
    {
        var (room, failure) = await TeacherRoomAsync(context, id, classes);
        if (failure is not null) return failure;
        await classes.SetJoinEnabledAsync(room!, true, context.RequestAborted);
        return Results.Json(new ApiJoinCode(room!.JoinCode, room.JoinEnabled), ApiModels.Json);
    }

    private static async Task<IResult> DisableJoinCode(HttpContext context, long id, ClassroomService classes)
    {
        var (room, failure) = await TeacherRoomAsync(context, id, classes);
        if (failure is not null) return failure;
        await classes.SetJoinEnabledAsync(room!, false, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ListAssignments(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (group, missing) = await VisibleClassAsync(context, id, viewer, teachersOnly: false);
        if (missing is not null) return missing;
        var list = await classes.AssignmentsAsync(group!.Id, context.RequestAborted);
        return Results.Json(list.Select(a => new ApiAssignmentSummary(a.Id, a.Title, a.OpensAt, a.ClosesAt)), ApiModels.Json);
    }

    private static async Task<IResult> CreateAssignment(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (group, missing) = await VisibleClassAsync(context, id, viewer, teachersOnly: true);
        if (missing is not null) return missing;
        var (option, bad) = await BodyAsync<CreateAssignmentOption>(context);
        if (bad is not null) return bad;
        var (a, warning, error) = await classes.CreateAssignmentAsync(group!, viewer, option!.Title, option.Template, option.Instructions,
            option.OpensAt?.UtcDateTime, option.ClosesAt?.UtcDateTime, option.TeamSize ?? 1, context.RequestAborted);
        if (error is not null) return Failed(error, context);
        return Results.Json(new ApiAssignmentCreated(a!.Id, warning), ApiModels.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreatePupils(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (group, missing) = await VisibleClassAsync(context, id, viewer, teachersOnly: true);
        if (missing is not null) return missing;
        var (option, bad) = await BodyAsync<CreatePupilsOption>(context);
        if (bad is not null) return bad;
        var (accounts, error) = await classes.CreatePupilsAsync(group!, string.Join('\n', option!.Names ?? []), context.RequestAborted);
        if (error is not null) return Error(StatusCodes.Status422UnprocessableEntity, error, context.Request);
        return Results.Json(accounts.Select(p => new ApiPupilAccount(p.DisplayName, p.UserName, p.Password)), ApiModels.Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAssignment(HttpContext context, long id, ClassroomService classes)
    {
        var (caller, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: false);
        if (missing is not null) return missing;
        var copy = await classes.CopyOfAsync(a!.Id, caller!.Id, context.RequestAborted);
        ApiAssignmentCopy? mine = null;
        if (copy is not null)
        {
            var row = await classes.RowAsync(a, caller, copy, context.RequestAborted);
            mine = new ApiAssignmentCopy($"{copy.Repository.Owner.UserName}/{copy.Repository.Name}", ClassroomService.ApiStatus(row.Status),
                row.Commits, row.Deadline, copy.Grade, ClassroomService.ApiCompetency(copy.Competency), copy.FeedbackNumber, row.Checks, copy.TeamName,
                copy.TeamName is null ? null : row.Members.Select(m => m.UserName!).ToList());
        }
        return Results.Json(new ApiAssignmentView(AssignmentJson(a), mine), ApiModels.Json);
    }

    private static async Task<IResult> EditAssignment(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: true);
        if (missing is not null) return missing;
        var (option, bad) = await BodyAsync<EditAssignmentOption>(context);
        if (bad is not null) return bad;
        var error = await classes.SetDatesAsync(a!, option!.OpensAt?.UtcDateTime ?? a!.OpensAt, option.ClosesAt?.UtcDateTime ?? a!.ClosesAt, context.RequestAborted);
        return error is not null ? Failed(error, context) : Results.Json(AssignmentJson(a!), ApiModels.Json);
    }

    private static async Task<IResult> AcceptAssignment(HttpContext context, long id, ClassroomService classes)
    {
        var (caller, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: false);
        if (missing is not null) return missing;
        AcceptAssignmentOption? option = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (option, var bad) = await BodyAsync<AcceptAssignmentOption>(context);
            if (bad is not null) return bad;
        }
        var (copy, error) = await classes.AcceptAsync(a!, caller!, viewer, option?.Team, context.RequestAborted);
        if (error is not null) return Error(StatusCodes.Status422UnprocessableEntity, error, context.Request);
        return Results.Json(new ApiAcceptedAssignment($"{copy!.Repository.Owner.UserName}/{copy.Repository.Name}", copy.TeamName), ApiModels.Json);
    }

    private static async Task<IResult> SubmitAssignment(HttpContext context, long id, ClassroomService classes)
    {
        var (caller, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: false);
        if (missing is not null) return missing;
        if (await classes.CopyOfAsync(a!.Id, caller!.Id, context.RequestAborted) is not { } copy)
            return Error(StatusCodes.Status422UnprocessableEntity, "Acceptez d’abord le devoir.", context.Request);
        return await classes.SubmitAsync(a, copy, context.RequestAborted) is { } error
            ? Error(StatusCodes.Status422UnprocessableEntity, error, context.Request) : Results.NoContent();
    }

    private static async Task<IResult> ListSubmissions(HttpContext context, long id, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: true);
        if (missing is not null) return missing;
        var rows = await classes.SubmissionsAsync(a!, context.RequestAborted);
        return Results.Json(rows.Select(r => new ApiSubmission
        {
            Student = r.Student.UserName!, DisplayName = r.Student.FullName, Status = ClassroomService.ApiStatus(r.Status), LastPushAt = r.LastPushAt,
            Commits = r.Commits, ChangedFiles = r.ChangedFiles,
            Repository = r.Copy is { } c ? $"{c.Repository.Owner.UserName}/{c.Repository.Name}" : null, Deadline = r.Deadline,
            SubmittedAt = r.Copy?.SubmittedAt, Grade = r.Copy?.Grade, Competency = r.Copy is { } g ? ClassroomService.ApiCompetency(g.Competency) : null,
            Checks = r.Checks, Team = r.Team, Members = r.Team is null ? null : r.Members.Select(m => m.UserName!).ToList(),
        }), ApiModels.Json);
    }

    private static async Task<(Assignment? Assignment, AssignmentCopy? Copy, IResult? Failure)> TeacherCopyAsync(HttpContext context, long id, string username,
        ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return (null, null, failure);
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: true);
        if (missing is not null) return (null, null, missing);
        var normalized = username.ToUpperInvariant();
        var db = context.RequestServices.GetRequiredService<ForgeDbContext>();
        // The pupil's copy, or their team's (a team is graded and reopened as one).
        var student = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, context.RequestAborted);
        var copy = student is null ? null : await classes.CopyOfAsync(a!.Id, student.Id, context.RequestAborted);
        return copy is null ? (null, null, Error(StatusCodes.Status404NotFound, $"{username} n’a pas accepté ce devoir.", context.Request)) : (a, copy, null);
    }

    private static async Task<IResult> GradeSubmission(HttpContext context, long id, string username, ClassroomService classes)
    {
        var (_, copy, failure) = await TeacherCopyAsync(context, id, username, classes);
        if (failure is not null) return failure;
        var (option, bad) = await BodyAsync<GradeOption>(context);
        if (bad is not null) return bad;
        if (ClassroomService.ParseCompetency(option!.Competency) is not { } competency)
            return Error(StatusCodes.Status422UnprocessableEntity, "« competency » vaut none, not_acquired, in_progress, acquired ou exceeded.", context.Request);
        return await classes.GradeAsync(copy!, option.Grade, competency, context.RequestAborted) is { } error
            ? Error(StatusCodes.Status422UnprocessableEntity, error, context.Request) : Results.NoContent();
    }

    private static async Task<IResult> OpenFeedback(HttpContext context, long id, string username, ClassroomService classes)
    {
        var (a, copy, failure) = await TeacherCopyAsync(context, id, username, classes);
        if (failure is not null) return failure;
        var (_, viewer, _) = await SignedInCallerAsync(context);
        var existed = copy!.FeedbackNumber is not null;
        var student = await context.RequestServices.GetRequiredService<ForgeDbContext>().Users.FirstAsync(u => u.Id == copy.StudentId, context.RequestAborted);
        var (number, error) = await classes.FeedbackAsync(a!, copy, student, viewer, context.RequestAborted);
        if (error is not null) return Error(StatusCodes.Status422UnprocessableEntity, error, context.Request);
        var repository = $"{copy.Repository.Owner.UserName}/{copy.Repository.Name}";
        var url = $"{context.Request.Scheme}://{context.Request.Host}{Pages.Classes.AssignmentModel.RepoUrl(copy)}/merge_requests/{number}";
        return Results.Json(new ApiFeedbackRequest(number!.Value, repository, url), ApiModels.Json,
            statusCode: existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> RemoveFromTeam(HttpContext context, long id, string username, ClassroomService classes)
    {
        var (a, copy, failure) = await TeacherCopyAsync(context, id, username, classes);
        if (failure is not null) return failure;
        if (copy!.TeamName is null) return Error(StatusCodes.Status404NotFound, $"{username} n’est dans aucune équipe de ce devoir.", context.Request);
        return await classes.RemoveFromTeamAsync(a!, username, context.RequestAborted) is { } error
            ? Error(StatusCodes.Status422UnprocessableEntity, error, context.Request) : Results.NoContent();
    }

    /// <summary>Reopens for a pupil of the class, whether or not they accepted (their copy is made then).</summary>
    private static async Task<IResult> ReopenSubmission(HttpContext context, long id, string username, ClassroomService classes)
    {
        var (_, viewer, failure) = await SignedInCallerAsync(context);
        if (failure is not null) return failure;
        var (a, missing) = await VisibleAssignmentAsync(context, id, viewer, classes, teachersOnly: true);
        if (missing is not null) return missing;
        var student = await classes.PupilAsync(a!, username, context.RequestAborted);
        if (student is null) return Error(StatusCodes.Status404NotFound, $"{username} n’est pas élève de cette classe.", context.Request);
        var (option, bad) = await BodyAsync<ReopenOption>(context);
        if (bad is not null) return bad;
        return await classes.ReopenAsync(a!, student, option!.Until?.UtcDateTime, context.RequestAborted) is { } error
            ? Error(StatusCodes.Status422UnprocessableEntity, error, context.Request) : Results.NoContent();
    }
}
