using System.Xml;
using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.Pages.Owner;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Activity;

/// <summary>
/// Atom feeds of activity: <c>/{owner}.atom</c> (a person's or a group's, as on <c>/{owner}/-/activity</c>) and
/// <c>/{owner}/{repo}/activity.atom</c>. Feed readers fetch them without a session: anonymous requests get public events only;
/// a personal access token or Basic credentials (as for git and the API) add what that account may read. Cookies are not
/// used, so a feed address can be shared without sharing what the sharer sees.
/// </summary>
public static class ActivityFeeds
{
    private const int Entries = 50;

    public static void MapActivityFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{owner}.atom", OwnerFeedAsync).ExcludeFromDescription();
        app.MapGet("/{owner}/{repo}/activity.atom", RepositoryFeedAsync).ExcludeFromDescription();
    }

    private static async Task<(Viewer? Viewer, IResult? Failure)> FeedViewerAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (result.Failure is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Forge\"";
            return (null, Results.Text("Jeton ou identifiants invalides.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized));
        }
        return (await context.ViewerAsync(result.Principal ?? new System.Security.Claims.ClaimsPrincipal()), null);
    }

    private static async Task<IResult> OwnerFeedAsync(HttpContext context, string owner, UserManager<ForgeUser> users, ForgeDbContext db, ActivityService activity)
    {
        var (viewer, failure) = await FeedViewerAsync(context);
        if (failure is not null) return failure;
        if (await ActivityModel.VisibleOwnerAsync(users, db, owner, viewer!, context.RequestAborted) is not { } user)
            return Results.Text("Introuvable.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var events = await activity.ListAsync(ActivityModel.ScopeOf(user), viewer!, 1, context.RequestAborted, Entries);
        var name = Uri.EscapeDataString(user.UserName!);
        return Atom(context, string.Format(SharedResource.T("Activité de {0}"), user.UserName), $"/{name}.atom", $"/{name}/-/activity", events.Take(Entries));
    }

    private static async Task<IResult> RepositoryFeedAsync(HttpContext context, string owner, string repo, RepositoryService repositories, ActivityService activity)
    {
        var (viewer, failure) = await FeedViewerAsync(context);
        if (failure is not null) return failure;
        var entity = await repositories.FindAsync(owner, repo, context.RequestAborted);
        if (entity is null || !RepositoryService.CanRead(entity, viewer!))
            return Results.Text("Introuvable.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var events = await activity.ListAsync(new ActivityScope(RepositoryId: entity.Id), viewer!, 1, context.RequestAborted, Entries);
        var path = $"/{Uri.EscapeDataString(entity.Owner.UserName!)}/{Uri.EscapeDataString(entity.Name)}";
        return Atom(context, string.Format(SharedResource.T("Activité de {0}"), $"{entity.Owner.UserName}/{entity.Name}"), path + "/activity.atom", path,
            events.Take(Entries));
    }

    /// <summary>An Atom 1.0 document (RFC 4287): one entry per event, its link to the issue, request, commits or repository.</summary>
    private static IResult Atom(HttpContext context, string title, string selfPath, string htmlPath, IEnumerable<ActivityEvent> events)
    {
        var site = $"{context.Request.Scheme}://{context.Request.Host}";
        var list = events.ToList();
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true }))
        {
            const string ns = "http://www.w3.org/2005/Atom";
            w.WriteStartDocument();
            w.WriteStartElement("feed", ns);
            w.WriteElementString("id", ns, site + selfPath);
            w.WriteElementString("title", ns, title);
            w.WriteElementString("updated", ns, Rendering.Formatting.Iso(list.FirstOrDefault()?.CreatedAt ?? DateTime.UtcNow));
            Link(w, ns, "self", site + selfPath, "application/atom+xml");
            Link(w, ns, "alternate", site + htmlPath, "text/html");
            w.WriteStartElement("generator", ns);
            w.WriteString("Forge");
            w.WriteEndElement();
            foreach (var e in list)
            {
                var line = ActivityService.Describe(e);
                w.WriteStartElement("entry", ns);
                w.WriteElementString("id", ns, $"{site}/activity/{e.Id}");
                w.WriteElementString("title", ns, Clean($"{e.Actor.UserName} {line.Phrase} {line.Target}"));
                w.WriteElementString("updated", ns, Rendering.Formatting.Iso(e.CreatedAt));
                w.WriteStartElement("author", ns);
                w.WriteElementString("name", ns, e.Actor.UserName);
                w.WriteElementString("uri", ns, $"{site}/{Uri.EscapeDataString(e.Actor.UserName!)}");
                w.WriteEndElement();
                Link(w, ns, "alternate", site + line.TargetUrl, "text/html");
                var details = Clean(line.Title ?? string.Join("\n", line.Commits.Select(c => $"{c.Sha[..10]} {c.Subject}")));
                if (details.Length > 0)
                {
                    w.WriteStartElement("content", ns);
                    w.WriteAttributeString("type", "text");
                    w.WriteString(details);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    /// <summary>Text without the characters XML 1.0 cannot carry (a commit subject may hold control characters).</summary>
    private static string Clean(string text) => text.All(Keep) ? text : new string(text.Where(Keep).ToArray());

    private static bool Keep(char c) => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c);

    private static void Link(XmlWriter w, string ns, string rel, string href, string type)
    {
        w.WriteStartElement("link", ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }
}
