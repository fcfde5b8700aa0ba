using Forge.Jobs.Compliance;

namespace Forge.Web.Compliance;

public static class ComplianceRegistration
{
    /// <summary>The database side of the compliance jobs, and the administrator's choice about personal data.</summary>
    public static IServiceCollection AddCompliance(this IServiceCollection services, ForgeSettings settings)
    {
        services.AddSingleton(new ComplianceOptions { AutoPrivate = settings.PrivacyAutoPrivate });
        services.AddScoped<ComplianceStore>();
        services.AddScoped<LicenceFixService>();
        services.AddScoped<IComplianceStore>(sp => sp.GetRequiredService<ComplianceStore>());
        return services;
    }
}
