using Forge.Web.Accounts;
using Forge.Web.Data;
using Forge.Web.Mail;
using Forge.Web.Repos;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Forge.Web.Pages.Admin;

/// <summary>
/// Administrators' list of people (404 for anyone else): search, instance role, the « may publish » flag of students;
/// and how the instance takes new accounts (registration policy, e-mail).
/// </summary>
public sealed class UsersModel(ForgeDbContext db, UserManager<ForgeUser> users, AccountService accounts, AccountOptions policy,
    IMailSender mail, MailOutbox outbox) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public IReadOnlyList<ForgeUser> People { get; private set; } = [];
    public int Total { get; private set; }
    public AccountOptions Policy => policy;
    public bool MailEnabled => mail.IsEnabled;
    public IReadOnlyList<(DateTime At, string To, string Subject)> Outbox => outbox.Latest();
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(string? name, string? role, bool canPublish)
    {
        if (!(await HttpContext.ViewerAsync()).IsAdmin) return NotFound();
        var user = name is null ? null : await users.FindByNameAsync(name);
        if (user is null || user.IsGroup) Error = SharedResource.T("Utilisateur « {0} » introuvable.", name);
        else if (AccountService.ParseRole(role) is not { } parsed) Error = SharedResource.T("Rôle inconnu « {0} ».", role);
        else if (await accounts.SetRoleAsync(user, parsed, await users.GetUserAsync(User)) is { } refused) Error = refused;
        else
        {
            if (user.CanPublish != canPublish) { user.CanPublish = canPublish; await users.UpdateAsync(user); }
            Message = $"« {user.UserName} » : {SharedResource.T(AccountService.RoleLabel(parsed))}"
                + SharedResource.T(parsed == InstanceRole.Student ? (canPublish ? ", peut publier des dépôts publics." : ", dépôts privés seulement.") : ".");
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var query = db.Users.AsNoTracking().Where(u => u.Kind == AccountKind.Person);
        var q = Q?.Trim();
        if (!string.IsNullOrEmpty(q))
        {
            if (q.Length > 100) q = q[..100];
            var upper = q.ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(upper) || u.NormalizedEmail!.Contains(upper) || (u.FullName != null && u.FullName.Contains(q)));
        }
        Total = await query.CountAsync();
        People = await query.OrderBy(u => u.UserName).Take(PageSize).ToListAsync();
    }
}
