using Forge.Web.Data;
using Forge.Web.Mail;
using Microsoft.AspNetCore.Identity;

namespace Forge.Web.Accounts;

public static class AccountsSetup
{
    /// <summary>E-mail, registration policy, password rules, sessions and account services. Call after AddIdentity.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(SmtpOptions.Read(config));
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<MailQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<MailQueue>());
        services.AddSingleton(AccountOptions.From(config));
        services.AddScoped<IPasswordValidator<ForgeUser>, AccountPasswordValidator>();
        services.AddScoped<SessionStore>();
        services.AddScoped<AccountService>();
        services.Configure<IdentityOptions>(o => o.SignIn.RequireConfirmedAccount = false);
        services.ConfigureApplicationCookie(o => SessionStore.Wire(o.Events));
        // A refreshed cookie (security stamp checked) keeps its session and its account facts.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity && context.CurrentPrincipal is { } current)
                foreach (var claim in current.FindAll(c => c.Type is SessionStore.SessionClaim or AccountClaims.Unconfirmed))
                    identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value));
            return Task.CompletedTask;
        });
        return services;
    }
}
