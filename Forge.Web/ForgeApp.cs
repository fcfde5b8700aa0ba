using Forge.Git;
using Forge.Jobs;
using Forge.Search;
using Forge.Web.Api;
using Forge.Web.Auth;
using Forge.Web.Compliance;
using Forge.Web.Data;
using Forge.Web.GitHttp;
using Forge.Web.MergeRequests;
using Forge.Web.OpenId;
using Forge.Web.Repos;
using Forge.Web.Rendering;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web;

/// <summary>The composition root: every service and the whole request pipeline are set up here.</summary>
public static class ForgeApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string PolicyScheme = "Forge";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ForgeApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var settings = ForgeSettings.From(builder.Configuration);
        Directory.CreateDirectory(settings.DataPath);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        var services = builder.Services;
        services.AddSingleton(settings);
        // Razor would otherwise escape every accented letter of French text as an entity.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton(TimeProvider.System);

        // Pooled: a page reads one or two rows, and setting up a fresh context for each request cost about as much.
        if (settings.PostgresConnectionString is { } pg)
            services.AddDbContextPool<ForgeDbContext, PostgresForgeDbContext>(o => o.UseNpgsql(pg));
        else
            services.AddDbContextPool<ForgeDbContext, SqliteForgeDbContext>(o => o.UseSqlite($"Data Source={settings.SqlitePath};Default Timeout=30")
                .AddInterceptors(new SqliteSynchronousNormal()));

        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(settings.KeysPath)).SetApplicationName("Forge");

        services.AddIdentity<ForgeUser, IdentityRole<long>>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<ForgeDbContext>()
            .AddErrorDescriber<FrenchIdentityErrors>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/user/login";
            o.LogoutPath = "/user/logout";
            o.AccessDeniedPath = "/user/login";
            o.Cookie.Name = "forge_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
        });
        Accounts.AccountsSetup.AddAccounts(services, builder.Configuration);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultAuthenticateScheme = PolicyScheme;
                o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(PolicyScheme, "Cookie or token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);
        services.AddAuthorization();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            // Scripts are served as text/javascript (ASP.NET Core's mapping since .NET 7): without it here they left uncompressed.
            // WebAssembly compresses to a third (Pyodide: 8.4 MB → about 3 MB, fetched once then cached).
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "application/wasm", "image/svg+xml",
                "application/json", "application/atom+xml", "application/xml", "text/plain"];
        });
        services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        // The OpenAPI description of /api/v1 (Razor Pages and endpoints marked ExcludeFromDescription stay out of it).
        services.AddOpenApi("v1", o => o.DescribeForgeApi());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "forge_csrf";
            o.FormFieldName = "__csrf";
        });

        // French is the default and source language; English comes from Resources/SharedResource.en.resx.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>, SharedLocalizer>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("fr-FR").AddSupportedCultures("fr-FR", "fr", "en").AddSupportedUICultures("fr-FR", "fr", "en");
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The visitor's choice (cookie), then the browser's languages, then French; never the query string.
            o.RequestCultureProviders =
            [
                new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider { CookieName = SharedResource.CookieName },
                new Microsoft.AspNetCore.Localization.AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/Account/Settings");
                o.Conventions.AuthorizePage("/Repos/New");
                o.Conventions.AddFolderApplicationModelConvention("/Repo", m => m.Filters.Add(new RepoContextFilter()));
                o.Conventions.ConfigureFilter(new LocalizedModelErrors());
            })
            .AddApplicationPart(typeof(ForgeApp).Assembly);

        var git = new GitCli(settings.GitHomePath);
        services.AddSingleton(git);
        services.AddSingleton(new RepositoryStore(settings.RepositoriesPath, git));
        services.AddSingleton(new Forge.Jobs.Images.ThumbnailStore(settings.ThumbnailsPath));
        services.AddSingleton<GitReader>();
        services.AddSingleton<LastCommitIndex>();
        services.AddSingleton<SmartHttpTransport>();
        // Looks every 2 s for a generation published by `forge admin reindex` and switches to it.
        services.AddSingleton(_ => new LuceneResourceIndex(settings.IndexPath, TimeSpan.FromSeconds(2)));
        services.AddSingleton<IResourceIndex>(sp => sp.GetRequiredService<LuceneResourceIndex>());
        services.AddSingleton<IResourceSearch>(sp => sp.GetRequiredService<LuceneResourceIndex>());
        services.AddSingleton<ICodeSearch>(sp => sp.GetRequiredService<LuceneResourceIndex>());
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<NotebookRenderer>();
        services.AddSingleton<Forge.Web.Pages.Repo.Browse>();
        services.AddSingleton<TeacherOnlyFilter>();
        services.AddSingleton<Forge.Web.Resources.ResourceFiles>();
        services.AddSingleton<SyntaxHighlighter>();
        services.AddSingleton<RenderingStore>();
        services.AddSingleton<Forge.Jobs.IViewPreparer, FileViewPreparer>();
        services.AddSingleton<RenderCache>();
        services.AddSingleton<GitCliReader>();
        services.AddSingleton<GitWriter>();
        services.AddScoped<ContentService>();
        services.AddMemoryCache(o => o.SizeLimit = 256L * 1024 * 1024);
        services.AddOutputCache(o =>
        {
            o.SizeLimit = 256L * 1024 * 1024;
            o.MaximumBodySize = 8L * 1024 * 1024;
            o.AddBasePolicy(new PublicPageCachePolicy());
        });
        services.AddScoped<RepositoryService>();
        services.AddSingleton<RepositoryForking>();
        services.AddScoped<Forks.ForkService>();
        services.AddScoped<Forge.Web.Groups.GroupService>();
        services.AddScoped<PushPolicyService>();
        services.AddScoped<RepositorySettingsService>();
        services.AddScoped<StarService>();
        services.AddScoped<Reviews.ReviewService>();
        services.AddScoped<Modules.ModuleService>();
        services.AddScoped<Forge.Web.Resources.SimilarResources>();
        services.AddScoped<Forge.Web.Resources.LineageService>();
        services.AddSingleton<Forge.Web.Pages.Programmes.ProgrammeCoverage>();
        services.AddScoped<AccessTokenService>();
        services.AddSingleton<VerifiedPasswords>();
        services.AddScoped<IRepositoryDirectory, RepositoryDirectory>();
        services.AddCompliance(settings);
        services.AddForgeOpenId(settings, builder.Configuration);
        services.AddMergeRequests();
        Federation.FederationSetup.AddFederation(services, builder.Configuration, settings);
        Issues.IssueServices.AddIssues(services);
        Checks.ChecksRegistration.AddChecks(services);
        Sites.SitesSetup.AddCourseSites(services);
        Modules.Exports.ExportsSetup.AddModuleExports(services, builder.Configuration);
        services.AddRepositoryLeftovers();
        Activity.ActivityRegistration.AddActivity(services);
        Classroom.ClassroomSetup.AddClassroom(services);
        services.AddForgeJobs(new ForgeJobsOptions
        {
            SqlitePath = settings.JobsSqlitePath,
            PostgresConnectionString = settings.PostgresConnectionString,
            Workers = settings.JobWorkers,
            Checks = Forge.Jobs.Checks.CheckOptions.From(builder.Configuration),
            Indexing = new IndexingOptions
            {
                DelayPerFile = TimeSpan.FromMilliseconds(int.TryParse(builder.Configuration["search:test_delay_ms_per_file"], out var delay) ? delay : 0),
            },
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    private static void Configure(WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error/500");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(SecurityHeaders);
        Forge.Web.Sites.SiteHosts.UseSiteHosts(app);
        app.UseResponseCompression();
        app.UseStaticFiles(new StaticFileOptions
        {
            // A theme overrides files of the default theme (its site.css, its layout assets) and inherits the rest.
            FileProvider = new Microsoft.Extensions.FileProviders.CompositeFileProvider(
                new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "themes", app.Services.GetRequiredService<ForgeSettings>().Theme)),
                new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "themes", "default"))),
            RequestPath = Assets.RequestPath,
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = Assets.CacheControlFor(ctx.Context),
        });
        // The API speaks French only (its messages are not translated); pages follow the visitor's language.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), b => b.UseRequestLocalization());
        app.UseRouting();
        Federation.FederationEndpoints.UseFederationErrors(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(PublicPageCachePolicy.ConditionalGetAsync);
        if (app.Configuration["cache:enabled"] != "false") app.UseOutputCache();

        app.UseHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminDashboardAuthorization()],
            AppPath = "/",
            DashboardTitle = "Forge — tâches de fond",
        }, app.Services.GetRequiredService<JobStorage>());

        app.UseForgeOpenId();
        app.MapOpenApi("/api/v1/openapi.json");
        app.MapApiV1();
        app.MapGitHttp();
        Activity.ActivityFeeds.MapActivityFeeds(app);
        Federation.FederationEndpoints.MapFederation(app);
        app.MapRaw();
        app.MapThumbnails();
        app.MapArchive();
        Classroom.ClassroomSetup.MapClassroom(app);
        app.MapGet("/{owner}/{repo}.git", (string owner, string repo) => Results.Redirect($"/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}"))
            .ExcludeFromDescription();
        app.MapRazorPages();
    }

    /// <summary>Headers that apply to every response; raw files tighten the policy further.</summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        if (context.Request.Path.Equals(Assets.DiagramFramePath, StringComparison.Ordinal))
        {
            // Mermaid styles the SVG it draws with inline styles; its frame alone allows them, and only this site may frame it.
            headers.XFrameOptions = "SAMEORIGIN";
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
        }
        else
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        context.Response.OnStarting(() =>
        {
            if (!context.Response.Headers.ContainsKey("Cache-Control")) context.Response.Headers.CacheControl = "private, no-store";
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>Applies migrations (SQLite or PostgreSQL) so the database is always at the current schema.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    private sealed class AdminDashboardAuthorization : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            return (await http.ViewerAsync()).IsAdmin;
        }
    }
}
