using Forge.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Forge.Web.Pages.Account.Settings;

/// <summary>
/// Turning on two-factor authentication: the shared key as a QR code (inline SVG) and as text, a first code to prove
/// the application has it, then ten recovery codes shown once.
/// </summary>
public sealed class TwoFactorModel(UserManager<ForgeUser> users, SignInManager<ForgeUser> signIn) : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty] public string? Code { get; set; }
    public string SharedKey { get; private set; } = "";
    public string QrSvg { get; private set; } = "";
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        if (me.TwoFactorEnabled) return Redirect("/user/settings/security");
        await LoadKeyAsync(me);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (await users.GetUserAsync(User) is not { } me) return Challenge();
        if (me.TwoFactorEnabled) return Redirect("/user/settings/security");
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) || !await users.VerifyTwoFactorTokenAsync(me, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "Ce code ne correspond pas : vérifiez que l’application a bien enregistré la clé, puis saisissez le code affiché maintenant.");
            await LoadKeyAsync(me);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(me, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(me, RecoveryCodeCount))!.ToList();
        // The security stamp changed: this browser keeps its session.
        await signIn.RefreshSignInAsync(me);
        return Page();
    }

    /// <summary>The recovery codes just shown, as a text file (they are sent back by the page: nothing is read from the database).</summary>
    public IActionResult OnPostDownload(string? codes)
    {
        var lines = (codes ?? "").Split([' ', '\n', ',', '\r'], StringSplitOptions.RemoveEmptyEntries).Take(RecoveryCodeCount)
            .Where(c => c.Length <= 30 && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')).ToList();
        var text = $"Codes de secours Forge pour {User.Identity?.Name} — chacun ne sert qu’une fois.\n\n" + string.Join("\n", lines) + "\n";
        return File(System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", "forge-codes-de-secours.txt");
    }

    private async Task LoadKeyAsync(ForgeUser me)
    {
        var key = await users.GetAuthenticatorKeyAsync(me);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(me);
            key = await users.GetAuthenticatorKeyAsync(me);
        }
        SharedKey = string.Join(' ', key!.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Forge:" + me.UserName)}?secret={key}&issuer=Forge&digits=6";
        using var data = new QRCodeGenerator().CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        QrSvg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..].Replace("<svg ", "<svg role=\"img\" aria-label=\"Code QR de la clé\" ");
    }
}
