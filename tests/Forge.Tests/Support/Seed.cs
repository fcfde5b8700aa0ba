using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forge.Tests.Support;

/// <summary>Direct database set-up for scenarios whose subject is not the set-up itself (pages and API have their own tests).</summary>
public static class Seed
{
    public static async Task AddCollaboratorAsync(this ForgeServer server, string owner, string repo, string user, CollaboratorRole role)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        var r = await db.Repositories.SingleAsync(x => x.Owner.UserName == owner && x.Name == repo);
        var u = await db.Users.SingleAsync(x => x.UserName == user);
        db.Collaborators.Add(new Collaborator { RepositoryId = r.Id, UserId = u.Id, Role = role });
        await db.SaveChangesAsync();
    }

    public static async Task ProtectAsync(this ForgeServer server, string owner, string repo, string pattern, PushLevel level,
        bool allowForcePush = false, bool allowDeletion = false)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
        var r = await db.Repositories.SingleAsync(x => x.Owner.UserName == owner && x.Name == repo);
        db.ProtectedBranches.Add(new ProtectedBranch { RepositoryId = r.Id, Pattern = pattern, PushLevel = level, AllowForcePush = allowForcePush, AllowDeletion = allowDeletion });
        await db.SaveChangesAsync();
    }
}
