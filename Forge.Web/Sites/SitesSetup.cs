namespace Forge.Web.Sites;

/// <summary>Course sites: building (the job's port), storage, search. One line in <see cref="ForgeApp"/>.</summary>
public static class SitesSetup
{
    public static IServiceCollection AddCourseSites(this IServiceCollection services)
    {
        services.AddSingleton<SiteStore>();
        services.AddSingleton<SiteSearch>();
        services.AddScoped<SiteHostService>();
        services.AddScoped<Forge.Jobs.ISiteBuilder, SiteBuilder>();
        return services;
    }

    /// <summary>Whether the repository has a site or a build of it (for the « Site » tab).</summary>
    public static bool HasSite(this SiteStore sites, Data.RepositoryEntity repository) =>
        Directory.Exists(sites.BranchFolder(repository.Id, repository.DefaultBranch));
}
