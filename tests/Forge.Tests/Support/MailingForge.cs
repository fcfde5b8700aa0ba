using Xunit;

namespace Forge.Tests.Support;

/// <summary>A Forge whose e-mail goes to a real SMTP server started by the test (<see cref="SmtpCatcher"/>): one per test.</summary>
public abstract class MailingForge : IAsyncLifetime
{
    protected readonly TempDir Tmp = new();
    protected SmtpCatcher Smtp = null!;
    protected ForgeServer Server = null!;

    public async Task InitializeAsync()
    {
        Smtp = new SmtpCatcher();
        Server = await ForgeServer.StartAsync(Tmp.Sub("data"), 0, Smtp.ForgeArgs);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Smtp.DisposeAsync();
        Tmp.Dispose();
    }
}
