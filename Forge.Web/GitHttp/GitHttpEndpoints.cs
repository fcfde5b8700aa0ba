using System.IO.Compression;
using Microsoft.AspNetCore.Authentication;
using Forge.Git;
using Forge.Web.Auth;
using Forge.Web.Data;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Http.Features;

namespace Forge.Web.GitHttp;

/// <summary>
/// Git smart HTTP: <c>GET info/refs</c>, <c>POST git-upload-pack</c>, <c>POST git-receive-pack</c>, on both
/// <c>/owner/repo.git/...</c> and <c>/owner/repo/...</c>. Anonymous requests for private or missing repositories
/// get the same 401 challenge, and signed-in users without access get 404, so nothing leaks whether a private
/// repository exists.
/// </summary>
public static class GitHttpEndpoints
{
    public const long MaxUploadPackRequest = 100L * 1024 * 1024;
    public const long MaxReceivePackRequest = 2L * 1024 * 1024 * 1024;

    public static void MapGitHttp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{owner}/{repo}/info/refs", InfoRefs).ExcludeFromDescription();
        app.MapPost("/{owner}/{repo}/git-upload-pack", (HttpContext c, string owner, string repo) => Rpc(c, owner, repo, GitService.UploadPack))
            .ExcludeFromDescription();
        app.MapPost("/{owner}/{repo}/git-receive-pack", (HttpContext c, string owner, string repo) => Rpc(c, owner, repo, GitService.ReceivePack))
            .ExcludeFromDescription();
    }

    private static async Task InfoRefs(HttpContext context, string owner, string repo, string? service)
    {
        if (!SmartHttpTransport.TryParseService(service, out var svc))
        {
            await PlainAsync(context, StatusCodes.Status403Forbidden, "Forge ne sert que le protocole HTTP « intelligent » de git (git 1.6.6 ou plus récent).");
            return;
        }
        var (target, _) = await AuthorizeAsync(context, owner, repo, svc);
        if (target is null) return;
        var response = context.Response;
        NoCache(response);
        response.ContentType = SmartHttpTransport.AdvertisementContentType(svc);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var transport = context.RequestServices.GetRequiredService<SmartHttpTransport>();
        var store = context.RequestServices.GetRequiredService<RepositoryStore>();
        await transport.AdvertiseAsync(store.PathOf(target.Id), svc, Protocol(context), response.Body, context.RequestAborted);
    }

    private static async Task Rpc(HttpContext context, string owner, string repo, GitService svc)
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType, SmartHttpTransport.RequestContentType(svc), StringComparison.OrdinalIgnoreCase))
        {
            await PlainAsync(context, StatusCodes.Status415UnsupportedMediaType, "Type de contenu inattendu pour une requête git.");
            return;
        }
        var (target, viewer) = await AuthorizeAsync(context, owner, repo, svc);
        if (target is null) return;

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = svc == GitService.ReceivePack ? MaxReceivePackRequest : MaxUploadPackRequest;

        Stream body = request.Body;
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
            body = new GZipStream(body, CompressionMode.Decompress);

        var response = context.Response;
        NoCache(response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var services = context.RequestServices;
        var transport = services.GetRequiredService<SmartHttpTransport>();
        var path = services.GetRequiredService<RepositoryStore>().PathOf(target.Id);

        IReadOnlyList<RefUpdate> updates = [];
        ReceivePackPolicy? policy = null;
        if (svc == GitService.ReceivePack)
        {
            try
            {
                (updates, body) = await SmartHttpTransport.ReadReceivePackCommandsAsync(body, context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, "Requête git mal formée.");
                return;
            }
            // Protected branches and quotas: decided here, enforced by Forge's pre-receive hook inside git.
            policy = await services.GetRequiredService<PushPolicyService>()
                .ForPushAsync(target, viewer, updates, context.RequestAborted);
        }

        response.ContentType = SmartHttpTransport.ResultContentType(svc);
        var result = await transport.RpcAsync(path, svc, Protocol(context), body, response.Body, context.RequestAborted, policy);
        if (svc == GitService.ReceivePack && updates.Count > 0)
        {
            if (!result.Success)
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Forge.GitHttp")
                    .LogWarning("receive-pack on repository {Id} exited with {Code}: {Error}", target.Id, result.ExitCode, result.StandardError);
            // Even a partly refused push may have updated some refs: record it and let the jobs re-read the truth.
            // What the next request must see (HEAD on an existing branch, the push's date) is settled before git's
            // client gets the end of the answer; the jobs are queued after, so the client does not wait for them.
            var repositories = services.GetRequiredService<RepositoryService>();
            await repositories.SettlePushAsync(target, CancellationToken.None);
            await services.GetRequiredService<Activity.ActivityService>().PushedAsync(target, viewer.UserId, updates, CancellationToken.None);
            await response.CompleteAsync();
            repositories.QueueAfterPush(target, updates);
        }
    }

    /// <summary>
    /// Resolves the repository and checks access; on refusal (or redirect of an old name) writes the response and
    /// returns a null repository.
    /// </summary>
    private static async Task<(RepositoryEntity? Repo, Viewer Viewer)> AuthorizeAsync(HttpContext context, string owner, string repoName, GitService svc)
    {
        var auth = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        if (auth.Failure is not null)
        {
            await ChallengeAsync(context, TokenAuthenticationHandler.IsExplained(auth.Failure.Message) ? auth.Failure.Message
                : "Identifiants refusés. Utilisez votre nom d’utilisateur et un jeton d’accès personnel (ou votre mot de passe).");
            return (null, Viewer.Anonymous);
        }
        if (svc == GitService.ReceivePack && Forge.Web.OpenId.ForgeScopes.PushProblem(auth.Principal) is { } scopeProblem)
        {
            // A read-only token: the same answer whatever the repository, so it reveals nothing.
            await PlainAsync(context, StatusCodes.Status403Forbidden, scopeProblem);
            return (null, Viewer.Anonymous);
        }
        if (svc == GitService.ReceivePack && auth.Principal?.Identity?.IsAuthenticated != true)
        {
            // A push always needs an account: git's first, anonymous request gets its challenge at once, whatever the
            // repository (the same answer as below for a missing, private or public one, without looking it up).
            await ChallengeAsync(context, "Authentification requise pour envoyer des modifications.");
            return (null, Viewer.Anonymous);
        }
        var principal = auth.Principal ?? new System.Security.Claims.ClaimsPrincipal();
        var viewer = await context.ViewerAsync(principal);
        var name = repoName.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? repoName[..^4] : repoName;
        var repositories = context.RequestServices.GetRequiredService<RepositoryService>();
        var repo = await repositories.FindAsync(owner, name, context.RequestAborted);

        if (repo is null && await repositories.FindRedirectAsync(owner, name, context.RequestAborted) is { } moved && RepositoryService.CanRead(moved, viewer))
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                // Renamed or transferred: git follows the redirect of its first request and uses the new URL afterwards.
                var suffix = repoName.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? ".git" : "";
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = RepositoryService.MovedUrl(context.Request, moved, suffix);
                return (null, viewer);
            }
            // Except after a 401 challenge: git then keeps posting to the old URL and never follows a POST redirect,
            // so the old name serves the repository it now points at, with the same checks below.
            repo = moved;
        }
        if (repo is null || !RepositoryService.CanRead(repo, viewer))
        {
            if (!viewer.IsSignedIn) await ChallengeAsync(context, "Authentification requise.");
            else await PlainAsync(context, StatusCodes.Status404NotFound, "Dépôt introuvable.");
            return (null, viewer);
        }
        if (svc == GitService.ReceivePack)
        {
            if (!viewer.IsSignedIn)
            {
                await ChallengeAsync(context, "Authentification requise pour envoyer des modifications.");
                return (null, viewer);
            }
            if (!RepositoryService.CanWrite(repo, viewer))
            {
                await PlainAsync(context, StatusCodes.Status403Forbidden, $"Vous n’avez pas le droit d’écrire dans {repo.Owner.UserName}/{repo.Name}.");
                return (null, viewer);
            }
        }
        return (repo, viewer);
    }

    private static string? Protocol(HttpContext context) =>
        SmartHttpTransport.SanitizeProtocol(context.Request.Headers["Git-Protocol"].ToString());

    private static Task ChallengeAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Forge\"";
        return PlainAsync(context, StatusCodes.Status401Unauthorized, message);
    }

    private static Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }

    private static void NoCache(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache, max-age=0, must-revalidate";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Fri, 01 Jan 1980 00:00:00 GMT";
    }
}
