using System.Security.Claims;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Accounts;

/// <summary>Facts about the account carried in the cookie, for the layout (no query per page).</summary>
public static class AccountClaims
{
    /// <summary>Present while the e-mail address is not confirmed: the layout shows a banner.</summary>
    public const string Unconfirmed = "forge:unconfirmed";

    public static async Task AddAsync(ClaimsIdentity identity, long userId, IServiceProvider services)
    {
        foreach (var old in identity.FindAll(Unconfirmed).ToList()) identity.RemoveClaim(old);
        var confirmed = await services.GetRequiredService<ForgeDbContext>().Users.Where(u => u.Id == userId).Select(u => u.EmailConfirmed).FirstOrDefaultAsync();
        if (!confirmed) identity.AddClaim(new Claim(Unconfirmed, "1"));
    }

    public static bool IsUnconfirmed(ClaimsPrincipal user) => user.HasClaim(c => c.Type == Unconfirmed);
}
